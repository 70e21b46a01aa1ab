"""The rules engine, as pure functions from tables to tables.

    dossiers ─► observations ─(as of a date)─► evidence ─► criteria ─► axes

Every number a report shows is a row of one of these tables: an axis score is its base
plus the points of its criteria; a criterion's points come from the facts it read, each
with its source and date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from scorer.errors import ScorerError
from scorer.models import Dossier, Rubric
from scorer.rules import Undefined

OBSERVATION_COLUMNS = [
    "project", "fact", "value", "date", "source", "source_title", "source_url",
    "reliability", "note",
]  # fmt: skip
CRITERIA_COLUMNS = [
    "project", "axis", "criterion", "kind", "outcome", "points", "value", "facts", "missing",
    "note",
]  # fmt: skip
AXES_COLUMNS = [
    "project", "axis", "score", "computed", "raw", "override", "reason", "known", "criteria",
    "coverage",
]  # fmt: skip


def projects_table(dossiers: Sequence[Dossier]) -> pd.DataFrame:
    """One row per project, indexed by id, in the order given."""
    rows = [{"id": d.id, "name": d.name, "ticker": d.ticker, "file": d.file} for d in dossiers]
    return pd.DataFrame(rows, columns=["id", "name", "ticker", "file"]).set_index("id")


def observations_table(dossiers: Sequence[Dossier]) -> pd.DataFrame:
    """Every observation of every fact, with its source resolved."""
    rows = []
    for dossier in dossiers:
        for fact, observations in dossier.facts.items():
            for obs in observations:
                source = dossier.sources.get(obs.source) if obs.source else None
                rows.append({
                    "project": dossier.id, "fact": fact, "value": obs.value, "date": obs.date,
                    "source": obs.source,
                    "source_title": source.title if source else None,
                    "source_url": source.url if source else None,
                    "reliability": source.reliability if source else None,
                    "note": obs.note,
                })  # fmt: skip
    return pd.DataFrame(rows, columns=OBSERVATION_COLUMNS).astype({"value": object})


def evidence_at(observations: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    """Per project and fact, the latest observation dated on or before `as_of`.

    Undated observations always apply, and lose to any dated one. `None` means no limit.
    """
    if observations.empty:
        return observations.copy()
    dates = observations["date"]
    keep = dates.isna() if as_of is not None else pd.Series(True, index=observations.index)
    if as_of is not None:
        keep |= dates.map(lambda d: d is not None and d <= as_of).astype(bool)
    current = observations[keep].copy()
    current["_order"] = current["date"].map(lambda d: (d is not None, d or date.min))
    current = current.sort_values(["project", "fact", "_order"], kind="stable")
    latest = current.groupby(["project", "fact"], sort=False).tail(1)
    return latest.drop(columns="_order").reset_index(drop=True)


def latest_date(dossiers: Sequence[Dossier]) -> date | None:
    """The most recent date the dossiers know of: the default 'as of' of an analysis."""
    dates = [d.as_of for d in dossiers if d.as_of]
    dates += [o.date for d in dossiers for obs in d.facts.values() for o in obs if o.date]
    return max(dates, default=None)


def overrides_table(dossiers: Sequence[Dossier]) -> pd.DataFrame:
    rows = [{"project": d.id, "axis": axis, "score": o.score, "reason": o.reason}
            for d in dossiers for axis, o in d.overrides.items()]
    return pd.DataFrame(rows, columns=["project", "axis", "score", "reason"])


def evaluate(rubric: Rubric, evidence: pd.DataFrame, projects: Sequence[str],
             as_of: date) -> pd.DataFrame:
    """One row per project × criterion: outcome (pass/fail/unknown), points, facts read."""
    values: dict[str, dict[str, Any]] = {p: {} for p in projects}
    for project, fact, value in evidence[["project", "fact", "value"]].itertuples(index=False):
        if project in values:
            values[project][fact] = value
    rows = []
    for project in projects:
        known = values[project]
        for axis_id, criterion in rubric.criteria():
            rule = criterion.rule
            missing = tuple(f for f in rule.facts if f not in known)
            row = {"project": project, "axis": axis_id, "criterion": criterion.id,
                   "kind": criterion.kind, "outcome": "unknown", "points": 0.0, "value": None,
                   "facts": rule.facts, "missing": missing, "note": None}
            if missing:
                row["note"] = "not stated: " + ", ".join(missing)
            else:
                _apply(row, criterion, rule, known, as_of)
            rows.append(row)
    return pd.DataFrame(rows, columns=CRITERIA_COLUMNS).astype({"value": object})


def _apply(row: dict[str, Any], criterion: Any, rule: Any, known: dict[str, Any],
           as_of: date) -> None:
    try:
        result = rule.evaluate(known, as_of)
    except Undefined as exc:
        row["note"] = f"undefined: {exc}"
        return
    except TypeError as exc:
        raise ScorerError(f"criterion '{criterion.id}' cannot be evaluated for project "
                          f"'{row['project']}': {exc}") from None
    row["value"] = result
    if criterion.kind == "check":
        if not isinstance(result, bool):
            raise ScorerError(f"criterion '{criterion.id}': '{criterion.when}' gave {result!r}, "
                              "not true or false; a check needs a condition")
        row["outcome"] = "pass" if result else "fail"
        row["points"] = float(criterion.points if result else criterion.else_)
        return
    if isinstance(result, bool) or not isinstance(result, (int, float)):
        raise ScorerError(f"criterion '{criterion.id}': '{criterion.value}' gave {result!r}, "
                          "not a number; bands need a numeric value")
    reached = [band for band in criterion.bands if result >= band.at_least]
    row["outcome"] = "pass" if reached else "fail"
    row["points"] = float(reached[-1].points if reached else criterion.below)


def aggregate(rubric: Rubric, criteria: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    """One row per project × axis: base + Σ points, clamped and rounded to the scale,
    replaced by the dossier's override where there is one (the computed score stays)."""
    bases = pd.Series({axis_id: axis.base for axis_id, axis in rubric.axes.items()})
    grouped = criteria.groupby(["project", "axis"], sort=False)
    table = pd.DataFrame({
        "points": grouped["points"].sum(),
        "known": grouped["outcome"].agg(lambda s: int((s != "unknown").sum())),
        "criteria": grouped["outcome"].size(),
    }).reset_index()  # fmt: skip
    table["raw"] = table["axis"].map(bases) + table["points"]
    table["computed"] = table["raw"].map(rubric.scale.snap)
    table["coverage"] = table["known"] / table["criteria"]
    keyed = overrides.set_index(["project", "axis"]) if not overrides.empty else None
    scores, flags, reasons = [], [], []
    for project, axis, computed in table[["project", "axis", "computed"]].itertuples(index=False):
        if keyed is not None and (project, axis) in keyed.index:
            override = keyed.loc[(project, axis)]
            scores.append(float(override["score"]))
            flags.append(True)
            reasons.append(override["reason"])
        else:
            scores.append(computed)
            flags.append(False)
            reasons.append(None)
    table["score"], table["override"], table["reason"] = scores, flags, reasons
    return table[AXES_COLUMNS]


def score_matrix(axes: pd.DataFrame, rubric: Rubric, projects: Sequence[str]) -> pd.DataFrame:
    """Final axis scores as a project × axis matrix (the decision matrix of MCDA)."""
    matrix = axes.pivot(index="project", columns="axis", values="score")
    return matrix.reindex(index=list(projects), columns=rubric.axis_ids).astype(float)


def coverage(criteria: pd.DataFrame) -> pd.Series:
    """Per project, the share of criteria whose facts are all stated."""
    return criteria.groupby("project", sort=False)["outcome"].agg(
        lambda s: float((s != "unknown").mean())
    )
