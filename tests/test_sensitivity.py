"""Sensitivity analysis, checked against brute force, closed forms and independent samplers."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer.ranking import competition_rank
from scorer.sensitivity import (
    critical_change,
    monte_carlo,
    oat_breakpoints,
    oat_segments,
    oat_sweep,
    perturbation,
    report,
    sample_weights,
    stability,
)

AXES = ["a", "b", "c", "d"]


def matrix(rows: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=AXES[: len(rows[0])],
                        index=[f"p{i}" for i in range(len(rows))], dtype=float)


def even(scores: pd.DataFrame) -> pd.Series:
    return pd.Series(1 / scores.shape[1], index=scores.columns)


def dense_ranks(scores: pd.DataFrame, weights: pd.Series, axis: str, ts: np.ndarray):
    """Brute force: the weights of the OAT definition at each t, and the ranks they give."""
    w = weights.to_numpy(dtype=float)
    a = scores.columns.get_loc(axis)
    others = np.ones(len(w), dtype=bool)
    others[a] = False
    share = w[others] / w[others].sum()
    grid = np.zeros((len(ts), len(w)))
    grid[:, a] = ts
    grid[:, others] = (1 - ts)[:, None] * share[None, :]
    return competition_rank(grid @ scores.to_numpy(dtype=float).T)


random_case = st.builds(
    lambda seed, n, m: (np.random.default_rng(seed), n, m),
    st.integers(0, 2**32 - 1), st.integers(2, 6), st.integers(2, 4),
)


def draw(case):
    rng, n, m = case
    scores = matrix(rng.integers(1, 6, (n, m)).tolist())
    weights = pd.Series(rng.dirichlet(np.ones(m)), index=scores.columns)
    return scores, weights


# ---------------------------------------------------------------- one at a time


@settings(max_examples=40, deadline=None)
@given(random_case)
def test_breakpoints_are_exactly_where_a_dense_sweep_sees_ranks_change(case):
    scores, weights = draw(case)
    ts = np.linspace(0, 1, 20_001)
    points = oat_breakpoints(scores, weights)
    for axis in scores.columns:
        ranks = dense_ranks(scores, weights, axis, ts)
        changes = np.flatnonzero((ranks[1:] != ranks[:-1]).any(axis=1))
        exact = points.loc[points["axis"] == axis, "t"].to_numpy()
        for k in changes:  # every change the sweep sees lies within one step of a breakpoint
            assert np.any(np.abs(exact - ts[k]) <= 1e-4 + 1e-9), (axis, ts[k], exact)
        for t in exact:  # at a breakpoint the two named projects tie
            row = points[(points["axis"] == axis) & (points["t"] == t)].iloc[0]
            r = dense_ranks(scores, weights, axis, np.array([t]))[0]
            assert r[scores.index.get_loc(row["a"])] == r[scores.index.get_loc(row["b"])]


@settings(max_examples=40, deadline=None)
@given(random_case)
def test_segments_hold_the_ranking_seen_inside_them(case):
    scores, weights = draw(case)
    for row in oat_segments(scores, weights).itertuples():
        if row.end - row.start < 1e-6:
            continue
        inside = np.linspace(row.start, row.end, 7)[1:-1]
        for ranks in dense_ranks(scores, weights, row.axis, inside):
            in_order = [ranks[scores.index.get_loc(p)] for p in row.ranking]
            assert in_order == sorted(in_order)


def test_sweep_has_every_step_axis_and_project():
    scores = matrix([[5, 1], [1, 5], [3, 3]])
    sweep = oat_sweep(scores, even(scores), steps=11)
    assert len(sweep) == 2 * 11 * 3
    at_one = sweep[(sweep["axis"] == "a") & (sweep["t"] == 1.0)].set_index("project")
    assert at_one["score"].to_dict() == {"p0": 5.0, "p1": 1.0, "p2": 3.0}
    assert at_one["rank"].to_dict() == {"p0": 1, "p1": 3, "p2": 2}


def test_two_projects_cross_where_the_algebra_says():
    # p0 = 4 + t·(5 − 4)… with weights (a: t, b: 1 − t): p0 = 5t + 1(1−t), p1 = 2t + 4(1−t)
    scores = matrix([[5, 1], [2, 4]])
    points = oat_breakpoints(scores, even(scores))
    assert points.loc[points["axis"] == "a", "t"].tolist() == pytest.approx([0.5])


# ---------------------------------------------------------------- stability


@settings(max_examples=40, deadline=None)
@given(random_case)
def test_stability_intervals_agree_with_a_dense_sweep(case):
    scores, weights = draw(case)
    ts = np.linspace(0, 1, 20_001)
    step = ts[1]
    values = scores.to_numpy(dtype=float) @ weights.to_numpy()
    current = competition_rank(values)
    winner = int(np.flatnonzero(current == 1)[0])
    table = stability(scores, weights)
    for axis, row in table.iterrows():
        assert row.winner_low <= row.weight <= row.winner_high
        assert row.ranking_low <= row.weight <= row.ranking_high
        ranks = dense_ranks(scores, weights, axis, ts)
        first = ranks[:, winner] == 1
        inside = (ts >= row.winner_low + step) & (ts <= row.winner_high - step)
        assert first[inside].all()
        outside = (ts < row.winner_low - step) | (ts > row.winner_high + step)
        assert not first[outside].any()
        same = (ranks == current).all(axis=1)
        strictly = (ts > row.ranking_low + step) & (ts < row.ranking_high - step)
        assert same[strictly].all()
        # just past either end, two projects have crossed: the ranking is no longer the same
        if row.ranking_high < 1 - 2 * step:
            assert not same[np.searchsorted(ts, row.ranking_high + 1e-9)]
        if row.ranking_low > 2 * step:
            assert not same[np.searchsorted(ts, row.ranking_low - 1e-9) - 1]


def test_a_dominating_project_is_stable_everywhere_and_always_first():
    scores = matrix([[5, 4, 5], [3, 4, 2], [1, 2, 3], [2, 2, 2]])
    weights = pd.Series([0.2, 0.5, 0.3], index=scores.columns)
    table = stability(scores, weights)
    assert (table["winner_low"] == 0).all() and (table["winner_high"] == 1).all()
    assert critical_change(scores, weights) is None
    mc = monte_carlo(scores, weights, samples=5_000, seed=3)
    assert mc.rank_acceptability.loc["p0", 1] == 1.0
    assert mc.first["p0"] == 1.0


def test_critical_change_names_the_axis_threshold_and_overtaker():
    # p0 leads on a, p1 on b: p0 stays first while w_a ≥ 0.5 (scores 4/2 vs 2/4)
    scores = matrix([[4, 2], [2, 4]])
    weights = pd.Series([0.7, 0.3], index=scores.columns)
    found = critical_change(scores, weights)
    assert found["winner"] == "p0" and found["overtaker"] == "p1"
    assert found["threshold"] == pytest.approx(0.5)
    assert found["distance"] == pytest.approx(0.2)
    assert (found["axis"], found["direction"]) in {("a", "below"), ("b", "above")}


# ---------------------------------------------------------------- perturbation


def test_perturbation_finds_the_one_point_that_swaps_two_projects():
    scores = matrix([[4, 3], [3, 3]])
    table = perturbation(scores, even(scores))
    down = table[(table["project"] == "p0") & (table["axis"] == "a") & (table["delta"] == -1)]
    assert down.iloc[0]["rank_after"] == 1  # 3/3 vs 3/3: now a tie for first
    assert down.iloc[0]["changes"] == (("p1", 2, 1),)
    up = table[(table["project"] == "p1") & (table["axis"] == "b") & (table["delta"] == 1)]
    assert up.iloc[0]["changes"] == (("p1", 2, 1),)  # 3/4 ties 4/3: both first
    both = table[(table["project"] == "p0") & (table["axis"] == "b") & (table["delta"] == 1)]
    assert both.iloc[0]["changes"] == ()  # p0 only widens its lead


def test_perturbation_reports_nothing_when_one_point_cannot_matter():
    scores = matrix([[5, 5], [1, 1]])
    table = perturbation(scores, even(scores))
    assert all(len(c) == 0 for c in table["changes"])
    assert set(table["delta"]) == {-1.0, 1.0}  # 5 + 1 and 1 − 1 leave the scale: skipped
    assert len(table) == 4


# ---------------------------------------------------------------- Monte Carlo


def simplex_share(d: np.ndarray) -> float:
    """P(w·d > 0) for w uniform on the simplex, d with distinct components (closed form)."""
    m = len(d)
    return sum(max(di, 0.0) ** (m - 1) / math.prod(di - dj for j, dj in enumerate(d) if j != i)
               for i, di in enumerate(d))


@pytest.mark.parametrize("rows", [
    [[5, 1, 3], [2, 4, 1]],
    [[2, 5, 1, 4], [4, 1, 2, 2]],
    [[3, 3.5, 1], [1, 2, 4]],
])  # fmt: skip
def test_two_project_acceptability_matches_the_closed_form(rows):
    scores = matrix(rows)
    d = scores.iloc[0].to_numpy() - scores.iloc[1].to_numpy()
    expected = simplex_share(d)
    samples = 200_000
    mc = monte_carlo(scores, even(scores), samples=samples, seed=11)
    error = math.sqrt(expected * (1 - expected) / samples)
    assert mc.pairwise_win.loc["p0", "p1"] == pytest.approx(expected, abs=5 * error)
    assert mc.first["p0"] == pytest.approx(expected, abs=5 * error)


def test_acceptability_agrees_with_ranking_every_sample_by_brute_force():
    rng = np.random.default_rng(5)
    scores = matrix(rng.integers(1, 6, (12, 4)).tolist())
    weights = even(scores)
    mc = monte_carlo(scores, weights, samples=3_000, seed=9)
    sampled = sample_weights(np.random.default_rng(9), 3_000, weights.to_numpy(), None)
    ranks = competition_rank(sampled @ scores.to_numpy().T)
    brute = np.stack([np.bincount(ranks[:, k] - 1, minlength=12) for k in range(12)]) / 3_000
    np.testing.assert_array_equal(mc.rank_acceptability.to_numpy(), brute)
    above = (ranks[:, :, None] < ranks[:, None, :]).mean(axis=0)
    picked = [scores.index.get_loc(p) for p in mc.pairwise_projects]
    got = mc.pairwise_win.to_numpy()
    off = ~np.eye(len(picked), dtype=bool)
    np.testing.assert_allclose(got[off], above[np.ix_(picked, picked)][off])
    firsts = ranks == 1
    for k, project in enumerate(scores.index):
        if firsts[:, k].any():
            np.testing.assert_allclose(mc.central_weights.loc[project],
                                       sampled[firsts[:, k]].mean(axis=0))
        else:
            assert mc.central_weights.loc[project].isna().all()


def test_rows_sum_to_one_and_summaries_follow_from_them():
    rng = np.random.default_rng(2)
    scores = matrix([*rng.integers(1, 6, (7, 3)).tolist(), [3, 3, 3], [3, 3, 3]])
    mc = monte_carlo(scores, even(scores), samples=4_000, seed=1)
    np.testing.assert_allclose(mc.rank_acceptability.sum(axis=1), 1.0)
    expected = (mc.rank_acceptability * np.arange(1, 10)).sum(axis=1)
    np.testing.assert_allclose(mc.expected_rank, expected)
    assert mc.first.equals(mc.rank_acceptability[1].rename("first"))
    # identical projects tie in every sample: same row, and neither is ever above the other
    assert mc.rank_acceptability.loc["p7"].equals(mc.rank_acceptability.loc["p8"])
    assert mc.pairwise_win.loc["p7", "p8"] == 0 and mc.pairwise_win.loc["p8", "p7"] == 0


def test_same_seed_same_numbers_whatever_the_chunk_size():
    rng = np.random.default_rng(4)
    scores = matrix(rng.integers(1, 6, (30, 4)).tolist())
    a = monte_carlo(scores, even(scores), samples=5_000, seed=7)
    b = monte_carlo(scores, even(scores), samples=5_000, seed=7, chunk_size=333)
    c = monte_carlo(scores, even(scores), samples=5_000, seed=8)
    pd.testing.assert_frame_equal(a.rank_acceptability, b.rank_acceptability)
    pd.testing.assert_frame_equal(a.pairwise_win, b.pairwise_win)
    pd.testing.assert_frame_equal(a.central_weights, b.central_weights)
    assert not a.rank_acceptability.equals(c.rank_acceptability)


def test_pairwise_wins_cover_the_best_ranked_projects_up_to_the_limit():
    rng = np.random.default_rng(8)
    scores = matrix(rng.integers(1, 6, (40, 4)).tolist())
    weights = even(scores)
    mc = monte_carlo(scores, weights, samples=500, pairwise_limit=10)
    best = competition_rank(scores.to_numpy() @ weights.to_numpy())
    assert len(mc.pairwise_projects) == 10
    assert max(best[scores.index.get_loc(p)] for p in mc.pairwise_projects) <= sorted(best)[9]


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
    np.testing.assert_allclose(ours.mean(axis=0), 1 / m, atol=4 / math.sqrt(n))
    cuts = np.sort(np.random.default_rng(2).random((n, m - 1)), axis=1)  # uniform spacings
    theirs = np.diff(np.concatenate([np.zeros((n, 1)), cuts, np.ones((n, 1))], axis=1), axis=1)
    critical = 1.63 * math.sqrt(2 / n)  # two-sample KS, 1 % level
    for j in range(m):
        assert ks_statistic(ours[:, j], theirs[:, j]) < critical


def test_dirichlet_centres_on_the_chosen_weights_and_tightens_with_concentration():
    w = np.array([0.5, 0.3, 0.2, 0.0])
    loose = sample_weights(np.random.default_rng(1), 20_000, w, 10)
    tight = sample_weights(np.random.default_rng(1), 20_000, w, 1_000)
    np.testing.assert_allclose(loose.mean(axis=0), w, atol=0.01)
    np.testing.assert_allclose(tight.mean(axis=0), w, atol=0.002)
    assert (loose[:, 3] == 0).all()
    assert tight.std(axis=0)[:3].max() < loose.std(axis=0)[:3].min()


def test_bad_arguments_are_refused():
    scores = matrix([[1, 2], [2, 1]])
    with pytest.raises(ValueError):
        monte_carlo(scores, even(scores), samples=0)
    with pytest.raises(ValueError):
        monte_carlo(scores, even(scores), concentration=0)


def test_report_bundles_the_four_analyses():
    scores = matrix([[4, 2, 3], [2, 4, 3], [3, 3, 1]])
    result = report(scores, even(scores), samples=1_000, seed=0)
    assert set(result.stability.index) == set(scores.columns)
    assert result.monte_carlo.samples == 1_000
    assert len(result.sweep) == 3 * 21 * 3
    assert list(result.breakpoints.columns) == ["axis", "t", "a", "b"]
    assert all(b >= a for a, b in pairwise(result.segments["start"].to_numpy()[:2]))
