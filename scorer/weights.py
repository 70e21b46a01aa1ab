"""Weights: a profile of the rubric, the user's changes on top, checked, then normalised.

Only their ratios matter: weights are normalised to sum to 1 before anything is weighted.
Plain Python, so `scorer rubric` needs no numeric library.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from scorer.errors import ArgumentError, did_you_mean

if TYPE_CHECKING:  # plain Python at run time: the CLI checks --weights with `weight_problem`
    from scorer.models import Axis, Rubric


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
    names, seen = axis_names(rubric), set()
    for given, weight in (custom or {}).items():
        axis = names.get(given.casefold())
        if axis is None:
            raise ArgumentError("weights", f"unknown axis '{given}'"
                                f"{did_you_mean(given, [*rubric.axes, *_shown_names(rubric)])}"
                                f"; axes: {', '.join(rubric.axes)}")
        if axis in seen:
            raise ArgumentError("weights", f"axis {axis} is given twice ('{given}')")
        seen.add(axis)
        problem = weight_problem(weight)
        if problem:
            raise ArgumentError("weights", f"the weight of {axis} {problem}")
        weights[axis] = float(weight) + 0.0  # -0.0 is 0
    if not any(w > 0 for w in weights.values()):
        raise ArgumentError("weights", "weights must not all be zero: at least one axis "
                            "must count")
    return weights


def axis_names(rubric: Rubric) -> dict[str, str]:
    """Every name a user may give an axis, case-folded → its id: the id itself and the labels
    the tables show (short and full, in every language), so `tech=2` works where the header
    says "Tech"."""
    names: dict[str, str] = {}
    for axis_id, axis in rubric.axes.items():
        for name in (axis_id, *_labels(axis)):
            names.setdefault(name.casefold(), axis_id)
    return names


def _labels(axis: Axis) -> list[str]:
    return [words for text in (axis.short, axis.label) if text is not None
            for words in (text.en, text.ja) if words]


def _shown_names(rubric: Rubric) -> list[str]:
    return [name for axis in rubric.axes.values() for name in _labels(axis)]


def weight_problem(weight: object) -> str | None:
    """What is wrong with one weight ('must be a non-negative number, not nan'), or None."""
    number = not isinstance(weight, bool) and isinstance(weight, (int, float))
    if number and math.isfinite(weight) and weight >= 0:  # type: ignore[arg-type]
        return None
    shown = f"{weight:g}" if number else repr(weight)
    return f"must be a non-negative number, not {shown}"


def normalised(weights: Mapping[str, float]) -> dict[str, float]:
    """The same weights scaled to sum to 1, whatever their size: they are first brought to
    the largest's binade by a power of two (exact), so no sum overflows (1e308 + 1e308) or
    loses its digits among subnormals (1e-320)."""
    shift = -math.frexp(max(weights.values()))[1]
    scaled = {axis: math.ldexp(w, shift) for axis, w in weights.items()}
    total = sum(scaled.values())
    return {axis: w / total for axis, w in scaled.items()}


def resolve_weights(rubric: Rubric, profile: str | None = None,
                    custom: Mapping[str, float] | None = None) -> dict[str, float]:
    """The normalised weight of each axis, in rubric order (see `given_weights`)."""
    return normalised(given_weights(rubric, profile, custom))
