"""What a score could be: from each criterion's possible points to axis, total and rank ranges,
the chance of each outcome (for sampling), and the single facts that would change a ranking.

A criterion that is unknown (a fact not stated) or uncertain (a range or sources that
disagree) could give any of its `possible` points. Criteria are resolved independently of
one another, and projects' evidence is independent, so every range here is exact:

- an axis ranges from base + Σ lowest possible points to base + Σ highest, each end clamped
  and rounded to the scale like the score (an override fixes the axis);
- the total is monotone in every axis, so it ranges over the weighted ends;
- a project's best rank is its rank with its own total at the top of its range and every
  other project's at the bottom; its worst rank the reverse (ties share the better rank).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from scorer.engine import axis_groups, axis_matrix, reached, snapped, summed
from scorer.models import Rubric
from scorer.ranking import TIE_DECIMALS, Moves
from scorer.rulebook import Rule, Rulebook
from scorer.rules import FactSeries, Undefined
from scorer.sampling import TOP


def axis_ranges(rubric: Rubric, criteria: pd.DataFrame, axes: pd.DataFrame) -> pd.DataFrame:
    """`axes` with `low` and `high`: the lowest and highest score each axis could have."""
    bases = pd.Series({axis_id: axis.base for axis_id, axis in rubric.axes.items()})
    group, pairs = axis_groups(criteria)
    possible = criteria["possible"].tolist()
    sums = pd.DataFrame({end: summed(group, np.array(list(map(pick, possible)), dtype=float),
                                     len(pairs)) for end, pick in (("low", min), ("high", max))},
                        index=pd.MultiIndex.from_frame(pairs))
    del possible
    keys = pd.MultiIndex.from_frame(axes[["project", "axis"]])
    low = (axes["axis"].map(bases).to_numpy() + sums["low"].reindex(keys).to_numpy())
    high = (axes["axis"].map(bases).to_numpy() + sums["high"].reindex(keys).to_numpy())
    table = axes.copy(deep=False)  # new columns only: the others stay shared
    table["low"] = np.where(axes["override"], axes["score"], snapped(rubric.scale, low))
    table["high"] = np.where(axes["override"], axes["score"], snapped(rubric.scale, high))
    return table


def total_ranges(axes: pd.DataFrame, weights: pd.Series, projects: list[str]
                 ) -> pd.DataFrame:
    """Per project: the lowest and highest weighted score and total (weights sum to 1)."""
    n = len(weights)
    out = {}
    for end in ("low", "high"):
        matrix = axis_matrix(axes, end, projects, list(weights.index))
        out[f"score_{end}"] = matrix.to_numpy() @ weights.to_numpy(dtype=float)
    table = pd.DataFrame(out, index=pd.Index(projects, name="project"))
    table["total_low"] = table["score_low"] * n
    table["total_high"] = table["score_high"] * n
    return table


def rank_ranges(score_low: pd.Series, score_high: pd.Series) -> pd.DataFrame:
    """Per project: best and worst possible rank, given every project's score range.

    Best: 1 + the projects whose lowest score is above this one's highest; worst: 1 + those
    whose highest is above this one's lowest (not counting itself). Counted by binary search
    over the sorted ends, so time is n log n and memory linear in the projects."""
    low = np.round(score_low.to_numpy(dtype=float), TIE_DECIMALS)
    high = np.round(score_high.to_numpy(dtype=float), TIE_DECIMALS)
    n = len(low)
    above_high = n - np.searchsorted(np.sort(low), high, side="right")  # low_j > high_i
    above_low = n - np.searchsorted(np.sort(high), low, side="right")  # high_j > low_i
    best = 1 + above_high - (low > high)  # a project never counts itself
    worst = 1 + above_low - (high > low)
    return pd.DataFrame({"rank_best": best, "rank_worst": worst}, index=score_low.index)


# ---------------------------------------------------------------- chances, for sampling

GRID = 256
"""A stated range is integrated on this many evenly spaced values per fact (at most 4,096
combinations in all), each taken as equally likely."""


def distributions(rulebook: Rulebook, criteria: pd.DataFrame, evidence: pd.DataFrame,
                  as_of: date, histories: Mapping[str, FactSeries] | None = None
                  ) -> pd.DataFrame:
    """Per unknown or uncertain criterion (project, criterion, axis): the points it could
    give and the chance of each (`points`, `chances`, both tuples).

    An unknown check passes with the chance `unknown_pass` (the criterion's, else the
    rubric's); unknown bands pass with it too, each band equally. An uncertain criterion
    takes each source's alternative with equal chance, and a value uniformly within each
    stated range (an open end: the two ends, equally)."""
    rubric = rulebook.rubric
    rules = {rule.id: rule for rule in rulebook}  # ids are unique in a rubric
    candidates = dict(zip(zip(evidence["project"].tolist(), evidence["fact"].tolist(),
                              strict=True), evidence["candidates"].tolist(), strict=True))
    open_ = criteria[[len(p) > 1 for p in criteria["possible"].tolist()]]
    found: dict[Any, dict[float, float]] = {}  # by rule and the values its facts may take
    rows = []
    for project, criterion, axis, outcome in zip(
            open_["project"].tolist(), open_["criterion"].tolist(), open_["axis"].tolist(),
            open_["outcome"].tolist(), strict=True):
        rule = rules[criterion]
        if outcome == "unknown":
            prior = rule.criterion.unknown_pass
            chances = _unknown(rule, rubric.unknown_pass if prior is None else prior)
        else:
            facts = {f: candidates[(project, f)] for f in rule.facts}
            past = (histories or {}).get(project, {})
            key = _values_of(rule, facts, as_of, past)
            chances = found.get(key) if key is not None else None
            if chances is None:
                chances = _uncertain(rule, facts, as_of, past)
                if key is not None:
                    found[key] = chances
        points = tuple(sorted(chances))
        rows.append({"project": project, "criterion": criterion, "axis": axis,
                     "points": points, "chances": tuple(chances[p] for p in points)})
    return pd.DataFrame(rows, columns=["project", "criterion", "axis", "points", "chances"])


def _values_of(rule: Rule, facts: dict[str, tuple[Any, ...]], as_of: date,
               past: FactSeries) -> Any:
    """All `_uncertain` reads for a rule: each candidate's values and their types, and the
    value each look-back of `change`/`ago` reaches, so that projects whose sources give the
    same values share one computation; None when a value cannot be a key (a list)."""
    looked_back = []
    for path, days in rule.expression.trends:
        count = reached(past, path, as_of, days)
        value = past[path][count - 1][1] if isinstance(count, int) else None
        looked_back.append((type(value), value) if isinstance(count, int) else None)
    key = (rule.id, tuple(looked_back), tuple(
        (f, tuple((type(value), value, type(low), low, type(high), high, bounds)
                  for value, low, high, bounds, _ in options))
        for f, options in facts.items()))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _unknown(rule: Rule, prior: float) -> dict[float, float]:
    c = rule.criterion
    chances: dict[float, float] = {}
    if c.kind == "check":
        outcomes = [(float(c.points or 0), prior), (float(c.else_), 1 - prior)]
    else:
        bands = c.bands or []
        outcomes = [(float(c.below), 1 - prior),
                    *((float(b.points), prior / len(bands)) for b in bands)]
    for points, chance in outcomes:
        chances[points] = chances.get(points, 0.0) + chance
    return chances


def _uncertain(rule: Rule, facts: dict[str, tuple[Any, ...]], as_of: date, past: FactSeries
               ) -> dict[float, float]:
    ranged = sum(1 for options in facts.values() for c in options if c[3] is not None)
    per_fact = max(2, min(GRID, int(4096 ** (1 / max(ranged, 1)))))
    chances: dict[float, float] = {}
    names = list(facts)
    for box in product(*(facts[f] for f in names)):
        weight = 1.0
        for f in names:
            weight /= len(facts[f])
        grids = [_grid(candidate, per_fact) for candidate in box]
        cells = list(product(*grids))
        for values in cells:
            try:
                result = rule.evaluate(dict(zip(names, values, strict=True)), as_of,
                                       unbounded=True, history=past)
            except Undefined:
                return _spread(rule.all_points())
            points = rule.judge(result)[1]
            chances[points] = chances.get(points, 0.0) + weight / len(cells)
    return chances


def _grid(candidate: tuple[Any, ...], size: int) -> list[Any]:
    """Values standing for a candidate: itself, or evenly spaced points across its range
    (the midpoints of `size` equal strata); an open range: its two ends."""
    value, low, high, bounds, _ = candidate
    if bounds is None:
        return [value]
    if not (math.isfinite(low) and math.isfinite(high)):
        return [low, high]
    return [low + (high - low) * (i + 0.5) / size for i in range(size)]


def _spread(points: tuple[float, ...]) -> dict[float, float]:
    return {p: 1 / len(points) for p in points}


# ---------------------------------------------------------------- critical evidence


CRITICAL_COLUMNS = ["project", "criterion", "axis", "points", "winner", "changes"]


def _settlements(rubric: Rubric, criteria: pd.DataFrame, axes: pd.DataFrame,
                 scores: pd.DataFrame, weights: pd.Series
                 ) -> tuple[list[tuple[Any, ...]], Moves | None]:
    """Every way of settling one unknown or uncertain criterion other than its point
    estimate, on an axis no override fixes: (project, criterion, axis, points), in the order
    of `criteria` then of its possible points; and what each does to the ranks at the
    chosen weights (every other criterion as it is)."""
    scale = rubric.scale
    position = {p: i for i, p in enumerate(scores.index)}
    column = {a: j for j, a in enumerate(scores.columns)}
    w = weights.reindex(scores.columns).to_numpy(dtype=float)
    s = scores.to_numpy(dtype=float)
    base = s @ w
    raw = {(p, a): (r, bool(o)) for p, a, r, o in zip(axes["project"], axes["axis"],
                                                     axes["raw"], axes["override"],
                                                     strict=True)}
    found, moved, values = [], [], []
    open_ = criteria[criteria["possible"].map(len) > 1]
    for project, criterion, axis, points, possible in zip(
            open_["project"], open_["criterion"], open_["axis"], open_["points"],
            open_["possible"], strict=True):
        total, overridden = raw[(project, axis)]
        if overridden:
            continue  # an override fixes the axis: no evidence moves it
        p, j = position[project], column[axis]
        for option in possible:
            if option == points:
                continue
            score = scale.snap(total - points + option)
            found.append((project, criterion, axis, option))
            moved.append(p)
            values.append(base[p] + w[j] * (score - s[p, j]))  # as `rank` would sum it
    if not found:
        return found, None
    return found, Moves.of(base, np.array(moved), np.array(values))


def critical_evidence(rubric: Rubric, criteria: pd.DataFrame, axes: pd.DataFrame,
                      scores: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Each unknown or uncertain criterion that, settled one way, changes the ranking at
    the chosen weights (every other criterion as it is): project, criterion, points it would
    give, the new winner, and `changes`, (project, old rank, new rank) for every move.
    (`critical_evidence_top` keeps only those that reach the top ranks.)"""
    found, moves = _settlements(rubric, criteria, axes, scores, weights)
    rows = [] if moves is None else list(_critical_rows(
        scores.index, found, moves, np.flatnonzero(moves.counts() > 0)))
    return pd.DataFrame(rows, columns=CRITICAL_COLUMNS)


def _critical_rows(ids: pd.Index, found: list[tuple[Any, ...]], moves: Moves,
                   which: np.ndarray, top: int | None = None) -> Iterator[dict[str, Any]]:
    """The rows of `critical_evidence` for the settlements `which` (with `top`: their
    changes within the top ranks only)."""
    ids = ids.tolist()  # a list: fast to index
    for k in which.tolist():
        project, criterion, axis, points = found[k]
        yield {"project": project, "criterion": criterion, "axis": axis, "points": points,
               "winner": tuple(ids[q] for q in moves.leaders(k)),
               "changes": tuple((ids[q], old, new) for q, old, new in moves.changes(k, top))}


@dataclass(frozen=True)
class CriticalEvidence:
    """Critical evidence, bounded: the settlements that change one of the `top` best ranks
    (the winner's among them), with those changes; how many settlements there are and how
    many change any rank; every one on demand (`rows(full=True)`), computed as read."""

    table: pd.DataFrame
    """As `critical_evidence`, `changes` within the top only (the moved project's own
    included), and `others`: how many ranks below the top move too."""
    settlements: int
    """Ways of settling one unknown or uncertain criterion other than its estimate."""
    changing: int
    """Those that change some rank."""
    top: int
    _stream: Callable[[], Iterator[dict[str, Any]]] = field(repr=False, compare=False)

    def rows(self, full: bool = False) -> Iterator[dict[str, Any]]:
        """The settlements that matter, as `table` rows; with `full`, every one that changes
        a rank, as the rows of `critical_evidence`, one at a time."""
        if full:
            return self._stream()
        return iter(self.table.to_dict("records"))


def critical_evidence_top(rubric: Rubric, criteria: pd.DataFrame, axes: pd.DataFrame,
                          scores: pd.DataFrame, weights: pd.Series, top: int = TOP
                          ) -> CriticalEvidence:
    """`critical_evidence`, bounded to the settlements that change a rank within the `top`
    best, and counts of the rest: memory linear in projects and criteria."""
    if top < 1:
        raise ValueError("top must be at least 1")
    found, moves = _settlements(rubric, criteria, axes, scores, weights)
    if moves is None:
        return CriticalEvidence(pd.DataFrame(columns=[*CRITICAL_COLUMNS, "others"]), 0, 0,
                                top, lambda: iter(()))
    every, within = moves.counts(), moves.counts(top)
    matter = np.flatnonzero(within > 0)
    table = pd.DataFrame(list(_critical_rows(scores.index, found, moves, matter, top)),
                         columns=CRITICAL_COLUMNS)
    table["others"] = (every - within)[matter]
    changing = np.flatnonzero(every > 0)
    return CriticalEvidence(
        table=table, settlements=len(found), changing=len(changing), top=top,
        _stream=lambda: _critical_rows(scores.index, found, moves, changing))
