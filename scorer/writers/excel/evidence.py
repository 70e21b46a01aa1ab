"""The Evidence sheet: one row per project × criterion × fact read, with the criterion's
outcome, points, `why` and rule, and the fact's value, source (a link) and date; for an
unknown or uncertain criterion, the points it could give and what would settle it, and every
value the sources give when they leave more than one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from scorer.analysis import Analysis
from scorer.i18n import t
from scorer.untrusted import HIDDEN
from scorer.views.common import made_with_line, outcome_text
from scorer.views.explanation import settled_by, shown_value
from scorer.writers.excel import style
from scorer.writers.excel.cells import HEADER_ROW, URL, Column, Columns, Sheet

WIDEST = 24
"""Characters: the widest a column gets; long texts wrap (each wrapping column is narrower
still), so that the sheet prints one page wide and readable."""


def columns(lang: str) -> Columns:
    return Columns([
        ("name", t("project", lang)), ("id", t("id", lang)), ("axis", t("axis", lang)),
        ("criterion", t("criterion", lang)), ("outcome", t("outcome", lang)),
        ("points", t("points", lang)), Column("why", t("why", lang), True, 26),
        Column("rule", t("rule", lang), True, 22), Column("fact", t("fact", lang), True, 20),
        ("status", t("status", lang)), Column("value", t("value", lang), True, 16),
        Column("unit", t("unit", lang), True, 12),
        Column("source", t("source", lang), True, 22), ("date", t("date", lang)),
        Column("note", t("note", lang), True, 26),
        ("could_give", t("col.could_give", lang)),
        Column("settled_by", t("col.settled_by", lang), True, 22),
        Column("shown", t("col.shown", lang), True, 16),
    ])  # fmt: skip


def points_format(points: Iterable[float]) -> str:
    """Signed points: whole when every one is ("+1", never "+1."), else to two decimals."""
    if all(float(p).is_integer() for p in points):
        return "+0;-0;0"
    return "+0.0#;-0.0#;0"


def value_format(kind: str, value: Any) -> str | None:
    """How a fact's value shows: years as written, other numbers with thousands separators
    and the decimals they have (up to six; a format never ends in a bare decimal point)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if kind == "year":
        return "0"
    if isinstance(value, int) or value.is_integer():
        return "#,##0"
    decimals = len(f"{abs(value):.6f}".rstrip("0").partition(".")[2])
    return "#,##0." + "0" * max(1, decimals)


def write(sheet: Sheet, a: Analysis, lang: str) -> None:
    rubric = a.rubric
    column = columns(lang)
    sheet.titles(rubric.title(lang), made_with_line(a, lang, weights=False),
                 t("evidence.note", lang))
    sheet.header(HEADER_ROW, column)
    rules = {(axis_id, c.id): c for axis_id, c in rubric.criteria()}
    order = {p: i for i, p in enumerate(a.ranking.index)}
    criteria = a.criteria.assign(_p=a.criteria["project"].map(order))
    criteria = criteria.sort_values("_p", kind="stable")
    evidence: dict[tuple[str, str], dict[str, Any]] = {
        (ev["project"], ev["fact"]): ev for ev in a.evidence.to_dict("records")}
    names = a.ranking["name"].to_dict()  # a dict: read once per row
    labels = {axis: rubric.axes[axis].short_label(lang) for axis in rubric.axes}
    points = points_format(a.criteria["points"])
    stated, missing = t("stated", lang), t("missing", lang)
    row = HEADER_ROW
    for crit in criteria.itertuples(index=False):
        rule = rules[crit.axis, crit.criterion]
        shown = {path: shown_value(a, path, evidence[crit.project, path]["candidates"])
                 for path in crit.uncertain}  # what settled_by names
        settled = settled_by(a, crit, {p: {"shown": v} for p, v in shown.items()}, lang)
        for fact in list(crit.facts) or [None]:
            row += 1
            sheet.put(row, column("name"), names[crit.project])
            sheet.put(row, column("id"), crit.project)
            sheet.put(row, column("axis"), labels[crit.axis])
            sheet.put(row, column("criterion"), crit.criterion)
            sheet.put(row, column("outcome"), outcome_text(crit.kind, crit.outcome, lang),
                      font=style.OUTCOME[crit.outcome])
            sheet.put(row, column("points"), crit.points, points)
            sheet.put(row, column("why"), rule.why)
            sheet.put(row, column("rule"), rule.expression)
            if settled:
                sheet.put(row, column("could_give"),
                          ", ".join(f"{p:+g}" for p in crit.possible))
                sheet.put(row, column("settled_by"), settled)
            if fact is None:
                continue
            sheet.put(row, column("fact"), fact)
            spec = rubric.facts.get(fact)
            sheet.put(row, column("unit"), spec.unit if spec else None)
            ev = evidence.get((crit.project, fact))
            if ev is None:
                sheet.put(row, column("status"), missing, font=style.OUTCOME["unknown"])
                continue
            sheet.put(row, column("status"), stated)
            sheet.put(row, column("value"), ev["value"],
                      value_format(spec.type if spec else "", ev["value"]))
            title = ev["source_title"] if isinstance(ev["source_title"], str) else ev["source"]
            url = ev["source_url"]
            link = isinstance(url, str) and URL.match(url) and not HIDDEN.search(url)
            source = sheet.put(row, column("source"), title, font=style.LINK if link else None)
            if link:
                source.hyperlink = url
            sheet.put(row, column("date"), ev["date"] if isinstance(ev["date"], date) else None)
            sheet.put(row, column("note"), ev["note"] if isinstance(ev["note"], str) else None)
            candidates = ev["candidates"]
            if len(candidates) > 1 or candidates[0][3] is not None:
                sheet.put(row, column("shown"), shown.get(fact) or
                          shown_value(a, fact, candidates))
    sheet.ws.auto_filter.ref = column.span(HEADER_ROW, row)
    sheet.freeze(HEADER_ROW + 1, column("id") + 1)  # project and id stay in view
    sheet.fit(widest=WIDEST)
    sheet.repeat_rows(HEADER_ROW)
