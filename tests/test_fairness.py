"""The bundled comparison is fair to newcomers: no hidden favourite, every axis can reach both
ends of the scale, every fact traceable to an address."""

from __future__ import annotations

import re

import pytest

import scorer
from tests.conftest import DEFAULT_RUBRIC, PROJECTS, ROOT

ARTICLE_DATE = "2025-08-26"
SUBJECT = "flux"  # the source analysis's own subject
SOURCE_ANALYSIS = "article"  # the one source with no address: the article itself


@pytest.fixture(scope="module")
def workspace() -> scorer.Workspace:
    return scorer.load(PROJECTS, DEFAULT_RUBRIC)


def rewards_only_the_subject_passes(workspace: scorer.Workspace, as_of: str | None) -> set[str]:
    a = workspace.analyse(as_of=as_of)
    found = set()
    for rule in a.rulebook:
        if max(rule.all_points()) <= 0:
            continue  # a penalty: passing it favours no one
        rows = a.criteria[a.criteria["criterion"] == rule.id]
        if set(rows.loc[rows["points"] > 0, "project"]) == {SUBJECT}:
            found.add(rule.id)
    return found


def readme_list_of_subject_only_criteria() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("Criteria only Flux passes", 1)[1].split("\n\n", 2)[1]
    return set(re.findall(r"`([a-z0-9-]+)`", section))


@pytest.mark.parametrize("as_of", [ARTICLE_DATE, None], ids=["article", "today"])
def test_no_reward_favours_the_subject_unless_the_method_says_why(workspace, as_of):
    favoured = rewards_only_the_subject_passes(workspace, as_of)
    rules = {rule.id: rule for rule in workspace.rulebook}
    unexplained = [c for c in favoured if "source analysis" not in rules[c].criterion.why]
    assert not unexplained, f"Flux alone passes {unexplained}; its why must say why"
    unlisted = favoured - readme_list_of_subject_only_criteria()
    assert not unlisted, f"Flux alone passes {unlisted}; the README must list it"
    assert len(workspace.dossiers) >= 5  # a fair test needs competitors to compare with


def test_every_axis_can_reach_both_ends_of_the_scale(workspace):
    scale = workspace.rubric.scale
    for axis, (low, high) in workspace.rulebook.reachable().items():
        assert (low, high) == (scale.min, scale.max), axis


def test_every_stated_fact_has_a_source_with_an_address(workspace):
    unsourced = []
    for dossier in workspace.dossiers:
        for path, observations in dossier.facts.items():
            for observation in observations:
                for candidate in observation.candidates:
                    source = dossier.sources.get(candidate.source) if candidate.source else None
                    if source is None or not (source.url or candidate.source == SOURCE_ANALYSIS):
                        unsourced.append(f"{dossier.id}: {path} ({candidate.source})")
    assert not unsourced, unsourced


def test_the_source_analysis_is_reproduced_from_its_own_claims(workspace):
    a = workspace.analyse(as_of=ARTICLE_DATE)
    assert a.scores.loc[SUBJECT].tolist() == [4, 3, 4, 4, 3, 3]
    assert a.ranking.loc[SUBJECT, "total"] == 21
