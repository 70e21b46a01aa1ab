"""How much a ranking depends on its weights: exact analysis where the maths allows, else SMAA.

Inputs are the decision matrix `scores` (projects × axes, the 1–5 axis scores) and the
normalised `weights` (a Series over the axes, summing to 1). Everything returns tables.

- **One at a time (OAT).** The weight of axis a becomes t ∈ [0, 1]; every other axis j gets
  (1 − t)·wⱼ / (1 − wₐ), so the others keep their proportions and the sum stays 1 (if wₐ = 1,
  the others share 1 − t equally). A project's score is then linear in t,
  scoreₚ(t) = Rₚ + t·(sₚₐ − Rₚ) with Rₚ = Σ_{j≠a} wⱼ sₚⱼ / (1 − wₐ), so the points where two
  projects swap are found exactly, by solving one linear equation per pair.
- **Stability.** Per axis, the interval of its weight (same rescaling) on which the current
  winner keeps rank 1 (ties allowed), and the interval on which every rank stays as it is;
  and the smallest single-weight change after which another project is strictly first.
- **Perturbation.** Per project and axis, the ranking if that one axis score were one step
  higher or lower: "what if this judgement is one point off".
- **Monte Carlo (SMAA-2).** Weight vectors drawn uniformly on the simplex (Dirichlet(1,…,1)),
  or from a Dirichlet centred on the chosen weights, Dirichlet(K·w) (larger K = closer to
  w; axes of weight 0 stay 0). Per project: rank acceptability (share of samples in which it
  takes each rank), expected rank, P(first), pairwise winning probabilities and the central
  weight vector (mean weights of the samples in which it ranks first). Drawn from
  `numpy.random.default_rng(seed)` in chunks whose size does not change the result.

Ranks follow `scorer.ranking.competition_rank`: higher is better, ties share the better rank.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from scorer.ranking import TIE_DECIMALS, competition_rank

EPS = 1e-12
PAIRWISE_LIMIT = 20
"""Pairwise wins cost O(k²) per sample: they cover the k best-ranked projects, at most this
many by default (all of them in any comparison a person reads)."""
_CHUNK_VALUES = 2_000_000
"""Weighted scores held per chunk (16 MB of float64): bounds memory whatever n is."""


# ---------------------------------------------------------------- one at a time


def _lines(scores: pd.DataFrame, weights: pd.Series, axis: str) -> tuple[np.ndarray, np.ndarray]:
    """Intercept Rₚ and slope sₚₐ − Rₚ of each project's score as a function of wₐ = t."""
    s = scores.to_numpy(dtype=float)
    w = weights.reindex(scores.columns).to_numpy(dtype=float)
    a = scores.columns.get_loc(axis)
    others = np.delete(np.arange(len(w)), a)
    rest = w[others]
    share = rest / rest.sum() if rest.sum() > EPS else np.full(len(rest), 1 / max(len(rest), 1))
    intercept = s[:, others] @ share if len(others) else np.zeros(len(s))
    return intercept, s[:, a] - intercept


def _crossings(intercept: np.ndarray, slope: np.ndarray) -> tuple[np.ndarray, ...]:
    """t ∈ [0, 1] where two lines meet, with the pair (i < j); parallel lines never do."""
    i, j = np.triu_indices(len(intercept), k=1)
    denominator = slope[i] - slope[j]
    moving = np.abs(denominator) > EPS
    i, j, denominator = i[moving], j[moving], denominator[moving]
    t = (intercept[j] - intercept[i]) / denominator
    inside = (t >= -EPS) & (t <= 1 + EPS)
    return np.clip(t[inside], 0.0, 1.0), i[inside], j[inside]


def oat_breakpoints(scores: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Every weight t of every axis at which two projects tie: columns axis, t, a, b."""
    frames = []
    ids = np.asarray(scores.index)
    for axis in scores.columns:
        t, i, j = _crossings(*_lines(scores, weights, axis))
        order = np.argsort(t, kind="stable")
        frames.append(pd.DataFrame({"axis": axis, "t": t[order], "a": ids[i[order]],
                                    "b": ids[j[order]]}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["axis", "t", "a", "b"])


def _ranking(ids: np.ndarray, values: np.ndarray) -> tuple[str, ...]:
    ranks = competition_rank(values)
    return tuple(ids[np.argsort(ranks, kind="stable")])


def oat_segments(scores: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Per axis, the ranking on each stretch of t between consecutive breakpoints."""
    rows = []
    ids = np.asarray(scores.index)
    for axis in scores.columns:
        intercept, slope = _lines(scores, weights, axis)
        t, _, _ = _crossings(intercept, slope)
        edges = np.unique(np.concatenate([[0.0, 1.0], t]))
        for start, end in pairwise(edges):
            middle = (start + end) / 2
            rows.append({"axis": axis, "start": start, "end": end,
                         "ranking": _ranking(ids, intercept + middle * slope)})
    return pd.DataFrame(rows, columns=["axis", "start", "end", "ranking"])


def oat_sweep(scores: pd.DataFrame, weights: pd.Series, steps: int = 21) -> pd.DataFrame:
    """Score and rank of every project at `steps` evenly spaced weights of each axis."""
    ts = np.linspace(0.0, 1.0, steps)
    frames = []
    for axis in scores.columns:
        intercept, slope = _lines(scores, weights, axis)
        values = intercept[None, :] + ts[:, None] * slope[None, :]
        ranks = competition_rank(values)
        frames.append(pd.DataFrame({
            "axis": axis, "t": np.repeat(ts, len(scores)),
            "project": np.tile(np.asarray(scores.index), steps),
            "score": values.ravel(), "rank": ranks.ravel(),
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- stability


def _winner(scores: pd.DataFrame, weights: pd.Series) -> int:
    ranks = competition_rank(scores.to_numpy(dtype=float) @ weights.reindex(scores.columns))
    return int(np.flatnonzero(ranks == 1)[0])


def _winner_interval(intercept: np.ndarray, slope: np.ndarray, k: int) -> tuple[float, float]:
    """Where line k stays at or above every other line, within [0, 1]."""
    c = np.round(intercept[k] - intercept, TIE_DECIMALS)  # difference at t = 0
    d = np.round(slope[k] - slope, TIE_DECIMALS)  # its rate of change
    c, d = np.delete(c, k), np.delete(d, k)
    low, high = 0.0, 1.0
    rising, falling = d > EPS, d < -EPS
    if rising.any():
        low = max(low, float(np.max(-c[rising] / d[rising])))
    if falling.any():
        high = min(high, float(np.min(-c[falling] / d[falling])))
    return max(low, 0.0), min(high, 1.0)


def stability(scores: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Per axis: its weight, the interval keeping the winner first, the interval keeping
    every rank; both are exact and contain the current weight."""
    k = _winner(scores, weights)
    rows = {}
    for axis in scores.columns:
        t0 = float(weights[axis])
        intercept, slope = _lines(scores, weights, axis)
        win_low, win_high = _winner_interval(intercept, slope, k)
        t, _, _ = _crossings(intercept, slope)
        if np.any(np.abs(t - t0) <= 1e-9):
            rank_low = rank_high = t0  # a tie at the current weights: any change breaks it
        else:
            rank_low = float(t[t < t0].max(initial=0.0))
            rank_high = float(t[t > t0].min(initial=1.0))
        rows[axis] = {"weight": t0, "winner_low": min(win_low, t0),
                      "winner_high": max(win_high, t0), "ranking_low": rank_low,
                      "ranking_high": rank_high}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("axis")


def critical_change(scores: pd.DataFrame, weights: pd.Series) -> dict[str, Any] | None:
    """The smallest change of one weight after which another project is strictly first.

    Returns axis, weight, threshold, direction ('below' or 'above'), distance, winner and
    overtaker; None when the winner survives every single-weight change.
    """
    ids = np.asarray(scores.index)
    k = _winner(scores, weights)
    table = stability(scores, weights)
    best: dict[str, Any] | None = None
    for axis, row in table.iterrows():
        intercept, slope = _lines(scores, weights, axis)
        for threshold, direction, beyond in ((row.winner_low, "below", 0.0),
                                             (row.winner_high, "above", 1.0)):
            if abs(threshold - beyond) <= EPS:
                continue
            distance = abs(row.weight - threshold)
            if best is not None and distance >= best["distance"] - EPS:
                continue
            # just past the threshold, the strongest rival is the one that overtakes
            past = threshold + (beyond - threshold) * 1e-6
            values = intercept + past * slope
            values[k] = -np.inf
            best = {"axis": axis, "weight": float(row.weight), "threshold": float(threshold),
                    "direction": direction, "distance": float(distance), "winner": ids[k],
                    "overtaker": ids[int(np.argmax(values))]}
    return best


# ---------------------------------------------------------------- perturbation


def perturbation(scores: pd.DataFrame, weights: pd.Series, step: float = 1.0,
                 low: float = 1.0, high: float = 5.0) -> pd.DataFrame:
    """Each project × axis × (+step, −step) within the scale: ranks before and after.

    `changes` lists (project, old rank, new rank) for every project whose rank moves.
    """
    s = scores.to_numpy(dtype=float)
    w = weights.reindex(scores.columns).to_numpy(dtype=float)
    ids = np.asarray(scores.index)
    base_values = s @ w
    base = competition_rank(base_values)
    cases = [(p, a, d) for p in range(len(ids)) for a in range(len(w)) for d in (step, -step)
             if low - EPS <= s[p, a] + d <= high + EPS]
    columns = ["project", "axis", "delta", "rank_before", "rank_after", "changes"]
    if not cases:
        return pd.DataFrame(columns=columns)
    p_idx = np.array([c[0] for c in cases])
    values = np.tile(base_values, (len(cases), 1))
    values[np.arange(len(cases)), p_idx] += np.array([c[2] * w[c[1]] for c in cases])
    ranks = competition_rank(values)
    rows = []
    for (p, a, d), after in zip(cases, ranks, strict=True):
        moved = np.flatnonzero(after != base)
        rows.append({"project": ids[p], "axis": scores.columns[a], "delta": d,
                     "rank_before": int(base[p]), "rank_after": int(after[p]),
                     "changes": tuple((ids[q], int(base[q]), int(after[q])) for q in moved)})
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------- Monte Carlo (SMAA-2)


@dataclass(frozen=True)
class MonteCarlo:
    """Stochastic multicriteria acceptability analysis over sampled weight vectors."""

    samples: int
    seed: int
    concentration: float | None
    rank_acceptability: pd.DataFrame
    """project × rank (1..n): share of samples in which the project takes that rank."""
    expected_rank: pd.Series
    first: pd.Series
    pairwise_win: pd.DataFrame
    """row × column: share of samples in which row ranks strictly above column."""
    central_weights: pd.DataFrame
    """project × axis: mean weights of the samples in which the project ranks first."""
    pairwise_projects: tuple[str, ...]
    """The projects pairwise wins cover (the best-ranked ones, at most `pairwise_limit`)."""


def sample_weights(rng: np.random.Generator, count: int, weights: np.ndarray,
                   concentration: float | None) -> np.ndarray:
    """`count` weight vectors: uniform on the simplex, or Dirichlet(K·w) on w's support."""
    if concentration is None:
        draws = rng.standard_exponential((count, len(weights)))
        return draws / draws.sum(axis=1, keepdims=True)
    active = weights > 0
    out = np.zeros((count, len(weights)))
    gamma = rng.standard_gamma(concentration * weights[active], size=(count, int(active.sum())))
    out[:, active] = gamma / gamma.sum(axis=1, keepdims=True)
    return out


def _ranks_in_order(values: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the columns in ascending order of value, and the competition rank of each.

    Columns are groups of identical projects (`sizes` members each): a group ranked below
    g better projects has rank g + 1. Values within 10⁻⁹ tie, as in `competition_rank`.
    """
    width = values.shape[1]
    order = np.argsort(values, axis=1)  # order within a tie does not matter: ranks are shared
    ordered = np.sort(values, axis=1)  # SIMD sort: far cheaper than gathering by `order`
    tie = (ordered[:, 1:] - ordered[:, :-1]) <= 10.0**-TIE_DECIMALS
    if not tie.any() and (sizes == 1).all():  # the usual case: positions are ranks
        return order, np.broadcast_to(np.arange(width, 0, -1), values.shape)
    above = sizes[order[:, ::-1]]  # from the best down: how many projects each group holds
    ranks = np.cumsum(above, axis=1) - above + 1  # 1 + projects strictly above
    if tie.any():  # rare: identical projects are merged beforehand
        for row in np.flatnonzero(tie.any(axis=1)):
            same = tie[row, ::-1]  # pairs from the best down
            for k in np.flatnonzero(same):
                ranks[row, k + 1] = ranks[row, k]
    return order, np.ascontiguousarray(ranks[:, ::-1])


def monte_carlo(scores: pd.DataFrame, weights: pd.Series, samples: int = 10_000, seed: int = 0,
                concentration: float | None = None, chunk_size: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                pairwise_limit: int | None = PAIRWISE_LIMIT) -> MonteCarlo:
    """SMAA-2 rank acceptability, pairwise wins and central weights (see the module doc).

    Projects with identical scores tie in every sample, so they are merged first; ranks are
    then computed per chunk with one sort, and counted without scattering.
    """
    if samples < 1:
        raise ValueError("samples must be at least 1")
    if concentration is not None and not concentration > 0:
        raise ValueError("concentration must be positive")
    s = scores.to_numpy(dtype=float)
    w = weights.reindex(scores.columns).to_numpy(dtype=float)
    n, m = s.shape
    ids = np.asarray(scores.index)
    groups, member_of, sizes = np.unique(s, axis=0, return_inverse=True, return_counts=True)
    member_of = member_of.ravel()
    u = len(groups)
    limit = n if pairwise_limit is None else min(n, pairwise_limit)
    chosen = np.sort(np.argsort(competition_rank(s @ w), kind="stable")[:limit])
    chosen_groups = np.unique(member_of[chosen])
    chunk = chunk_size or max(1, _CHUNK_VALUES // u)
    pair_chunk = max(1, _CHUNK_VALUES // max(1, len(chosen_groups) ** 2))
    rng = np.random.default_rng(seed)
    counts = np.zeros(u * n, dtype=np.int64)  # group × rank
    central = np.zeros((u, m))
    wins = np.zeros((len(chosen_groups), len(chosen_groups)), dtype=np.int64)
    done = 0
    while done < samples:
        size = min(chunk, samples - done)
        sampled = sample_weights(rng, size, w, concentration)
        values = sampled @ groups.T
        order, ranks = _ranks_in_order(values, sizes)
        counts += np.bincount((order * n + ranks - 1).ravel(), minlength=u * n)
        if ranks.strides[0] == 0:  # no ties: the last column is the single winner
            rows, first = np.arange(size), order[:, -1]
        else:
            rows, position = np.nonzero(ranks == 1)
            first = order[rows, position]
        for j in range(m):
            central[:, j] += np.bincount(first, weights=sampled[rows, j], minlength=u)
        for start in range(0, size, pair_chunk):
            sub = values[start:start + pair_chunk, chosen_groups]
            wins += (sub[:, :, None] - sub[:, None, :] > 10.0**-TIE_DECIMALS).sum(axis=0)
        done += size
        if progress is not None:
            progress(done, samples)
    per_group = counts.reshape(u, n)
    acceptability = pd.DataFrame(per_group[member_of] / samples, index=scores.index,
                                 columns=pd.RangeIndex(1, n + 1, name="rank"))
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = central / per_group[:, :1]
    position_of = {g: i for i, g in enumerate(chosen_groups)}
    picked = [position_of[g] for g in member_of[chosen]]
    pairwise = pd.DataFrame(wins[np.ix_(picked, picked)] / samples, index=ids[chosen],
                            columns=ids[chosen])
    for project in pairwise.index:
        pairwise.loc[project, project] = np.nan
    return MonteCarlo(
        samples=samples, seed=seed, concentration=concentration,
        rank_acceptability=acceptability,
        expected_rank=(acceptability * np.arange(1, n + 1)).sum(axis=1).rename("expected_rank"),
        first=acceptability[1].rename("first"),
        pairwise_win=pairwise,
        central_weights=pd.DataFrame(centre[member_of], index=scores.index,
                                     columns=scores.columns),
        pairwise_projects=tuple(ids[chosen]),
    )  # fmt: skip


# ---------------------------------------------------------------- everything at once


@dataclass(frozen=True)
class Report:
    """The four analyses of one ranking, as the CLI and the workbook show them."""

    breakpoints: pd.DataFrame
    segments: pd.DataFrame
    sweep: pd.DataFrame
    stability: pd.DataFrame
    critical: dict[str, Any] | None
    perturbation: pd.DataFrame
    monte_carlo: MonteCarlo


def report(scores: pd.DataFrame, weights: pd.Series, *, samples: int = 10_000, seed: int = 0,
           concentration: float | None = None, steps: int = 21, step: float = 1.0,
           low: float = 1.0, high: float = 5.0,
           progress: Callable[[int, int], None] | None = None) -> Report:
    """All four analyses with the same inputs."""
    return Report(
        breakpoints=oat_breakpoints(scores, weights),
        segments=oat_segments(scores, weights),
        sweep=oat_sweep(scores, weights, steps),
        stability=stability(scores, weights),
        critical=critical_change(scores, weights),
        perturbation=perturbation(scores, weights, step, low, high),
        monte_carlo=monte_carlo(scores, weights, samples, seed, concentration,
                                progress=progress),
    )  # fmt: skip
