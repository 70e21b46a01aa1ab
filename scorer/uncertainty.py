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
from collections.abc import Mapping
from datetime import date
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from scorer.models import Rubric
from scorer.ranking import TIE_DECIMALS
from scorer.rulebook import Rule, Rulebook
from scorer.rules import FactSeries, Undefined


def axis_ranges(rubric: Rubric, criteria: pd.DataFrame, axes: pd.DataFrame) -> pd.DataFrame:
    """`axes` with `low` and `high`: the lowest and highest score each axis could have."""
    bases = pd.Series({axis_id: axis.base for axis_id, axis in rubric.axes.items()})
    ends = criteria.assign(low=criteria["possible"].map(min),
                           high=criteria["possible"].map(max))
    sums = ends.groupby(["project", "axis"], sort=False)[["low", "high"]].sum()
    keys = pd.MultiIndex.from_frame(axes[["project", "axis"]])
    low = (axes["axis"].map(bases).to_numpy() + sums["low"].reindex(keys).to_numpy())
    high = (axes["axis"].map(bases).to_numpy() + sums["high"].reindex(keys).to_numpy())
    table = axes.copy()
    table["low"] = np.where(axes["override"], axes["score"], [rubric.scale.snap(x) for x in low])
    table["high"] = np.where(axes["override"], axes["score"],
                             [rubric.scale.snap(x) for x in high])
    return table


def total_ranges(axes: pd.DataFrame, weights: pd.Series, projects: list[str]
                 ) -> pd.DataFrame:
    """Per project: the lowest and highest weighted score and total (weights sum to 1)."""
    n = len(weights)
    out = {}
    for end in ("low", "high"):
        matrix = axes.pivot(index="project", columns="axis", values=end)
        matrix = matrix.reindex(index=projects, columns=list(weights.index)).astype(float)
        out[f"score_{end}"] = matrix.to_numpy() @ weights.to_numpy(dtype=float)
    table = pd.DataFrame(out, index=pd.Index(projects, name="project"))
    table["total_low"] = table["score_low"] * n
    table["total_high"] = table["score_high"] * n
    return table


def rank_ranges(score_low: pd.Series, score_high: pd.Series) -> pd.DataFrame:
    """Per project: best and worst possible rank, given every project's score range."""
    low = np.round(score_low.to_numpy(dtype=float), TIE_DECIMALS)
    high = np.round(score_high.to_numpy(dtype=float), TIE_DECIMALS)
    others = ~np.eye(len(low), dtype=bool)
    best = 1 + ((low[None, :] > high[:, None]) & others).sum(axis=1)
    worst = 1 + ((high[None, :] > low[:, None]) & others).sum(axis=1)
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
    candidates = {(row.project, row.fact): row.candidates
                  for row in evidence[["project", "fact", "candidates"]].itertuples(index=False)}
    rows = []
    for row in criteria[criteria["possible"].map(len) > 1].itertuples(index=False):
        rule = rulebook.rule(row.criterion)
        if row.outcome == "unknown":
            prior = rule.criterion.unknown_pass
            chances = _unknown(rule, rubric.unknown_pass if prior is None else prior)
        else:
            facts = {f: candidates[(row.project, f)] for f in rule.facts}
            chances = _uncertain(rule, facts, as_of, (histories or {}).get(row.project, {}))
        points = tuple(sorted(chances))
        rows.append({"project": row.project, "criterion": row.criterion, "axis": row.axis,
                     "points": points, "chances": tuple(chances[p] for p in points)})
    return pd.DataFrame(rows, columns=["project", "criterion", "axis", "points", "chances"])


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


def critical_evidence(rubric: Rubric, criteria: pd.DataFrame, axes: pd.DataFrame,
                      scores: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Each unknown or uncertain criterion that, settled one way, changes the ranking at
    the chosen weights (every other criterion as it is): project, criterion, points it would
    give, the new winner, and `changes`, (project, old rank, new rank) for every move."""
    from scorer.ranking import competition_rank

    scale = rubric.scale
    order = list(scores.index)
    w = weights.reindex(scores.columns).to_numpy(dtype=float)
    base = scores.to_numpy(dtype=float) @ w
    before = competition_rank(base)
    names = list(scores.columns)
    keyed = axes.set_index(["project", "axis"])
    rows = []
    for crit in criteria[criteria["possible"].map(len) > 1].itertuples(index=False):
        key = (crit.project, crit.axis)
        if bool(keyed.at[key, "override"]):
            continue  # an override fixes the axis: no evidence moves it
        p, j = order.index(crit.project), names.index(crit.axis)
        for points in crit.possible:
            if points == crit.points:
                continue
            score = scale.snap(keyed.at[key, "raw"] - crit.points + points)
            values = base.copy()
            values[p] += w[j] * (score - scores.iat[p, j])
            after = competition_rank(values)
            moved = np.flatnonzero(after != before)
            if not len(moved):
                continue
            rows.append({
                "project": crit.project, "criterion": crit.criterion, "axis": crit.axis,
                "points": points, "winner": tuple(order[i] for i in np.flatnonzero(after == 1)),
                "changes": tuple((order[i], int(before[i]), int(after[i])) for i in moved),
            })  # fmt: skip
    return pd.DataFrame(rows, columns=["project", "criterion", "axis", "points", "winner",
                                       "changes"])
