"""Sensitivity analysis, checked against brute force, closed forms and an independent sampler."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scorer.sensitivity as sensitivity
from scorer.ranking import competition_rank, rank
from scorer.sensitivity import (
    critical_change,
    monte_carlo,
    oat_breakpoints,
    oat_segments,
    oat_sweep,
    perturbation,
    sample_weights,
    stability,
)
from tests.conftest import cut_to_top

AXES = ["a", "b", "c", "d", "e"]
grid = np.linspace(0.0, 1.0, 20_001)  # the dense sweep: steps of 5·10⁻⁵
MARGIN = 1e-7  # where float rounding may still show a tie, next to an exact crossing


def matrix(rows: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=AXES[: len(rows[0])],
                        index=[f"p{i}" for i in range(len(rows))], dtype=float)


def even(scores: pd.DataFrame) -> pd.Series:
    return pd.Series(1 / scores.shape[1], index=scores.columns)


def oat_weights(weights: pd.Series, axis: str, ts: np.ndarray) -> np.ndarray:
    """The definition, written out: wₐ = t, the others (1 − t)·wⱼ / (1 − wₐ⁰), or equal."""
    w = weights.to_numpy(dtype=float)
    others = weights.index != axis
    rest = w[others]
    share = rest / rest.sum() if rest.sum() > 0 else np.full(rest.size, 1 / rest.size)
    grid = np.zeros((len(ts), len(w)))
    grid[:, ~others] = ts[:, None]
    grid[:, others] = (1 - ts)[:, None] * share[None, :]
    return grid


def sweep_values(scores: pd.DataFrame, weights: pd.Series, axis: str,
                 ts: np.ndarray = grid) -> np.ndarray:
    return oat_weights(weights, axis, ts) @ scores.to_numpy(dtype=float).T


def clear(values: np.ndarray) -> np.ndarray:
    """Grid points where no two projects are within rounding of a tie, unless they always are
    (near a crossing, scores equal to 9 decimals tie: the tie zone widens as lines flatten)."""
    gaps = np.abs(values[:, :, None] - values[:, None, :])
    apart = gaps.max(axis=0) > 1e-9  # pairs whose lines are not the same line
    return np.where(apart[None], gaps, np.inf).min(axis=(1, 2)) > 1e-8


def current_winner(scores: pd.DataFrame, weights: pd.Series) -> int:
    ranks = competition_rank(scores.to_numpy() @ weights.to_numpy())
    return int(np.flatnonzero(ranks == 1)[0])


@st.composite
def cases(draw, max_projects: int = 6, max_axes: int = 4):
    """A random integer score matrix and weights: random, with zeros, or all on one axis."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, m = draw(st.integers(2, max_projects)), draw(st.integers(2, max_axes))
    scores = matrix(rng.integers(1, 6, (n, m)).tolist())
    kind = draw(st.sampled_from(["random", "zero", "one"]))
    w = rng.dirichlet(np.ones(m))
    if kind == "zero":
        w[rng.integers(m)] = 0
    elif kind == "one":
        w = np.eye(m)[rng.integers(m)]
    return scores, pd.Series(w / w.sum(), index=scores.columns)


# ---------------------------------------------------------------- one at a time


@settings(max_examples=40, deadline=None)
@given(cases())
def test_breakpoints_are_exactly_where_a_dense_sweep_sees_ranks_change(case):
    scores, weights = case
    points = oat_breakpoints(scores, weights)
    assert list(points.columns) == ["axis", "t", "a", "b"]
    assert list(dict.fromkeys(points["axis"])) == [x for x in scores.columns
                                                   if x in set(points["axis"])]
    for axis in scores.columns:
        mine = points[points["axis"] == axis]
        exact = mine["t"].to_numpy()
        assert (np.diff(exact) >= 0).all() and ((exact >= 0) & (exact <= 1)).all()
        values = sweep_values(scores, weights, axis)
        seen = np.flatnonzero(clear(values))
        ranks = competition_rank(values[seen])
        for k in np.flatnonzero((ranks[1:] != ranks[:-1]).any(axis=1)):
            low, high = grid[seen[k]], grid[seen[k + 1]]
            assert ((exact >= low) & (exact <= high)).any(), (axis, low, high)  # a crossing
        for row in mine.itertuples():  # the named pair ties there, and swaps across it
            i, j = scores.index.get_loc(row.a), scores.index.get_loc(row.b)
            at = sweep_values(scores, weights, axis, np.array([row.t]))[0]
            assert at[i] == pytest.approx(at[j], abs=1e-9)
            below, above = grid < row.t - MARGIN, grid > row.t + MARGIN
            gap = values[:, i] - values[:, j]
            if below.any() and above.any():
                assert (np.sign(gap[below]) * np.sign(gap[above][0]) <= 0).all()


def test_a_breakpoint_is_solved_exactly():
    # p0 = (5, 1, 3), p1 = (1, 5, 3), w = (.2, .3, .5): on axis a, R = 2.25 and 3.75, and
    # 5t + 2.25(1 − t) = t + 3.75(1 − t) at t = 3/11
    scores = matrix([[5, 1, 3], [1, 5, 3]])
    weights = pd.Series([0.2, 0.3, 0.5], index=scores.columns)
    points = oat_breakpoints(scores, weights)
    on_a = points[points["axis"] == "a"]
    assert len(on_a) == 1 and on_a.iloc[0]["t"] == pytest.approx(3 / 11, abs=1e-15)
    assert (on_a.iloc[0]["a"], on_a.iloc[0]["b"]) == ("p0", "p1")
    # both score 3 on c, so they meet where c alone counts: t = 1, kept (t ∈ [0, 1])
    assert points.loc[points["axis"] == "c", "t"].tolist() == [1.0]


def test_parallel_and_identical_projects_never_cross():
    scores = matrix([[4, 2], [3, 1], [4, 2]])  # p0 − p1 = (1, 1): parallel lines; p2 = p0
    assert oat_breakpoints(scores, even(scores)).empty


@settings(max_examples=40, deadline=None)
@given(cases())
def test_segments_tile_the_axis_and_hold_the_ranking_seen_inside(case):
    scores, weights = case
    segments = oat_segments(scores, weights)
    for axis in scores.columns:
        mine = segments[segments["axis"] == axis]
        starts, ends = mine["start"].to_numpy(), mine["end"].to_numpy()
        assert starts[0] == 0 and ends[-1] == 1 and (starts[1:] == ends[:-1]).all()
        values = sweep_values(scores, weights, axis)
        seen = np.argsort(competition_rank(values), axis=1, kind="stable")  # best first
        sure = clear(values)
        for row in mine.itertuples():
            inside = (grid > row.start) & (grid < row.end) & sure
            expected = [scores.index.get_loc(p) for p in row.ranking]
            assert (seen[inside] == expected).all(), (axis, row.start, row.end)


def test_sweep_scores_and_ranks_follow_the_definition():
    scores = matrix([[5, 1, 3], [1, 5, 3], [3, 3, 3]])
    weights = pd.Series([0.2, 0.3, 0.5], index=scores.columns)
    table = oat_sweep(scores, weights, steps=11)
    assert list(table.columns) == ["axis", "t", "project", "score", "rank"]
    assert len(table) == 3 * 11 * 3
    for axis in scores.columns:
        mine = table[table["axis"] == axis]
        ts = np.linspace(0, 1, 11)
        want = sweep_values(scores, weights, axis, ts)
        np.testing.assert_allclose(mine["score"].to_numpy().reshape(11, 3), want)
        np.testing.assert_array_equal(mine["rank"].to_numpy().reshape(11, 3),
                                      competition_rank(want))


def test_a_weight_of_one_shares_the_rest_equally():
    scores = matrix([[5, 1, 3], [1, 5, 4]])
    weights = pd.Series([1.0, 0.0, 0.0], index=scores.columns)
    table = oat_sweep(scores, weights, steps=5)
    half = table[(table["axis"] == "a") & (table["t"] == 0.5)].set_index("project")["score"]
    assert half["p0"] == pytest.approx(0.5 * 5 + 0.25 * 1 + 0.25 * 3)
    assert half["p1"] == pytest.approx(0.5 * 1 + 0.25 * 5 + 0.25 * 4)
    # and the crossing: 5t + 2(1 − t) = t + 4.5(1 − t) at t = 2.5 / 6.5
    points = oat_breakpoints(scores, weights)
    assert points.loc[points["axis"] == "a", "t"].tolist() == pytest.approx([2.5 / 6.5])


# ---------------------------------------------------------------- stability


@settings(max_examples=40, deadline=None)
@given(cases())
def test_stability_intervals_are_exactly_what_a_dense_sweep_sees(case):
    scores, weights = case
    winner = current_winner(scores, weights)
    current = competition_rank(scores.to_numpy() @ weights.to_numpy())
    table = stability(scores, weights)
    assert list(table.index) == list(scores.columns)
    for axis, row in table.iterrows():
        assert row.weight == pytest.approx(weights[axis])
        assert 0 <= row.winner_low <= row.weight <= row.winner_high <= 1
        assert row.winner_low <= row.ranking_low <= row.weight <= row.ranking_high
        assert row.ranking_high <= row.winner_high
        values = sweep_values(scores, weights, axis)
        ranks, sure = competition_rank(values), clear(values)
        first = ranks[:, winner] == 1
        # first all through the winner interval, and nowhere outside it (lines cross once)
        assert first[(grid > row.winner_low + MARGIN) & (grid < row.winner_high - MARGIN)].all()
        assert not first[sure & (grid < row.winner_low)].any()
        assert not first[sure & (grid > row.winner_high)].any()
        same = (ranks == current).all(axis=1)
        assert same[sure & (grid > row.ranking_low) & (grid < row.ranking_high)].all()
        assert not same[sure & (grid < row.ranking_low)].any()
        assert not same[sure & (grid > row.ranking_high)].any()


def test_a_tie_at_the_current_weights_leaves_a_point_of_stability():
    scores = matrix([[4, 2], [2, 4]])  # tied at (.5, .5); p0 comes first in index order
    table = stability(scores, even(scores))
    assert table.loc["a"].tolist() == [0.5, 0.5, 1.0, 0.5, 0.5]
    assert table.loc["b"].tolist() == [0.5, 0.0, 0.5, 0.5, 0.5]
    found = critical_change(scores, even(scores))
    assert found is not None and found["distance"] == 0 and found["overtaker"] == "p1"


def test_a_dominating_project_is_stable_everywhere_and_always_first():
    scores = matrix([[5, 4, 5], [3, 4, 2], [1, 2, 3], [2, 2, 2]])
    weights = pd.Series([0.2, 0.5, 0.3], index=scores.columns)
    table = stability(scores, weights)
    assert (table["winner_low"] == 0).all() and (table["winner_high"] == 1).all()
    assert critical_change(scores, weights) is None
    mc = monte_carlo(scores, weights, samples=5_000, seed=3)
    assert mc.rank_acceptability.loc["p0", 1] == 1.0
    assert mc.first["p0"] == 1.0 and mc.expected_rank["p0"] == 1.0
    assert (mc.pairwise_win.loc["p0"].drop("p0") == 1.0).all()


def test_critical_change_names_the_axis_threshold_and_overtaker():
    # p0 leads on a, p1 on b: p0 stays first while w_a ≥ 0.5 (scores 4/2 vs 2/4)
    scores = matrix([[4, 2], [2, 4]])
    weights = pd.Series([0.7, 0.3], index=scores.columns)
    found = critical_change(scores, weights)
    assert found == {"axis": "a", "weight": pytest.approx(0.7), "threshold": pytest.approx(0.5),
                     "direction": "below", "distance": pytest.approx(0.2), "winner": "p0",
                     "overtaker": "p1"}


def test_the_overtaker_is_the_rival_first_just_past_the_threshold():
    # at w_a = 0.5 p0 (4, 2) ties with both p1 (2, 4) and p2 (1, 5); below it, p2 climbs faster
    scores = matrix([[4, 2], [2, 4], [1, 5], [3, 3]])
    weights = pd.Series([0.8, 0.2], index=scores.columns)
    found = critical_change(scores, weights)
    assert found is not None
    assert (found["threshold"], found["overtaker"]) == (pytest.approx(0.5), "p2")


@settings(max_examples=40, deadline=None)
@given(cases())
def test_critical_change_is_the_nearest_loss_of_first_place_in_a_dense_sweep(case):
    scores, weights = case
    winner = current_winner(scores, weights)
    nearest = math.inf
    for axis in scores.columns:
        values = sweep_values(scores, weights, axis)
        lost = (competition_rank(values)[:, winner] > 1) & clear(values)
        if lost.any():
            nearest = min(nearest, np.abs(grid[lost] - weights[axis]).min())
    found = critical_change(scores, weights)
    if found is None:
        assert nearest == math.inf
        return
    assert found["winner"] == scores.index[winner]
    assert found["distance"] <= nearest + MARGIN  # no change nearer loses first place
    sign = 1 if found["direction"] == "above" else -1
    assert found["threshold"] == pytest.approx(found["weight"] + sign * found["distance"])
    assert found["threshold"] > 0 if sign < 0 else found["threshold"] < 1
    # and just past the threshold, the overtaker is strictly first
    just_past = np.array([found["threshold"] + sign * 1e-6])
    values = sweep_values(scores, weights, found["axis"], just_past)[0]
    overtaker = scores.index.get_loc(found["overtaker"])
    assert values[overtaker] > values[winner]
    assert values[overtaker] >= values.max() - 1e-12


# ---------------------------------------------------------------- perturbation


def test_perturbation_finds_the_one_point_that_swaps_two_projects():
    scores = matrix([[4, 3], [3, 3]])
    table = perturbation(scores, even(scores))
    assert list(table.columns) == ["project", "axis", "delta", "rank_before", "rank_after",
                                   "changes"]
    row = table.set_index(["project", "axis", "delta"])
    assert row.loc[("p0", "a", -1.0), "rank_after"] == 1  # 3/3 vs 3/3: now a tie for first
    assert row.loc[("p0", "a", -1.0), "changes"] == (("p1", 2, 1),)
    assert row.loc[("p1", "a", 1.0), "changes"] == (("p1", 2, 1),)  # 4/3 ties 4/3: both first
    assert row.loc[("p0", "b", 1.0), "changes"] == ()  # p0 only widens its lead


def test_perturbation_reports_nothing_when_one_point_cannot_matter():
    scores = matrix([[5, 5], [1, 1]])
    table = perturbation(scores, even(scores))
    assert all(len(c) == 0 for c in table["changes"])
    assert (table["rank_before"] == table["rank_after"]).all()
    assert sorted(zip(table["project"], table["delta"], strict=True)) == [
        ("p0", -1.0), ("p0", -1.0), ("p1", 1.0), ("p1", 1.0)]  # moves off the scale skipped


def test_perturbation_agrees_with_ranking_the_changed_matrix():
    rng = np.random.default_rng(6)
    scores = matrix(rng.integers(1, 6, (6, 4)).tolist())
    weights = pd.Series(rng.dirichlet(np.ones(4)), index=scores.columns)
    before = rank(scores, weights)["rank"]
    table = perturbation(scores, weights)
    assert len(table) == sum(int(1 <= v + d <= 5) for v in scores.to_numpy().ravel()
                             for d in (1, -1))
    for row in table.itertuples():
        changed = scores.copy()
        changed.loc[row.project, row.axis] += row.delta
        after = rank(changed, weights)["rank"]
        assert row.rank_before == before[row.project] and row.rank_after == after[row.project]
        moved = tuple((p, before[p], after[p]) for p in scores.index if before[p] != after[p])
        assert row.changes == moved


# ---------------------------------------------------------------- Monte Carlo


def simplex_share(d: np.ndarray) -> float:
    """P(w·d > 0) for w uniform on the simplex, d with distinct components (closed form)."""
    m = len(d)
    return sum(max(di, 0.0) ** (m - 1) / math.prod(di - dj for j, dj in enumerate(d) if j != i)
               for i, di in enumerate(d))


def test_the_closed_form_is_right_where_it_is_obvious():
    assert simplex_share(np.array([1.0, -1.0])) == pytest.approx(0.5)  # w₁ > w₂
    assert simplex_share(np.array([1.0, 2.0, 3.0])) == pytest.approx(1.0)  # always positive
    assert simplex_share(np.array([-1.0, -2.0, 0.5])) == pytest.approx(0.0, abs=0.25)


@pytest.mark.parametrize("rows", [
    [[5, 1, 3], [2, 4, 1]],
    [[2, 5, 1, 4], [4, 1, 2, 2]],
    [[3, 3.5, 1], [1, 2, 4]],
    [[1, 5, 2, 3, 4], [4, 1, 4, 2.5, 1.5]],
])  # fmt: skip
def test_two_project_acceptability_matches_the_closed_form(rows):
    scores = matrix(rows)
    d = scores.iloc[0].to_numpy() - scores.iloc[1].to_numpy()
    expected = simplex_share(d)
    samples = 200_000
    mc = monte_carlo(scores, even(scores), samples=samples, seed=11)
    error = math.sqrt(expected * (1 - expected) / samples)
    assert mc.pairwise_win.loc["p0", "p1"] == pytest.approx(expected, abs=4 * error)
    assert mc.pairwise_win.loc["p1", "p0"] == pytest.approx(1 - expected, abs=4 * error)
    assert mc.first["p0"] == pytest.approx(expected, abs=4 * error)


def brute_force(scores: pd.DataFrame, weights: pd.Series, samples: int, seed: int,
                concentration: float | None = None):
    """Rank every sample one matrix at a time with `competition_rank`."""
    sampled = sample_weights(np.random.default_rng(seed), samples, weights.to_numpy(),
                             concentration)
    return sampled, competition_rank(sampled @ scores.to_numpy().T)


@pytest.mark.parametrize("concentration", [None, 20.0])
def test_every_table_agrees_with_ranking_each_sample(concentration):
    rng = np.random.default_rng(5)
    scores = matrix([*rng.integers(1, 6, (12, 4)).tolist(), [3, 3, 3, 3], [3, 3, 3, 3]])
    weights = pd.Series([0.4, 0.3, 0.3, 0.0], index=scores.columns)
    n, samples = len(scores), 3_000
    mc = monte_carlo(scores, weights, samples=samples, seed=9, concentration=concentration,
                     pairwise_limit=8)
    sampled, ranks = brute_force(scores, weights, samples, 9, concentration)
    brute = np.stack([np.bincount(ranks[:, k] - 1, minlength=n) for k in range(n)]) / samples
    np.testing.assert_array_equal(mc.rank_acceptability.to_numpy(), brute)
    picked = [scores.index.get_loc(p) for p in mc.pairwise_projects]
    above = (ranks[:, picked, None] < ranks[:, None, picked]).mean(axis=0)
    np.fill_diagonal(above, np.nan)
    np.testing.assert_array_equal(mc.pairwise_win.to_numpy(), above)
    for k, project in enumerate(scores.index):
        firsts = ranks[:, k] == 1
        if firsts.any():
            np.testing.assert_allclose(mc.central_weights.loc[project],
                                       sampled[firsts].mean(axis=0), atol=1e-9)
        else:
            assert mc.central_weights.loc[project].isna().all()


def test_ties_share_the_better_rank_in_every_sample(monkeypatch):
    # weights that make different projects tie exactly, and two identical projects
    scores = matrix([[1, 3], [3, 1], [2, 2], [2, 2], [1, 1]])
    fixed = np.array([[0.5, 0.5], [0.25, 0.75], [0.75, 0.25], [0.5, 0.5]])

    def draws(rng, count, weights, concentration):
        return fixed[rng.integers(0, len(fixed), count)]

    monkeypatch.setattr(sensitivity, "sample_weights", draws)
    mc = monte_carlo(scores, even(scores), samples=500, seed=2, workers=1)
    index = np.random.default_rng(2).integers(0, len(fixed), 500)
    ranks = competition_rank(fixed[index] @ scores.to_numpy().T)
    brute = np.stack([np.bincount(ranks[:, k] - 1, minlength=5) for k in range(5)]) / 500
    np.testing.assert_array_equal(mc.rank_acceptability.to_numpy(), brute)
    acceptability = mc.rank_acceptability
    assert acceptability.loc["p2"].equals(acceptability.loc["p3"])
    assert acceptability.loc["p3", 3] == 0  # p2 and p3 always tie: they share the better rank
    assert acceptability.loc["p4", 5] == 1 and acceptability[1].sum() > 1  # shared firsts
    above = (ranks[:, :, None] < ranks[:, None, :]).mean(axis=0)
    np.fill_diagonal(above, np.nan)
    np.testing.assert_array_equal(mc.pairwise_win.to_numpy(), above)
    assert mc.pairwise_win.loc["p2", "p3"] == 0 == mc.pairwise_win.loc["p3", "p2"]


def test_acceptability_rows_sum_to_one_and_summaries_follow_from_them():
    rng = np.random.default_rng(2)
    scores = matrix(rng.integers(1, 6, (9, 3)).tolist())
    mc = monte_carlo(scores, even(scores), samples=4_000, seed=1)
    acceptability = mc.rank_acceptability
    assert list(acceptability.columns) == list(range(1, 10))
    np.testing.assert_allclose(acceptability.sum(axis=1), 1.0)
    np.testing.assert_allclose(mc.expected_rank, (acceptability * np.arange(1, 10)).sum(axis=1))
    assert mc.first.equals(acceptability[1].rename("first"))
    pairs = mc.pairwise_win.to_numpy()
    assert np.isnan(np.diag(pairs)).all()
    off = ~np.eye(len(pairs), dtype=bool)
    assert ((pairs + pairs.T)[off] <= 1 + 1e-12).all()


def frames(mc) -> list:
    return [mc.rank_acceptability, mc.expected_rank, mc.first, mc.pairwise_win,
            mc.central_weights]


@pytest.mark.parametrize("concentration", [None, 0.05, 30.0])
def test_same_seed_same_numbers_whatever_the_chunk_size_and_workers(concentration):
    rng = np.random.default_rng(4)
    scores = matrix(rng.integers(1, 6, (30, 4)).tolist())
    weights = pd.Series([0.1, 0.2, 0.3, 0.4], index=scores.columns)
    runs = [monte_carlo(scores, weights, samples=5_000, seed=7, concentration=concentration,
                        chunk_size=chunk, workers=workers)
            for chunk, workers in [(None, None), (1, 1), (333, 2), (4_999, 3), (10**6, 1)]]
    for other in runs[1:]:
        for a, b in zip(frames(runs[0]), frames(other), strict=True):
            assert a.equals(b)
    different = monte_carlo(scores, weights, samples=5_000, seed=8, concentration=concentration)
    assert not runs[0].rank_acceptability.equals(different.rank_acceptability)
    assert (runs[0].samples, runs[0].seed, runs[0].concentration) == (5_000, 7, concentration)


def test_progress_is_reported_after_each_chunk():
    scores = matrix([[1, 2, 3], [3, 2, 1], [2, 2, 2]])
    calls: list[tuple[int, int]] = []
    monte_carlo(scores, even(scores), samples=100_000, chunk_size=30_000,
                progress=lambda done, total: calls.append((done, total)))
    assert len(calls) >= 2 and calls[-1] == (100_000, 100_000)
    assert all(total == 100_000 for _, total in calls)
    assert [done for done, _ in calls] == sorted({done for done, _ in calls})


def test_pairwise_wins_cover_the_best_ranked_projects_up_to_the_limit():
    rng = np.random.default_rng(8)
    scores = matrix(rng.integers(1, 6, (40, 4)).tolist())
    weights = even(scores)
    mc = monte_carlo(scores, weights, samples=500, pairwise_limit=10)
    best = pd.Series(competition_rank(scores.to_numpy() @ weights.to_numpy()), scores.index)
    assert len(mc.pairwise_projects) == 10 and mc.pairwise_limit == 10
    assert list(mc.pairwise_win.index) == list(mc.pairwise_projects)
    assert list(mc.pairwise_projects) == [p for p in scores.index if p in mc.pairwise_projects]
    assert best[list(mc.pairwise_projects)].max() <= best.sort_values().iloc[9]
    everyone = monte_carlo(scores, weights, samples=500, pairwise_limit=None)
    assert everyone.pairwise_projects == tuple(scores.index)
    small = monte_carlo(scores.iloc[:5], weights, samples=500)
    assert small.pairwise_projects == tuple(scores.index[:5])  # n ≤ the limit: all of them


def ks_statistic(x: np.ndarray, y: np.ndarray) -> float:
    grid = np.sort(np.concatenate([x, y]))
    fx = np.searchsorted(np.sort(x), grid, side="right") / len(x)
    fy = np.searchsorted(np.sort(y), grid, side="right") / len(y)
    return float(np.abs(fx - fy).max())


@pytest.mark.parametrize("m", [2, 3, 6])
def test_uniform_sampling_matches_an_independent_simplex_sampler(m):
    n = 20_000
    ours = sample_weights(np.random.default_rng(1), n, np.full(m, 1 / m), None)
    np.testing.assert_allclose(ours.sum(axis=1), 1.0)
    assert (ours >= 0).all()
    sd = math.sqrt((m - 1) / (m * m * (m + 1)) / n)  # Dirichlet(1,…,1) marginal variance
    np.testing.assert_allclose(ours.mean(axis=0), 1 / m, atol=4 * sd)
    cuts = np.sort(np.random.default_rng(2).random((n, m - 1)), axis=1)  # uniform spacings
    theirs = np.diff(np.concatenate([np.zeros((n, 1)), cuts, np.ones((n, 1))], axis=1), axis=1)
    critical = 1.628 * math.sqrt(2 / n)  # two-sample Kolmogorov–Smirnov, 1 % level
    assert ks_statistic(ours[:, 0], theirs[:, 0]) < critical


def test_the_ks_check_can_tell_a_wrong_sampler():
    n, m = 20_000, 3
    wrong = np.random.default_rng(1).random((n, m))
    wrong /= wrong.sum(axis=1, keepdims=True)  # normalised uniforms: not uniform on the simplex
    cuts = np.sort(np.random.default_rng(2).random((n, m - 1)), axis=1)
    theirs = np.diff(np.concatenate([np.zeros((n, 1)), cuts, np.ones((n, 1))], axis=1), axis=1)
    assert ks_statistic(wrong[:, 0], theirs[:, 0]) > 1.628 * math.sqrt(2 / n)


def test_dirichlet_centres_on_the_chosen_weights_and_tightens_with_concentration():
    w = np.array([0.5, 0.3, 0.2, 0.0])
    spread = []
    for k in (10, 100, 1_000):
        draws = sample_weights(np.random.default_rng(1), 20_000, w, k)
        np.testing.assert_allclose(draws.sum(axis=1), 1.0)
        np.testing.assert_allclose(draws.mean(axis=0), w, atol=4 * 0.5 / math.sqrt(20_000 * k))
        assert (draws[:, 3] == 0).all()
        spread.append(np.abs(draws - w).mean())
    assert spread[0] > spread[1] > spread[2]


def test_centred_sampling_pulls_the_analysis_towards_the_chosen_ranking():
    scores = matrix([[4, 2], [2, 4]])
    weights = pd.Series([0.7, 0.3], index=scores.columns)
    loose = monte_carlo(scores, weights, samples=20_000, concentration=2)
    tight = monte_carlo(scores, weights, samples=20_000, concentration=200)
    assert loose.first["p0"] < tight.first["p0"]
    assert tight.first["p0"] > 0.99  # at K = 200, w_a < 0.5 is about 5 standard deviations off
    np.testing.assert_allclose(tight.central_weights.loc["p0"], [0.7, 0.3], atol=0.01)


def test_bad_arguments_are_refused():
    scores = matrix([[1, 2], [2, 1]])
    for kwargs in ({"samples": 0}, {"concentration": 0}, {"concentration": float("nan")},
                   {"chunk_size": 0}, {"pairwise_limit": 0}):
        with pytest.raises(ValueError):
            monte_carlo(scores, even(scores), **kwargs)
    with pytest.raises(ValueError, match="weight"):
        stability(scores, pd.Series([1.0], index=["a"]))
    with pytest.raises(ValueError, match="non-negative"):
        oat_breakpoints(scores, pd.Series([-1.0, 2.0], index=scores.columns))


# ---------------------------------------------------------------- bounded, at any size


def tiled_perturbation(scores: pd.DataFrame, weights: pd.Series) -> list[tuple]:
    """Every one-point move, ranked by re-ranking the whole changed matrix (the reference)."""
    w = weights.to_numpy() / weights.sum()
    before = competition_rank(scores.to_numpy() @ w)
    rows = []
    for i, project in enumerate(scores.index):
        for j, axis in enumerate(scores.columns):
            for delta in (1.0, -1.0):
                if not 1 <= scores.iat[i, j] + delta <= 5:
                    continue
                moved = scores.to_numpy().copy()
                moved[i, j] += delta
                values = scores.to_numpy() @ w
                values[i] = moved[i] @ w
                after = competition_rank(values)
                rows.append((project, axis, delta, int(before[i]), int(after[i]), tuple(
                    (scores.index[q], int(before[q]), int(after[q]))
                    for q in np.flatnonzero(after != before))))
    return rows


@settings(max_examples=60, deadline=None)
@given(cases(max_projects=12))
def test_perturbation_equals_re_ranking_every_move(case):
    scores, weights = case
    assert [tuple(r) for r in perturbation(scores, weights).itertuples(index=False)] == (
        tiled_perturbation(scores, weights))


@settings(max_examples=60, deadline=None)
@given(cases(max_projects=12), st.integers(1, 4))
def test_one_point_off_keeps_the_moves_that_reach_the_top(case, top):
    scores, weights = case
    every = tiled_perturbation(scores, weights)
    result = sensitivity.one_point_off(scores, weights, top=top)
    expected = cut_to_top(every, top)
    assert [tuple(r) for r in result.table.itertuples(index=False)] == expected
    assert (result.moves, result.changing) == (len(every), sum(1 for r in every if r[-1]))
    assert [tuple(r.values()) for r in result.rows(full=True)] == every
    assert [tuple(r.values()) for r in result.rows()] == expected


def rank_at(scores: pd.DataFrame, weights: pd.Series, axis: str, t: float, a: str,
            b: str) -> int:
    """1 + the projects strictly above a and b where they cross (rounded as ranks are)."""
    s, w = scores.to_numpy(), weights.to_numpy() / weights.sum()
    j = list(scores.columns).index(axis)
    others = np.delete(np.arange(len(w)), j)
    share = w[others] / w[others].sum() if w[others].sum() > 0 else np.full(len(others),
                                                                            1 / len(others))
    line = (1 - t) * (s[:, others] @ share) + t * s[:, j]
    values = np.round(line, 9)
    pair = max(values[scores.index.get_loc(a)], values[scores.index.get_loc(b)])
    return 1 + int((values > pair).sum())


@settings(max_examples=60, deadline=None)
@given(cases(max_projects=12), st.integers(1, 4))
def test_crossings_keep_the_breakpoints_that_reach_the_top(case, top):
    scores, weights = case
    every = oat_breakpoints(scores, weights)
    result = sensitivity.crossings(scores, weights, top=top)
    assert result.counts.to_dict() == {x: int((every["axis"] == x).sum()) for x in scores.columns}
    streamed = pd.DataFrame(list(result.rows(full=True)), columns=["axis", "t", "a", "b"])
    pd.testing.assert_frame_equal(streamed.astype({"t": float}), every)
    # each row stands for every pair of projects on its two lines
    expected = {(r.axis, round(r.t, 9), r.a, r.b) for r in every.itertuples()
                if rank_at(scores, weights, r.axis, r.t, r.a, r.b) <= top}
    found = set()
    for r in result.table.itertuples():
        assert r.rank == rank_at(scores, weights, r.axis, r.t, r.a, r.b) <= top
        same = [every[(every["axis"] == r.axis) & (abs(every["t"] - r.t) < 1e-12)
                      & ((every["a"] == p) | (every["b"] == p))] for p in (r.a, r.b)]
        assert all(len(rows) for rows in same)
        pairs = every[(every["axis"] == r.axis) & (abs(every["t"] - r.t) < 1e-12)]
        found |= {(r.axis, round(r.t, 9), p.a, p.b) for p in pairs.itertuples()
                  if rank_at(scores, weights, r.axis, r.t, p.a, p.b) == r.rank}
    assert found == expected
    assert (result.table["tied_a"] >= 1).all() and (result.table["tied_b"] >= 1).all()


@settings(max_examples=40, deadline=None)
@given(cases(max_projects=12), st.integers(1, 4))
def test_bounded_segments_hold_the_top_ranking_seen_inside(case, top):
    scores, weights = case
    s, w = sensitivity._arrays(scores, weights)
    result = sensitivity.crossings(scores, weights, top=top)
    for axis, rows in result.segments.groupby("axis", sort=False):
        assert rows["start"].iloc[0] == 0 and rows["end"].iloc[-1] == 1
        assert (rows["start"].iloc[1:].to_numpy() == rows["end"].iloc[:-1].to_numpy()).all()
        intercept, slope = sensitivity._lines(s, w, list(scores.columns).index(axis))
        for row in rows.itertuples():
            for t in np.linspace(row.start, row.end, 7)[1:-1]:
                ranks = competition_rank(intercept + t * slope)
                order = np.argsort(ranks, kind="stable")
                assert tuple(scores.index[order[ranks[order] <= top]]) == row.ranking


@pytest.mark.parametrize("n", [0, 1, 2, 5, 40])
@pytest.mark.parametrize("pairs", [1, 3, 50, 10_000])
def test_pair_blocks_visit_every_pair_once_in_order(n, pairs):
    blocks = list(sensitivity._pair_blocks(n, pairs))
    i = np.concatenate([b[0] for b in blocks]) if blocks else np.zeros(0, dtype=int)
    j = np.concatenate([b[1] for b in blocks]) if blocks else np.zeros(0, dtype=int)
    expected = np.triu_indices(n, 1)
    assert (i == expected[0]).all() and (j == expected[1]).all()


@settings(max_examples=30, deadline=None)
@given(cases(max_projects=10))
def test_stability_and_counts_are_the_same_a_few_pairs_at_a_time(case):
    scores, weights = case
    whole = stability(scores, weights)
    counts = sensitivity.crossings(scores, weights, 2).counts
    blocks = sensitivity._pair_blocks
    sensitivity._pair_blocks = lambda n, pairs=2: blocks(n, 2)
    try:
        pd.testing.assert_frame_equal(stability(scores, weights), whole)
        pd.testing.assert_series_equal(sensitivity.crossings(scores, weights, 2).counts, counts)
    finally:
        sensitivity._pair_blocks = blocks


@pytest.mark.parametrize("ranks", [1, 3, 7, 100])
def test_monte_carlo_ranks_keeps_the_first_ranks_and_exact_expected_ranks(ranks):
    rng = np.random.default_rng(4)
    scores = matrix(rng.integers(1, 6, (30, 4)).tolist())
    scores.iloc[5] = scores.iloc[3]  # identical projects: one group of two
    whole = monte_carlo(scores, even(scores), samples=3_000, seed=5)
    bounded = monte_carlo(scores, even(scores), samples=3_000, seed=5, ranks=ranks)
    pd.testing.assert_frame_equal(bounded.rank_acceptability,
                                  whole.rank_acceptability.iloc[:, :ranks])
    pd.testing.assert_series_equal(bounded.expected_rank, whole.expected_rank, atol=1e-12)
    pd.testing.assert_frame_equal(bounded.central_weights, whole.central_weights)
    pd.testing.assert_frame_equal(bounded.pairwise_win, whole.pairwise_win)


def test_oat_sweep_top_lists_the_projects_ranked_top_or_better():
    scores = matrix([[5, 1], [1, 5], [3, 3], [2, 2], [3, 3]])
    weights = pd.Series([0.5, 0.5], index=scores.columns)
    every = oat_sweep(scores, weights)
    top = oat_sweep(scores, weights, top=1)
    assert set(top["project"]) == {"p0", "p1", "p2", "p4"}  # all tied at 3.0: rank 1
    assert set(oat_sweep(scores, weights, top=4)["project"]) == {"p0", "p1", "p2", "p4"}
    assert set(oat_sweep(scores, weights, top=5)["project"]) == set(scores.index)
    pd.testing.assert_frame_equal(
        top.reset_index(drop=True),
        every[every["project"].isin(top["project"])].reset_index(drop=True))


def test_bounded_report_bounds_every_analysis_to_the_top():
    rng = np.random.default_rng(9)
    scores = matrix(rng.integers(1, 6, (60, 4)).tolist())
    weights = even(scores)
    result = sensitivity.bounded_report(scores, weights, samples=500, top=3)
    assert result.monte_carlo.rank_acceptability.shape == (60, 3)
    assert (result.crossings.table["rank"] <= 3).all()
    ranks = rank(scores, weights)["rank"]
    assert set(result.sweep["project"]) == set(ranks.index[ranks <= 3])
    pd.testing.assert_frame_equal(result.stability, stability(scores, weights))
    assert result.one_point_off.top == result.crossings.top == 3
    every = sensitivity.bounded_report(scores, weights, samples=500, top=3, every_rank=True)
    assert every.monte_carlo.rank_acceptability.shape == (60, 60)
    pd.testing.assert_frame_equal(result.monte_carlo.rank_acceptability,
                                  every.monte_carlo.rank_acceptability.iloc[:, :3])


def test_bounded_analyses_refuse_a_top_below_one():
    scores = matrix([[1, 2], [2, 1]])
    for function in (sensitivity.crossings, sensitivity.one_point_off):
        with pytest.raises(ValueError, match="top must be at least 1"):
            function(scores, even(scores), top=0)
    with pytest.raises(ValueError, match="ranks must be at least 1"):
        monte_carlo(scores, even(scores), samples=10, ranks=0)
