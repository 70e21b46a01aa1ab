"""`scorer explain`: every point traceable to a criterion and the facts it read."""

from __future__ import annotations

import json

import pytest

from scorer.i18n import t


@pytest.fixture
def flux(run):
    return json.loads(run("explain", "flux", "--format", "json", "--as-of", "2025-08-26").stdout)


def test_json_shape(flux):
    assert (flux["id"], flux["name"], flux["as_of"]) == ("flux", "Flux", "2025-08-26")
    assert flux["rubric"] == {"id": "default", "version": "2"}
    assert set(flux["axes"]) == {"technology", "market_fit", "token_economy", "team_community",
                                 "growth_strategy", "risk"}
    for axis in flux["axes"].values():
        assert {"score", "computed", "override", "criteria"} <= set(axis)
        for criterion in axis["criteria"]:
            assert {"id", "outcome", "points", "facts"} <= set(criterion)


def test_every_axis_score_is_its_base_plus_the_points_shown(flux):
    for axis in flux["axes"].values():
        points = sum(c["points"] for c in axis["criteria"])
        assert axis["computed"] == max(1, min(5, axis["base"] + points))
        assert axis["score"] == axis["computed"] and axis["override"] is None


def test_every_fact_read_carries_its_value_source_and_date(flux):
    for axis in flux["axes"].values():
        for criterion in axis["criteria"]:
            if criterion["outcome"] == "unknown":
                assert criterion["missing"] and criterion["points"] == 0
                continue
            assert criterion["facts"]
            for fact in criterion["facts"].values():
                assert fact["source"] and fact["as_of"] and "value" in fact


def test_locked_share_reads_the_article_s_share_and_names_its_source(flux):
    locked = next(c for c in flux["axes"]["token_economy"]["criteria"]
                  if c["id"] == "locked-share")
    assert locked["facts"]["token.staked_pct"]["value"] == 30.9
    assert locked["facts"]["token.staked_pct"]["source_title"].startswith("Flux(FLUX)")
    assert locked["outcome"] == "pass" and locked["points"] == 1


def test_table_names_criteria_outcomes_and_missing_facts(run):
    out = run("explain", "flux", "--as-of", "2025-08-26").stdout
    for word in ("Technology & uniqueness: 4", "useful-work", "applies", "does not apply",
                 "pass", "unknown", "not stated", "token.max_supply = 440,000,000",
                 "[article 2025-08-26]"):
        assert word in out, word


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_checks_say_whether_they_apply_and_bands_whether_they_pass(run, lang):
    data = json.loads(run("explain", "flux", "--format", "json").stdout)
    rows = run("explain", "flux", "--lang", lang).stdout.splitlines()
    said = {"check": {"pass": t("applies", lang), "fail": t("does_not_apply", lang)},
            "bands": {"pass": t("pass", lang), "fail": t("fail", lang)}}
    seen = set()
    for axis in data["axes"].values():
        for crit in axis["criteria"]:
            if crit["outcome"] in ("pass", "fail"):
                [row] = [line for line in rows if line.startswith(crit["id"] + " ")]
                assert row.split()[1:len(said[crit["kind"]][crit["outcome"]].split()) + 1] == \
                    said[crit["kind"]][crit["outcome"]].split(), row
                seen.add((crit["kind"], crit["outcome"]))
    assert seen == {("check", "pass"), ("check", "fail"), ("bands", "pass")}
    # a penalty that applies reads as one: emergency keys exist, and cost a point
    [row] = [line for line in rows if line.startswith("emergency-powers ")]
    assert row.split()[1:3] == [t("applies", lang), "-1"]


def test_fact_notes_are_shown_in_the_table(run):
    data = json.loads(run("explain", "flux", "--format", "json").stdout)
    out = " ".join(run("explain", "flux").stdout.split())
    notes = {fact["note"] for axis in data["axes"].values() for crit in axis["criteria"]
             for fact in crit["facts"].values() if fact["note"]}
    assert len(notes) > 20
    for note in notes:
        assert " ".join(note.split()) in out, note


def test_a_fact_note_is_shown_escaped(run, tmp_path):
    import shutil

    from tests.conftest import PROJECTS

    projects = tmp_path / "projects"
    shutil.copytree(PROJECTS, projects)
    flux = projects / "flux.yaml"
    text = flux.read_text("utf-8")
    assert "note: \"'No ICO and no premine'\"" in text
    flux.write_text(text.replace("note: \"'No ICO and no premine'\"",
                                 "note: \"No ICO\\e[2J\\u202e premine\""), "utf-8")
    out = run("explain", "flux", "--projects", str(projects)).stdout
    assert "No ICO\\x1b[2J\\u202e premine" in out
    assert "\x1b" not in out and "\u202e" not in out


def test_today_shows_the_later_facts(run):
    out = run("explain", "flux").stdout
    assert "token.max_supply = 560,000,000" in out and "flux-token 2025-10-26" in out


def test_japanese_labels(run):
    out = run("explain", "flux", "--lang", "ja").stdout
    assert "技術力・独自性" in out and "基準" in out


def test_unknown_project_is_one_clear_error(run):
    result = run("explain", "fluxx")
    assert result.exit_code == 1
    assert "unknown project 'fluxx' (did you mean 'flux'?)" in result.stderr


def test_an_override_is_shown_as_one_everywhere(run, tmp_path):
    import shutil

    from tests.conftest import PROJECTS

    projects = tmp_path / "projects"
    shutil.copytree(PROJECTS, projects)
    flux = projects / "flux.yaml"
    flux.write_text(flux.read_text("utf-8").replace(
        "overrides: {}", "overrides:\n  risk: {score: 1, reason: Emergency keys are a kill "
        "switch.}"), "utf-8")
    table = run("compare", "--projects", str(projects)).stdout
    flux_row = next(line for line in table.splitlines() if " Flux " in line)
    assert " 1*" in flux_row
    assert "* overridden by the analyst" in table
    out = run("explain", "flux", "--projects", str(projects)).stdout
    assert "Overall risk (higher = safer): 1 (override; computed 2) — Emergency keys are a " \
           "kill switch." in out
    data = json.loads(run("explain", "flux", "--projects", str(projects), "--format",
                          "json").stdout)
    assert data["axes"]["risk"]["override"] == {"score": 1,
                                                "reason": "Emergency keys are a kill switch."}
    assert data["axes"]["risk"]["computed"] == 2
