"""Weights: from a profile and the user's changes, checked and normalised."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorer.errors import ArgumentError, ScorerError
from scorer.weights import given_weights, normalised, resolve_weights, weight_problem


def test_profile_weights_are_normalised(mini_rubric):
    weights = resolve_weights(mini_rubric, "alpha_heavy")
    assert weights == {"alpha": 0.75, "beta": 0.25}


def test_custom_weights_replace_only_the_axes_they_name(mini_rubric):
    assert resolve_weights(mini_rubric, None, {"beta": 3}) == {"alpha": 0.25, "beta": 0.75}


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


def test_given_weights_keep_what_the_user_wrote(mini_rubric):
    assert given_weights(mini_rubric, "alpha_heavy", {"beta": 2}) == {"alpha": 3.0, "beta": 2.0}


def test_errors_name_the_argument_not_a_command_line_option(mini_rubric):
    with pytest.raises(ArgumentError) as caught:
        resolve_weights(mini_rubric, None, {"gamma": 1})
    assert caught.value.argument == "weights" and str(caught.value).startswith("weights: ")
    assert "--" not in str(caught.value)


@pytest.mark.parametrize(("custom", "expected"), [
    ({"alpha": 1e308, "beta": 1e308}, {"alpha": 0.5, "beta": 0.5}),  # the sum overflows
    ({"alpha": 1.5e308, "beta": 0.5e308}, {"alpha": 0.75, "beta": 0.25}),
    ({"alpha": 1e-320, "beta": 3e-320}, {"alpha": 0.25, "beta": 0.75}),  # subnormal
    ({"alpha": 5e-324, "beta": 0}, {"alpha": 1.0, "beta": 0.0}),  # the smallest there is
    ({"alpha": 1e308, "beta": 5e-324}, {"alpha": 1.0, "beta": 0.0}),
    ({"alpha": -0.0, "beta": 2}, {"alpha": 0.0, "beta": 1.0}),
])  # fmt: skip
def test_weights_of_any_finite_size_normalise_exactly(mini_rubric, custom, expected):
    weights = resolve_weights(mini_rubric, None, custom)
    assert weights == expected and sum(weights.values()) == 1
    assert all(math.copysign(1, w) == 1 for w in weights.values())  # no -0.0 shown as "-0"


@given(st.lists(st.floats(min_value=0, allow_infinity=False, allow_nan=False), min_size=1,
                max_size=8).filter(any))
def test_normalised_weights_sum_to_one_and_keep_their_ratios(values):
    weights = normalised({str(i): v for i, v in enumerate(values)})
    assert math.isclose(sum(weights.values()), 1, rel_tol=1e-12)
    largest = max(values)
    for i, v in enumerate(values):  # each weight's share of the largest is kept
        assert math.isclose(weights[str(i)] / weights[str(values.index(largest))],
                            v / largest, rel_tol=1e-12, abs_tol=1e-300)


def test_ordinary_weights_normalise_to_the_same_bits_as_a_plain_division():
    weights = {"a": 0.1, "b": 0.2, "c": 0.3, "d": 7.0, "e": 1 / 3}
    total = sum(weights.values())
    assert normalised(weights) == {axis: w / total for axis, w in weights.items()}


@pytest.mark.parametrize(("weight", "problem"), [
    (1.0, None), (0, None), (1e308, None), (5e-324, None),
    (-1e-300, "must be a non-negative number, not -1e-300"),
    (float("nan"), "must be a non-negative number, not nan"),
    (float("-inf"), "must be a non-negative number, not -inf"),
    (True, "must be a non-negative number, not True"),
    ("2", "must be a non-negative number, not '2'"),
])  # fmt: skip
def test_weight_problem_says_what_is_wrong_with_one_weight(weight, problem):
    assert weight_problem(weight) == problem


def test_an_axis_may_be_named_by_the_labels_the_tables_show_in_any_case(default_rubric):
    by_label = given_weights(default_rubric, custom={"tech": 2, "RISK": 3, "成長戦略": 4})
    by_id = given_weights(default_rubric, custom={"technology": 2, "risk": 3,
                                                  "growth_strategy": 4})
    assert by_label == by_id


def test_an_unknown_axis_name_suggests_the_label_it_resembles(default_rubric):
    with pytest.raises(ArgumentError, match=r"unknown axis 'tehc' \(did you mean 'Tech'\?\)"):
        given_weights(default_rubric, custom={"tehc": 2})


def test_one_axis_named_twice_is_refused(default_rubric):
    with pytest.raises(ArgumentError, match="axis technology is given twice"):
        given_weights(default_rubric, custom={"technology": 1, "Tech": 2})
