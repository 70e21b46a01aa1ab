"""What a score could be: every range checked against brute-force enumeration, and the
chances and critical evidence against their definitions."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scorer
from scorer import uncertainty
from scorer.analysis import Analysis, analyse
from scorer.loading import load_dossier
from scorer.ranking import competition_rank
from tests.conftest import DEFAULT_RUBRIC, PROJECTS, cut_to_top

AS_OF = date(2025, 8, 26)


# ---------------------------------------------------------------- brute force


def brute_force(a: Analysis, ranks: bool = True) -> dict[str, dict]:
    """Every combination of the possible points of an axis's criteria gives the scores that
    axis can take; every combination of those across axes the totals a project can reach;
    every combination of the projects' totals the ranks each can take. (Axes share no
    criterion, so enumerating axis by axis is enumerating everything.)"""
    rubric, scale = a.rubric, a.rubric.scale
    weights = a.weights.reindex(list(rubric.axes)).to_numpy()
    out = {}
    for project in a.scores.index:
        rows = a.criteria[a.criteria["project"] == project]
        axes = a.axes[a.axes["project"] == project].set_index("axis")
        reachable = {}
        for axis in rubric.axes:
            mine = rows[rows["axis"] == axis]
            sums = {rubric.axes[axis].base + sum(choice)
                    for choice in itertools.product(*mine["possible"])}
            reachable[axis] = ({axes.at[axis, "score"]} if axes.at[axis, "override"]
                               else {scale.snap(x) for x in sums})
        totals = {round(float(np.dot(weights, scores)) * len(weights), 9)
                  for scores in itertools.product(*(sorted(reachable[x]) for x in rubric.axes))}
        out[project] = {"axes": {x: (min(v), max(v)) for x, v in reachable.items()},
                        "totals": sorted(totals)}
    ids = list(a.scores.index)
    if not ranks:
        return out
    ranks_seen: dict[str, set] = {p: set() for p in ids}
    for combo in itertools.product(*(out[p]["totals"] for p in ids)):
        for p, r in zip(ids, competition_rank(np.array(combo)), strict=True):
            ranks_seen[p].add(int(r))
    for p in ids:
        out[p]["ranks"] = (min(ranks_seen[p]), max(ranks_seen[p]))
    return out


def assert_ranges_exact(a: Analysis, ranks: bool = True) -> None:
    expected = brute_force(a, ranks)
    for project, want in expected.items():
        axes = a.axes[a.axes["project"] == project].set_index("axis")
        for axis, (low, high) in want["axes"].items():
            assert (axes.at[axis, "low"], axes.at[axis, "high"]) == (low, high), (project, axis)
        row = a.ranking.loc[project]
        assert row["total_low"] == pytest.approx(want["totals"][0])
        assert row["total_high"] == pytest.approx(want["totals"][-1])
        if ranks:
            assert (row["rank_best"], row["rank_worst"]) == want["ranks"], project
        assert row["total_low"] <= row["total"] + 1e-9 <= row["total_high"] + 2e-9


@pytest.mark.parametrize("as_of", [AS_OF, None])
def test_bundled_ranges_are_exactly_what_enumeration_finds(as_of):
    a = scorer.load(PROJECTS, DEFAULT_RUBRIC).analyse(as_of=as_of)
    assert (a.criteria["possible"].map(len) > 1).sum() > 10  # a real test: much is unknown
    assert_ranges_exact(a)


@pytest.mark.parametrize("as_of", [AS_OF, None])
def test_bundled_axis_and_total_ranges_under_unequal_weights(as_of):
    """Unequal weights give each project hundreds of distinct totals: enumerating every
    combination across five projects is out of reach, so ranks are checked above and on
    random dossiers below; axes and totals are enumerated here."""
    a = scorer.load(PROJECTS, DEFAULT_RUBRIC).analyse(as_of=as_of, profile="adoption")
    assert_ranges_exact(a, ranks=False)


def test_the_article_s_point_estimate_sits_inside_its_range():
    a = scorer.load(PROJECTS, DEFAULT_RUBRIC).analyse(as_of=AS_OF)
    low, high = a.ranking.loc["flux", ["total_low", "total_high"]].tolist()
    assert a.ranking.loc["flux", "total"] == 21  # the point estimate is the article's
    assert low < 21 < high  # what the article does not say, and what primary sources dispute


FACT = {
    "a.flag": st.booleans().map(lambda b: str(b).lower()),
    "a.count": st.one_of(st.integers(0, 300).map(str),
                         st.tuples(st.integers(0, 150), st.integers(0, 150)).map(
                             lambda t: f"{{low: {min(t)}, high: {max(t)}}}"),
                         st.integers(0, 200).map(lambda x: f"{{at_least: {x}}}")),
    "a.top": st.one_of(st.floats(0.5, 10).map(lambda x: f"{x:.2f}"),
                       st.tuples(st.floats(0.5, 10), st.floats(0.5, 10)).map(
                           lambda t: f"{{low: {min(t):.2f}, high: {max(t):.2f}}}")),
    "a.bottom": st.floats(1, 10).map(lambda x: f"{x:.2f}"),
    "a.kind": st.sampled_from(["x", "y"]),
    "b.since": st.integers(2010, 2025).map(str),
}


@st.composite
def dossier_text(draw: st.DrawFn, project: str) -> str:
    lines = [f"id: {project}", f"name: {project.upper()}", "facts:"]
    for fact in draw(st.lists(st.sampled_from(list(FACT)), unique=True)):
        value = draw(FACT[fact])
        if draw(st.booleans()) and fact != "a.kind":
            other = draw(FACT[fact])
            lines.append(f"  {fact}: {{value: {value}, alternatives: [{{value: {other}}}]}}")
        elif value.startswith("{"):
            lines.append(f"  {fact}: {{value: {value}}}")
        else:
            lines.append(f"  {fact}: {value}")
    if draw(st.booleans()):
        lines += ["overrides:", "  beta: {score: 4, reason: judged}"]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["p", "q", "r", "s"]), min_size=1, max_size=4, unique=True),
       st.data())
def test_random_dossiers_ranges_are_exact(tmp_path_factory, mini_rubric, ids, data):
    folder = tmp_path_factory.mktemp("d")
    dossiers = []
    for project in ids:
        path = folder / f"{project}.yaml"
        path.write_text(data.draw(dossier_text(project)), encoding="utf-8")
        dossiers.append(load_dossier(path, mini_rubric))
    profile = data.draw(st.sampled_from(["even", "alpha_heavy"]))
    assert_ranges_exact(analyse(mini_rubric, dossiers, as_of=AS_OF, profile=profile))


# ---------------------------------------------------------------- possible points


def analysed(write, mini_rubric, facts: str) -> Analysis:
    path = write("u.yaml", f"id: u\nname: U\nfacts:\n{facts}")
    return analyse(mini_rubric, [load_dossier(path, mini_rubric)], as_of=AS_OF)


def criterion(a: Analysis, name: str):
    return a.criteria.set_index("criterion").loc[name]


def test_a_range_that_straddles_bands_gives_every_band_between(write, mini_rubric):
    a = analysed(write, mini_rubric, "  a.count: {value: {low: 5, high: 150}}\n")
    count = criterion(a, "count")
    assert count["outcome"] == "uncertain" and count["possible"] == (0.0, 1.0, 2.0)
    assert count["points"] == 1.0  # the midpoint, 77, reaches the band of 10
    a = analysed(write, mini_rubric, "  a.count: {value: {low: 20, high: 90}}\n")
    assert criterion(a, "count")["outcome"] == "pass"  # inside one band: settled
    assert criterion(a, "count")["possible"] == (1.0,)


def test_alternatives_give_their_own_outcomes_not_those_between(write, mini_rubric):
    a = analysed(write, mini_rubric, "  a.count: {value: 5, alternatives: [{value: 150}]}\n")
    assert criterion(a, "count")["possible"] == (0.0, 2.0)  # never the band of 10 to 99


def test_a_floor_reaches_every_band_above_it(write, mini_rubric):
    a = analysed(write, mini_rubric, "  a.count: {value: {at_least: 50}}\n")
    count = criterion(a, "count")
    assert count["possible"] == (1.0, 2.0) and count["points"] == 1.0


@given(st.floats(0.5, 10), st.floats(0.5, 10), st.floats(1, 10))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
def test_possible_points_are_those_a_dense_sweep_of_the_range_finds(mini_rubric, x, y, bottom):
    low, high = sorted((round(x, 2), round(y, 2)))
    rule = next(r for r in scorer.analysis.compile_rubric(mini_rubric) if r.id == "ratio")
    candidates = {"a.top": ((low, low, high, "range", None),),
                  "a.bottom": ((bottom, None, None, None, None),)}
    swept = {rule.judge(rule.evaluate({"a.top": float(v), "a.bottom": bottom}, AS_OF))[1]
             for v in np.linspace(low, high, 2001)}
    assert set(rule.possible_points(candidates, AS_OF)) == swept


# ---------------------------------------------------------------- chances


def test_chances_follow_the_priors_and_the_ranges(write, mini_rubric):
    a = analysed(write, mini_rubric, "  a.count: {value: {low: 0, high: 40}}\n"
                                     "  a.top: 1\n")
    chances = uncertainty.distributions(a.rulebook, a.criteria, a.evidence, a.as_of, a.histories)
    table = chances.set_index("criterion")
    points, shares = table.loc["count", "points"], table.loc["count", "chances"]
    assert points == (0.0, 1.0)
    assert shares == pytest.approx((0.25, 0.75), abs=1 / 256)  # 10 of 40 below the band
    assert table.loc["flag", "chances"] == pytest.approx((0.5, 0.5))  # unknown: the prior
    bands = table.loc["age"]
    assert bands["points"] == (0.0, 1.0) and sum(bands["chances"]) == pytest.approx(1)


def test_a_criterion_can_set_its_own_prior(write, mini_rubric):
    flag = mini_rubric.axes["alpha"].criteria[0].model_copy(update={"unknown_pass": 0.9})
    alpha = mini_rubric.axes["alpha"].model_copy(
        update={"criteria": [flag, *mini_rubric.axes["alpha"].criteria[1:]]})
    rubric = mini_rubric.model_copy(update={"axes": {**mini_rubric.axes, "alpha": alpha},
                                            "unknown_pass": 0.2})
    path = write("p.yaml", "id: p\nname: P\n")
    a = analyse(rubric, [load_dossier(path, rubric)], as_of=AS_OF)
    table = uncertainty.distributions(a.rulebook, a.criteria, a.evidence, a.as_of, a.histories)
    table = table.set_index("criterion")
    assert table.loc["flag", "chances"] == pytest.approx((0.1, 0.9))  # (0 points, 2 points)
    assert table.loc["ratio", "chances"] == pytest.approx((0.8, 0.2))  # the rubric's 0.2


# ---------------------------------------------------------------- critical evidence


def test_critical_evidence_is_exactly_the_single_settlements_that_move_a_rank():
    a = scorer.load(PROJECTS, DEFAULT_RUBRIC).analyse(as_of=AS_OF)
    found = uncertainty.critical_evidence(a.rubric, a.criteria, a.axes, a.scores, a.weights)
    listed = {(r.project, r.criterion, r.points) for r in found.itertuples(index=False)}
    before = competition_rank(a.scores.to_numpy() @ a.weights.to_numpy())
    checked = 0
    for crit in a.criteria[a.criteria["possible"].map(len) > 1].itertuples(index=False):
        for points in crit.possible:
            criteria = a.criteria.copy()
            mask = (criteria["project"] == crit.project) & (criteria["criterion"] == crit.criterion)
            criteria.loc[mask, "points"] = points
            axes = scorer.engine.aggregate(a.rubric, criteria,
                                           scorer.engine.overrides_table(a.dossiers))
            scores = scorer.engine.score_matrix(axes, a.rubric, list(a.scores.index))
            after = competition_rank(scores.to_numpy() @ a.weights.to_numpy())
            moved = bool((after != before).any())
            assert ((crit.project, crit.criterion, points) in listed) == (
                moved and points != crit.points)
            checked += 1
    assert checked > 50 and len(listed) > 0


def critical_by_re_ranking(a: Analysis) -> list[tuple]:
    """The reference: every settlement's ranks, by re-ranking every project's score."""
    w = a.weights.reindex(a.scores.columns).to_numpy()
    base = a.scores.to_numpy() @ w
    before = competition_rank(base)
    keyed = a.axes.set_index(["project", "axis"])
    order, names = list(a.scores.index), list(a.scores.columns)
    rows = []
    for crit in a.criteria[a.criteria["possible"].map(len) > 1].itertuples(index=False):
        if keyed.at[(crit.project, crit.axis), "override"]:
            continue
        p, j = order.index(crit.project), names.index(crit.axis)
        for points in crit.possible:
            if points == crit.points:
                continue
            score = a.rubric.scale.snap(keyed.at[(crit.project, crit.axis), "raw"]
                                        - crit.points + points)
            values = base.copy()
            values[p] += w[j] * (score - a.scores.iat[p, j])
            after = competition_rank(values)
            if (after != before).any():
                rows.append((crit.project, crit.criterion, crit.axis, points,
                             tuple(order[i] for i in np.flatnonzero(after == 1)),
                             tuple((order[i], int(before[i]), int(after[i]))
                                   for i in np.flatnonzero(after != before))))
    return rows


@pytest.mark.parametrize("as_of", [AS_OF, date(2026, 11, 26)])
def test_critical_evidence_equals_re_ranking_each_settlement(as_of):
    a = scorer.load(PROJECTS, DEFAULT_RUBRIC).analyse(as_of=as_of)
    found = uncertainty.critical_evidence(a.rubric, a.criteria, a.axes, a.scores, a.weights)
    assert [tuple(r) for r in found.itertuples(index=False)] == critical_by_re_ranking(a)


@pytest.mark.parametrize("top", [1, 2, 4])
def test_critical_evidence_top_keeps_what_reaches_the_top(top):
    a = scorer.load(PROJECTS, DEFAULT_RUBRIC).analyse(as_of=AS_OF)
    every = critical_by_re_ranking(a)
    result = uncertainty.critical_evidence_top(a.rubric, a.criteria, a.axes, a.scores,
                                               a.weights, top)
    expected = cut_to_top(every, top)
    assert [tuple(r) for r in result.table.itertuples(index=False)] == expected
    assert result.changing == len(every) and result.settlements >= len(every)
    assert [tuple(r.values()) for r in result.rows(full=True)] == every
    assert len(list(result.rows())) == len(expected)


def test_rank_ranges_count_every_other_project_as_the_definition_says():
    rng = np.random.default_rng(3)
    for _ in range(300):
        n = int(rng.integers(0, 12))
        low = rng.integers(0, 6, n) / 2
        high = low + rng.integers(0, 4, n) / 2
        found = uncertainty.rank_ranges(pd.Series(low), pd.Series(high))
        for i in range(n):
            others = [j for j in range(n) if j != i]
            assert found["rank_best"].iat[i] == 1 + sum(low[j] > high[i] for j in others)
            assert found["rank_worst"].iat[i] == 1 + sum(high[j] > low[i] for j in others)


TREND_RUBRIC = """\
id: trends
version: 1
title: Trends
scale: {min: 1, max: 5, step: 1}
facts:
  n.nodes: {type: number, min: 0}
axes:
  health:
    label: Health
    base: 3
    criteria:
      - {id: exodus, when: "change(n.nodes, days=365) < -0.2", points: -1, why: Nodes gone.}
      - {id: many, when: n.nodes >= 50, points: 1, why: Many nodes.}
profiles:
  even: {health: 1}
default_profile: even
"""


def test_projects_with_the_same_values_share_chances_and_only_they(write):
    """Projects whose facts give the same values (of the same types) and whose trends look
    back to the same values have the same chances, computed once; a different history, or
    a value equal but of another type, is computed for itself: every project's chances are
    those it has when it is the only one."""
    from scorer.loading import load_rubric

    rubric = load_rubric(write("trends.yaml", TREND_RUBRIC))
    now = "{value: {low: 40, high: 90}, as_of: 2025-06-30}"
    dossiers = [load_dossier(write(f"{p}.yaml", f"id: {p}\nname: {p}\nfacts:\n  n.nodes:\n"
                                   f"    - {{value: {before}, as_of: 2024-06-01}}\n"
                                   f"    - {now}\n"), rubric)
                for p, before in (("a", 100), ("b", 100), ("c", 60), ("d", "100.0"))]
    a = analyse(rubric, dossiers, as_of=date(2025, 7, 1))
    together = uncertainty.distributions(a.rulebook, a.criteria, a.evidence, a.as_of,
                                         a.histories).set_index(["project", "criterion"])
    for project in "abcd":
        alone = analyse(rubric, [d for d in dossiers if d.id == project], as_of=a.as_of)
        own = uncertainty.distributions(alone.rulebook, alone.criteria, alone.evidence,
                                        alone.as_of, alone.histories)
        pd.testing.assert_frame_equal(
            together.loc[project].reset_index(), own.drop(columns="project"), check_exact=True)
    exodus = together.xs("exodus", level="criterion")["chances"]
    assert exodus["a"] == exodus["b"] == exodus["d"] != exodus["c"]  # 100 a year ago, or 60
