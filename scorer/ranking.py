"""Ranking: weighted score Σ wₐ·sₐ on the axis scale, total, competition rank.

Weights (`scorer.weights`) sum to 1, so the weighted score stays on the 1–5 scale and the
total (weighted score × number of axes) on the source analysis's "/30". Ties share the
better rank (1, 2, 2, 4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TIE_DECIMALS = 9
"""Scores equal to this many decimals are tied (float sums differ in the last bits)."""


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
