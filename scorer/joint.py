"""SMAA over weights and evidence: how often each project takes each rank when the weights
and every unknown or uncertain criterion are drawn at random together.

Each sample draws a weight vector exactly as `scorer.sensitivity.monte_carlo` does (the
same stream for the same seed) and, from an independent stream, one outcome for every
unknown or uncertain criterion of every project (`scorer.uncertainty.distributions`). The
drawn points make each axis score (base + Σ points, clamped and rounded to the scale; an
override stays), the weights the total, and ranks follow `competition_rank` (ties share
the better rank). With no uncertain criterion this is the weight-only analysis, sample for
sample.

Besides rank acceptability, expected rank, pairwise wins and central weights, SMAA-2's
**confidence factor**: the share of evidence samples (an independent stream, at most
`CONFIDENCE_SAMPLES`) in which a project ranks first at its own central weights — how sure
its first place is where the weights favour it most.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scorer.models import Rubric
from scorer.ranking import competition_rank
from scorer.sensitivity import PAIRWISE_LIMIT, MonteCarlo, check_draws, sample_weights

CONFIDENCE_SAMPLES = 10_000
"""Evidence samples behind each confidence factor (at most): ±1 % at worst, and the cost of
a second pass over every project that is ever first stays bounded."""
_CHUNK_VALUES = 1 << 20
"""Values drawn or weighted per chunk (8 MB of float64 per array): bounds memory at any
size; the chunk never changes a number."""


@dataclass(frozen=True)
class Evidence:
    """What a sample of evidence draws from: the scores that are certain and, per unknown or
    uncertain criterion, the points it could give and their cumulative chances."""

    fixed: np.ndarray
    """project × axis: base + the points of the settled criteria."""
    overridden: np.ndarray
    """project × axis: True where an analyst's override fixes the score."""
    override: np.ndarray
    """project × axis: the override's score (where `overridden`)."""
    cell: np.ndarray
    """Per uncertain criterion: the flat index project × axes + axis it adds to."""
    points: np.ndarray
    """Per uncertain criterion × option: the points (padded with the last option)."""
    cumulative: np.ndarray
    """Per uncertain criterion × option: the cumulative chance (the last is 1)."""

    @classmethod
    def of(cls, rubric: Rubric, axes: pd.DataFrame, criteria: pd.DataFrame,
           chances: pd.DataFrame, projects: list[str]) -> Evidence:
        """From the analysis tables: `axes` (with raw, score, override), `criteria` (points),
        `chances` (`scorer.uncertainty.distributions`)."""
        names = list(rubric.axes)
        shape = (len(projects), len(names))
        bases = np.array([rubric.axes[x].base for x in names], dtype=float)
        row = {p: i for i, p in enumerate(projects)}
        col = {x: j for j, x in enumerate(names)}
        drawn = set(zip(chances["project"], chances["criterion"], strict=True))
        fixed = np.broadcast_to(bases, shape).copy()
        for c in criteria.itertuples(index=False):
            if (c.project, c.criterion) not in drawn:
                fixed[row[c.project], col[c.axis]] += c.points
        overridden = np.zeros(shape, dtype=bool)
        override = np.zeros(shape)
        for x in axes[axes["override"]].itertuples(index=False):
            overridden[row[x.project], col[x.axis]] = True
            override[row[x.project], col[x.axis]] = x.score
        width = max((len(p) for p in chances["points"]), default=1)
        points = np.array([list(p) + [p[-1]] * (width - len(p)) for p in chances["points"]],
                          dtype=float).reshape(len(chances), width)
        cumulative = np.array([list(np.cumsum(c)) + [1.0] * (width - len(c))
                               for c in chances["chances"]], dtype=float).reshape(
                                   len(chances), width)
        cumulative[:, -1] = 1.0  # float sums may end at 0.9999999999
        cell = np.array([row[p] * len(names) + col[x]
                         for p, x in zip(chances["project"], chances["axis"], strict=True)],
                        dtype=np.int64)
        return cls(fixed, overridden, override, cell, points, cumulative)

    @property
    def width(self) -> int:
        """Values drawn or held per sample: what sizes a chunk."""
        return max(self.fixed.size, len(self.cell))

    def draw(self, rng: np.random.Generator, count: int, scale: Any) -> np.ndarray:
        """`count` samples of every axis score: samples × projects × axes."""
        n, m = self.fixed.shape
        raw = np.broadcast_to(self.fixed.ravel(), (count, n * m)).copy()
        if len(self.cell):
            u = rng.random((count, len(self.cell)))
            option = (u[:, :, None] >= self.cumulative[None, :, :-1]).sum(axis=2)
            drawn = self.points[np.arange(len(self.cell))[None, :], option]
            cells = (np.arange(count)[:, None] * (n * m) + self.cell[None, :]).ravel()
            raw += np.bincount(cells, weights=drawn.ravel(),
                               minlength=count * n * m).reshape(count, n * m)
        scores = np.clip(raw, scale.min, scale.max)
        scores = scale.min + scale.step * np.floor((scores - scale.min) / scale.step + 0.5)
        scores = scores.reshape(count, n, m)
        return np.where(self.overridden[None], self.override[None], scores)


@dataclass(frozen=True)
class JointMonteCarlo(MonteCarlo):
    """SMAA-2 over weights and evidence; `evidence` False means weights only."""

    evidence: bool = True
    confidence: pd.Series | None = None
    """Per project: share of evidence samples in which it ranks first at its central
    weights (NaN when it is never first)."""


def joint_monte_carlo(rubric: Rubric, evidence: Evidence, projects: list[str],
                      weights: pd.Series, samples: int = 10_000, seed: int = 0,
                      concentration: float | None = None,
                      progress: Callable[[int, int], None] | None = None,
                      pairwise_limit: int | None = PAIRWISE_LIMIT,
                      point_scores: pd.DataFrame | None = None) -> JointMonteCarlo:
    """SMAA-2 over `samples` joint draws of weights and evidence (see the module doc).

    Weights come from `numpy.random.default_rng(seed)`, evidence from an independent stream
    seeded by (seed, 1); both are drawn in chunks that never change a number.
    `point_scores` (the point estimates) choose the projects of pairwise wins, as in the
    weight-only analysis."""
    check_draws(samples, seed, concentration)
    names = list(weights.index)
    w = weights.to_numpy(dtype=float)
    w = w / w.sum()
    n, m = len(projects), len(names)
    if point_scores is None:
        point_scores = pd.DataFrame(evidence.draw(np.random.default_rng(0), 1, rubric.scale)[0],
                                    index=projects, columns=names)
    limit = n if pairwise_limit is None else min(n, pairwise_limit)
    chosen = np.sort(np.argsort(competition_rank(point_scores.to_numpy() @ w),
                                kind="stable")[:limit])
    weight_rng = np.random.default_rng(seed)
    evidence_rng = np.random.default_rng([seed, 1])
    chunk = max(1, _CHUNK_VALUES // evidence.width)
    counts = np.zeros((n, n), dtype=np.int64)
    wins = np.zeros((limit, limit), dtype=np.int64)
    central = np.zeros((n, m))
    done = 0
    while done < samples:
        size = min(chunk, samples - done)
        sampled = sample_weights(weight_rng, size, w, concentration)
        scores = evidence.draw(evidence_rng, size, rubric.scale)
        values = np.einsum("sa,spa->sp", sampled, scores, optimize=True)
        ranks = competition_rank(values)
        counts += np.bincount((np.arange(n) * n + ranks - 1).ravel(),
                              minlength=n * n).reshape(n, n)
        first = ranks == 1
        central += first.T.astype(float) @ sampled
        level = np.round(values[:, chosen], 9)
        wins += (level[:, :, None] > level[:, None, :]).sum(axis=0)
        done += size
        if progress is not None:
            progress(done, samples)
    index = pd.Index(projects, name="project")
    acceptability = pd.DataFrame(counts / samples, index=index,
                                 columns=pd.RangeIndex(1, n + 1, name="rank"))
    firsts = counts[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = central / firsts[:, None]
    centre[firsts == 0] = np.nan
    central_weights = pd.DataFrame(centre, index=index, columns=pd.Index(names, name="axis"))
    pairwise = wins / samples
    np.fill_diagonal(pairwise, np.nan)
    ids = index[chosen]
    confidence = _confidence(rubric, evidence, projects, central_weights,
                             min(samples, CONFIDENCE_SAMPLES), np.random.default_rng([seed, 2]))
    return JointMonteCarlo(
        samples=samples, seed=seed, concentration=concentration,
        rank_acceptability=acceptability,
        expected_rank=pd.Series(acceptability.to_numpy() @ np.arange(1, n + 1),
                                index=index, name="expected_rank"),
        first=acceptability[1].rename("first"),
        pairwise_win=pd.DataFrame(pairwise, index=ids, columns=ids),
        central_weights=central_weights, pairwise_projects=tuple(ids),
        pairwise_limit=pairwise_limit, evidence=bool(len(evidence.cell)),
        confidence=confidence,
    )  # fmt: skip


def _confidence(rubric: Rubric, evidence: Evidence, projects: list[str],
                central: pd.DataFrame, samples: int, rng: np.random.Generator) -> pd.Series:
    """Per project with central weights: the share of evidence samples in which it ranks
    first (ties included) at those weights."""
    targets = [i for i, p in enumerate(projects) if not central.iloc[i].isna().any()]
    hits = np.zeros(len(projects))
    n, m = evidence.fixed.shape
    chunk = max(1, _CHUNK_VALUES // max(evidence.width, n * max(1, len(targets))))
    weights = central.to_numpy()[targets] if targets else np.zeros((0, m))
    done = 0
    while done < samples and targets:
        size = min(chunk, samples - done)
        scores = evidence.draw(rng, size, rubric.scale)
        values = np.round(np.einsum("ta,spa->stp", weights, scores, optimize=True), 9)
        own = values[:, np.arange(len(targets)), targets]
        hits[targets] += (own >= values.max(axis=2)).sum(axis=0)
        done += size
    share = np.full(len(projects), np.nan)
    share[targets] = hits[targets] / samples
    return pd.Series(share, index=pd.Index(projects, name="project"), name="confidence")
