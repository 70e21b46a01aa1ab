"""`scorer sensitivity`: the four analyses, checked against `scorer compare` itself."""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture
def today(run):
    return json.loads(run("sensitivity", "--format", "json", "--samples", "4000").stdout)


def test_json_has_the_four_analyses_and_what_made_them(today):
    assert set(today) >= {"rubric", "as_of", "weights", "oat", "stability", "perturbation",
                          "monte_carlo", "verdict"}
    axes = set(today["weights"])
    assert set(today["oat"]) == axes == set(today["stability"])
    for axis, row in today["stability"].items():
        low, high = row["winner"]
        assert 0 <= low <= row["weight"] <= high <= 1, axis
    mc = today["monte_carlo"]
    assert (mc["samples"], mc["seed"], mc["concentration"]) == (4000, 0, None)
    for project, shares in mc["rank_acceptability"].items():
        assert sum(shares) == pytest.approx(1, abs=1e-5), project
        assert mc["first"][project] == shares[0]


def test_the_verdict_threshold_is_where_compare_changes_its_winner(run, today):
    critical = today["critical"]
    assert critical is not None
    winner, overtaker = critical["winner"], critical["overtaker"]
    assert today["verdict"].startswith(winner.capitalize())
    others = [a for a in today["weights"] if a != critical["axis"]]

    def first_with(weight: float) -> str:
        rest = (1 - weight) / len(others)
        spec = ",".join([f"{critical['axis']}={weight}", *(f"{a}={rest}" for a in others)])
        data = json.loads(run("compare", "--format", "json", "--weights", spec).stdout)
        return data["projects"][0]["id"]

    step = 0.01 if critical["direction"] == "above" else -0.01
    assert first_with(critical["threshold"] - step) == winner
    assert first_with(critical["threshold"] + step) == overtaker


def test_the_same_seed_prints_the_same_numbers(run):
    args = ("sensitivity", "--format", "json", "--samples", "2000", "--seed", "5")
    assert run(*args).stdout == run(*args).stdout
    other = run("sensitivity", "--format", "json", "--samples", "2000", "--seed", "6").stdout
    assert json.loads(other)["monte_carlo"] != json.loads(run(*args).stdout)["monte_carlo"]


def test_concentration_samples_around_the_chosen_weights(run):
    data = json.loads(run("sensitivity", "--format", "json", "--samples", "3000",
                          "--concentration", "2000", "--no-evidence").stdout)
    mc = data["monte_carlo"]
    assert mc["concentration"] == 2000
    winner = data["critical"]["winner"]
    assert mc["first"][winner] > 0.95  # close to the chosen weights, the winner stays first


def article(run, *options: str) -> dict:
    return json.loads(run("sensitivity", "--as-of", "2025-08-26", "--format", "json",
                          "--samples", "4000", *options).stdout)


def test_as_of_the_article_flux_leads_on_weights_alone(run):
    data = article(run, "--no-evidence")
    mc = data["monte_carlo"]
    assert mc["evidence"] is False and mc["confidence"] == {}
    assert max(mc["first"], key=mc["first"].get) == "flux"
    assert data["critical"]["winner"] == "flux"
    assert data["verdict"].startswith("Flux stays first unless the weight of")


def test_drawing_the_unknown_evidence_too_makes_first_place_less_sure(run):
    alone, both = article(run, "--no-evidence"), article(run)
    mc = both["monte_carlo"]
    assert mc["evidence"] is True
    assert mc["first"]["flux"] < alone["monte_carlo"]["first"]["flux"]
    assert set(mc["confidence"]) == {"flux", "akash", "render", "golem", "nosana"}
    assert all(share is None or 0 <= share <= 1 for share in mc["confidence"].values())
    assert "unknown or uncertain" in both["verdict"]
    names = ("Akash: ", "Render: ", "Flux: ", "Golem: ", "Nosana: ")
    for item in both["critical_evidence"]:
        assert set(item) == {"project", "criterion", "if", "effect"}
        assert item["if"].startswith(names)


def test_one_point_off_lists_rank_changes(today):
    for change in today["perturbation"]:
        assert change["changes"] and abs(change["delta"]) == 1
        for moved in change["changes"]:
            assert moved["from"] != moved["to"]


def test_table_shows_every_section(run):
    result = run("sensitivity", "--samples", "2000")
    assert result.exit_code == 0
    out = result.stdout
    for title in ("Stability: one weight at a time", "Rank acceptability (SMAA-2)",
                  "P(row ranked above column)", "Central weights", "One point off",
                  "seed 0"):
        assert title in out, title
    assert result.stderr == ""  # no progress bar outside a terminal


def test_japanese(run):
    out = run("sensitivity", "--samples", "1000", "--lang", "ja").stdout
    assert "首位" in out and "安定性" in out and "順位受容度" in out


@pytest.fixture(scope="module")
def thirty(tmp_path_factory) -> list[str]:
    """Options for a workspace of 30 dossiers (the scale benchmark's copies of the bundled
    ones): enough projects that some changes stay below a small top."""
    from bench.bench_scale import make_workspace

    folder = tmp_path_factory.mktemp("thirty")
    make_workspace(folder, 30)
    return ["--projects", str(folder / "projects"), "--rubric",
            str(folder / "rubrics/default.yaml"), "--samples", "300"]


def test_top_bounds_the_json_and_full_lists_everything(run, thirty):
    two = json.loads(run("sensitivity", *thirty, "--format", "json", "--top", "2").stdout)
    full = json.loads(run("sensitivity", *thirty, "--format", "json", "--full").stdout)
    assert (two["bounded"]["top"], two["bounded"]["full"]) == (2, False)
    assert full["bounded"]["full"] is True
    assert all(len(shares) == 2 for shares in two["monte_carlo"]["rank_acceptability"].values())
    assert all(len(shares) == 30
               for shares in full["monte_carlo"]["rank_acceptability"].values())
    every = [(m["project"], m["axis"], m["delta"]) for m in full["perturbation"]]
    listed = [(m["project"], m["axis"], m["delta"]) for m in two["perturbation"]]
    assert set(listed) < set(every)  # some moves change only ranks below the top two
    assert two["bounded"]["one_point_off"] == {
        "moves": full["bounded"]["one_point_off"]["moves"], "changing": len(every),
        "listed": len(listed)}
    for move in two["perturbation"]:
        assert move["changes"] and all(c["from"] <= 2 or c["to"] <= 2
                                       for c in move["changes"])
    for axis, counts in two["bounded"]["breakpoints"].items():
        assert counts["listed"] == len(two["oat"][axis]["breakpoints"]) < counts["all"]
        assert counts["all"] == len(full["oat"][axis]["breakpoints"])


def test_the_table_says_what_the_top_leaves_out(run, thirty):
    out = run("sensitivity", *thirty, "--top", "2").stdout
    assert re.search(r"\d+ more one-step changes move only projects ranked below 2\. "
                     r"--full lists them all\.", out)
    assert "28 more projects, ranked below 2. --full lists them all." in out
    full = run("sensitivity", *thirty, "--top", "2", "--full").stdout
    assert "ranked below 2" not in full
    assert len(full.splitlines()) > len(out.splitlines())


@pytest.mark.parametrize("args", [["--samples", "0"], ["--concentration", "0"],
                                  ["--concentration", "-1"], ["--format", "csv"],
                                  ["--top", "0"], ["--top", "two"]])
def test_bad_options_are_usage_errors(run, args):
    result = run("sensitivity", *args)
    assert result.exit_code == 2 and "Traceback" not in result.stderr


class _Terminal:
    """A stderr that says it is a terminal, and keeps what is written to it."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_progress_bar_appears_only_on_a_terminal_after_a_second(monkeypatch):
    from scorer.cli import options as cli_module

    now = [0.0]
    terminal = _Terminal()
    monkeypatch.setattr(cli_module.sys, "stderr", terminal)
    progress = cli_module.Progress()
    progress.clock, progress.start = (lambda: now[0]), 0.0
    progress(1, 10)
    assert progress.bar is None  # fast so far: no bar
    now[0] = 1.5
    progress(2, 10)
    assert progress.bar is not None
    assert progress.bar.tasks[0].completed == 2 and progress.bar.tasks[0].total == 10
    progress(10, 10)
    assert progress.bar.tasks[0].completed == 10
    progress.close()
    assert progress.bar.live.is_started is False


def test_no_progress_bar_in_a_pipe_however_long(monkeypatch):
    from scorer.cli import options as cli_module

    progress = cli_module.Progress()
    progress.clock = lambda: 1e9
    progress(1, 10)
    assert progress.bar is None
