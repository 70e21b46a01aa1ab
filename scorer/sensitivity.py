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
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from scorer.ranking import TIE_DECIMALS, competition_rank

PARALLEL = 1e-12
"""Lines whose slopes differ by less than this never cross (float noise, not a crossing)."""
AT = 1e-9
"""A crossing this close to the current weight is at it (the projects tie now)."""
PAIRWISE_LIMIT = 50
"""Pairwise wins cover at most this many projects, the best-ranked under the chosen weights."""

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


def _crossings(intercept: np.ndarray, slope: np.ndarray) -> tuple[np.ndarray, ...]:
    """t ∈ [0, 1] where two lines meet, with the pair (i < j), in order of t."""
    i, j = np.triu_indices(len(intercept), k=1)
    gap = slope[i] - slope[j]
    crossing = np.abs(gap) > PARALLEL
    i, j, gap = i[crossing], j[crossing], gap[crossing]
    t = (intercept[j] - intercept[i]) / gap
    inside = (t >= -AT) & (t <= 1 + AT)
    t, i, j = np.clip(t[inside], 0.0, 1.0), i[inside], j[inside]
    order = np.argsort(t, kind="stable")
    return t[order], i[order], j[order]


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


def oat_sweep(scores: pd.DataFrame, weights: pd.Series, steps: int = 21) -> pd.DataFrame:
    """Score and rank of every project at `steps` evenly spaced weights t of each axis, for
    charts: columns axis, t, project, score, rank."""
    s, w = _arrays(scores, weights)
    ts = np.linspace(0.0, 1.0, steps)
    frames = []
    for a, axis in enumerate(scores.columns):
        intercept, slope = _lines(s, w, a)
        values = intercept[None, :] + ts[:, None] * slope[None, :]
        frames.append(pd.DataFrame({
            "axis": axis, "t": np.repeat(ts, len(s)),
            "project": np.tile(scores.index.to_numpy(), steps),
            "score": values.ravel(), "rank": competition_rank(values).ravel(),
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
        t, _, _ = _crossings(intercept, slope)
        if np.any(np.abs(t - t0) <= AT):
            rank_low = rank_high = t0  # two projects cross right here: any change reorders
        else:
            rank_low = float(t[t < t0].max(initial=0.0))
            rank_high = float(t[t > t0].min(initial=1.0))
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


def perturbation(scores: pd.DataFrame, weights: pd.Series, step: float = 1.0,
                 low: float = 1.0, high: float = 5.0) -> pd.DataFrame:
    """Each project × axis × (+step, −step) that stays within [low, high]: the project's rank
    before and after, and `changes`, (project, old rank, new rank) for every rank that moves."""
    s, w = _arrays(scores, weights)
    n, m = s.shape
    ids, axes = scores.index, scores.columns
    base_values = s @ w
    base = competition_rank(base_values)
    p, a, d = (x.ravel() for x in np.meshgrid(np.arange(n), np.arange(m), [step, -step],
                                              indexing="ij"))
    moved = s[p, a] + d
    keep = (moved >= low - 1e-12) & (moved <= high + 1e-12)
    p, a, d = p[keep], a[keep], d[keep]
    rows = s[p].copy()
    rows[np.arange(len(p)), a] += d
    new_value = rows @ w  # the moved project's weighted score, recomputed as `rank` would
    columns = ["project", "axis", "delta", "rank_before", "rank_after", "changes"]
    records: list[dict[str, Any]] = []
    block = max(1, _BLOCK_VALUES // n)
    for start in range(0, len(p), block):
        part = slice(start, start + block)
        values = np.tile(base_values, (len(p[part]), 1))
        values[np.arange(len(p[part])), p[part]] = new_value[part]
        after = competition_rank(values)
        for q, axis, delta, ranks in zip(p[part], a[part], d[part], after, strict=True):
            changed = np.flatnonzero(ranks != base)
            records.append({
                "project": ids[q], "axis": axes[axis], "delta": float(delta),
                "rank_before": int(base[q]), "rank_after": int(ranks[q]),
                "changes": tuple((ids[c], int(base[c]), int(ranks[c])) for c in changed),
            })  # fmt: skip
    return pd.DataFrame(records, columns=columns)


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
                 pair: np.ndarray, rows: int, block: int) -> None:
        u, c = groups_t.shape[1], len(pair)
        self.groups_t, self.sizes, self.total, self.pair, self.block = (
            groups_t, sizes, total, pair, block)
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
        """Rank the groups under each row of `sampled`: counts per (projects above, group),
        pairwise win counts among `pair`, fixed-point central weight sums per group."""
        rows, u = len(sampled), self.groups_t.shape[1]
        central = np.zeros((u, sampled.shape[1]), dtype=np.int64)
        for start in range(0, rows, self.block):
            end = min(start + self.block, rows)
            central += self._rank(sampled[start:end], self.keys[start:end],
                                  self.chosen[start:end])
        counts = np.bincount(self.keys[:rows].ravel(), minlength=self.total * u)
        return counts, self._pairwise(self.chosen[:rows]), central

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


def _cpus() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def monte_carlo(scores: pd.DataFrame, weights: pd.Series, samples: int = 10_000,
                seed: int = 0, concentration: float | None = None,
                chunk_size: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                pairwise_limit: int | None = PAIRWISE_LIMIT,
                workers: int | None = None) -> MonteCarlo:
    """SMAA-2 over `samples` weight vectors (see the module doc).

    Samples are drawn `chunk_size` at a time (rounded up to whole blocks; default: sized so
    memory stays within a few tens of MB), and `progress(done, total)` is called after each
    chunk. Each chunk is split between `workers` threads (default: the CPU count, at most 4);
    neither changes any number. Pairwise wins cover the `pairwise_limit` best-ranked projects
    under `weights` (None: all of them).
    """
    check_draws(samples, seed, concentration)
    if chunk_size is not None and chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    if pairwise_limit is not None and pairwise_limit < 1:
        raise ValueError("pairwise_limit must be at least 1 (or None: all projects)")
    s, w = _arrays(scores, weights)
    n, m = s.shape
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

    workers = max(1, workers or min(_cpus(), 4))
    block = max(1, _BLOCK_VALUES // u)  # also keeps fixed-point block sums below 2⁵³
    if chunk_size is None:
        chunk_size = workers * min(max(2 * n * u, _PART_VALUES[0]), _PART_VALUES[1]) // u
    chunk = -(-min(chunk_size, samples) // block) * block  # whole blocks: see _BLOCK_VALUES
    share = -(-chunk // (workers * block)) * block  # rows per worker, whole blocks
    rankers = [_Ranker(groups_t, None if (sizes == 1).all() else sizes.astype(np.int32), n,
                       pair, min(share, chunk), block)
               for _ in range(-(-chunk // share))]
    rng = np.random.default_rng(seed)
    counts = np.zeros(n * u, dtype=np.int64)  # (projects above) × group
    wins = np.zeros((len(pair),) * 2, dtype=np.int64)
    central = np.zeros((u, len(sampled_axes)), dtype=np.int64)  # in units of 1 / _FIXED
    with ThreadPoolExecutor(len(rankers)) as pool:
        done = 0
        while done < samples:
            size = min(chunk, samples - done)
            sampled = sample_weights(rng, size, w, concentration)[:, sampled_axes]
            parts = [sampled[start:start + share] for start in range(0, size, share)]
            run = pool.map if len(parts) > 1 else map
            for part_counts, part_wins, part_central in run(_Ranker.tally, rankers, parts):
                counts += part_counts  # integers, summed in order: exact and reproducible
                wins += part_wins
                central += part_central
            done += size
            if progress is not None:
                progress(done, samples)

    per_group = counts.reshape(n, u).T  # group × (projects above)
    acceptability = pd.DataFrame(per_group[member_of] / samples, index=scores.index,
                                 columns=pd.RangeIndex(1, n + 1, name="rank"))
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
        expected_rank=pd.Series(acceptability.to_numpy() @ np.arange(1, n + 1),
                                index=scores.index, name="expected_rank"),
        first=acceptability[1].rename("first"),
        pairwise_win=pd.DataFrame(pairwise, index=chosen_ids, columns=chosen_ids),
        central_weights=pd.DataFrame(centre[member_of], index=scores.index,
                                     columns=scores.columns),
        pairwise_projects=tuple(chosen_ids), pairwise_limit=pairwise_limit,
    )  # fmt: skip


# ---------------------------------------------------------------- everything at once


@dataclass(frozen=True)
class Report:
    """The four analyses of one ranking, as the CLI and the workbook show them."""

    breakpoints: pd.DataFrame
    segments: pd.DataFrame
    sweep: pd.DataFrame
    stability: pd.DataFrame
    critical: CriticalChange | None
    perturbation: pd.DataFrame
    monte_carlo: MonteCarlo


def report(scores: pd.DataFrame, weights: pd.Series, *, samples: int = 10_000, seed: int = 0,
           concentration: float | None = None, steps: int = 21, step: float = 1.0,
           low: float = 1.0, high: float = 5.0,
           progress: Callable[[int, int], None] | None = None,
           pairwise_limit: int | None = PAIRWISE_LIMIT,
           sampled: MonteCarlo | None = None) -> Report:
    """All four analyses with the same inputs (`sampled`: a Monte Carlo already run, e.g.
    over weights and evidence, in place of the weight-only one)."""
    return Report(
        breakpoints=oat_breakpoints(scores, weights),
        segments=oat_segments(scores, weights),
        sweep=oat_sweep(scores, weights, steps),
        stability=stability(scores, weights),
        critical=critical_change(scores, weights),
        perturbation=perturbation(scores, weights, step, low, high),
        monte_carlo=sampled if sampled is not None else monte_carlo(
            scores, weights, samples, seed, concentration, progress=progress,
            pairwise_limit=pairwise_limit),
    )  # fmt: skip
