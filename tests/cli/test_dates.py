"""Dates that cannot lie: today is the default, the future is refused unless forecast."""

from __future__ import annotations

import json

from click.testing import CliRunner

from scorer.cli import cli
from tests.cli.conftest import TODAY


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def add(folder, name: str, text: str) -> None:
    (folder / "projects" / name).write_text(text, encoding="utf-8")


def test_the_default_date_is_today_and_is_printed(folder):
    data = json.loads(run("compare", "--format", "json").stdout)
    assert data["as_of"] == TODAY
    assert f"as of {TODAY}" in run("compare").stdout


def test_an_observation_dated_after_today_is_refused_with_its_place(folder):
    add(folder, "typo.yaml", "id: typo\nname: Typo\nfacts:\n  network.active_nodes:\n"
                             "    {value: 40, as_of: 2027-02-01}\n")
    result = run("compare")
    assert result.exit_code == 1
    assert ("projects/typo.yaml:5:24: error: network.active_nodes: dated 2027-02-01, after "
            f"today ({TODAY}); a value for a future date is a projection") in result.stderr


def test_a_source_published_after_today_is_refused(folder):
    add(folder, "typo.yaml", "id: typo\nname: Typo\nsources:\n  s: {title: S, date: 2027-01-01}\n")
    result = run("validate")
    assert result.exit_code == 1
    assert "typo.yaml:4:23: error: source 's': dated 2027-01-01, after today" in result.stderr


def test_a_date_before_1900_is_a_typo(folder):
    add(folder, "typo.yaml", "id: typo\nname: Typo\nfacts:\n  tech.gpu_compute:\n"
                             "    {value: true, as_of: 1025-01-01}\n")
    result = run("validate")
    assert result.exit_code == 1 and "is before 1900: is the year right?" in result.stderr


def test_forecasts_count_only_when_asked(folder):
    add(folder, "future.yaml", "id: future\nname: Future\nfacts:\n  network.active_nodes:\n"
                               "    - {value: 500, as_of: 2026-01-01}\n"
                               "    - {value: 5000, as_of: 2028-01-01, forecast: true}\n")
    plain = json.loads(run("compare", "--format", "json", "--as-of", "2028-06-01").stdout)
    future = json.loads(run("compare", "--format", "json", "--as-of", "2028-06-01",
                            "--include-forecasts").stdout)
    scores = {doc: next(p for p in d["projects"] if p["id"] == "future")["axes"]["market_fit"]
              for doc, d in (("plain", plain), ("future", future))}
    assert scores == {"plain": 1, "future": 2}  # network-scale: 5,000 nodes only forecast


def test_a_new_dossier_no_longer_moves_anyone_else(folder):
    before = json.loads(run("compare", "--format", "json").stdout)
    assert run("new", "iexec", "--name", "iExec").exit_code == 0
    after = json.loads(run("compare", "--format", "json").stdout)
    assert after["as_of"] == before["as_of"] == TODAY
    totals = {p["id"]: p["total"] for p in after["projects"] if p["id"] != "iexec"}
    assert totals == {p["id"]: p["total"] for p in before["projects"]}


def test_validate_warns_of_stale_reviews_and_ids_that_are_not_the_file_name(folder):
    add(folder, "old.yaml", "id: older\nname: Old\nas_of: 2024-01-01\n")
    result = run("validate")
    assert result.exit_code == 0
    assert ("old.yaml:3:8: warning: dossier last reviewed 2024-01-01, 1,060 days before "
            f"{TODAY}") in result.stderr
    assert ("old.yaml:1:5: warning: id 'older' is not the file's name 'old.yaml'"
            in result.stderr)
