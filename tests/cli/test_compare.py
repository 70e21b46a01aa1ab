"""`scorer compare` in every format, checked against the library's own numbers."""

from __future__ import annotations

import csv
import io
import json

import pytest

from scorer.writers.text import tabulate_formats
from tests.conftest import PROJECTS


def test_table_shows_the_ranked_projects_and_what_made_them(run):
    result = run("compare", "--as-of", "2025-08-26")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for word in ("Rank", "Project", "Tech", "Risk", "Total /30", "Grade", "Coverage", "Flux",
                 "Akash", "Render", "21.0", "Upper group, not yet top tier",
                 "rubric default v2", "as of 2025-08-26", "profile balanced"):
        assert word in out, word
    assert "Traceback" not in result.output


def test_json_shape_and_rank_order(run):
    data = json.loads(run("compare", "--format", "json", "--as-of", "2025-08-26").stdout)
    assert data["rubric"] == {"id": "default", "version": "2"}
    assert data["as_of"] == "2025-08-26"
    assert sum(data["weights"].values()) == pytest.approx(1, abs=1e-5)
    projects = data["projects"]
    assert [p["rank"] for p in projects] == sorted(p["rank"] for p in projects)
    flux = next(p for p in projects if p["id"] == "flux")
    assert flux["axes"] == {"technology": 4, "market_fit": 3, "token_economy": 4,
                            "team_community": 4, "growth_strategy": 3, "risk": 3}
    assert flux["total"] == 21 and flux["overrides"] == []
    for p in projects:
        assert set(p) == {"id", "name", "rank", "score", "total", "grade", "coverage", "axes",
                          "overrides", "total_range", "rank_range", "axes_range", "provisional"}
        weighted = sum(data["weights"][a] * s for a, s in p["axes"].items())
        # JSON numbers carry 6 decimals, so recomputing from them agrees to about 1e-5
        assert p["score"] == pytest.approx(weighted, abs=1e-4)
        assert p["total"] == pytest.approx(weighted * 6, abs=1e-4)


def test_weights_and_profiles_change_the_weights_used(run):
    custom = json.loads(run("compare", "--format", "json", "--weights", "risk=5").stdout)
    assert custom["weights"]["risk"] == pytest.approx(0.5)
    profile = json.loads(run("compare", "--format", "json", "--profile", "token_holder").stdout)
    assert profile["profile"] == "token_holder"
    assert profile["weights"]["token_economy"] == pytest.approx(2 / 8)


def test_csv_is_plain_data_with_ids(run):
    out = run("compare", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows]
    assert set(rows[0]) >= {"rank", "id", "name", "score", "total", "technology", "risk",
                            "overrides"}
    assert all(1 <= float(r["technology"]) <= 5 for r in rows)


def test_markdown_is_a_github_table(run):
    out = run("compare", "--format", "markdown").stdout.splitlines()
    assert out[0].startswith("|") and "Rank" in out[0]
    assert set(out[1]) <= set("|-: ")
    assert len(out) == 2 + len(list(PROJECTS.glob("*.yaml")))


@pytest.mark.parametrize("fmt", ["grid", "rst", "html", "latex", "plain", "tsv", "psql"])
def test_any_tabulate_format(run, fmt):
    assert fmt in tabulate_formats()
    result = run("compare", "--format", fmt)
    assert result.exit_code == 0 and "Flux" in result.stdout


def test_japanese_labels(run):
    out = run("compare", "--lang", "ja", "--as-of", "2025-08-26", "--format", "markdown").stdout
    for word in ("順位", "プロジェクト", "技術", "総合点 /30",
                 "上位グループ（トップ層には未到達）"):
        assert word in out, word


def test_unknown_format_is_a_usage_error_with_suggestion(run):
    result = run("compare", "--format", "jsn")
    assert result.exit_code == 2
    assert "'jsn' is not a format (did you mean 'json'?)" in result.stderr


def test_bad_date_is_a_usage_error(run):
    result = run("compare", "--as-of", "26/08/2025")
    assert result.exit_code == 2
    assert "'26/08/2025' does not match the format '%Y-%m-%d'" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--weights", "techology=2"], "unknown axis 'techology' (did you mean 'technology'?)"),
    (["--weights", "technology=0,market_fit=0,token_economy=0,team_community=0,"
      "growth_strategy=0,risk=0"], "weights must not all be zero"),
    (["--profile", "balance"], "unknown profile 'balance' (did you mean 'balanced'?)"),
])  # fmt: skip
def test_weights_the_rubric_refuses_are_one_clear_error(run, args, message):
    result = run("compare", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(("value", "message"), [
    ("risk=-1", "the weight of risk must be a non-negative number, not -1"),
    ("risk=nan", "the weight of risk must be a non-negative number, not nan"),
    ("risk=1e400", "the weight of risk must be a non-negative number, not inf"),
    ("risk=x", "'x' (for risk) is not a number"),
    ("risk", "'risk' is not of the form axis=weight"),
    ("risk=1,risk=2", "axis 'risk' is given twice"),
    (",", "no weights given"),
])  # fmt: skip
def test_malformed_weights_are_usage_errors(run, value, message):
    result = run("compare", "--weights", value)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"Invalid value for '--weights': {message}" in result.stderr
