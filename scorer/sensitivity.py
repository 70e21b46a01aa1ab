"""How much a ranking depends on its weights: exact where the maths allows, else SMAA-2.

Inputs: `scores`, a project × axis DataFrame of axis scores (floats), and `weights`, a Series
over the same axes, non-negative (normalised here to sum to 1). The weighted score of project
p is Σₐ wₐ·sₚₐ; ranks are `scorer.ranking.competition_rank` ranks: higher is better, scores
equal to 9 decimals tie, ties share the better rank (1, 2, 2, 4). Everything returns tables.

- **One at a time (OAT).** Axis a's weight becomes t ∈ [0, 1]; every other axis j gets
  (1 − t)·wⱼ / (1 − wₐ⁰), wₐ⁰ its current weight, so the others keep their proportions and the
  sum stays 1. If wₐ⁰ = 1 (the others are all zero), the others share 1 − t equally. Then
  scoreₚ(t) = t·sₚₐ + (1 − t)·Rₚ with Rₚ = Σ_{j≠a} wⱼ sₚⱼ / (1 − wₐ⁰): a line, so where two
  projects cross is solved exactly. Crossings outside [0, 1] are dropped; so are pairs whose
  lines are parallel or coincide (they never swap).
- **Stability.** Per axis: the largest closed interval of t around wₐ⁰ on which the current
  winner (rank 1 now; of several tied, the first in index order) keeps rank 1, ties allowed;
  and the interval on which every rank stays as it is, bounded by the nearest crossings on
  either side (or 0, 1): a single point when two projects cross exactly at wₐ⁰. The critical
  change is the nearest end of a winner interval, over all axes, that is not 0 or 1.
- **Perturbation.** Per project and axis, the ranks if that one axis score were one step up
  or down (moves leaving the scale are skipped): "what if this judgement is one point off".
- **Monte Carlo (SMAA-2).** Weight vectors drawn uniformly on the simplex (Dirichlet(1,…,1),
  normalised standard exponentials), or from Dirichlet(K·w) centred on the chosen weights
  (larger K, closer to w; zero-weight axes stay zero). Per project: rank acceptability (share
  of samples in which it takes each rank), expected rank, P(first), pairwise winning
  probabilities (among the `pairwise_limit` best-ranked projects: they cost O(k²) per
  sample) and central weights (mean weights of the samples in which it ranks first). Drawn
  from `numpy.random.default_rng(seed)` in chunks; the chunk size never changes a number.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from scorer.ranking import TIE_DECIMALS, Moves, competition_rank
from scorer.sampling import TOP

PARALLEL = 1e-12
"""Lines whose slopes differ by less than this never cross (float noise, not a crossing)."""
AT = 1e-9
"""A crossing this close to the current weight is at it (the projects tie now)."""
PAIRWISE_LIMIT = 50
"""Pairwise wins cover at most this many projects, the best-ranked under the chosen weights."""
DOMINATES = 1e-7
"""A project whose score is above another's by more than this at both ends of a weight's
range (0 and 1) is above it at every weight between: far beyond float noise and ties."""
_PAIRS = 1 << 20
"""Pairs of projects whose crossing is solved at a time (a few tens of MB of arrays),
so that the one-at-a-time analyses use memory linear in projects at any size."""

_SCALE = 10.0**TIE_DECIMALS  # weighted scores × this, rounded: integers that tie iff equal
_BLOCK_VALUES = 1 << 16
"""Weighted scores ranked at a time (512 KB of float64): a block's arrays stay in cache.
Blocks always start at multiples of their size in the sample stream, so each weighted score
comes from the same BLAS call shape whatever the chunk size (BLAS kernels, and so the last
bits of a dot product, change with the shape)."""
_PART_VALUES = (1 << 18, 1 << 21)
"""Weighted scores per worker per chunk: enough to amortise its tally over every (project,
rank), at most 2²¹ (16 MB of int64 keys) however many projects there are."""
_PAIR_BYTES = 1 << 20  # comparison matrix of one block of pairwise wins
_FIXED = float(1 << 30)
"""Central weights are summed as integers in units of 2⁻³⁰, so no sum depends on how the
samples were chunked (float sums depend on their order); the error is below 10⁻⁹."""


def _arrays(scores: pd.DataFrame, weights: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Scores (n × m) and the weights of its columns, checked and normalised to sum to 1."""
    if scores.shape[0] == 0 or scores.shape[1] == 0:
        raise ValueError("scores need at least one project and one axis")
    missing = [axis for axis in scores.columns if axis not in weights.index]
    if missing:
        raise ValueError(f"no weight for axes {missing}")
    s = scores.to_numpy(dtype=float)
    w = weights.reindex(scores.columns).to_numpy(dtype=float)
    if not np.isfinite(s).all():
        raise ValueError("scores must be finite numbers")
    if not (np.isfinite(w).all() and (w >= 0).all() and w.sum() > 0):
        raise ValueError("weights must be non-negative numbers with a positive sum")
    return s, w / w.sum()


# ---------------------------------------------------------------- one at a time


def _lines(s: np.ndarray, w: np.ndarray, a: int) -> tuple[np.ndarray, np.ndarray]:
    """Intercept Rₚ and slope sₚₐ − Rₚ of each project's score as a function of wₐ = t."""
    others = np.delete(np.arange(len(w)), a)
    if not len(others):  # a single axis: every score is constant in t
        return s[:, a].copy(), np.zeros(len(s))
    rest = w[others]
    share = rest / rest.sum() if rest.sum() > 0 else np.full(len(rest), 1 / len(rest))
    intercept = s[:, others] @ share
    return intercept, s[:, a] - intercept


def _pair_blocks(n: int, pairs: int = _PAIRS) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Every pair i < j of n, in the order of `np.triu_indices(n, 1)`, whole rows of i at a
    time, about `pairs` pairs a block."""
    sizes = np.arange(n - 1, -1, -1)  # row i pairs i with i + 1 … n − 1
    start = 0
    while start < n - 1:
        stop = start + max(1, int(np.searchsorted(np.cumsum(sizes[start:]), pairs,
                                                  side="right")))
        rows = np.arange(start, min(stop, n))
        i = np.repeat(rows, sizes[rows])
        j = i + 1 + np.arange(len(i)) - np.repeat(np.cumsum(sizes[rows]) - sizes[rows],
                                                  sizes[rows])
        yield i, j
        start = stop


def _block_crossings(intercept: np.ndarray, slope: np.ndarray, i: np.ndarray, j: np.ndarray
                     ) -> tuple[np.ndarray, ...]:
    """t ∈ [0, 1] where lines i and j meet, for the pairs given, with the pairs that do."""
    gap = slope[i] - slope[j]
    crossing = np.abs(gap) > PARALLEL
    i, j, gap = i[crossing], j[crossing], gap[crossing]
    t = (intercept[j] - intercept[i]) / gap
    inside = (t >= -AT) & (t <= 1 + AT)
    return np.clip(t[inside], 0.0, 1.0), i[inside], j[inside]


def _crossings(intercept: np.ndarray, slope: np.ndarray) -> tuple[np.ndarray, ...]:
    """t ∈ [0, 1] where two lines meet, with the pair (i < j), in order of t."""
    found = [_block_crossings(intercept, slope, i, j)
             for i, j in _pair_blocks(len(intercept))]
    if not found:
        return np.zeros(0), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    t, i, j = (np.concatenate(parts) for parts in zip(*found, strict=True))
    order = np.argsort(t, kind="stable")
    return t[order], i[order], j[order]


def _around(intercept: np.ndarray, slope: np.ndarray, t0: float) -> tuple[bool, float, float]:
    """Whether two lines cross at t0, the last crossing before it (or 0) and the first after
    it (or 1): the stretch on which no rank changes, found a block of pairs at a time (of
    distinct lines: projects on one line cross the others where it does)."""
    at, below, above = False, 0.0, 1.0
    for i, j in _pair_blocks(len(intercept)):
        t, _, _ = _block_crossings(intercept, slope, i, j)
        at = at or bool(np.any(np.abs(t - t0) <= AT))
        below = max(below, float(t[t < t0].max(initial=0.0)))
        above = min(above, float(t[t > t0].min(initial=1.0)))
    return at, below + 0.0, above + 0.0  # a crossing at t = −0.0 is at 0


def oat_breakpoints(scores: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Every weight t of every axis at which two projects a, b swap: columns axis, t, a, b,
    sorted by axis (column order of `scores`) then t."""
    s, w = _arrays(scores, weights)
    ids = scores.index.to_numpy()
    frames = [pd.DataFrame(columns=["axis", "t", "a", "b"]).astype({"t": float})]
    for a, axis in enumerate(scores.columns):
        t, i, j = _crossings(*_lines(s, w, a))
        frames.append(pd.DataFrame({"axis": axis, "t": t, "a": ids[i], "b": ids[j]}))
    return pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)


def _ordering(ids: np.ndarray, values: np.ndarray) -> list[tuple[Any, ...]]:
    """Per row of `values`: the project ids in rank order, ties in index order."""
    ranks = competition_rank(values)
    return [tuple(ids[row]) for row in np.argsort(ranks, axis=-1, kind="stable")]


def oat_segments(scores: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Per axis, the ranking on each open stretch of t between consecutive crossings (and
    0, 1): columns axis, start, end, ranking (project ids, best first, ties in index order)."""
    s, w = _arrays(scores, weights)
    ids = scores.index.to_numpy()
    rows: list[dict[str, Any]] = []
    for a, axis in enumerate(scores.columns):
        intercept, slope = _lines(s, w, a)
        t, _, _ = _crossings(intercept, slope)
        edges = np.concatenate([[0.0], t[(t > AT) & (t < 1 - AT)], [1.0]])
        edges = edges[np.concatenate([[True], np.diff(edges) > AT])]  # crossings at one t
        middles = (edges[:-1] + edges[1:]) / 2
        rankings = _ordering(ids, intercept[None, :] + middles[:, None] * slope[None, :])
        rows += [{"axis": axis, "start": float(lo), "end": float(hi), "ranking": r}
                 for lo, hi, r in zip(edges[:-1], edges[1:], rankings, strict=True)]
    return pd.DataFrame(rows, columns=["axis", "start", "end", "ranking"])


def oat_sweep(scores: pd.DataFrame, weights: pd.Series, steps: int = 21,
              top: int | None = None) -> pd.DataFrame:
    """Score and rank of every project at `steps` evenly spaced weights t of each axis, for
    charts: columns axis, t, project, score, rank. With `top`, only the projects ranked
    `top` or better at the chosen weights are listed (ranks still count every project)."""
    s, w = _arrays(scores, weights)
    ts = np.linspace(0.0, 1.0, steps)
    shown = np.arange(len(s)) if top is None else np.flatnonzero(competition_rank(s @ w)
                                                                  <= top)
    frames = []
    for a, axis in enumerate(scores.columns):
        intercept, slope = _lines(s, w, a)
        values = intercept[None, :] + ts[:, None] * slope[None, :]
        frames.append(pd.DataFrame({
            "axis": axis, "t": np.repeat(ts, len(shown)),
            "project": np.tile(scores.index.to_numpy()[shown], steps),
            "score": values[:, shown].ravel(), "rank": competition_rank(values)[:, shown].ravel(),
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- stability


def _winner(s: np.ndarray, w: np.ndarray) -> int:
    """Position of the project ranked first now; of several tied, the first in index order."""
    return int(np.flatnonzero(competition_rank(s @ w) == 1)[0])


def _winner_interval(intercept: np.ndarray, slope: np.ndarray, k: int,
                     t0: float) -> tuple[float, float]:
    """The largest interval of t around t0 on which line k is at or above every other."""
    others = np.delete(np.arange(len(intercept)), k)
    gap = slope[k] - slope[others]
    crossing = np.abs(gap) > PARALLEL
    t = (intercept[others[crossing]] - intercept[k]) / gap[crossing]  # as in `_crossings`
    rising = gap[crossing] > 0  # k gains on them as t grows: ahead from t on
    low = float(t[rising].max(initial=0.0))
    high = float(t[~rising].min(initial=1.0))
    return min(max(low, 0.0), t0), max(min(high, 1.0), t0)


def stability(scores: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Per axis (the index): its weight, the interval of it keeping the current winner first
    (winner_low, winner_high) and the one keeping every rank (ranking_low, ranking_high)."""
    s, w = _arrays(scores, weights)
    k = _winner(s, w)
    rows = {}
    for a, axis in enumerate(scores.columns):
        t0 = float(w[a])
        intercept, slope = _lines(s, w, a)
        win_low, win_high = _winner_interval(intercept, slope, k, t0)
        at, rank_low, rank_high = _around(*_distinct(intercept, slope)[:2], t0)
        if at:
            rank_low = rank_high = t0  # two projects cross right here: any change reorders
        rows[axis] = {"weight": t0, "winner_low": win_low, "winner_high": win_high,
                      "ranking_low": rank_low, "ranking_high": rank_high}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("axis")


def _overtaker(intercept: np.ndarray, slope: np.ndarray, k: int, threshold: float,
               sign: float) -> int:
    """Who is first just past `threshold` (moving in direction `sign`): of the rivals that
    cross line k there, the steepest that way; the first in index order if several are."""
    gap = slope[k] - slope
    moving = sign * gap < -PARALLEL  # rivals gaining on k as t moves past the threshold
    moving[k] = False
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(moving, (intercept - intercept[k]) / gap, np.inf)  # as in `_crossings`
    miss = np.abs(t - threshold)
    crossing = moving & (miss <= max(AT, miss.min()))  # float noise: the nearest crossing
    return int(np.argmax(np.where(crossing, sign * slope, -np.inf)))


class CriticalChange(TypedDict):
    """The smallest single-weight change that hands first place to another project."""

    axis: Hashable
    weight: float
    threshold: float
    direction: str  # "below" or "above"
    distance: float
    winner: Hashable
    overtaker: Hashable


def critical_change(scores: pd.DataFrame, weights: pd.Series) -> CriticalChange | None:
    """The nearest end of any axis's winner interval other than a lower end at 0 or an upper
    end at 1 (the winner keeps first place all the way there), and who is first just past it;
    None when the winner survives every single-weight change. Equal distances: the first
    axis, 'below' before 'above'. The overtaker is strictly first just past the threshold,
    unless rivals with identical lines share it (then the first in index order)."""
    s, w = _arrays(scores, weights)
    ids = scores.index
    k = _winner(s, w)
    table = stability(scores, weights)
    best: CriticalChange | None = None
    for a, axis in enumerate(scores.columns):
        t0, low, high = table.loc[axis, ["weight", "winner_low", "winner_high"]]
        for threshold, direction, sign, end in ((low, "below", -1.0, 0.0),
                                                (high, "above", 1.0, 1.0)):
            if threshold == end:
                continue  # the winner keeps first place all the way to that end
            if best is not None and abs(t0 - threshold) >= best["distance"]:
                continue
            intercept, slope = _lines(s, w, a)
            overtaker = _overtaker(intercept, slope, k, threshold, sign)
            best = CriticalChange(axis=axis, weight=float(t0), threshold=float(threshold),
                                  direction=direction, distance=float(abs(t0 - threshold)),
                                  winner=ids[k], overtaker=ids[overtaker])
    return best


# ---------------------------------------------------------------- perturbation


def _moves(scores: pd.DataFrame, weights: pd.Series, step: float, low: float, high: float
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, Moves]:
    """Every project × axis × (+step, −step) that stays within [low, high] (project, axis,
    delta), and what each does to the ranks."""
    s, w = _arrays(scores, weights)
    n, m = s.shape
    p, a, d = (x.ravel() for x in np.meshgrid(np.arange(n), np.arange(m), [step, -step],
                                              indexing="ij"))
    moved = s[p, a] + d
    keep = (moved >= low - 1e-12) & (moved <= high + 1e-12)
    p, a, d = p[keep], a[keep], d[keep]
    rows = s[p].copy()
    rows[np.arange(len(p)), a] += d
    new_value = rows @ w  # the moved project's weighted score, recomputed as `rank` would
    return p, a, d, Moves.of(s @ w, p, new_value)


def _move_rows(scores: pd.DataFrame, p: np.ndarray, a: np.ndarray, d: np.ndarray,
               moves: Moves, which: np.ndarray, top: int | None = None
               ) -> Iterator[dict[str, Any]]:
    """The rows of `perturbation` for the moves `which` (with `top`: their changes within
    the top ranks only)."""
    ids, axes = scores.index.tolist(), scores.columns.tolist()  # lists: fast to index
    for k in which.tolist():
        yield {"project": ids[p[k]], "axis": axes[a[k]], "delta": float(d[k]),
               "rank_before": int(moves.before[p[k]]), "rank_after": int(moves.after[k]),
               "changes": tuple((ids[q], old, new) for q, old, new in moves.changes(k, top))}


PERTURBATION_COLUMNS = ["project", "axis", "delta", "rank_before", "rank_after", "changes"]


def perturbation(scores: pd.DataFrame, weights: pd.Series, step: float = 1.0,
                 low: float = 1.0, high: float = 5.0) -> pd.DataFrame:
    """Each project × axis × (+step, −step) that stays within [low, high]: the project's rank
    before and after, and `changes`, (project, old rank, new rank) for every rank that moves.
    (`one_point_off` keeps only the moves that reach the top ranks.)"""
    p, a, d, moves = _moves(scores, weights, step, low, high)
    return pd.DataFrame(list(_move_rows(scores, p, a, d, moves, np.arange(len(p)))),
                        columns=PERTURBATION_COLUMNS)


@dataclass(frozen=True)
class OnePointOff:
    """One point off, bounded: the moves that change one of the `top` best ranks, with
    those changes; how many moves there are and how many change any rank; every move on
    demand (`rows(full=True)`), computed as it is read."""

    table: pd.DataFrame
    """The moves that matter: project, axis, delta, rank_before, rank_after, `changes`
    ((project, old rank, new rank) for each rank within the top that moves, the moved
    project's own included) and `others`, how many ranks below the top move too."""
    moves: int
    """Moves within the scale, one axis score one step up or down."""
    changing: int
    """Moves that change some rank."""
    top: int
    _stream: Callable[[], Iterator[dict[str, Any]]] = field(repr=False, compare=False)

    def rows(self, full: bool = False) -> Iterator[dict[str, Any]]:
        """The moves that matter, as `table` rows; with `full`, every move, as the rows of
        `perturbation` (every change), one at a time."""
        if full:
            return self._stream()
        return iter(self.table.to_dict("records"))


def one_point_off(scores: pd.DataFrame, weights: pd.Series, step: float = 1.0,
                  low: float = 1.0, high: float = 5.0, top: int = TOP) -> OnePointOff:
    """`perturbation`, bounded: only the moves that change a rank within the `top` best
    (the winner's among them), and counts of the rest. Memory is linear in projects."""
    if top < 1:
        raise ValueError("top must be at least 1")
    p, a, d, moves = _moves(scores, weights, step, low, high)
    every, within = moves.counts(), moves.counts(top)
    matter = np.flatnonzero(within > 0)
    table = pd.DataFrame(list(_move_rows(scores, p, a, d, moves, matter, top)),
                         columns=PERTURBATION_COLUMNS)
    table["others"] = (every - within)[matter]
    return OnePointOff(table=table, moves=len(moves), changing=int((every > 0).sum()),
                       top=top, _stream=lambda: _move_rows(scores, p, a, d, moves,
                                                           np.arange(len(p))))


# ---------------------------------------------------------------- crossings, bounded


def _distinct(intercept: np.ndarray, slope: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct lines, in the order of the first project on each: intercepts, slopes,
    that first project's position, how many projects share each line, and each project's
    line. Projects on one
    line never cross (they tie at every weight) and cross any other line at the same t."""
    lines, first, member, sizes = np.unique(np.stack([intercept, slope], axis=1), axis=0,
                                            return_index=True, return_inverse=True,
                                            return_counts=True)
    order = np.argsort(first, kind="stable")
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order))
    return lines[order, 0], lines[order, 1], first[order], sizes[order], place[member.ravel()]


def _contenders(start: np.ndarray, end: np.ndarray, sizes: np.ndarray, top: int
                ) -> np.ndarray:
    """Positions of the lines that may hold one of the `top` best ranks somewhere on [0, 1]:
    those above which fewer than `top` projects lie at both ends (by more than DOMINATES, so
    at every t between). A superset: every line in the top somewhere is among them."""
    n = len(start)
    keep = np.zeros(n, dtype=bool)
    rows = max(1, (1 << 22) // max(n, 1))
    for first in range(0, n, rows):
        part = slice(first, first + rows)
        above = ((start[None, :] > start[part, None] + DOMINATES)
                 & (end[None, :] > end[part, None] + DOMINATES))
        keep[part] = above.astype(np.int64) @ sizes < top
    return np.flatnonzero(keep)


@dataclass(frozen=True)
class Crossings:
    """One weight at a time, bounded: the crossings that change one of the `top` best ranks
    (the winner's among them), the rankings of the top between them, how many crossings
    each axis has in all, and every crossing on demand (`rows(full=True)`)."""

    table: pd.DataFrame
    """axis, t, a, b (as `oat_breakpoints`), `rank`, the rank the two share where they cross
    (at most `top`), and `tied_a`, `tied_b`: how many projects share a's line and b's (the
    same score at every weight of this axis: they all cross there; 1 when none but itself);
    by axis, then t."""
    segments: pd.DataFrame
    """axis, start, end, ranking: the projects of the top ranks (best first, ties in index
    order) on each stretch of t between the crossings of `table` (and 0, 1)."""
    counts: pd.Series
    """Per axis: every crossing in [0, 1], as many as `oat_breakpoints` lists."""
    top: int
    _stream: Callable[[Any], Iterator[dict[str, Any]]] = field(repr=False, compare=False)

    def rows(self, full: bool = False, axis: Any = None) -> Iterator[dict[str, Any]]:
        """The crossings that matter, as `table` rows; with `full`, every crossing (axis, t,
        a, b), by axis then t, one axis computed at a time. With `axis`, that axis's only."""
        if full:
            return self._stream(axis)
        table = self.table if axis is None else self.table[self.table["axis"] == axis]
        return iter(table.to_dict("records"))


CROSSING_COLUMNS = ["axis", "t", "a", "b", "rank", "tied_a", "tied_b"]


def crossings(scores: pd.DataFrame, weights: pd.Series, top: int = TOP) -> Crossings:
    """`oat_breakpoints` and `oat_segments`, bounded to the `top` best ranks. Projects on
    the same line are crossed once, and only the lines that may reach the top
    (`_contenders`) with one another; every pair of lines is still visited, a block at a
    time, to count the crossings, so memory stays linear in projects."""
    if top < 1:
        raise ValueError("top must be at least 1")
    s, w = _arrays(scores, weights)
    ids = scores.index.to_numpy()
    found, segments, counts = [], [], {}
    for a, axis in enumerate(scores.columns):
        intercept, slope = _lines(s, w, a)
        line_start, line_slope, first, sizes, line_of = _distinct(intercept, slope)
        counts[axis] = sum(int(sizes[i] @ sizes[j]) for i, j in (
            _block_crossings(line_start, line_slope, i, j)[1:]
            for i, j in _pair_blocks(len(sizes))))
        near = _contenders(line_start, line_start + line_slope, sizes, top)
        start, rise, held = line_start[near], line_slope[near], sizes[near]
        t, i, j = _crossings(start, rise)
        rank = _rank_at(start, rise, held, t, i, j)
        keep = rank <= top
        t, i, j, rank = t[keep], i[keep], j[keep], rank[keep]
        order = np.lexsort((first[near][j], first[near][i], t))
        t, i, j, rank = t[order], i[order], j[order], rank[order]
        found.append(pd.DataFrame({
            "axis": axis, "t": t, "a": ids[first[near][i]], "b": ids[first[near][j]],
            "rank": rank, "tied_a": held[i], "tied_b": held[j]}))  # fmt: skip
        members = np.isin(line_of, near)
        segments += _top_segments(axis, ids[members], intercept[members], slope[members], t,
                                  top)
    table = pd.concat(found, ignore_index=True) if found else pd.DataFrame(
        columns=CROSSING_COLUMNS)
    return Crossings(
        table=table[CROSSING_COLUMNS].astype({"t": float, "rank": np.int64, "tied_a": np.int64,
                                              "tied_b": np.int64}),
        segments=pd.DataFrame(segments, columns=["axis", "start", "end", "ranking"]),
        counts=pd.Series(counts, name="crossings", dtype=np.int64).rename_axis("axis"),
        top=top, _stream=lambda axis=None: _every_crossing(scores, weights, axis),
    )  # fmt: skip


def _rank_at(intercept: np.ndarray, slope: np.ndarray, sizes: np.ndarray, t: np.ndarray,
             i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Per crossing of lines i and j: 1 + the projects strictly above them at its t (ranks
    compare rounded scores, as `competition_rank`), a block of crossings at a time."""
    rank = np.empty(len(t), dtype=np.int64)
    rows = max(1, (1 << 22) // max(len(intercept), 1))
    for first in range(0, len(t), rows):
        part = slice(first, first + rows)
        values = np.round(intercept[None, :] + t[part, None] * slope[None, :], TIE_DECIMALS)
        at = np.arange(len(values))
        pair = np.maximum(values[at, i[part]], values[at, j[part]])
        rank[part] = 1 + (values > pair[:, None]).astype(np.int64) @ sizes
    return rank


def _top_segments(axis: Any, ids: np.ndarray, intercept: np.ndarray, slope: np.ndarray,
                  t: np.ndarray, top: int) -> list[dict[str, Any]]:
    """As `oat_segments`, between the crossings `t` only, each ranking cut to the top."""
    edges = np.concatenate([[0.0], t[(t > AT) & (t < 1 - AT)], [1.0]])
    edges = edges[np.concatenate([[True], np.diff(edges) > AT])]
    middles = (edges[:-1] + edges[1:]) / 2
    rows = []
    for lo, hi, middle in zip(edges[:-1], edges[1:], middles, strict=True):
        ranks = competition_rank(intercept + middle * slope)
        best = np.argsort(ranks, kind="stable")
        best = best[ranks[best] <= top]
        rows.append({"axis": axis, "start": float(lo), "end": float(hi),
                     "ranking": tuple(ids[best])})
    return rows


def _every_crossing(scores: pd.DataFrame, weights: pd.Series, only: Any = None
                    ) -> Iterator[dict[str, Any]]:
    """Every row of `oat_breakpoints` (of the axis `only`, when given), one axis computed at
    a time."""
    s, w = _arrays(scores, weights)
    ids = scores.index.to_numpy()
    for a, axis in enumerate(scores.columns):
        if only is not None and axis != only:
            continue
        t, i, j = _crossings(*_lines(s, w, a))
        for when, first, second in zip(t.tolist(), ids[i], ids[j], strict=True):
            yield {"axis": axis, "t": when, "a": first, "b": second}


# ---------------------------------------------------------------- Monte Carlo (SMAA-2)


@dataclass(frozen=True)
class MonteCarlo:
    """Stochastic multicriteria acceptability analysis (SMAA-2) over sampled weight vectors."""

    samples: int
    seed: int
    concentration: float | None
    """None: uniform on the simplex; K: Dirichlet(K·w) around the chosen weights w."""
    rank_acceptability: pd.DataFrame
    """project × rank (1..n): share of samples in which the project takes that rank."""
    expected_rank: pd.Series
    first: pd.Series
    """Share of samples in which the project ranks first (ties included)."""
    pairwise_win: pd.DataFrame
    """row × column: share of samples in which row ranks strictly above column (diagonal NaN),
    over `pairwise_projects` only."""
    central_weights: pd.DataFrame
    """project × axis: mean weights of the samples in which it ranks first; NaN if never."""
    pairwise_projects: tuple[Any, ...]
    """The projects pairwise wins cover: the best-ranked under the chosen weights, in index
    order; all of them when there are at most `pairwise_limit`."""
    pairwise_limit: int | None = PAIRWISE_LIMIT


def check_draws(samples: int, seed: int, concentration: float | None) -> None:
    """Refuse what no sampler can draw (`ValueError`): fewer than one sample, a seed numpy
    cannot take, a concentration that is not a positive finite number. The bounds a user
    is held to are `scorer.sampling`'s."""
    if isinstance(samples, bool) or not isinstance(samples, Integral) or samples < 1:
        raise ValueError(f"samples must be a whole number, at least 1, not {samples!r}")
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative whole number, not {seed!r}")
    if concentration is not None and (isinstance(concentration, bool) or not (
            isinstance(concentration, Real) and math.isfinite(concentration)
            and concentration > 0)):
        raise ValueError(f"concentration must be a positive finite number, not "
                         f"{concentration!r}")


def sample_weights(rng: np.random.Generator, count: int, weights: np.ndarray,
                   concentration: float | None) -> np.ndarray:
    """`count` weight vectors (rows): uniform on the simplex, or Dirichlet(K·w) on the axes of
    positive weight. Consecutive calls continue one stream, so chunking never changes it."""
    weights = np.asarray(weights, dtype=float)
    if concentration is None:
        draws = rng.standard_exponential((count, len(weights)))
        return draws / draws.sum(axis=1, keepdims=True)
    active = weights > 0
    out = np.zeros((count, len(weights)))
    out[:, active] = rng.dirichlet(concentration * weights[active], size=count)
    return out


def _tied_above(level: np.ndarray, held: np.ndarray, total: int) -> np.ndarray:
    """Projects strictly above each position of rows sorted ascending by `level`, where equal
    levels tie and `held` counts the projects at or below each position."""
    rows, width = level.shape
    last = np.ones((rows, width), dtype=bool)  # last position of a run of equal levels
    last[:, :-1] = level[:, 1:] != level[:, :-1]
    end = np.where(last, np.arange(width), width)
    end = np.minimum.accumulate(end[:, ::-1], axis=1)[:, ::-1]
    return total - np.take_along_axis(np.broadcast_to(held, (rows, width)), end, axis=1)


class _Ranker:
    """Ranks the distinct score rows ("groups") of a decision matrix under many weight rows.

    Identical projects tie under every weight vector, so each group is ranked once and counts
    for its `sizes` projects. Each worker thread has its own ranker, whose buffers are reused
    from chunk to chunk (fresh large arrays cost page faults and serialise threads)."""

    def __init__(self, groups_t: np.ndarray, sizes: np.ndarray | None, total: int,
                 pair: np.ndarray, rows: int, block: int, kept: int | None = None) -> None:
        u, c = groups_t.shape[1], len(pair)
        self.groups_t, self.sizes, self.total, self.pair, self.block = (
            groups_t, sizes, total, pair, block)
        self.kept = total if kept is None else kept
        self.bits = max(1, (u - 1).bit_length())
        self.low_bits = np.arange(u)
        self.plain_above = np.arange(u - 1, -1, -1)  # position j (ascending): u − 1 − j above
        self.keys = np.empty((rows, u), dtype=np.int64)  # (projects above)·groups + group
        self.chosen = np.empty((rows, c), dtype=np.int64)  # rounded scores of `pair`
        self.values = np.empty((block, u))
        self.packed = np.empty((block, u), dtype=np.int64)
        self.group = np.empty((block, u), dtype=np.int64)
        self.held = np.empty((block, u), dtype=np.int32)
        self.above = np.empty((block, u), dtype=np.int32)
        self.ties = np.empty((block, u - 1), dtype=bool)
        small = np.int8 if c < 2**7 else np.int16 if c < 2**15 else np.int32
        self.pair_packed = np.empty((rows, c), dtype=np.int64)
        self.pair_column = np.empty((rows, c), dtype=np.int64)
        self.pair_rises = np.ones((rows, c), dtype=small)  # 1 where the sorted level rises
        self.pair_dense = np.empty((rows, c), dtype=small)  # dense rank within the row
        self.pair_dense_t = np.empty((c, rows), dtype=small)
        self.pair_rows = max(1, min(_PAIR_BYTES // max(1, c * c), 2**16 - 1))  # uint16 counts
        self.pair_above = np.empty((c, c, min(self.pair_rows, rows)), dtype=bool)

    def tally(self, sampled: np.ndarray) -> tuple[np.ndarray, ...]:
        """Rank the groups under each row of `sampled`: counts per (projects above, group)
        for fewer than `kept` above, pairwise win counts among `pair`, fixed-point central
        weight sums per group, and per group the projects above it summed over the rows."""
        rows, u = len(sampled), self.groups_t.shape[1]
        central = np.zeros((u, sampled.shape[1]), dtype=np.int64)
        for start in range(0, rows, self.block):
            end = min(start + self.block, rows)
            central += self._rank(sampled[start:end], self.keys[start:end],
                                  self.chosen[start:end])
        keys = self.keys[:rows].ravel()
        above = np.zeros(u, dtype=np.int64)  # only needed when counts leave ranks out
        if self.kept < self.total:
            above = np.bincount(keys % u, weights=keys // u, minlength=u).astype(np.int64)
            keys = keys[keys < self.kept * u]
        counts = np.bincount(keys, minlength=self.kept * u)
        return counts, self._pairwise(self.chosen[:rows]), central, above

    def _rank(self, sampled: np.ndarray, keys: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        """One block: fill `keys` (row × sorted position) and `chosen`; return the block's
        fixed-point central weight sums."""
        rows, u = len(sampled), self.groups_t.shape[1]
        values, packed, group = self.values[:rows], self.packed[:rows], self.group[:rows]
        np.matmul(sampled, self.groups_t, out=values)
        values *= _SCALE
        np.rint(values, out=values)  # = np.round(·, 9) · 10⁹: equal iff tied
        np.copyto(packed, values, casting="unsafe")
        np.take(packed, self.pair, axis=1, out=chosen)
        packed <<= self.bits  # rounded score in the high bits, group in the low ones
        packed |= self.low_bits
        packed.sort(axis=1)
        np.bitwise_and(packed, (1 << self.bits) - 1, out=group)
        level = np.right_shift(packed, self.bits, out=packed)
        tied = np.equal(level[:, 1:], level[:, :-1], out=self.ties[:rows]).any(axis=1)
        if self.sizes is None:
            above: np.ndarray = np.broadcast_to(self.plain_above, (rows, u))
            held: np.ndarray = self.low_bits + 1
        else:
            held = self.held[:rows]
            np.take(self.sizes, group, out=held)
            np.cumsum(held, axis=1, out=held)
            above = np.subtract(self.total, held, out=self.above[:rows])
        winner_rows, winners = np.arange(rows), group[:, -1]
        if tied.any():  # rare: weights on which two different projects score the same
            some = np.flatnonzero(tied)
            above = above.copy()
            above[some] = _tied_above(level[some], held if self.sizes is None
                                      else held[some], self.total)
            first, position = np.nonzero(above[some] == 0)
            winner_rows = np.concatenate([np.flatnonzero(~tied), some[first]])
            winners = np.concatenate([group[~tied, -1], group[some[first], position]])
        np.multiply(above, u, out=keys)
        keys += group
        fixed = np.rint(sampled[winner_rows] * _FIXED)  # integers: block sums exact below 2⁵³
        return np.stack([np.bincount(winners, weights=fixed[:, j], minlength=u)
                         for j in range(fixed.shape[1])], axis=1).astype(np.int64)

    def _pairwise(self, level: np.ndarray) -> np.ndarray:
        """Per pair of columns of `level` (rounded scores): in how many rows the first is
        strictly higher. Compares dense ranks within each row: small ints, fast to compare."""
        rows, c = level.shape
        wins = np.zeros((c, c), dtype=np.int64)
        if c < 2:
            return wins
        bits = (c - 1).bit_length()
        packed, column = self.pair_packed[:rows], self.pair_column[:rows]
        np.left_shift(level, bits, out=packed)
        packed |= np.arange(c)
        packed.sort(axis=1)
        np.bitwise_and(packed, (1 << bits) - 1, out=column)
        level = np.right_shift(packed, bits, out=packed)
        rises, dense = self.pair_rises[:rows], self.pair_dense[:rows]
        np.not_equal(level[:, 1:], level[:, :-1], out=rises[:, 1:], casting="unsafe")
        np.put_along_axis(dense, column, np.cumsum(rises, axis=1, dtype=dense.dtype), axis=1)
        dense_t = self.pair_dense_t[:, :rows]
        np.copyto(dense_t, dense.T)  # column × row: comparisons run along rows
        for start in range(0, rows, self.pair_rows):
            part = dense_t[:, start:start + self.pair_rows]
            above = np.greater(part[:, None, :], part[None, :, :],
                               out=self.pair_above[:, :, :part.shape[1]])
            wins += np.add.reduce(above.view(np.uint8), axis=-1, dtype=np.uint16)
        return wins


def cpus() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def monte_carlo(scores: pd.DataFrame, weights: pd.Series, samples: int = 10_000,
                seed: int = 0, concentration: float | None = None,
                chunk_size: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                pairwise_limit: int | None = PAIRWISE_LIMIT,
                workers: int | None = None, ranks: int | None = None) -> MonteCarlo:
    """SMAA-2 over `samples` weight vectors (see the module doc).

    Samples are drawn `chunk_size` at a time (rounded up to whole blocks; default: sized so
    memory stays within a few tens of MB), and `progress(done, total)` is called after each
    chunk. Each chunk is split between `workers` threads (default: the CPU count, at most 4);
    neither changes any number. Pairwise wins cover the `pairwise_limit` best-ranked projects
    under `weights` (None: all of them). `ranks` bounds rank acceptability to ranks 1 …
    `ranks` (expected ranks stay exact): what grows with the square of the projects.
    """
    check_draws(samples, seed, concentration)
    if ranks is not None and ranks < 1:
        raise ValueError("ranks must be at least 1 (or None: every rank)")
    if chunk_size is not None and chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    if pairwise_limit is not None and pairwise_limit < 1:
        raise ValueError("pairwise_limit must be at least 1 (or None: all projects)")
    s, w = _arrays(scores, weights)
    n, m = s.shape
    kept = n if ranks is None else min(n, ranks)
    sampled_axes = np.flatnonzero(w > 0) if concentration is not None else np.arange(m)
    groups, member_of, sizes = np.unique(s[:, sampled_axes], axis=0, return_inverse=True,
                                         return_counts=True)
    member_of = member_of.ravel()
    u = len(groups)
    limit = n if pairwise_limit is None else min(n, pairwise_limit)
    chosen = np.sort(np.argsort(competition_rank(s @ w), kind="stable")[:limit])
    groups_t = np.ascontiguousarray(groups.T)
    pair = np.unique(member_of[chosen])
    bits = max(1, (u - 1).bit_length())
    if np.abs(groups).max() * _SCALE * 2.0**bits >= 2.0**62:
        raise ValueError("scores too large to rank exactly (|score| · 10⁹ · groups ≥ 2⁶²)")

    workers = max(1, workers or min(cpus(), 4))
    block = max(1, _BLOCK_VALUES // u)  # also keeps fixed-point block sums below 2⁵³
    if chunk_size is None:
        chunk_size = workers * min(max(2 * n * u, _PART_VALUES[0]), _PART_VALUES[1]) // u
    chunk = -(-min(chunk_size, samples) // block) * block  # whole blocks: see _BLOCK_VALUES
    share = -(-chunk // (workers * block)) * block  # rows per worker, whole blocks
    rankers = [_Ranker(groups_t, None if (sizes == 1).all() else sizes.astype(np.int32), n,
                       pair, min(share, chunk), block, kept)
               for _ in range(-(-chunk // share))]
    rng = np.random.default_rng(seed)
    counts = np.zeros(kept * u, dtype=np.int64)  # (projects above) × group
    above = np.zeros(u, dtype=np.int64)  # per group: projects above it, summed over samples
    wins = np.zeros((len(pair),) * 2, dtype=np.int64)
    central = np.zeros((u, len(sampled_axes)), dtype=np.int64)  # in units of 1 / _FIXED
    with ThreadPoolExecutor(len(rankers)) as pool:
        done = 0
        while done < samples:
            size = min(chunk, samples - done)
            sampled = sample_weights(rng, size, w, concentration)[:, sampled_axes]
            parts = [sampled[start:start + share] for start in range(0, size, share)]
            run = pool.map if len(parts) > 1 else map
            for part_counts, part_wins, part_central, part_above in run(_Ranker.tally,
                                                                         rankers, parts):
                counts += part_counts  # integers, summed in order: exact and reproducible
                wins += part_wins
                central += part_central
                above += part_above
            done += size
            if progress is not None:
                progress(done, samples)

    per_group = counts.reshape(kept, u).T  # group × (projects above)
    acceptability = pd.DataFrame(per_group[member_of] / samples, index=scores.index,
                                 columns=pd.RangeIndex(1, kept + 1, name="rank"))
    expected = (acceptability.to_numpy() @ np.arange(1, n + 1) if kept == n
                else (above[member_of] + samples) / samples)  # the first to the last bit
    firsts = per_group[:, :1]
    centre = np.zeros((u, m))
    with np.errstate(invalid="ignore", divide="ignore"):
        centre[:, sampled_axes] = central / _FIXED / firsts
    centre[firsts[:, 0] == 0] = np.nan
    slot = np.searchsorted(pair, member_of[chosen])
    pairwise = wins[np.ix_(slot, slot)] / samples
    np.fill_diagonal(pairwise, np.nan)
    chosen_ids = scores.index[chosen]
    return MonteCarlo(
        samples=samples, seed=seed, concentration=concentration,
        rank_acceptability=acceptability,
        expected_rank=pd.Series(expected, index=scores.index, name="expected_rank"),
        first=acceptability[1].rename("first"),
        pairwise_win=pd.DataFrame(pairwise, index=chosen_ids, columns=chosen_ids),
        central_weights=pd.DataFrame(centre[member_of], index=scores.index,
                                     columns=scores.columns),
        pairwise_projects=tuple(chosen_ids), pairwise_limit=pairwise_limit,
    )  # fmt: skip


# ---------------------------------------------------------------- everything at once


@dataclass(frozen=True)
class BoundedReport:
    """The analyses of one ranking, as the CLI and the workbook show them, each bounded to
    what reaches the `top` best ranks, with counts of the rest and every row on demand:
    output a person or a script can use, and memory linear in projects, at any number of
    projects. (`oat_breakpoints`, `oat_segments` and `perturbation` are the same analyses
    unbounded, for a few projects.)"""

    crossings: Crossings
    """Breakpoints and segments that change the top (with counts; every one by `rows`)."""
    sweep: pd.DataFrame
    """`oat_sweep` of the projects in the top at the chosen weights."""
    stability: pd.DataFrame
    critical: CriticalChange | None
    one_point_off: OnePointOff
    monte_carlo: MonteCarlo
    """Rank acceptability for the top ranks only (`monte_carlo(ranks=top)`)."""
    top: int


def bounded_report(scores: pd.DataFrame, weights: pd.Series, *, samples: int = 10_000,
                   seed: int = 0, concentration: float | None = None, steps: int = 21,
                   step: float = 1.0, low: float = 1.0, high: float = 5.0,
                   progress: Callable[[int, int], None] | None = None,
                   pairwise_limit: int | None = PAIRWISE_LIMIT,
                   sampled: MonteCarlo | None = None, top: int = TOP,
                   every_rank: bool = False) -> BoundedReport:
    """Every analysis with the same inputs, bounded to the `top` best ranks (`sampled`: a
    Monte Carlo already run,
    e.g. `joint_monte_carlo(ranks=top)`, in place of the weight-only one; `every_rank`:
    rank acceptability for every rank, not the `top` only)."""
    return BoundedReport(
        crossings=crossings(scores, weights, top),
        sweep=oat_sweep(scores, weights, steps, top),
        stability=stability(scores, weights),
        critical=critical_change(scores, weights),
        one_point_off=one_point_off(scores, weights, step, low, high, top),
        monte_carlo=sampled if sampled is not None else monte_carlo(
            scores, weights, samples, seed, concentration, progress=progress,
            pairwise_limit=pairwise_limit, ranks=None if every_rank else top),
        top=top,
    )  # fmt: skip
