"""The analysis tables as plain records (dicts and rows) that every writer shares.

JSON, CSV, tabulate formats, the terminal and the workbook all start from these, so they
show the same numbers. The JSON shapes are a contract: users' scripts rely on them.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np

from scorer.i18n import t
from scorer.models import Rubric
from scorer.pipeline import Analysis

DECIMALS = 6
"""JSON numbers are rounded to this many decimals, hiding float noise (3.4999999999)."""


def clean(value: Any) -> Any:
    """A JSON-ready copy: dates as ISO text, tuples as lists, NaN as null, numpy as Python."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not math.isfinite(value):
            return None
        rounded = round(value, DECIMALS)
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_score(value: float) -> str:
    """An axis score as written on its scale: 4, 3.5."""
    return f"{value:g}"


def fmt_value(value: Any) -> str:
    """A fact value for people: 440,000,000; true; 2025-10-28; a, b."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def made_with(a: Analysis) -> dict[str, Any]:
    """What a result was made with: rubric, as-of date, profile and weights."""
    return {
        "rubric": {"id": a.rubric.id, "version": a.rubric.version},
        "as_of": a.as_of.isoformat(),
        "profile": a.profile,
        "weights": clean(a.weights.to_dict()),
    }


def compare_record(a: Analysis, lang: str = "en") -> dict[str, Any]:
    """`scorer compare --format json`: projects in rank order."""
    overrides = a.axes[a.axes["override"]].groupby("project")["axis"].agg(list).to_dict()
    projects = []
    for project, row in a.ranking.iterrows():
        projects.append({
            "id": project,
            "name": row["name"],
            "rank": int(row["rank"]),
            "score": clean(row["score"]),
            "total": clean(row["total"]),
            "grade": a.rubric.grade(row["total"], lang),
            "coverage": clean(row["coverage"]),
            "axes": clean(a.scores.loc[project].to_dict()),
            "overrides": overrides.get(project, []),
        })  # fmt: skip
    return clean({**made_with(a), "scale": a.rubric.scale.model_dump(),
                  "total_max": a.rubric.total_max, "projects": projects})


def compare_rows(a: Analysis, lang: str = "en",
                 machine: bool = False) -> tuple[list[str], list[list[Any]]]:
    """The ranked table as headers and rows: for people (labels, marks) or machines (ids)."""
    axes = a.rubric.axis_ids
    flagged = set(map(tuple, a.axes.loc[a.axes["override"], ["project", "axis"]].to_numpy()))
    if machine:
        headers = ["rank", "id", "name", "score", "total", "grade", "coverage", *axes,
                   "overrides"]
    else:
        headers = [t("rank", lang), t("project", lang),
                   *(a.rubric.axes[x].short_label(lang) for x in axes),
                   t("score", lang), f"{t('total', lang)} /{a.rubric.total_max:g}",
                   t("coverage", lang), t("grade", lang)]
    rows = []
    for project, row in a.ranking.iterrows():
        scores = a.scores.loc[project]
        grade = a.rubric.grade(row["total"], lang)
        if machine:
            marked = [p_axis for p_axis in axes if (project, p_axis) in flagged]
            rows.append([int(row["rank"]), project, row["name"], clean(row["score"]),
                         clean(row["total"]), grade, clean(row["coverage"]),
                         *(clean(scores[x]) for x in axes), " ".join(marked)])
        else:
            cells = [fmt_score(scores[x]) + ("*" if (project, x) in flagged else "")
                     for x in axes]
            rows.append([int(row["rank"]), row["name"], *cells, f"{row['score']:.2f}",
                         f"{row['total']:.1f}", f"{row['coverage']:.0%}", grade])
    return headers, rows


def explain_record(a: Analysis, project: str, lang: str = "en") -> dict[str, Any]:
    """`scorer explain PROJECT --format json`: every point of every axis, traced to facts."""
    dossier = a.dossier(project)
    evidence = a.evidence[a.evidence["project"] == project].set_index("fact")
    criteria = a.criteria[a.criteria["project"] == project]
    axes_rows = a.axes[a.axes["project"] == project].set_index("axis")
    ranking = a.ranking.loc[project]
    axes: dict[str, Any] = {}
    for axis_id, axis in a.rubric.axes.items():
        row = axes_rows.loc[axis_id]
        by_id = {c.id: c for c in axis.criteria}
        items = []
        for crit in criteria[criteria["axis"] == axis_id].itertuples(index=False):
            rule = by_id[crit.criterion]
            facts = {}
            for path in crit.facts:
                if path in evidence.index:
                    ev = evidence.loc[path]
                    facts[path] = {
                        "value": ev["value"], "source": ev["source"],
                        "source_title": ev["source_title"], "url": ev["source_url"],
                        "as_of": ev["date"], "note": ev["note"],
                    }  # fmt: skip
            items.append({
                "id": crit.criterion, "kind": crit.kind, "outcome": crit.outcome,
                "points": crit.points, "rule": rule.expression, "why": rule.why,
                "value": crit.value, "facts": facts, "missing": list(crit.missing),
                "note": None if _missing(crit.note) else crit.note,
            })  # fmt: skip
        override = None
        if row["override"]:
            override = {"score": row["score"], "reason": row["reason"]}
        axes[axis_id] = {
            "label": axis.label(lang), "score": row["score"], "computed": row["computed"],
            "base": axis.base, "points": row["raw"] - axis.base, "override": override,
            "coverage": row["coverage"], "criteria": items,
        }  # fmt: skip
    return clean({
        "id": dossier.id, "name": dossier.name, **made_with(a),
        "rank": int(ranking["rank"]), "of": len(a.ranking), "score": ranking["score"],
        "total": ranking["total"], "total_max": a.rubric.total_max,
        "grade": a.rubric.grade(ranking["total"], lang), "coverage": ranking["coverage"],
        "axes": axes,
    })  # fmt: skip


def rubric_record(rubric: Rubric, lang: str = "en") -> dict[str, Any]:
    """`scorer rubric --format json`: the method as declared, with each profile normalised."""
    profiles = {}
    for name, weights in rubric.profiles.items():
        total = sum(weights.values())
        profiles[name] = {axis: weights.get(axis, 0) / total for axis in rubric.axis_ids}
    axes = {}
    for axis_id, axis in rubric.axes.items():
        axes[axis_id] = {
            "label": axis.label(lang), "base": axis.base,
            "criteria": [
                {"id": c.id, "kind": c.kind, "rule": c.expression, "why": c.why,
                 **({"points": c.points, "else": c.else_} if c.kind == "check" else
                    {"bands": [b.model_dump() for b in c.bands or []], "below": c.below})}
                for c in axis.criteria
            ],
        }  # fmt: skip
    return clean({
        "id": rubric.id, "version": rubric.version, "title": rubric.title(lang),
        "scale": rubric.scale.model_dump(), "total_max": rubric.total_max,
        "default_profile": rubric.profile_name, "profiles": profiles,
        "grades": [{"at_least": g.at_least, "label": g.label(lang)} for g in rubric.grades],
        "axes": axes,
        "facts": {path: spec.model_dump(exclude_none=True) for path, spec in rubric.facts.items()},
    })  # fmt: skip


def points_text(criterion: Any) -> str:
    """How a criterion gives points, in a few characters: '+1', '+0 / -1', '≥1000: +1'."""
    if criterion.kind == "check":
        text = f"{criterion.points:+g}"
        return text + (f" / {criterion.else_:+g}" if criterion.else_ else "")
    bands = ", ".join(f"≥{fmt_value(b.at_least)}: {b.points:+g}" for b in criterion.bands)
    return bands + (f"; below: {criterion.below:+g}" if criterion.below else "")


def rubric_rows(rubric: Rubric, lang: str = "en") -> tuple[list[str], list[list[Any]]]:
    """One row per criterion: axis, id, rule, points, why."""
    headers = [t("axis", lang), t("criterion", lang), t("rule", lang), t("points", lang),
               t("why", lang)]
    rows = [[rubric.axes[axis_id].short_label(lang), c.id, c.expression, points_text(c), c.why]
            for axis_id, c in rubric.criteria()]
    return headers, rows


def weight_rows(rubric: Rubric, lang: str = "en") -> tuple[list[str], list[list[Any]]]:
    """Axes × profiles, each profile normalised to sum to 1."""
    record = rubric_record(rubric, lang)
    names = list(record["profiles"])
    headers = [t("axis", lang), t("label", lang), *names]
    rows = [[axis_id, rubric.axes[axis_id].label(lang),
             *(f"{record['profiles'][n][axis_id]:.3f}" for n in names)]
            for axis_id in rubric.axis_ids]
    return headers, rows



def _interval(low: float, high: float) -> list[Any]:
    return [clean(low), clean(high)]


def verdict(a: Analysis, report: Any, lang: str = "en") -> str:
    """The sensitivity analysis in one sentence, as an analyst would say it."""
    names = a.projects["name"]
    winners = [names[p] for p in a.ranking.index[a.ranking["rank"] == 1]]
    mc = report.monte_carlo
    share = mc.first[a.ranking.index[0]]
    how = (t("uniform_weights", lang) if mc.concentration is None
           else t("centred_weights", lang).format(k=mc.concentration))
    odds = t("first_share", lang).format(share=share, samples=mc.samples, how=how)
    if len(winners) > 1:
        return t("shared_first", lang).format(names=", ".join(winners)) + " " + odds
    critical = report.critical
    if critical is None:
        return t("always_first", lang).format(name=winners[0]) + " " + odds
    axis = a.rubric.axes[critical["axis"]].label(lang)
    key = "first_unless_below" if critical["direction"] == "below" else "first_unless_above"
    return t(key, lang).format(
        name=winners[0], axis=axis, threshold=critical["threshold"],
        weight=critical["weight"], other=names[critical["overtaker"]]) + " " + odds


def sensitivity_record(a: Analysis, report: Any, lang: str = "en") -> dict[str, Any]:
    """`scorer sensitivity --format json`: the four analyses of `scorer.sensitivity`."""
    oat: dict[str, Any] = {}
    for axis in a.rubric.axis_ids:
        points = report.breakpoints[report.breakpoints["axis"] == axis]
        segments = report.segments[report.segments["axis"] == axis]
        oat[axis] = {
            "breakpoints": [{"t": row.t, "between": [row.a, row.b]}
                            for row in points.itertuples(index=False)],
            "segments": [{"from": row.start, "to": row.end, "ranking": list(row.ranking)}
                         for row in segments.itertuples(index=False)],
        }
    stability = {axis: {"weight": row.weight,
                        "winner": _interval(row.winner_low, row.winner_high),
                        "ranking": _interval(row.ranking_low, row.ranking_high)}
                 for axis, row in report.stability.iterrows()}
    perturbation = [
        {"project": row.project, "axis": row.axis, "delta": row.delta,
         "rank_before": row.rank_before, "rank_after": row.rank_after,
         "changes": [{"project": p, "from": old, "to": new} for p, old, new in row.changes]}
        for row in report.perturbation.itertuples(index=False) if len(row.changes)
    ]
    mc = report.monte_carlo
    acceptability = mc.rank_acceptability
    return clean({
        **made_with(a),
        "verdict": verdict(a, report, lang),
        "critical": report.critical,
        "oat": oat,
        "stability": stability,
        "perturbation": perturbation,
        "monte_carlo": {
            "samples": mc.samples, "seed": mc.seed, "concentration": mc.concentration,
            "rank_acceptability": {p: acceptability.loc[p].tolist()
                                   for p in acceptability.index},
            "expected_rank": mc.expected_rank.to_dict(),
            "first": mc.first.to_dict(),
            "pairwise_win": {p: {q: v for q, v in row.items() if p != q}
                             for p, row in mc.pairwise_win.iterrows()},
            "central_weights": {p: row.to_dict() for p, row in mc.central_weights.iterrows()},
        },
    })  # fmt: skip
