"""The bundled method: the default rubric reproduces the source analysis from facts."""

from __future__ import annotations

import re
from datetime import date

import pytest

from scorer.analysis import analyse
from scorer.loading import load_projects
from tests.conftest import DEFAULT_RUBRIC, PROJECTS

ARTICLE_DATE = date(2025, 8, 26)
ARTICLE_SCORES = {"technology": 4, "market_fit": 3, "token_economy": 4, "team_community": 4,
                  "growth_strategy": 3, "risk": 3}


@pytest.fixture(scope="module")
def dossiers(default_rubric):
    return load_projects(PROJECTS, default_rubric)


def test_flux_scores_21_of_30_as_the_source_analysis_did(default_rubric, dossiers):
    result = analyse(default_rubric, dossiers, as_of=ARTICLE_DATE, profile="balanced")
    assert result.scores.loc["flux"].to_dict() == ARTICLE_SCORES
    assert result.ranking.loc["flux", "total"] == pytest.approx(21.0)
    assert result.rubric.grade(21.0) == "Upper group, not yet top tier"
    assert result.rubric.grade(21.0, "ja") == "上位グループ（トップ層には未到達）"


def test_flux_21_comes_from_facts_and_rules_not_overrides(default_rubric, dossiers):
    flux = next(d for d in dossiers if d.id == "flux")
    assert flux.overrides == {}
    result = analyse(default_rubric, dossiers, as_of=ARTICLE_DATE)
    axes = result.axes[result.axes["project"] == "flux"]
    assert not axes["override"].any()
    assert (axes["computed"] == axes["score"]).all()


def test_what_changed_since_the_article_is_traceable_to_later_facts(default_rubric, dossiers):
    then = analyse(default_rubric, dossiers, as_of=ARTICLE_DATE)
    now = analyse(default_rubric, dossiers)
    assert now.as_of > ARTICLE_DATE
    assert now.ranking.loc["flux", "total"] < then.ranking.loc["flux", "total"]

    def outcomes(result):
        rows = result.criteria[result.criteria["project"] == "flux"]
        return rows.set_index("criterion")[["outcome", "points", "facts"]]

    before, after = outcomes(then), outcomes(now)
    changed = before.index[(before["outcome"] != after["outcome"]) |
                           (before["points"] != after["points"])]
    assert set(changed) >= {"fixed-cap", "emergency-powers", "recent-incident"}
    # every change reads a fact that has an observation dated after the article
    later = {row.fact for row in then.observations.itertuples()
             if row.project == "flux" and row.date is not None and row.date > ARTICLE_DATE}
    for criterion in changed:
        assert set(before.loc[criterion, "facts"]) & later, criterion


def test_no_rule_names_a_project(dossiers):
    text = DEFAULT_RUBRIC.read_text(encoding="utf-8").lower()
    for dossier in dossiers:
        for word in filter(None, (dossier.id, dossier.name, dossier.ticker)):
            assert not re.search(rf"\b{re.escape(word.lower())}\b", text), word


def test_every_criterion_says_why_in_one_line(default_rubric):
    for _, criterion in default_rubric.criteria():
        assert criterion.why and "\n" not in criterion.why, criterion.id


def test_the_bundled_dossiers_are_the_source_analysis_s_three_and_two_more(dossiers):
    assert sorted(d.id for d in dossiers) == ["akash", "flux", "golem", "nosana", "render"]
    for dossier in dossiers:
        for path, observations in dossier.facts.items():
            for obs in observations:
                assert obs.source, f"{dossier.id}: {path} has no source"
