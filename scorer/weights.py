"""Weights: a profile of the rubric, the user's changes on top, checked, then normalised.

Only their ratios matter: weights are normalised to sum to 1 before anything is weighted.
Plain Python, so `scorer rubric` needs no numeric library.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from scorer.errors import ArgumentError, did_you_mean
from scorer.models import Rubric


def given_weights(rubric: Rubric, profile: str | None = None,
                  custom: Mapping[str, float] | None = None) -> dict[str, float]:
    """The weight of each axis as the user gave it, in rubric order (not normalised).

    Starts from `profile` (default: the rubric's default profile); `custom` weights replace
    those of the axes they name.
    """
    name = profile or rubric.profile_name
    if name not in rubric.profiles:
        raise ArgumentError("profile", f"unknown profile '{name}'"
                            f"{did_you_mean(name, rubric.profiles)}; profiles: "
                            f"{', '.join(rubric.profiles)}")
    weights = rubric.profile_weights(name)
    for axis, weight in (custom or {}).items():
        if axis not in rubric.axes:
            raise ArgumentError("weights", f"unknown axis '{axis}'"
                                f"{did_you_mean(axis, rubric.axes)}; axes: "
                                f"{', '.join(rubric.axes)}")
        number = not isinstance(weight, bool) and isinstance(weight, (int, float))
        if not number or not math.isfinite(weight) or weight < 0:
            shown = f"{weight:g}" if number else repr(weight)
            raise ArgumentError("weights", f"the weight of {axis} must be a non-negative "
                                f"number, not {shown}")
        weights[axis] = float(weight)
    if not sum(weights.values()) > 0:
        raise ArgumentError("weights", "weights must not all be zero: at least one axis "
                            "must count")
    return weights


def normalised(weights: Mapping[str, float]) -> dict[str, float]:
    """The same weights scaled to sum to 1."""
    total = sum(weights.values())
    return {axis: w / total for axis, w in weights.items()}


def resolve_weights(rubric: Rubric, profile: str | None = None,
                    custom: Mapping[str, float] | None = None) -> dict[str, float]:
    """The normalised weight of each axis, in rubric order (see `given_weights`)."""
    return normalised(given_weights(rubric, profile, custom))
