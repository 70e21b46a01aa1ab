"""Ranking, with property tests of its invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorer.ranking import competition_rank, rank


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
