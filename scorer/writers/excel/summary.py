"""The Summary sheet: the ranked table of `scorer compare`, as values, scores coloured."""

from __future__ import annotations

from openpyxl.styles import Alignment

from scorer.i18n import t
from scorer.views.common import made_with_line
from scorer.views.comparison import Comparison
from scorer.writers.excel import style
from scorer.writers.excel.cells import HEADER_ROW, Columns, Sheet
from scorer.writers.excel.scores import AxisScores, colour_scale

LAYOUT = ("rank", "name", "id", "score", "total", "grade", "coverage", "*axes", "total_low",
          "total_high", "rank_best", "rank_worst", "provisional")
"""The columns of `Comparison`, in this sheet's order."""
NUMBER_FORMATS = {"score": "0.00", "total": "0.0", "share": "0%"}
"""By the kind of column."""
ALIGNMENTS: dict[str, Alignment] = {"rank": style.CENTRE, "grade": style.INDENT}
"""By column key."""


def columns(comparison: Comparison) -> Columns:
    """The Summary's columns: the view's keys and headers in `LAYOUT` order."""
    return Columns((key, comparison.columns[key].header) for key in comparison.keys(LAYOUT))


def write(sheet: Sheet, comparison: Comparison) -> None:
    a, lang = comparison.analysis, comparison.lang
    column = columns(comparison)
    sheet.titles(comparison.title, made_with_line(a, lang, weights=False),
                 t("summary.note", lang))
    sheet.header(HEADER_ROW, column)
    axes = list(a.rubric.axes)
    scores = AxisScores(a, lang)
    top = HEADER_ROW + 1
    for row, project in enumerate(comparison.projects, start=top):
        for key in comparison.keys(LAYOUT):
            value = comparison.value(key, project)
            kind = comparison.columns[key].kind
            if kind == "axis":
                scores.put(sheet, row, column(key), project, key, value)
                continue
            if key == "grade":  # with its provisional mark, as every output shows it
                value = comparison.text(key, project)
            if kind == "flag" and not value:
                continue  # blank, not FALSE in every row: a flag is marked where it holds
            sheet.put(row, column(key), value, NUMBER_FORMATS.get(kind),
                      alignment=ALIGNMENTS.get(key))
    bottom = HEADER_ROW + len(comparison.projects)
    if axes and bottom >= top:
        colour_scale(sheet.ws, column.area(axes[0], axes[-1], top, bottom), a)
    sheet.freeze(top, column("name") + 1)  # rank and project stay in view
    sheet.fit(widest=40)
    sheet.repeat_rows(HEADER_ROW)
