"""The Profiles sheet: every project's axis scores, and a radar chart of the best-ranked
(`charts.MOST_RADAR`: beyond that, the shapes hide each other), with a note when it leaves
some out."""

from __future__ import annotations

from openpyxl.chart import RadarChart, Reference
from openpyxl.utils import get_column_letter

from scorer.analysis import Analysis
from scorer.i18n import t
from scorer.views.common import made_with_line
from scorer.writers.excel import style
from scorer.writers.excel.cells import HEADER_ROW, Columns, Sheet
from scorer.writers.excel.charts import MOST_RADAR, capped_note
from scorer.writers.excel.scores import score_format

CHART_GAP = 1
"""Empty columns between the table and the chart."""


def columns(a: Analysis, lang: str) -> Columns:
    """The axis, then one column per project in rank order (keys ('of', project id))."""
    names = a.ranking["name"]
    return Columns([("axis", t("axis", lang)), *((("of", p), names[p]) for p in a.ranking.index)])


def write(sheet: Sheet, a: Analysis, lang: str) -> None:
    rubric = a.rubric
    axes = list(rubric.axes)
    projects = list(a.ranking.index)
    column = columns(a, lang)
    sheet.titles(t("profiles.title", lang), made_with_line(a, lang, weights=False))
    sheet.header(HEADER_ROW, column)
    scores = score_format(a)
    for row, axis in enumerate(axes, start=HEADER_ROW + 1):
        sheet.put(row, column("axis"), rubric.axes[axis].short_label(lang))
        for project in projects:
            sheet.put(row, column(("of", project)), a.scores.at[project, axis], scores)
    drawn = projects[:MOST_RADAR]
    if drawn:
        chart = RadarChart()
        chart.type = "marker"
        chart.title = t("profiles.title", lang)
        chart.add_data(Reference(sheet.ws, min_col=column(("of", drawn[0])),
                                 max_col=column(("of", drawn[-1])), min_row=HEADER_ROW,
                                 max_row=HEADER_ROW + len(axes)), titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=column("axis"), min_row=HEADER_ROW + 1,
                                       max_row=HEADER_ROW + len(axes)))
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, rubric.scale.max
        chart.y_axis.majorUnit = rubric.scale.step
        chart.y_axis.delete = False
        chart.width, chart.height = 16, 11
        sheet.ws.add_chart(chart, f"{get_column_letter(column.last + CHART_GAP + 1)}"
                                  f"{HEADER_ROW}")
    note = capped_note(len(drawn), len(projects), lang)
    if note:
        sheet.label(HEADER_ROW - 1, column("axis"), note, style.NOTE)
    sheet.fit(widest=30, narrowest=10)
    sheet.repeat_rows(HEADER_ROW)
