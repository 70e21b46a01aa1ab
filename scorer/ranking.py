"""Weights and ranking: weighted score Σ wₐ·sₐ on the axis scale, total, rank.

Weights are normalised to sum to 1, so the weighted score stays on the 1–5 scale and the
total (weighted score × number of axes) on the source analysis's "/30". Ties share the
better rank (1, 2, 2, 4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from scorer.errors import ScorerError, did_you_mean
from scorer.models import Rubric

TIE_DECIMALS = 9
"""Scores equal to this many decimals are tied (float sums differ in the last bits)."""


def parse_weights(text: str) -> dict[str, float]:
    """'technology=2,risk=1.5' → {'technology': 2.0, 'risk': 1.5}; bad syntax is an error."""
    weights: dict[str, float] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        axis, sep, number = (s.strip() for s in item.partition("="))
        if not sep or not axis:
            raise ScorerError(f"--weights: '{item}' is not of the form axis=weight")
        try:
            weight = float(number)
        except ValueError:
            raise ScorerError(f"--weights: '{number}' (for {axis}) is not a number") from None
        if axis in weights:
            raise ScorerError(f"--weights: axis '{axis}' is given twice")
        weights[axis] = weight
    if not weights:
        raise ScorerError("--weights: no weights given (expected axis=weight,...)")
    return weights


def resolve_weights(rubric: Rubric, profile: str | None = None,
                    custom: Mapping[str, float] | None = None) -> pd.Series:
    """The normalised weight of each axis, in rubric order.

    Starts from `profile` (default: the rubric's default profile); `custom` weights replace
    those of the axes they name.
    """
    name = profile or rubric.profile_name
    if name not in rubric.profiles:
        raise ScorerError(f"unknown profile '{name}'{did_you_mean(name, rubric.profiles)}; "
                          f"profiles: {', '.join(rubric.profiles)}")
    weights = {axis: float(rubric.profiles[name].get(axis, 0.0)) for axis in rubric.axis_ids}
    for axis, weight in (custom or {}).items():
        if axis not in rubric.axes:
            raise ScorerError(f"--weights: unknown axis '{axis}'"
                              f"{did_you_mean(axis, rubric.axes)}; axes: "
                              f"{', '.join(rubric.axis_ids)}")
        if not math.isfinite(weight) or weight < 0:
            raise ScorerError(f"--weights: the weight of {axis} must be a non-negative "
                              f"number, not {weight:g}")
        weights[axis] = weight
    total = sum(weights.values())
    if not total > 0:
        raise ScorerError("weights must not all be zero: at least one axis must count")
    return pd.Series({axis: w / total for axis, w in weights.items()}, name="weight")


def competition_rank(values: np.ndarray) -> np.ndarray:
    """Rank along the last axis, highest value first; ties share the better rank (1, 2, 2, 4).

    Works on one vector or on a matrix of many (one ranking per row), without Python loops.
    """
    values = np.round(np.asarray(values, dtype=float), TIE_DECIMALS)
    order = np.argsort(-values, axis=-1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=-1)
    position = np.broadcast_to(np.arange(1, values.shape[-1] + 1), values.shape)
    new_value = np.ones(values.shape, dtype=bool)
    new_value[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    first = np.maximum.accumulate(np.where(new_value, position, 0), axis=-1)
    ranks = np.empty(values.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first, axis=-1)
    return ranks


def rank(scores: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Weighted score, total and rank of each project (row) of a project × axis matrix.

    Rows come back in rank order; ties keep the order of `scores` (stable).
    """
    w = weights.reindex(scores.columns).to_numpy(dtype=float)
    weighted = scores.to_numpy(dtype=float) @ w
    table = pd.DataFrame({
        "score": weighted,
        "total": weighted * scores.shape[1],
        "rank": competition_rank(weighted) if len(weighted) else np.array([], dtype=int),
    }, index=scores.index)  # fmt: skip
    return table.sort_values("rank", kind="stable")
