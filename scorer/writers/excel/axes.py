"""The Axes sheet: per project and axis, the computed and final score, any override with its
reason, and the coverage."""

from __future__ import annotations

from scorer.analysis import Analysis
from scorer.i18n import t
from scorer.views.common import made_with_line
from scorer.writers.excel import style
from scorer.writers.excel.cells import HEADER_ROW, Column, Columns, Sheet
from scorer.writers.excel.scores import colour_scale, score_format


def columns(lang: str) -> Columns:
    return Columns([
        ("name", t("project", lang)), ("id", t("id", lang)), ("axis", t("axis", lang)),
        ("axis_id", t("axis_id", lang)), ("score", t("axis_score", lang)),
        ("computed", t("col.computed", lang)), ("override", t("col.override", lang)),
        Column("reason", t("col.reason", lang), wrap=True), ("coverage", t("coverage", lang)),
        ("known", t("known", lang)), ("criteria", t("criteria", lang)),
    ])  # fmt: skip


def write(sheet: Sheet, a: Analysis, lang: str) -> None:
    rubric = a.rubric
    column = columns(lang)
    sheet.titles(rubric.title(lang), made_with_line(a, lang, weights=False),
                 t("axes.note", lang))
    sheet.header(HEADER_ROW, column)
    order = {p: i for i, p in enumerate(a.ranking.index)}
    axis_order = {x: i for i, x in enumerate(rubric.axis_ids)}
    table = a.axes.assign(_p=a.axes["project"].map(order), _a=a.axes["axis"].map(axis_order))
    table = table.sort_values(["_p", "_a"], kind="stable")
    names = a.ranking["name"]
    scores = score_format(a)
    top = HEADER_ROW + 1
    for row, rec in enumerate(table.itertuples(index=False), start=top):
        sheet.put(row, column("name"), names[rec.project])
        sheet.put(row, column("id"), rec.project)
        sheet.put(row, column("axis"), rubric.axes[rec.axis].label(lang))
        sheet.put(row, column("axis_id"), rec.axis)
        sheet.put(row, column("score"), rec.score, scores,
                  font=style.OVERRIDE if rec.override else None)
        sheet.put(row, column("computed"), rec.computed, scores)
        if rec.override:  # blank otherwise, not FALSE in every row
            sheet.put(row, column("override"), True)
            sheet.put(row, column("reason"), rec.reason)
        sheet.put(row, column("coverage"), rec.coverage, "0%")
        sheet.put(row, column("known"), int(rec.known))
        sheet.put(row, column("criteria"), int(rec.criteria))
    bottom = HEADER_ROW + len(table)
    if len(table):
        colour_scale(sheet.ws, column.area("score", "computed", top, bottom), a)
    sheet.ws.auto_filter.ref = column.span(HEADER_ROW, max(bottom, HEADER_ROW))
    sheet.freeze(top)
    sheet.fit(widest=45)
    sheet.repeat_rows(HEADER_ROW)
