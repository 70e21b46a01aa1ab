"""Every point of one project (`scorer explain PROJECT`): per axis, each criterion, its
outcome and points, the rule, and the facts it read with their sources and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from scorer.dates import When
from scorer.facttypes import display_range, display_value
from scorer.i18n import t
from scorer.views.common import clean, fmt_score, is_missing, made_with, outcome_text

if TYPE_CHECKING:
    from scorer.analysis import Analysis


@dataclass(frozen=True)
class Explanation:
    """One project's scores, traced to criteria and facts, in one language."""

    record: dict[str, Any]
    """The JSON of `scorer explain PROJECT --format json`."""
    lang: str

    @classmethod
    def of(cls, a: Analysis, project: str, lang: str = "en") -> Explanation:
        return cls(explain_record(a, project, lang), lang)

    def to_dict(self) -> dict[str, Any]:
        return self.record

    def table(self) -> pd.DataFrame:
        """One row per criterion: axis, criterion, outcome, points, rule, facts read."""
        rows = []
        for axis in self.record["axes"].values():
            for crit in axis["criteria"]:
                facts = "; ".join(f"{path} = {display_value(fact['value'])}"
                                  for path, fact in crit["facts"].items())
                missing = "; ".join(f"{path}: {t('missing', self.lang)}"
                                    for path in crit["missing"])
                rows.append({
                    t("axis", self.lang): axis["label"],
                    t("criterion", self.lang): crit["id"],
                    t("outcome", self.lang): outcome_text(crit["kind"], crit["outcome"],
                                                          self.lang),
                    t("points", self.lang): crit["points"],
                    t("rule", self.lang): crit["rule"],
                    t("facts", self.lang): "; ".join(x for x in (facts, missing) if x),
                })  # fmt: skip
        return pd.DataFrame(rows)

    def headline(self) -> str:
        """'Flux (flux) — Rank 2/3 (1–3), 19.0/30 (18–23), Around average, Coverage 83%'."""
        r, lang = self.record, self.lang
        rank = f"{r['rank']}/{r['of']}"
        total = f"{r['total']:.1f}/{r['total_max']:g}"
        if r["total_range"][0] != r["total_range"][1]:
            best, worst = r["rank_range"]
            rank += f" ({best}–{worst})" if best != worst else ""
            total += " ({:g}–{:g})".format(*r["total_range"])
        grade = r["grade"]
        if r["provisional"]:
            grade += f" ({t('provisional_of', lang, share=r['coverage'])})"
        return (f"{r['name']} ({r['id']}) — {t('rank', lang)} {rank}, {total}, {grade}, "
                f"{t('coverage', lang)} {r['coverage']:.0%}")

    def __repr__(self) -> str:
        return f"<Explanation {self.headline()}>"

    def _repr_html_(self) -> str:
        from scorer.writers.html import explanation_html

        return explanation_html(self)


def axis_sum(axis: dict[str, Any], lang: str) -> str:
    """How an axis score is made: '= base 1 +2', then '→ 5 (clamped to the scale)' when the
    sum leaves the scale (an override is said separately)."""
    text = f"= {t('base', lang)} {axis['base']:g} {axis['points']:+g}"
    if axis["points"] + axis["base"] != axis["computed"]:
        text += f" → {fmt_score(axis['computed'])} {t('clamped', lang)}"
    return text


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
                        "dated": dated(ev["date"], ev["precision"]),
                        "shown": shown_value(a, path, ev["candidates"]),
                        "candidates": [
                            {"value": value, "low": low, "high": high, "bounds": bounds,
                             "source": source}
                            for value, low, high, bounds, source in ev["candidates"]],
                    }  # fmt: skip
            items.append({
                "id": crit.criterion, "kind": crit.kind, "outcome": crit.outcome,
                "points": crit.points, "rule": rule.expression, "why": rule.why,
                "value": crit.value, "facts": facts, "missing": list(crit.missing),
                "note": None if is_missing(crit.note) else crit.note,
                "possible_points": list(crit.possible),
                "settled_by": settled_by(a, crit, facts, lang),
                "history": looked_back(a, project, a.rulebook.rule(crit.criterion)),
            })  # fmt: skip
        override = None
        if row["override"]:
            override = {"score": row["score"], "reason": row["reason"]}
        axes[axis_id] = {
            "label": axis.label(lang), "score": row["score"], "computed": row["computed"],
            "base": axis.base, "points": row["raw"] - axis.base, "override": override,
            "coverage": row["coverage"], "range": [row["low"], row["high"]], "criteria": items,
        }  # fmt: skip
    return clean({
        "id": dossier.id, "name": dossier.name, **made_with(a),
        "rank": int(ranking["rank"]), "of": len(a.ranking), "score": ranking["score"],
        "total": ranking["total"], "total_max": a.rubric.total_max,
        "grade": a.rubric.grade(ranking["total"], lang), "coverage": ranking["coverage"],
        "provisional": bool(ranking["provisional"]),
        "total_range": [ranking["total_low"], ranking["total_high"]],
        "rank_range": [int(ranking["rank_best"]), int(ranking["rank_worst"])],
        "axes": axes,
    })  # fmt: skip


def looked_back(a: Analysis, project: str, rule: Any) -> list[dict[str, Any]]:
    """What a rule's `change`/`ago` read: per (fact, days), the day looked back to and the
    value in force then (with the date of its observation), or None when there was none."""
    found = []
    series = a.histories.get(project, {})
    for path, days in rule.expression.trends:
        day = a.as_of - timedelta(days=days)
        earlier = [(when, value) for when, value in series.get(path, ()) if when <= day]
        when, value = earlier[-1] if earlier else (None, None)
        found.append({"fact": path, "days": days, "on": day, "value": value, "as_of": when})
    return found


def dated(day: Any, precision: Any) -> str | None:
    """An observation's date as its source gives it: 2025-10-28, 2025-10, 2025-Q3."""
    if day is None or (isinstance(day, float) and day != day):
        return None
    return str(When(day, precision if isinstance(precision, str) else "day"))


def shown_value(a: Analysis, path: str, candidates: tuple[Any, ...]) -> str:
    """A fact's evidence as people read it: '14,300', '≥ 1,000', or every value the sources
    give, '115,710,000 | 105,000,000'."""
    spec = a.rubric.facts[path]
    texts = []
    for value, low, high, bounds, _ in candidates:
        if bounds is None:
            texts.append(spec.kind.display(value))
        elif bounds == "range":
            texts.append(f"{spec.kind.display(value)} "
                         f"({display_range(bounds, low, high, spec.kind.display)})")
        else:
            texts.append(display_range(bounds, low, high, spec.kind.display))
    return " | ".join(texts)


def settled_by(a: Analysis, crit: Any, facts: dict[str, Any], lang: str) -> str | None:
    """What would settle an unknown or uncertain criterion: the missing facts, or the facts
    whose ranges or alternatives straddle the rule; None when it is settled."""
    if crit.outcome == "unknown" and len(crit.missing):
        return t("settle_missing", lang, facts=", ".join(crit.missing))
    if crit.outcome == "unknown":  # every fact stated, yet no value: e.g. no history that old
        return t("settle_undefined", lang, reason=str(crit.note).removeprefix("undefined: "))
    if crit.outcome == "uncertain":
        values = "; ".join(f"{path} = {facts[path]['shown']}" for path in crit.uncertain)
        return t("settle_range", lang, values=values)
    return None
