"""Ranking, with property tests of its invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorer.ranking import Moves, competition_rank, rank, rank_order


def test_ties_share_the_better_rank():
    assert competition_rank(np.array([3.0, 4.0, 4.0, 1.0, 3.0])).tolist() == [3, 1, 1, 5, 3]


def test_float_noise_does_not_break_a_tie():
    a = 0.1 + 0.2  # 0.30000000000000004
    assert competition_rank(np.array([a, 0.3])).tolist() == [1, 1]


def test_competition_rank_works_row_by_row_on_a_matrix():
    values = np.array([[1.0, 2.0, 3.0], [3.0, 3.0, 1.0]])
    assert competition_rank(values).tolist() == [[3, 2, 1], [1, 1, 3]]


def test_rank_orders_by_weighted_score_and_keeps_ties_stable():
    scores = pd.DataFrame({"a": [4.0, 2.0, 4.0], "b": [2.0, 4.0, 2.0]}, index=["p", "q", "r"])
    table = rank(scores, pd.Series({"a": 0.75, "b": 0.25}))
    assert table.index.tolist() == ["p", "r", "q"]
    assert table["rank"].tolist() == [1, 1, 3]
    assert table.loc["p", "score"] == pytest.approx(3.5)
    assert table.loc["p", "total"] == pytest.approx(7.0)


# ---------------------------------------------------------------- properties

scores_1_to_5 = st.integers(min_value=1, max_value=5).map(float)


@st.composite
def decision(draw):
    n_projects = draw(st.integers(min_value=1, max_value=8))
    n_axes = draw(st.integers(min_value=1, max_value=6))
    matrix = draw(st.lists(st.lists(scores_1_to_5, min_size=n_axes, max_size=n_axes),
                           min_size=n_projects, max_size=n_projects))
    weights = draw(st.lists(st.floats(min_value=0, max_value=10), min_size=n_axes,
                            max_size=n_axes).filter(lambda w: sum(w) > 1e-3))
    axes = [f"x{i}" for i in range(n_axes)]
    frame = pd.DataFrame(matrix, columns=axes, index=[f"p{i}" for i in range(n_projects)])
    w = pd.Series(weights, index=axes)
    return frame, w / w.sum()


def test_the_weighted_scores_do_not_depend_on_how_the_table_is_laid_out():
    """The article's Flux: 4, 3, 4, 4, 3, 3 at equal weights is 21, whether the decision
    matrix is stored row by row or column by column (a product over columns gives
    20.999999999999996)."""
    scores = pd.DataFrame([[3.0, 4, 1, 4, 5, 3], [4.0, 3, 4, 4, 3, 3], [2.0, 2, 3, 3, 3, 3],
                           [3.0, 3, 1, 2, 3, 2], [3.0, 3, 2, 5, 4, 1]],
                          index=["akash", "flux", "golem", "nosana", "render"],
                          columns=list("uvwxyz"))  # the bundled projects on the article's date
    weights = pd.Series(1 / 6, index=scores.columns)
    by_rows = rank(scores, weights)
    by_columns = rank(pd.DataFrame(np.asfortranarray(scores.to_numpy()), index=scores.index,
                                   columns=scores.columns, copy=False), weights)
    assert by_rows.loc["flux", "total"] == by_columns.loc["flux", "total"] == 21
    pd.testing.assert_frame_equal(by_rows, by_columns, check_exact=True)


@given(decision(), st.floats(min_value=0.01, max_value=100))
def test_scaling_all_weights_leaves_the_ranking_unchanged(case, factor):
    scores, weights = case
    before = rank(scores, weights)["rank"]
    scaled = weights * factor
    after = rank(scores, scaled / scaled.sum())["rank"]
    assert after.reindex(before.index).tolist() == before.tolist()


@given(decision(), st.data())
def test_raising_an_axis_score_never_lowers_the_rank(case, data):
    scores, weights = case
    project = data.draw(st.sampled_from(list(scores.index)))
    axis = data.draw(st.sampled_from(list(scores.columns)))
    if scores.loc[project, axis] == 5:
        return
    before = rank(scores, weights).loc[project, "rank"]
    raised = scores.copy()
    raised.loc[project, axis] += 1
    assert rank(raised, weights).loc[project, "rank"] <= before


# ---------------------------------------------------------------- fast paths, against references


def rank_by_sorting_rounded_floats(values: np.ndarray) -> np.ndarray:
    """The reference: sort the values rounded to 9 decimals, highest first, ties by position."""
    values = np.round(np.asarray(values, dtype=float), 9)
    order = np.argsort(-values, axis=-1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=-1)
    ranks = np.empty(values.shape, dtype=np.int64)
    for row in np.ndindex(values.shape[:-1]):
        first = 1
        for k in range(values.shape[-1]):
            if k and ordered[(*row, k)] != ordered[(*row, k - 1)]:
                first = k + 1
            ranks[(*row, order[(*row, k)])] = first
    return ranks


near_ties = st.sampled_from([0.0, 1.0, 2.5, 3.0, 1.0 + 4.9999999e-10, 1.0 + 5e-10,
                             1.0 - 5e-10, 0.1 + 0.2, 0.3, -2.0, 1e12, -1e12])


@given(st.lists(st.lists(st.one_of(near_ties, st.floats(-10, 10)), min_size=1, max_size=9),
                min_size=1, max_size=5).filter(lambda rows: len({len(r) for r in rows}) == 1))
def test_packed_ranks_equal_sorting_the_rounded_floats(rows):
    values = np.array(rows)
    assert competition_rank(values).tolist() == rank_by_sorting_rounded_floats(values).tolist()
    assert competition_rank(values[0]).tolist() == rank_by_sorting_rounded_floats(
        values[0]).tolist()


@given(st.lists(st.lists(st.one_of(near_ties, st.floats(-10, 10)), min_size=1, max_size=9),
                min_size=1, max_size=5).filter(lambda rows: len({len(r) for r in rows}) == 1))
def test_rank_order_lists_each_row_best_first_with_the_rank_of_each_place(rows):
    values = np.array(rows)
    ranks = rank_by_sorting_rounded_floats(values)
    for some in (values, values[0], values[None]):  # a matrix, a vector, a stack of them
        order, first = rank_order(some)
        assert (np.sort(order, axis=-1) == np.arange(some.shape[-1])).all()
        assert (np.take_along_axis(ranks.reshape(some.shape) if some.ndim > 1 else ranks[0],
                                   order, axis=-1) == first).all()
        assert (np.diff(first, axis=-1) >= 0).all()


@pytest.mark.parametrize("values", [[np.inf, 1.0, -np.inf, 1.0], [1e300, 1.0, 2.0],
                                    [np.nan, 1.0, 2.0]])
def test_values_too_large_to_pack_rank_as_before(values):
    with np.errstate(over="ignore", invalid="ignore"):
        assert competition_rank(np.array(values)).tolist() == rank_by_sorting_rounded_floats(
            np.array(values)).tolist()


@given(st.lists(st.sampled_from([1.0, 1.5, 2.0, 2.0 + 1e-12, 3.0, 3.25]), min_size=1,
                max_size=10), st.data())
def test_moves_equal_re_ranking_with_one_score_moved(values, data):
    values = np.array(values)
    count = data.draw(st.integers(0, 8))
    project = np.array([data.draw(st.integers(0, len(values) - 1)) for _ in range(count)],
                       dtype=int)
    moved = values[project] + np.array([data.draw(st.sampled_from([-1.5, -0.5, 0.0, 0.5, 1.0]))
                                        for _ in range(count)])
    top = data.draw(st.integers(1, 4))
    moves = Moves.of(values, project, moved)
    before = competition_rank(values)
    assert moves.before.tolist() == before.tolist()
    for k in range(count):
        changed = values.copy()
        changed[project[k]] = moved[k]
        after = competition_rank(changed)
        every = [(q, int(before[q]), int(after[q])) for q in np.flatnonzero(after != before)]
        within = [c for c in every if min(c[1], c[2]) <= top]
        assert moves.after[k] == after[project[k]]
        assert moves.changes(k) == every and moves.changes(k, top) == within
        assert moves.counts()[k] == len(every) and moves.counts(top)[k] == len(within)
        assert moves.leaders(k) == np.flatnonzero(after == 1).tolist()
