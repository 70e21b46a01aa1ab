"""Dates that move the world: one absurd date in one new dossier is a located error naming
that file alone, and a forecast, however far it may reach, moves neither the date of the
analysis nor any other project's score."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from click.testing import CliRunner

from scorer.cli import cli
from scorer.dates import FORECAST_YEARS, horizon
from tests.conftest import PROJECTS, ROOT

TODAY = "2026-11-26"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    shutil.copytree(PROJECTS, tmp_path / "projects")
    shutil.copytree(ROOT / "rubrics", tmp_path / "rubrics")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCORER_TODAY", TODAY)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def others(compared: dict) -> dict:
    """What the analysis says of each bundled project, ranks aside (a newcomer may take one)."""
    keep = ("score", "total", "grade", "coverage", "axes", "axes_range", "total_range")
    return {p["id"]: {k: p[k] for k in keep} for p in compared["projects"] if p["id"] != "zz"}


@pytest.mark.parametrize(("observation", "message"), [
    ("{value: 9000, as_of: 9999-12-31}", "dated 9999-12-31, after today (2026-11-26)"),
    ("{value: 9000, as_of: 9999-12-31, forecast: true}",
     f"a forecast dated 9999-12-31, more than {FORECAST_YEARS} years after today"),
    ("{value: 9000, as_of: 1899-12-31}", "as_of 1899-12-31 is before 1900"),
])  # fmt: skip
def test_one_absurd_date_is_a_located_error_naming_only_its_file(folder, observation, message):
    (folder / "projects" / "zz.yaml").write_text(
        f"id: zz\nname: ZZ\nfacts:\n  network.active_nodes: {observation}\n", "utf-8")
    for command in (["compare"], ["compare", "--include-forecasts"], ["history"], ["validate"]):
        result = run(*command)
        assert result.exit_code == 1, command
        assert result.stderr.startswith("projects/zz.yaml:4:") and message in result.stderr
        assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_a_far_forecast_moves_neither_the_date_nor_the_other_scores(folder):
    before = json.loads(run("compare", "--format", "json", "--include-forecasts").stdout)
    history = json.loads(run("history", "--format", "json", "--include-forecasts").stdout)
    last = horizon(date.fromisoformat(TODAY))
    (folder / "projects" / "zz.yaml").write_text(
        "id: zz\nname: ZZ\nfacts:\n  network.active_nodes:\n"
        f"    - {{value: 9000000, as_of: {last.isoformat()}, forecast: true}}\n", "utf-8")
    after = json.loads(run("compare", "--format", "json", "--include-forecasts").stdout)
    assert after["as_of"] == before["as_of"] == TODAY
    assert others(after) == others(before)
    moved = json.loads(run("history", "--format", "json", "--include-forecasts").stdout)
    assert moved["dates"] == history["dates"] and moved["dates"][-1] == TODAY


def test_the_horizon_is_a_hundred_years_ahead_even_from_29_february():
    assert FORECAST_YEARS == 100
    assert horizon(date(2024, 2, 29)) == date(2124, 2, 29)
    assert horizon(date(2028, 2, 29)) == date(2128, 2, 29)
    assert horizon(date(2025, 2, 28)) == date(2125, 2, 28)
    assert horizon(date(2000, 2, 29)) == date(2100, 2, 28)  # 2100 is not a leap year
