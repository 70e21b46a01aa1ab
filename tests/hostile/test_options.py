"""Hostile numbers in options: every numeric option of every command is finite and within
its documented bounds (`scorer.sampling`), or a usage error naming it (exit 2, no file
written); the library refuses the same values with an `ArgumentError`, and weights of any
finite size weigh what they say."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner, Result

import scorer
from scorer import joint, uncertainty
from scorer.cli import cli
from scorer.sampling import MAX_CONCENTRATION, MAX_SAMPLES, MAX_SEED, MIN_CONCENTRATION
from scorer.sensitivity import monte_carlo
from tests.conftest import DEFAULT_RUBRIC, PROJECTS, ROOT

TODAY = "2026-11-26"


@pytest.fixture
def run(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SCORER_TODAY", TODAY)

    def _run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return _run


@pytest.fixture(scope="module")
def analysis() -> scorer.Analysis:
    return scorer.load(PROJECTS, DEFAULT_RUBRIC).analyse(as_of="2025-08-26")


BAD_OPTIONS = [
    ("--samples", "0"), ("--samples", "-5"), ("--samples", str(MAX_SAMPLES + 1)),
    ("--samples", str(10**12)), ("--samples", "1e6"), ("--samples", "nan"),
    ("--seed", "-1"), ("--seed", str(MAX_SEED + 1)), ("--seed", str(10**30)),
    ("--seed", "1.5"), ("--seed", "nan"),
    ("--concentration", "nan"), ("--concentration", "NaN"), ("--concentration", "inf"),
    ("--concentration", "-inf"), ("--concentration", "1e400"), ("--concentration", "0"),
    ("--concentration", "-1"), ("--concentration", "1e-310"), ("--concentration", "0.5"),
    ("--concentration", str(MAX_CONCENTRATION * 1.000001)), ("--concentration", "many"),
]  # fmt: skip


@pytest.mark.parametrize(("option", "value"), BAD_OPTIONS)
def test_bad_sampling_options_are_usage_errors_of_sensitivity(run, option, value):
    result = run("sensitivity", option, value, "--format", "json")
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize(("option", "value"), BAD_OPTIONS[::3])
def test_bad_sampling_options_are_usage_errors_of_export_and_write_nothing(
        run, tmp_path, option, value):
    out = tmp_path / "out.xlsx"
    result = run("export", option, value, "--out", str(out))
    assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_bounds_are_said_in_help(run):
    text = " ".join(run("sensitivity", "--help").stdout.split())
    assert f"1<=x<={MAX_SAMPLES}" in text and f"at most {MAX_SAMPLES:,}" in text
    assert f"0<=x<={MAX_SEED}" in text
    assert f"{MIN_CONCENTRATION}<=x<={MAX_CONCENTRATION}" in text
    assert f"1<=x<={MAX_SAMPLES}" in " ".join(run("export", "--help").stdout.split())


def test_the_bounds_themselves_are_accepted(run):
    result = run("sensitivity", "--format", "json", "--no-evidence", "--samples", "1",
                 "--seed", str(MAX_SEED), "--concentration", str(MAX_CONCENTRATION))
    assert result.exit_code == 0, result.output
    mc = json.loads(result.stdout)["monte_carlo"]
    assert (mc["samples"], mc["seed"], mc["concentration"]) == (1, MAX_SEED, MAX_CONCENTRATION)
    low = run("sensitivity", "--format", "json", "--samples", "50", "--concentration",
              str(MIN_CONCENTRATION))
    assert low.exit_code == 0 and json.loads(low.stdout)["monte_carlo"]["concentration"] == 1


@pytest.mark.parametrize(("argument", "value"), [
    ("samples", 0), ("samples", -1), ("samples", MAX_SAMPLES + 1), ("samples", 10**12),
    ("samples", 100.0), ("samples", True), ("samples", "100"), ("samples", None),
    ("seed", -1), ("seed", MAX_SEED + 1), ("seed", 1.0), ("seed", False), ("seed", "0"),
    ("concentration", float("nan")), ("concentration", float("inf")),
    ("concentration", -float("inf")), ("concentration", 0.0), ("concentration", 1e-310),
    ("concentration", 0.5), ("concentration", MAX_CONCENTRATION * 2), ("concentration", "5"),
    ("concentration", True),
])  # fmt: skip
def test_the_library_refuses_the_same_values_naming_the_argument(analysis, argument, value):
    with pytest.raises(scorer.ArgumentError) as caught:
        analysis.sensitivity(**{"samples": 10, argument: value})
    assert caught.value.argument == argument
    assert str(caught.value).startswith(f"{argument}: must be ")


def test_an_export_the_library_refuses_writes_nothing(analysis, tmp_path):
    with pytest.raises(scorer.ArgumentError, match="samples: must be a whole number from 1 "
                                                   "to 10,000,000, not 1000000000000"):
        analysis.to_excel(tmp_path / "out.xlsx", samples=10**12)
    assert list(tmp_path.iterdir()) == []


def test_numpy_numbers_are_numbers(analysis):
    result = analysis.sensitivity(samples=np.int64(20), seed=np.uint32(7),
                                  concentration=np.float64(30), evidence=False)
    mc = result.report.monte_carlo
    assert (mc.samples, mc.seed, mc.concentration) == (20, 7, 30)


@pytest.mark.parametrize("options", [
    {"seed": -1}, {"seed": 1.5}, {"samples": 0}, {"samples": 2.0},
    {"concentration": float("inf")}, {"concentration": float("nan")}, {"concentration": 0},
])  # fmt: skip
def test_the_samplers_refuse_what_they_cannot_draw(analysis, options):
    """Below the library's bounds, the samplers themselves: no numpy traceback, no NaN."""
    a = analysis
    with pytest.raises(ValueError, match=next(iter(options))):
        monte_carlo(a.scores, a.weights, **{"samples": 10, **options})
    chances = uncertainty.distributions(a.rulebook, a.criteria, a.evidence, a.as_of,
                                        a.histories)
    drawn = joint.Evidence.of(a.rubric, a.axes, a.criteria, chances, list(a.scores.index))
    with pytest.raises(ValueError, match=next(iter(options))):
        joint.joint_monte_carlo(a.rubric, drawn, list(a.scores.index), a.weights,
                                **{"samples": 10, **options})


def compared(run, *args: str) -> dict:
    result = run("compare", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


AXES = ("technology", "market_fit", "token_economy", "team_community", "growth_strategy",
        "risk")


@pytest.mark.parametrize(("huge", "plain"), [
    ((1e308, 1e308), (1, 1)),  # their sum overflows
    ((1.7976931348623157e308, 0), (1, 0)),
    ((1e-320, 1e-320), (1, 1)),  # subnormal
    ((5e-324, 1e-323), (1, 2)),  # the smallest there are
    ((1e308, 5e-324), (1, 0)),
])  # fmt: skip
def test_weights_of_any_finite_size_weigh_what_they_say(run, huge, plain):
    def weights(first_two: tuple[float, float]) -> str:
        return ",".join(f"{axis}={w!r}" for axis, w in zip(AXES, (*first_two, 0, 0, 0, 0),
                                                           strict=True))

    sized, expected = compared(run, "--weights", weights(huge)), compared(
        run, "--weights", weights(plain))
    assert sized["weights"] == expected["weights"]
    assert [(p["id"], p["total"]) for p in sized["projects"]] == [
        (p["id"], p["total"]) for p in expected["projects"]]
    assert all(p["total"] > 0 for p in sized["projects"])  # never 0/30 for everyone


def test_weights_out_of_range_are_usage_errors_before_any_file_is_read(run, tmp_path):
    result = run("compare", "--projects", str(tmp_path / "none"), "--weights", "risk=-inf")
    assert result.exit_code == 2
    assert "Invalid value for '--weights': the weight of risk must be a non-negative " \
           "number, not -inf" in result.stderr


def test_an_export_at_the_bounds_writes_its_workbook(run, tmp_path):
    out = tmp_path / "bounds.xlsx"
    result = run("export", "--samples", "1", "--seed", str(MAX_SEED), "--concentration",
                 str(MIN_CONCENTRATION), "--no-evidence", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.is_file()


# ---------------------------------------------------------------- dates

DATE_CASES = {
    "history --to past 9999": (["history", "--to", "9999-12-31"], 2, "--to"),
    "history --from before 1900": (["history", "--from", "1000-01-01"], 2, "--from"),
    "diff A before 1900": (["diff", "1800-01-01"], 2, "'A'"),
    "diff B past the horizon": (["diff", "2025-01-01", "2200-01-01"], 2, "'B'"),
    "compare --as-of past the horizon": (["compare", "--as-of", "9999-12-31"], 1, "--as-of"),
    "export --as-of before 1900": (["export", "--as-of", "1899-12-31"], 1, "--as-of"),
}


@pytest.mark.parametrize("case", DATE_CASES)
def test_a_date_option_outside_the_dates_scorer_reads_is_one_clear_error(run, case, tmp_path):
    args, status, named = DATE_CASES[case]
    result = run(*args)
    assert result.exit_code == status
    assert named in result.stderr and "outside the dates scorer reads" in result.stderr
    assert "1900-01-01 to 2126-11-26" in result.stderr and "Traceback" not in result.stderr


def test_the_library_refuses_a_date_outside_the_range_by_its_argument():
    workspace = scorer.load(PROJECTS, DEFAULT_RUBRIC)
    with pytest.raises(scorer.ArgumentError) as refused:
        workspace.history(end="9999-12-31")
    assert refused.value.argument == "end"
    with pytest.raises(scorer.ArgumentError, match="outside the dates"):
        workspace.analyse(as_of="1899-12-31")
