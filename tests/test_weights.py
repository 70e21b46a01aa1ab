"""Weights: from a profile and the user's changes, checked and normalised."""

from __future__ import annotations

import pytest

from scorer.errors import ArgumentError, ScorerError
from scorer.weights import given_weights, resolve_weights


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
