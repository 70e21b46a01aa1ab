"""Scores over time: the dates on which something can change, and the analysis at each.

Every observation is dated, so a history is the same analysis run at several dates — no new
data. `change_dates` finds exactly the days on which some score can change between a start
and an end, so a history sampled on them misses nothing:

- the start, and every day an observation takes effect;
- every day a `change`/`ago` window reaches back to an observation (a trend rule's value
  moves when its look-back date crosses one);
- every day a rule that reads the date itself (`years_since`, `days_since`) changes what it
  gives (outcome, points, possible points), found by bisection between the days above (such
  rules are thresholds on a duration: each threshold is crossed once).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd

from scorer import engine
from scorer import evidence as ev
from scorer.models import Dossier
from scorer.rulebook import Rule, Rulebook
from scorer.rules import FactSeries


def first_date(dossiers: Sequence[Dossier], forecasts: bool = False) -> date | None:
    """The earliest day on which some observation takes effect."""
    days = ev.effective_dates(dossiers, forecasts)
    return days[0] if days else None


def period_ends(start: date, end: date, every: str) -> list[date]:
    """The last day of each month, quarter or year from `start` to `end`, then `end`."""
    months = {"month": 1, "quarter": 3, "year": 12}[every]
    found = []
    year, month = start.year, start.month
    while True:
        month_end = (month - 1) // months * months + months  # the period's last month
        day = date(year, month_end, calendar.monthrange(year, month_end)[1])
        if day > end:
            break
        if day >= start:
            found.append(day)
        year, month = (year + 1, 1) if month_end == 12 else (year, month_end + 1)
    return sorted({*found, end})


def change_dates(rulebook: Rulebook, dossiers: Sequence[Dossier], start: date, end: date, *,
                 include_forecasts: bool = False, min_reliability: ev.Reliability = "low",
                 observations: pd.DataFrame | None = None) -> list[date]:
    """Every day from `start` to `end` on which some score can change (see the module doc).
    `observations`, when given, are the dossiers' observations as the two options leave
    them (`scorer.analysis.Prepared.trusted`), not made again."""
    if observations is None:
        observations = ev.observations_table(dossiers)
        if not include_forecasts:
            observations = ev.without_forecasts(observations)
        observations = ev.at_least_as_reliable(observations, min_reliability)
    dated = observations["date"].tolist()
    effective = sorted({d for d in dated if d is not None and d == d})  # NaN: undated
    days = {start, *(d for d in effective if start < d <= end)}
    for path, window in {trend for rule in rulebook for trend in rule.expression.trends}:
        reads = (observations["fact"] == path).to_numpy()
        days.update(d + timedelta(days=window)
                    for d in {d for d, read in zip(dated, reads, strict=True) if read}
                    if d is not None and d == d and start < d + timedelta(days=window) <= end)
    clocked = [rule for rule in rulebook if rule.expression.clock]
    if clocked:
        histories = engine.history(rulebook, observations, [d.id for d in dossiers])
        in_force = ev.InForce(observations)
        ordered = sorted(days)
        for left, right in zip(ordered, [*ordered[1:], end + timedelta(days=1)], strict=True):
            days.update(_flips(clocked, in_force, histories, left, right - timedelta(days=1)))
    return sorted(days)


def _flips(rules: Sequence[Rule], in_force: ev.InForce, histories: Mapping[str, FactSeries],
           left: date, right: date) -> set[date]:
    """Days in (left, right] on which a rule that reads the date changes what it gives
    (outcome, points, possible points), the evidence being what is in force on `left`
    (nothing takes effect in between)."""
    if right <= left:
        return set()
    current = in_force.at(left)
    projects = sorted(set(current["project"]))
    values, candidates = engine.evidence_values(current, projects)
    found: set[date] = set()
    for project in projects:
        for rule in rules:
            if any(f not in values[project] for f in rule.facts):
                continue  # unknown whatever the day

            def state(day: date, rule: Rule = rule, project: str = project) -> tuple[Any, ...]:
                row = engine.criterion_row(rule, project, values[project], candidates[project],
                                           day, histories.get(project, {}))
                return row["outcome"], row["points"], row["possible"]

            day = left
            while day < right and state(day) != state(right):
                day = _first_change(state, day, right)
                found.add(day)
    return found


def _first_change(state: Callable[[date], Any], low: date, high: date) -> date:
    """The first day after `low`, up to `high`, whose state differs from `low`'s (a rule on
    a duration passes each threshold once, so its state never returns)."""
    start = state(low)
    while (high - low).days > 1:
        middle = low + (high - low) / 2
        if state(middle) == start:
            low = middle
        else:
            high = middle
    return high


def sampled_dates(rulebook: Rulebook, dossiers: Sequence[Dossier], start: date, end: date,
                  every: str, **options: Any) -> list[date]:
    """The dates a history samples: period ends, or every day something can change; and
    the end, so that the last row is the state on that day."""
    if every == "change":
        return sorted({*change_dates(rulebook, dossiers, start, end, **options), end})
    return period_ends(start, end, every)
