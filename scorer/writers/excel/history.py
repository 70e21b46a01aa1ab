"""The History sheet: each project's total at each date of `scorer history`, and a native
line chart of the totals over time (of the best-ranked `charts.MOST_SERIES` projects, with a
note when it leaves some out)."""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.utils import get_column_letter

from scorer.i18n import t
from scorer.views.common import made_with_line
from scorer.views.history import History
from scorer.writers.excel import style
from scorer.writers.excel.cells import HEADER_ROW, Columns, Sheet
from scorer.writers.excel.charts import MOST_SERIES, capped_note, show_axes

CHART_GAP = 1
"""Empty columns between the table and the chart."""


def columns(view: History) -> Columns:
    """The date, then one total column per project in rank order (keys ('of', id)), then one
    rank column per project (keys ('rank', id))."""
    lang = view.lang
    return Columns([("date", t("date", lang)),
                    *((("of", p), view.name(p)) for p in view.projects),
                    *((("rank", p), f"{t('rank', lang)}: {view.name(p)}")
                      for p in view.projects)])


def write(sheet: Sheet, view: History) -> None:
    lang, last = view.lang, view.analyses[-1]
    column = columns(view)
    sheet.titles(t("history.title", lang), made_with_line(last, lang, weights=False),
                 t("history.note", lang, total=last.rubric.total_max))
    sheet.header(HEADER_ROW, column)
    for row, a in enumerate(view.analyses, start=HEADER_ROW + 1):
        sheet.put(row, column("date"), a.as_of)
        for project in view.projects:
            sheet.put(row, column(("of", project)), a.ranking.at[project, "total"], "0.0")
            sheet.put(row, column(("rank", project)), int(a.ranking.at[project, "rank"]))
    bottom = HEADER_ROW + len(view.analyses)
    drawn = view.projects[:MOST_SERIES]
    if drawn:
        chart = LineChart()
        chart.title = t("history.chart", lang)
        first, final = column(("of", drawn[0])), column(("of", drawn[-1]))
        chart.add_data(Reference(sheet.ws, min_col=first, max_col=final, min_row=HEADER_ROW,
                                 max_row=bottom), titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=column("date"), min_row=HEADER_ROW + 1,
                                       max_row=bottom))
        rubric = last.rubric
        chart.y_axis.scaling.min = rubric.scale.min * len(rubric.axes)
        chart.y_axis.scaling.max = rubric.total_max
        chart.y_axis.title = f"{t('total', lang)} /{rubric.total_max:g}"
        chart.x_axis.number_format = "yyyy-mm-dd"
        show_axes(chart)
        chart.width, chart.height = 18, 10
        at = column.last + CHART_GAP + 1
        sheet.ws.add_chart(chart, f"{get_column_letter(at)}{HEADER_ROW}")
        note = capped_note(len(drawn), len(view.projects), lang)
        if note:
            sheet.label(HEADER_ROW - 1, at, note, style.NOTE)
    sheet.freeze(HEADER_ROW + 1, column("date") + 1)
    sheet.fit(widest=24, narrowest=10)
    sheet.repeat_rows(HEADER_ROW)
