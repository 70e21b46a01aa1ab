"""SMAA over weights and evidence: how often each project takes each rank when the weights
and every unknown or uncertain criterion are drawn at random together.

Each sample draws a weight vector exactly as `scorer.sensitivity.monte_carlo` does (the
same stream for the same seed) and, from an independent stream, one outcome for every
unknown or uncertain criterion of every project (`scorer.uncertainty.distributions`): a
uniform 32-bit word per criterion, compared with its cumulative chances (`Evidence.words`),
so that each outcome has its stated chance to within 2⁻³². The
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

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from scorer.models import Rubric
from scorer.ranking import competition_rank, rank_order
from scorer.sensitivity import (
    PAIRWISE_LIMIT,
    MonteCarlo,
    check_draws,
    cpus,
    sample_weights,
)

CONFIDENCE_SAMPLES = 10_000
"""Evidence samples behind each confidence factor (at most): ±1 % at worst, and the cost of
a second pass over every project that is ever first stays bounded."""
_REACH = 1e-6
"""A project whose best weighted score is below the worst of another's by more than this
never ranks first (scores tie to 9 decimals; this is far beyond float noise)."""
_WORD = 2.0**32
"""Values a drawn word takes: 0 … 2³² − 1."""
_CHUNK_VALUES = 1 << 20
"""Values drawn or weighted per chunk (8 MB of float64 per array): bounds memory at any
size; the chunk never changes a number."""


class Scratch(threading.local):
    """Arrays reused from chunk to chunk, by name, each thread its own: fresh large arrays
    cost page faults (about 2 of 12 CPU seconds of 10⁵ samples over 1,000 projects). An
    array is valid until the same thread asks for the same name again."""

    def __init__(self) -> None:  # run once in each thread that uses the instance
        self._arrays: dict[str, np.ndarray] = {}

    def __call__(self, name: str, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        found = self._arrays.get(name)
        if found is None or found.shape != shape or found.dtype != dtype:
            found = self._arrays[name] = np.empty(shape, dtype=dtype)
        return found


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
        rows, columns = pd.Index(projects), pd.Index(names)
        drawn = pd.MultiIndex.from_arrays([chances["project"], chances["criterion"]])
        settled = ~pd.MultiIndex.from_arrays([criteria["project"], criteria["criterion"]]
                                             ).isin(drawn)
        fixed = np.broadcast_to(bases, shape).copy()
        np.add.at(fixed, (rows.get_indexer(criteria["project"][settled]),  # in row order,
                          columns.get_indexer(criteria["axis"][settled])),  # as a loop adds
                  criteria["points"].to_numpy(dtype=float)[settled])
        overridden = np.zeros(shape, dtype=bool)
        override = np.zeros(shape)
        held = axes[axes["override"]]
        at = (rows.get_indexer(held["project"]), columns.get_indexer(held["axis"]))
        overridden[at] = True
        override[at] = held["score"].to_numpy(dtype=float)
        sizes = chances["points"].map(len).to_numpy(dtype=np.int64)
        width = int(sizes.max(initial=1))
        pad = np.arange(width)[None, :] >= sizes[:, None]  # beyond a criterion's options
        points = np.zeros((len(chances), width))
        given = np.zeros((len(chances), width))
        if len(chances):
            points[~pad] = np.concatenate([np.asarray(p, dtype=float)
                                           for p in chances["points"]])
            given[~pad] = np.concatenate([np.asarray(c, dtype=float)
                                          for c in chances["chances"]])
        last = points[np.arange(len(chances)), np.maximum(sizes - 1, 0)]
        points = np.where(pad, last[:, None], points)  # padded with the last option
        cumulative = np.cumsum(given, axis=1)  # each row summed in order, as np.cumsum(c)
        cumulative[pad] = 1.0
        cumulative[:, -1] = 1.0  # float sums may end at 0.9999999999
        cell = (rows.get_indexer(chances["project"]) * len(names)
                + columns.get_indexer(chances["axis"])).astype(np.int64)
        return cls(fixed, overridden, override, cell, points, cumulative)

    def bounds(self, scale: Any) -> tuple[np.ndarray, np.ndarray]:
        """Per project × axis, the least and the most score any draw can give (overrides as
        they are): each drawn criterion at its fewest, then its most points, snapped to
        `scale` a hair beyond the sum, so that no float rounding of the sum can put a
        draw outside them."""
        low, high = self.fixed.ravel().copy(), self.fixed.ravel().copy()
        np.add.at(low, self.cell, self.points.min(axis=1, initial=np.inf))
        np.add.at(high, self.cell, self.points.max(axis=1, initial=-np.inf))
        low, high = _snap(low - 1e-9, scale), _snap(high + 1e-9, scale)
        held = self.overridden.ravel()
        low[held] = high[held] = self.override.ravel()[held]
        return low.reshape(self.fixed.shape), high.reshape(self.fixed.shape)

    @property
    def width(self) -> int:
        """Values drawn or held per sample: what sizes a chunk."""
        return max(self.fixed.size, len(self.cell))

    @cached_property
    def _cuts(self) -> tuple[np.ndarray, np.ndarray]:
        """Per criterion × option but the last: the least word that passes it (option j is
        drawn when a word passes j of them), ⌈cumulative chance · 2³²⌉; and the points of
        each option as a draw reaches it. A threshold of 2³² (no word passes it: the
        options beyond have no chance) is stored as 2³² − 1, and the options beyond it
        take the points of the one before, so that the one word that passes it changes
        nothing."""
        raw = np.ceil(self.cumulative[:, :-1] * _WORD)
        beyond = raw >= _WORD
        points = self.points.copy()
        for j in range(1, points.shape[1]):  # in order: unreachable runs take the first's
            points[:, j] = np.where(beyond[:, j - 1], points[:, j - 1], points[:, j])
        return np.minimum(raw, _WORD - 1).astype(np.uint32), points

    @cached_property
    def _plan(self) -> tuple[Any, ...]:
        """How `draw` adds the drawn points: the cells they add to (overrides left out: their
        score is fixed), and per round, the criteria that add to those cells in turn (and
        where those cells are among them), so that each cell sums its points in criterion
        order, as one `np.bincount` over every criterion would."""
        keep = ~self.overridden.ravel()[self.cell]
        touched = np.unique(self.cell[keep])
        slot = np.searchsorted(touched, self.cell)
        turns: list[tuple[list[int], list[int]]] = []
        seen: dict[int, int] = {}
        for k in np.flatnonzero(keep).tolist():
            turn = seen.get(int(self.cell[k]), 0)
            seen[int(self.cell[k])] = turn + 1
            if turn == len(turns):
                turns.append(([], []))
            turns[turn][0].append(int(slot[k]))
            turns[turn][1].append(k)
        rounds = [(np.array(cells, dtype=np.int64), np.array(criteria, dtype=np.int64))
                  for cells, criteria in turns]
        return touched, rounds

    @cached_property
    def _exact(self) -> tuple[Any, ...] | None:
        """When every point and settled sum is dyadic (`_dyadic`: whole or half points, as
        rubrics give them), any order of summing them gives the same number, so a cell's
        drawn points are added round by round. The kept cells (overridden ones left out)
        are ordered by how many criteria add to them, most first, and the criteria by their
        turn within their cell, then by cell: round t is one contiguous slice of criteria
        adding to the first cells, one each. Returns the criteria in that order, the rounds
        (start, end), the kept cells, their settled base, what each option adds to a
        criterion's least points (small integers when whole; None when every criterion adds
        exactly 0 or 1), and the thresholds of `_cuts`. None otherwise (`_plan` is used)."""
        thresholds, reached = self._cuts
        largest = np.abs(reached).max(axis=1).sum() + np.abs(self.fixed).max()
        if not (_dyadic(reached) and _dyadic(self.fixed) and largest < 2.0**40):
            return None
        chosen = np.flatnonzero(~self.overridden.ravel()[self.cell])
        cells, slot, counts = np.unique(self.cell[chosen], return_inverse=True,
                                        return_counts=True)
        most = np.argsort(-counts, kind="stable")  # cells with the most criteria first
        position = np.empty_like(most)
        position[most] = np.arange(len(most))
        cells, slot = cells[most], position[slot.ravel()]
        by_cell = np.argsort(slot, kind="stable")
        starts = np.searchsorted(slot[by_cell], np.arange(len(cells)))
        turn = np.empty(len(chosen), dtype=np.int64)
        turn[by_cell] = np.arange(len(chosen)) - np.repeat(starts, np.diff(
            np.append(starts, len(chosen))))
        order = np.lexsort((slot, turn))
        criteria, slot, turn = chosen[order], slot[order], turn[order]
        ends = np.searchsorted(turn, np.arange(turn.max(initial=-1) + 1), side="right")
        rounds = [(int(lo), int(hi)) for lo, hi in zip(np.append(0, ends)[:len(ends)], ends,
                                                       strict=True)]
        points = reached[criteria]
        floor = np.bincount(slot, weights=points[:, 0], minlength=len(cells))
        extra = points - points[:, :1]
        if np.all(extra == np.round(extra)) and np.abs(extra).max(axis=1).sum() < 2**15:
            extra = extra.astype(np.int8 if np.abs(extra).max(initial=0) < 2**7 else np.int16)
        base = self.fixed.ravel()[cells] + floor
        ones = extra.shape[1] == 2 and extra.dtype.kind == "i" and bool(np.all(extra[:, 1] == 1))
        return (criteria, rounds, cells, base, None if ones else extra,
                np.ascontiguousarray(thresholds[criteria]))

    @cached_property
    def _table(self) -> np.ndarray | None:
        """When every criterion adds 0 or 1 (`_exact`), each kept cell's score for every
        count of criteria that add 1, snapped as `_snap` would: cell × (0 … most), read by
        position (cell × width + count) instead of snapping each sample."""
        _, rounds, _, base, extra, _ = self._exact
        if extra is not None:
            return None
        return np.ascontiguousarray(np.stack(
            [base + k for k in range(len(rounds) + 1)], axis=1))

    def _exact_cells(self, words: np.ndarray, scores: np.ndarray, scale: Any,
                     scratch: Scratch) -> None:
        """Fill the kept cells of `scores` (cells × samples) by the rounds of `_exact` (the
        same numbers as `_plan`, exactly: every partial sum is exact, and a cell's score is
        its snapped sum, looked up when `_table` has it)."""
        criteria, rounds, cells, base, extra, thresholds = self._exact
        count = len(words)
        if extra is None:  # every criterion adds 0 or 1: compare in place, gather rows
            passed = np.greater_equal(words, self._cuts[0][:, 0],
                                      out=scratch("passed", words.shape, bool))
            added = np.take(passed.view(np.int8).T, criteria, axis=0, mode="clip",
                            out=scratch("added", (len(criteria), count), np.int8))
        elif extra.shape[1] == 2:
            added = (words.T[criteria] >= thresholds[:, :1]) * extra[:, 1:]
        else:
            option = (words.T[criteria][:, :, None] >= thresholds[:, None, :]).sum(axis=2)
            added = np.take_along_axis(extra, option, axis=1)
        kind = np.int16 if added.dtype.kind in "iub" else float
        total = scratch("total", (len(cells), count), kind)
        for lo, hi in rounds:  # round t adds to the first hi − lo cells, one criterion each
            if lo:
                total[:hi - lo] += added[lo:hi]
            else:  # the first: every cell
                np.copyto(total, added[lo:hi], casting="unsafe")
        table = self._table
        if table is not None:  # position in the table: cell × width + count
            at = scratch("at", total.shape, np.intp)
            np.add(total, self._offsets, out=at)
            scores[cells] = np.take(self._snapped(scale).ravel(), at, mode="clip",
                                    out=scratch("looked", at.shape, float))
        else:
            scores[cells] = _snap(total + base[:, None], scale)

    @cached_property
    def _offsets(self) -> np.ndarray:
        """Where each kept cell's row of `_table` starts, as a column."""
        return np.arange(0, self._table.size, self._table.shape[1], dtype=np.intp)[:, None]

    def _snapped(self, scale: Any) -> np.ndarray:
        """`_table`, snapped to `scale` (cached per scale)."""
        cached = self.__dict__.get("_snapped_table")
        if cached is None or cached[0] is not scale:
            cached = (scale, _snap(self._table.copy(), scale))
            self.__dict__["_snapped_table"] = cached
        return cached[1]

    def draw(self, rng: np.random.Generator, count: int, scale: Any) -> np.ndarray:
        """`count` samples of every axis score: samples × projects × axes.

        Only the cells an unknown or uncertain criterion adds to are summed and rounded per
        sample, criterion by criterion along rows of samples (criteria × samples: each step
        moves whole rows); the others hold their settled score."""
        return self.scores(self.words(rng, count), scale)

    def words(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """The random words `count` samples draw from `rng`: samples × criteria, a uniform
        32-bit integer per criterion (a criterion takes option j when its word passes j of
        its thresholds, `_cuts`). Each sample takes whole 64-bit outputs of the generator,
        two words each (low half first), so that drawing in chunks never changes a word."""
        raw = rng.bit_generator.random_raw((count, self._pairs)).astype("<u8", copy=False)
        return raw.view("<u4")[:, :len(self.cell)]

    @property
    def _pairs(self) -> int:
        """64-bit outputs of the generator each sample of `words` takes."""
        return (len(self.cell) + 1) // 2

    def stream(self, rng: np.random.Generator) -> Callable[[int, int], np.ndarray]:
        """`at(start, count)`: the words of samples start … start + count − 1 of what
        `words` draws from `rng` in turn, each call from its own copy of the generator
        advanced to `start`: the same words, drawn in any thread and in any order (`rng`
        itself is left where it is). Its bit generator must have `advance` (PCG64 has)."""
        kind, state, pairs = type(rng.bit_generator), rng.bit_generator.state, self._pairs
        copies = threading.local()  # a generator per thread, its state set at each call

        def at(start: int, count: int) -> np.ndarray:
            bits = getattr(copies, "bits", None)
            if bits is None:
                bits = copies.bits = kind()
            bits.state = state
            bits.advance(start * pairs)
            words = copies.last = self.words(np.random.Generator(bits), count)
            return words  # the thread's last words are freed once these are drawn, so that
            # the allocator reuses their pages rather than return them to the system and
            # fault them back in (1.9 M faults for 10⁵ samples of 1,000 projects, 13,000 after)

        return at

    def scores(self, words: np.ndarray, scale: Any) -> np.ndarray:
        """The axis scores of `draw`, from its random words (`words`): samples × projects ×
        axes."""
        n, m = self.fixed.shape
        return np.ascontiguousarray(self.cell_scores(words, scale).T).reshape(len(words), n, m)

    def cell_scores(self, words: np.ndarray, scale: Any, scratch: Scratch | None = None
                    ) -> np.ndarray:
        """`scores` laid out as cells × samples (cell = project × axes + axis), the layout
        they are computed in: each step moves whole rows. With `scratch`, in an array
        reused by the next call."""
        count = len(words)
        n, m = self.fixed.shape
        scratch = scratch or Scratch()
        scores = scratch("scores", (n * m, count), float)
        scores[:] = self._settled(scale)[:, None]
        if not len(self.cell):
            return scores
        if self._exact is not None:
            self._exact_cells(words, scores, scale, scratch)
            return scores
        thresholds, points = self._cuts
        u = words.T  # criterion × sample
        if points.shape[1] == 2:
            drawn = np.where(u >= thresholds, points[:, 1:], points[:, :1])
        else:
            option = (u[:, :, None] >= thresholds[:, None, :]).sum(axis=2)
            drawn = np.take_along_axis(points, option, axis=1)
        touched, rounds = self._plan
        if len(touched):
            added = np.empty((len(touched), count))
            for turn, (cells, criteria) in enumerate(rounds):
                if turn:
                    added[cells] += drawn[criteria]
                else:
                    added[cells] = drawn[criteria]
            added += self.fixed.reshape(-1, 1)[touched]
            scores[touched] = _snap(added, scale)
        return scores

    def _settled(self, scale: Any) -> np.ndarray:
        """Per cell, its score when nothing is drawn: the override, else base + settled
        points, snapped."""
        return np.where(self.overridden, self.override, _snap(self.fixed.copy(), scale)).ravel()


def _weighted(scores: np.ndarray, weights: np.ndarray, out: np.ndarray | None = None
              ) -> np.ndarray:
    """Σₐ wₐ·sₚₐ for scores laid out projects × axes × samples: projects × samples. `weights`
    holds per axis one weight, or one per sample (axes × samples). The sum runs over the
    axes in order for each project and sample alike (the same number for a project whatever
    else is in the array, where a matrix product's last bits depend on its shape)."""
    return np.einsum("pas,as->ps" if weights.ndim == 2 else "pas,a->ps", scores, weights,
                     out=out)


def _dyadic(values: np.ndarray) -> bool:
    """Whether every value is a multiple of 2⁻¹⁰: sums of them whose magnitudes add up to
    less than 2⁴⁰ are exact in float64, in any order."""
    values = np.asarray(values, dtype=float) * 1024
    return bool(np.all(values == np.round(values)))


def _snap(raw: np.ndarray, scale: Any) -> np.ndarray:
    """Axis scores from base + points, in place: clamped, then rounded to the scale's step
    (`Scale.snap`, operation for operation)."""
    np.clip(raw, scale.min, scale.max, out=raw)
    raw -= scale.min
    raw /= scale.step
    raw += 0.5
    np.floor(raw, out=raw)
    raw *= scale.step
    raw += scale.min
    return raw


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
                      point_scores: pd.DataFrame | None = None,
                      ranks: int | None = None, workers: int | None = None
                      ) -> JointMonteCarlo:
    """SMAA-2 over `samples` joint draws of weights and evidence (see the module doc).

    Weights come from `numpy.random.default_rng(seed)`, evidence from an independent stream
    seeded by (seed, 1); both are drawn in chunks that never change a number.
    `point_scores` (the point estimates) choose the projects of pairwise wins, as in the
    weight-only analysis. `ranks` bounds what grows with the square of the projects: rank
    acceptability covers ranks 1 … `ranks` only (expected ranks stay exact), and confidence
    factors the `ranks` projects first most often; None keeps every rank and project.
    Chunks are tallied by `workers` threads (default: the CPU count, at most 4), summed in
    order: no number depends on it."""
    check_draws(samples, seed, concentration)
    if ranks is not None and ranks < 1:
        raise ValueError("ranks must be at least 1 (or None: every rank)")
    names = list(weights.index)
    w = weights.to_numpy(dtype=float)
    w = w / w.sum()
    n, m = len(projects), len(names)
    kept = n if ranks is None else min(n, ranks)
    if point_scores is None:
        point_scores = pd.DataFrame(evidence.draw(np.random.default_rng(0), 1, rubric.scale)[0],
                                    index=projects, columns=names)
    limit = n if pairwise_limit is None else min(n, pairwise_limit)
    chosen = np.sort(np.argsort(competition_rank(point_scores.to_numpy() @ w),
                                kind="stable")[:limit])
    weight_rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_VALUES // evidence.width)
    counts = np.zeros((n, kept), dtype=np.int64)
    rank_sums = np.zeros(n, dtype=np.int64)
    wins = np.zeros((limit, limit), dtype=np.int64)
    central = np.zeros((n, m))
    scratch = Scratch()

    words_at = evidence.stream(np.random.default_rng([seed, 1]))

    def tally(sampled: np.ndarray, start: int) -> tuple[np.ndarray, ...]:
        """One chunk: rank counts, rank sums, central weight sums, pairwise wins. Its
        evidence is drawn here, in the thread that tallies it (`Evidence.stream`)."""
        words = words_at(start, len(sampled))
        scores = evidence.cell_scores(words, rubric.scale, scratch).reshape(n, m, -1)
        values = scratch("values", (len(words), n), float)  # sample × project, to rank
        np.copyto(values, _weighted(scores, sampled.T, scratch("weighted", (n, len(words)),
                                                                 float)).T)
        order, first = rank_order(values)  # per sample: projects best first, their ranks
        sums = np.bincount(order.ravel(), weights=first.ravel(), minlength=n)
        reach = kept  # the places that hold ranks 1 … kept: more only when a tie straddles
        if kept < n and first[:, kept].min() <= kept:
            reach += int((first[:, kept:] <= kept).sum(axis=1).max())
        who, at = order[:, :reach], first[:, :reach]
        held = at <= kept
        found = np.bincount((who * kept + at - 1)[held], minlength=n * kept).reshape(n, kept)
        rows, places = np.nonzero(at == 1)
        winners = who[rows, places]
        central_sums = np.stack([np.bincount(winners, weights=sampled[rows, a], minlength=n)
                                 for a in range(m)], axis=1)
        level = np.round(values[:, chosen], 9)
        return (found, sums.astype(np.int64), central_sums,
                (level[:, :, None] > level[:, None, :]).sum(axis=0))

    workers = max(1, workers or min(cpus(), 4))
    done = 0
    with ThreadPoolExecutor(workers) as pool:
        wave: list[Any] = []
        while done < samples:  # a wave of chunks: weights drawn in order, tallied in parallel
            previous, wave = wave, []  # freed once the next is drawn (see `Evidence.stream`)
            while done < samples and len(wave) < workers:
                size = min(chunk, samples - done)
                wave.append((sample_weights(weight_rng, size, w, concentration), done))
                done += size
            run = pool.map if len(wave) > 1 else map
            for found, sums, firsts_weights, won in run(lambda part: tally(*part), wave):
                counts += found  # summed in chunk order: the same numbers for any workers
                rank_sums += sums
                central += firsts_weights
                wins += won
            del previous
            if progress is not None:
                progress(done, samples)
    index = pd.Index(projects, name="project")
    acceptability = pd.DataFrame(counts / samples, index=index,
                                 columns=pd.RangeIndex(1, kept + 1, name="rank"))
    expected = (acceptability.to_numpy() @ np.arange(1, n + 1) if kept == n
                else rank_sums / samples)  # the first as it always was, to the last bit
    firsts = counts[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = central / firsts[:, None]
    centre[firsts == 0] = np.nan
    central_weights = pd.DataFrame(centre, index=index, columns=pd.Index(names, name="axis"))
    pairwise = wins / samples
    np.fill_diagonal(pairwise, np.nan)
    ids = index[chosen]
    targets = np.flatnonzero(firsts > 0)
    if kept < n:  # the projects first most often (ties: in project order)
        targets = np.sort(targets[np.argsort(-firsts[targets], kind="stable")[:kept]])
    confidence = _confidence(rubric, evidence, projects, central_weights, targets,
                             min(samples, CONFIDENCE_SAMPLES), np.random.default_rng([seed, 2]),
                             workers)
    return JointMonteCarlo(
        samples=samples, seed=seed, concentration=concentration,
        rank_acceptability=acceptability,
        expected_rank=pd.Series(expected, index=index, name="expected_rank"),
        first=acceptability[1].rename("first"),
        pairwise_win=pd.DataFrame(pairwise, index=ids, columns=ids),
        central_weights=central_weights, pairwise_projects=tuple(ids),
        pairwise_limit=pairwise_limit, evidence=bool(len(evidence.cell)),
        confidence=confidence,
    )  # fmt: skip


def _confidence(rubric: Rubric, evidence: Evidence, projects: list[str],
                central: pd.DataFrame, targets: np.ndarray, samples: int,
                rng: np.random.Generator, workers: int = 1) -> pd.Series:
    """Per project of `targets` (each with central weights): the share of evidence samples
    in which it ranks first (ties included) at those weights; NaN for the others.

    Ranks compare scores rounded to 9 decimals; rounding keeps order, so a project is
    first when its rounded score reaches the rounded highest (two roundings a sample, not
    one per project). Only the projects whose best score at those weights (`Evidence.bounds`)
    reaches the worst of the best-placed can be highest, so only they are weighted: a few,
    however many projects there are. Chunks are drawn in order and tallied by `workers`
    threads."""
    targets = targets.tolist()
    hits = np.zeros(len(projects))
    n, m = evidence.fixed.shape
    weights = central.to_numpy()[targets] if targets else np.zeros((0, m))
    low, high = evidence.bounds(rubric.scale)
    rivals = []  # per target: the projects that can reach the top at its central weights
    for k, target in enumerate(targets):
        least, most = low @ weights[k], high @ weights[k]
        near = np.union1d(np.flatnonzero(most >= least.max() - _REACH), [target])
        rivals.append((near, int(np.searchsorted(near, target))))
    width = max((len(near) for near, _ in rivals), default=1)
    chunk = max(1, _CHUNK_VALUES // max(evidence.width, n * m, width * max(1, len(targets))))

    scratch = Scratch()

    words_at = evidence.stream(rng)

    def tally(start: int, size: int) -> np.ndarray:
        words = words_at(start, size)
        scores = evidence.cell_scores(words, rubric.scale, scratch).reshape(n, m, -1)
        found = np.zeros(len(targets), dtype=np.int64)
        for k, (near, own) in enumerate(rivals):
            if 4 * len(near) > n:  # most projects: weigh them all in place, keep the near
                every = _weighted(scores, weights[k], scratch("weighted", (n, len(words)), float))
                level = np.round(every[near], 9)  # near × samples
            else:  # a few: weigh a copy of theirs
                level = np.round(_weighted(scores[near], weights[k]), 9)
            found[k] = (level[own] >= level.max(axis=0)).sum()
        return found

    done = 0
    with ThreadPoolExecutor(workers) as pool:
        while done < samples and targets:
            wave = []
            while done < samples and len(wave) < workers:
                size = min(chunk, samples - done)
                wave.append((done, size))
                done += size
            for found in (pool.map if len(wave) > 1 else map)(lambda part: tally(*part),
                                                              wave):
                hits[targets] += found
    share = np.full(len(projects), np.nan)
    share[targets] = hits[targets] / samples
    return pd.Series(share, index=pd.Index(projects, name="project"), name="confidence")
