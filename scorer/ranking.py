"""Ranking: weighted score Σ wₐ·sₐ on the axis scale, total, competition rank.

Weights (`scorer.weights`) sum to 1, so the weighted score stays on the 1–5 scale and the
total (weighted score × number of axes) on the source analysis's "/30". Ties share the
better rank (1, 2, 2, 4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TIE_DECIMALS = 9
"""Scores equal to this many decimals are tied (float sums differ in the last bits)."""
_SCALE = 10.0**TIE_DECIMALS


def competition_rank(values: np.ndarray) -> np.ndarray:
    """Rank along the last axis, highest value first; ties share the better rank (1, 2, 2, 4).

    Works on one vector or on a matrix of many (one ranking per row), without Python loops
    (`rank_order`, put back in each row's own order).
    """
    order, first = rank_order(values)
    ranks = np.empty(order.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first, axis=-1)
    return ranks


def rank_order(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Along the last axis: the positions from the highest value to the lowest (ties in
    position order), and the competition rank at each of those places.

    Values are compared rounded to TIE_DECIMALS: as integers, rint(value · 10⁹) (what
    `np.round` computes before dividing back), packed with their position into one int64
    key, so that one integer sort orders each row; values too large for that (or not
    finite) are ranked by sorting the rounded floats, with the same result.
    """
    values = np.asarray(values, dtype=float)
    n = values.shape[-1] if values.ndim else 0
    bits = max(1, (n - 1).bit_length()) if n else 1
    with np.errstate(over="ignore", invalid="ignore"):
        level = np.rint(values * _SCALE)
    if not values.size or not np.isfinite(level).all() or (
            np.abs(level).max() * 2.0**bits >= 2.0**62):
        values = np.round(values, TIE_DECIMALS)
        order = np.argsort(-values, axis=-1, kind="stable")
        return order, _first(np.take_along_axis(values, order, axis=-1))
    keys = np.left_shift(-level.astype(np.int64), bits)  # highest first, then by position
    keys |= np.arange(n)
    keys.sort(axis=-1)
    order = keys & ((1 << bits) - 1)
    keys >>= bits
    return order, _first(keys)


def _first(ordered: np.ndarray) -> np.ndarray:
    """The competition rank at each place of rows in rank order (`ordered`, best first; equal
    values tie): the place where its run of equal values starts, from 1. Rows without a tie
    are 1 … n (one shared, read-only array when no row has one)."""
    position = np.arange(1, ordered.shape[-1] + 1)
    tied = ordered[..., 1:] == ordered[..., :-1]
    if not tied.any():
        return np.broadcast_to(position, ordered.shape)
    rows = tied.any(axis=-1)
    if ordered.ndim == 1 or rows.all():
        return _run_starts(tied, position)
    first = np.broadcast_to(position, ordered.shape).copy()
    first[rows] = _run_starts(tied[rows], position)
    return first


def _run_starts(tied: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Per place, where its run starts (from 1), from whether each place ties the one
    before. One running maximum over all rows laid end to end (each row's first place starts
    a run, so a row never reads the one before it), then each place within its row."""
    width = len(position)
    starts = np.ones((*tied.shape[:-1], width), dtype=bool)
    starts[..., 1:] = ~tied
    places = np.arange(starts.size).reshape(starts.shape)
    marked = np.where(starts, places, 0)
    np.maximum.accumulate(marked.ravel(), out=marked.ravel())
    marked -= places[..., :1] - 1  # from its row's first place, counted from 1
    return marked


def rank(scores: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Weighted score, total and rank of each project (row) of a project × axis matrix.

    Rows come back in rank order; ties keep the order of `scores` (stable).
    """
    w = weights.reindex(scores.columns).to_numpy(dtype=float)
    # row by row: a product's last bits depend on its operand's layout, which a table's
    # history (a pivot, a copy) decides; 20.999999999999996 is not the article's 21
    weighted = np.ascontiguousarray(scores.to_numpy(dtype=float)) @ w
    table = pd.DataFrame({
        "score": weighted,
        "total": weighted * scores.shape[1],
        "rank": competition_rank(weighted) if len(weighted) else np.array([], dtype=int),
    }, index=scores.index)  # fmt: skip
    return table.sort_values("rank", kind="stable")


@dataclass(frozen=True)
class Moves:
    """What moving one project's score does to every rank, for many such moves at once.

    Ranks are competition ranks, 1 + the projects strictly above, so when project p moves
    from v to v′ every other project q keeps its rank except those between the two values:
    with v′ > v, each q with v ≤ q < v′ drops one place; with v′ < v, each q with v′ ≤ q < v
    rises one. Those are one stretch of the projects sorted by score, found by binary
    search: time n log n plus the changes asked for, memory linear in projects and moves
    (never a project × move matrix)."""

    before: np.ndarray
    """Rank of each project now."""
    project: np.ndarray
    """Per move: the position of the project that moves."""
    after: np.ndarray
    """Per move: its rank after the move."""
    start: np.ndarray
    stop: np.ndarray
    """Per move: the other projects whose rank changes are `order[start:stop]` (without the
    moved project itself)."""
    shift: np.ndarray
    """Per move: +1 when they drop one place, −1 when they rise one."""
    order: np.ndarray
    """Project positions sorted by rounded score, lowest first (ties by position)."""
    place: np.ndarray
    """Each project's place in `order`."""

    @classmethod
    def of(cls, values: np.ndarray, project: np.ndarray, moved: np.ndarray) -> Moves:
        """Moves of project `project[k]` from `values[project[k]]` to `moved[k]`."""
        level = np.round(np.asarray(values, dtype=float), TIE_DECIMALS)
        new = np.round(np.asarray(moved, dtype=float), TIE_DECIMALS)
        project = np.asarray(project, dtype=np.int64)
        order = np.argsort(level, kind="stable")
        ordered = level[order]
        n = len(level)
        before = (n - np.searchsorted(ordered, level, side="right") + 1).astype(np.int64)
        old = level[project]
        above = n - np.searchsorted(ordered, new, side="right")  # strictly above the new value
        after = 1 + above - (old > new)  # the moved project never counts itself
        up = new > old
        low = np.searchsorted(ordered, np.where(up, old, new), side="left")
        high = np.searchsorted(ordered, np.where(up, new, old), side="left")
        place = np.empty(n, dtype=np.int64)
        place[order] = np.arange(n)
        return cls(before=before, project=project, after=after.astype(np.int64),
                   start=low, stop=high, shift=np.where(up, 1, -1), order=order, place=place)

    def __len__(self) -> int:
        return len(self.project)

    def counts(self, top: int | None = None) -> np.ndarray:
        """Per move: how many projects change rank (with `top`: only those whose rank before
        or after is `top` or better)."""
        n = len(self.order)
        own = self.after != self.before[self.project]
        rises = self.shift > 0  # then the moved project lies within its own stretch
        if top is None:
            return self.stop - self.start - rises + own
        own &= np.minimum(self.before[self.project], self.after) <= top
        # those ranked `reach` or better now are a tail of `order`: from n − their number
        reach = np.where(rises, top, top + 1)
        first = np.maximum(self.start, n - np.searchsorted(np.sort(self.before), reach,
                                                           side="right"))
        inside = rises & (self.place[self.project] >= first)
        return np.maximum(self.stop - first, 0) - inside + own

    def changes(self, k: int, top: int | None = None) -> list[tuple[int, int, int]]:
        """Move k's (position, rank before, rank after) for every project whose rank changes,
        in position order (with `top`: only those whose rank before or after is `top` or
        better)."""
        p = int(self.project[k])
        span = self.order[self.start[k]:self.stop[k]]
        span = span[span != p]
        old = self.before[span]
        new = old + self.shift[k]
        if top is not None:
            keep = np.minimum(old, new) <= top
            span, old, new = span[keep], old[keep], new[keep]
        found = list(zip(span.tolist(), old.tolist(), new.tolist(), strict=True))
        mine = int(self.before[p]), int(self.after[k])
        if mine[0] != mine[1] and (top is None or min(mine) <= top):
            found.append((p, *mine))
        return sorted(found)

    def leaders(self, k: int) -> list[int]:
        """The positions of the projects ranked first after move k, in position order (only
        those ranked first or second before can be: the others move one place at most)."""
        p = int(self.project[k])
        near = np.flatnonzero(self.before <= 2)
        near = near[near != p]
        inside = (self.place[near] >= self.start[k]) & (self.place[near] < self.stop[k])
        ranks = self.before[near] + np.where(inside, self.shift[k], 0)
        found = near[ranks == 1].tolist()
        if self.after[k] == 1:
            found.append(p)
        return sorted(found)
