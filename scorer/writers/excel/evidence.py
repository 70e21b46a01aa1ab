"""The Evidence sheet: one row per project × criterion × fact read, with the criterion's
outcome, points, `why` and rule, and the fact's value, source (a link) and date; for an
unknown or uncertain criterion, the points it could give and what would settle it, and every
value the sources give when they leave more than one."""

from __future__ import annotations

from datetime import date
from typing import Any

from scorer.analysis import Analysis
from scorer.i18n import t
from scorer.untrusted import HIDDEN
from scorer.views.common import made_with_line
from scorer.writers.excel import style
from scorer.writers.excel.cells import HEADER_ROW, URL, Column, Columns, Sheet


def columns(lang: str) -> Columns:
    return Columns([
        ("name", t("project", lang)), ("id", t("id", lang)), ("axis", t("axis", lang)),
        ("criterion", t("criterion", lang)), ("outcome", t("outcome", lang)),
        ("points", t("points", lang)), Column("why", t("why", lang), wrap=True),
        Column("rule", t("rule", lang), wrap=True), ("fact", t("fact", lang)),
        ("status", t("status", lang)), ("value", t("value", lang)), ("unit", t("unit", lang)),
        Column("source", t("source", lang), wrap=True), ("date", t("date", lang)),
        Column("note", t("note", lang), wrap=True),
        ("could_give", t("col.could_give", lang)),
        Column("settled_by", t("col.settled_by", lang), wrap=True),
        Column("shown", t("col.shown", lang), wrap=True),
    ])  # fmt: skip


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
    names = a.ranking["name"]
    labels = {axis: rubric.axes[axis].short_label(lang) for axis in rubric.axes}
    outcomes = {outcome: t(outcome, lang) for outcome in style.OUTCOME}
    explained = {(p, c["id"]): c for p in a.ranking.index
                 for axis in a.explain(p, lang).record["axes"].values()
                 for c in axis["criteria"]}
    row = HEADER_ROW
    for crit in criteria.itertuples(index=False):
        rule = rules[crit.axis, crit.criterion]
        said = explained[crit.project, crit.criterion]
        for fact in list(crit.facts) or [None]:
            row += 1
            sheet.put(row, column("name"), names[crit.project])
            sheet.put(row, column("id"), crit.project)
            sheet.put(row, column("axis"), labels[crit.axis])
            sheet.put(row, column("criterion"), crit.criterion)
            sheet.put(row, column("outcome"), outcomes[crit.outcome]).font = \
                style.OUTCOME[crit.outcome]
            sheet.put(row, column("points"), crit.points, "+0.##;-0.##;0")
            sheet.put(row, column("why"), rule.why)
            sheet.put(row, column("rule"), rule.expression)
            if said["settled_by"]:
                sheet.put(row, column("could_give"),
                          ", ".join(f"{p:+g}" for p in said["possible_points"]))
                sheet.put(row, column("settled_by"), said["settled_by"])
            if fact is None:
                continue
            sheet.put(row, column("fact"), fact)
            spec = rubric.facts.get(fact)
            sheet.put(row, column("unit"), spec.unit if spec else None)
            ev = evidence.get((crit.project, fact))
            if ev is None:
                sheet.put(row, column("status"), t("missing", lang)).font = \
                    style.OUTCOME["unknown"]
                continue
            sheet.put(row, column("status"), t("stated", lang))
            sheet.put(row, column("value"), ev["value"])
            title = ev["source_title"] if isinstance(ev["source_title"], str) else ev["source"]
            source = sheet.put(row, column("source"), title)
            url = ev["source_url"]
            if isinstance(url, str) and URL.match(url) and not HIDDEN.search(url):
                source.hyperlink = url
                source.font = style.LINK
            sheet.put(row, column("date"), ev["date"] if isinstance(ev["date"], date) else None)
            sheet.put(row, column("note"), ev["note"] if isinstance(ev["note"], str) else None)
            if len(ev["candidates"]) > 1 or ev["candidates"][0][3] is not None:
                sheet.put(row, column("shown"), said["facts"][fact]["shown"])
    sheet.ws.auto_filter.ref = column.span(HEADER_ROW, row)
    sheet.freeze(HEADER_ROW + 1, column("id") + 1)  # project and id stay in view
    sheet.fit(widest=48)
