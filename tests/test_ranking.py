"""Weights and ranking, with property tests of the ranking's invariants."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorer.errors import ScorerError
from scorer.ranking import competition_rank, parse_weights, rank, resolve_weights


def test_parse_weights_reads_axis_equals_number():
    assert parse_weights("alpha=2, beta=0.5") == {"alpha": 2.0, "beta": 0.5}


@pytest.mark.parametrize(("text", "message"), [
    ("alpha", "not of the form axis=weight"),
    ("alpha=two", "'two' (for alpha) is not a number"),
    ("alpha=1,alpha=2", "axis 'alpha' is given twice"),
    (",", "no weights given"),
])  # fmt: skip
def test_parse_weights_errors(text, message):
    with pytest.raises(ScorerError, match=re.escape(message)):
        parse_weights(text)


def test_profile_weights_are_normalised(mini_rubric):
    weights = resolve_weights(mini_rubric, "alpha_heavy")
    assert weights.to_dict() == {"alpha": 0.75, "beta": 0.25}


def test_custom_weights_replace_only_the_axes_they_name(mini_rubric):
    assert resolve_weights(mini_rubric, None, {"beta": 3}).to_dict() == {"alpha": 0.25,
                                                                         "beta": 0.75}


@pytest.mark.parametrize(("custom", "message"), [
    ({"gamma": 1}, "unknown axis 'gamma'"),
    ({"alpha": -1}, "must be a non-negative number"),
    ({"alpha": float("nan")}, "must be a non-negative number"),
    ({"alpha": float("inf")}, "must be a non-negative number"),
    ({"alpha": 0, "beta": 0}, "must not all be zero"),
])  # fmt: skip
def test_bad_weights_are_user_errors(mini_rubric, custom, message):
    with pytest.raises(ScorerError, match=message):
        resolve_weights(mini_rubric, None, custom)


def test_unknown_profile_suggests(mini_rubric):
    with pytest.raises(ScorerError, match=r"unknown profile 'evn' .did you mean 'even'"):
        resolve_weights(mini_rubric, "evn")


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
