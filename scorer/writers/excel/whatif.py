"""The What-if sheet: the weights as editable, named cells, and scores and ranks as live
formulas of them, so a reader re-weights in Excel or LibreOffice without scorer.

Rows: axis labels (`AXIS_ROW`), weight inputs (`WEIGHT_ROW`, each named `weight_<axis id>`),
normalised weights (`NORMALISED_ROW`), then the table `project | score | rank | axis
scores…` with its header in `WHATIF_HEADER_ROW` and the projects in rank order below. The
weights sit in the columns of their axis's scores.
"""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from scorer.i18n import t
from scorer.views.common import made_with_line
from scorer.views.comparison import Comparison
from scorer.writers.excel import style
from scorer.writers.excel.cells import Columns, Sheet
from scorer.writers.excel.scores import AxisScores, colour_scale

AXIS_ROW, WEIGHT_ROW, NORMALISED_ROW = 5, 6, 7
"""Axis labels, weight inputs (named weight_<axis id>), normalised weights."""
WHATIF_HEADER_ROW = 9
"""The table's header; one project per row below it."""
LEADING = ("name", "score", "rank")
"""The table's columns before the axis scores (keys of `Comparison`)."""
FIRST_AXIS_COLUMN = len(LEADING) + 1
"""The first axis's column, for weights and scores alike."""
TOP_RANK = PatternFill("solid", fgColor="E2EFDA", bgColor="E2EFDA")


def weight_name(axis_id: str) -> str:
    """The workbook-level name of an axis's weight cell: weight_<axis id> ('-' → '_')."""
    return "weight_" + axis_id.replace("-", "_")


def columns(comparison: Comparison) -> Columns:
    """Project, score and rank under the view's headers, then one column per axis."""
    return Columns((key, comparison.columns[key].header)
                   for key in comparison.keys((*LEADING, "*axes")))


def write(sheet: Sheet, comparison: Comparison) -> None:
    a, lang = comparison.analysis, comparison.lang
    rubric = a.rubric
    axes = list(rubric.axes)
    column = columns(comparison)
    sheet.titles(t("whatif.title", lang), made_with_line(a, lang, weights=False),
                 t("whatif.note", lang, row=WEIGHT_ROW, min=rubric.scale.min,
                   max=rubric.scale.max))
    # the rows above the table: labels in the project column, values in the axis columns
    labels = column("name")
    sheet.headers(AXIS_ROW, [t("axis", lang)], labels)
    sheet.headers(AXIS_ROW, [column.header(x) for x in axes], column(axes[0]))
    sheet.put(WEIGHT_ROW, labels, t("whatif.weight", lang)).font = style.BOLD
    sheet.put(NORMALISED_ROW, labels, t("whatif.normalised", lang))
    _weights(sheet, column, comparison)

    sheet.header(WHATIF_HEADER_ROW, column)
    top, bottom = WHATIF_HEADER_ROW + 1, WHATIF_HEADER_ROW + len(comparison.projects)
    normalised = column.area(axes[0], axes[-1], NORMALISED_ROW, NORMALISED_ROW, absolute=True)
    score, ranks = column.letter("score"), column.area("score", "score", top, bottom, True)
    scores = AxisScores(a, lang)
    for row, project in enumerate(comparison.projects, start=top):
        sheet.put(row, column("name"), comparison.value("name", project))
        sheet.formula(row, column("score"), f"=ROUND(SUMPRODUCT({normalised},"
                      f"{column.area(axes[0], axes[-1], row, row)}),9)", "0.00")
        sheet.formula(row, column("rank"), f"=RANK({score}{row},{ranks},0)").alignment = \
            style.CENTRE
        for axis in axes:
            scores.put(sheet, row, column(axis), project, axis, comparison.value(axis, project))
    if bottom >= top:
        colour_scale(sheet.ws, column.area(axes[0], axes[-1], top, bottom), a)
        first = FormulaRule(formula=[f"${column.letter('rank')}{top}=1"], font=Font(bold=True),
                            fill=TOP_RANK)
        sheet.ws.conditional_formatting.add(column.area(LEADING[0], LEADING[-1], top, bottom),
                                            first)
    sheet.fit(widest=30, narrowest=9)
    # beside the row's label, unmeasured: it overflows into the empty cell instead of widening
    sheet.label(WEIGHT_ROW, labels + 1, t("whatif.edit", lang), style.NOTE)


def _weights(sheet: Sheet, column: Columns, comparison: Comparison) -> None:
    """The weights as given, one named and validated input per axis, and normalised below."""
    a, lang = comparison.analysis, comparison.lang
    axes = list(a.rubric.axes)
    validation = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=False,
        showInputMessage=True, showErrorMessage=True,
        promptTitle=t("whatif.weight", lang)[:32], prompt=t("whatif.prompt", lang)[:255],
        errorTitle=t("whatif.weight", lang)[:32], error=t("whatif.error", lang)[:255])
    sheet.ws.add_data_validation(validation)
    given = column.area(axes[0], axes[-1], WEIGHT_ROW, WEIGHT_ROW, absolute=True)
    sheet_name = "'" + sheet.title.replace("'", "''") + "'"
    workbook = sheet.ws.parent
    for axis in axes:
        cell = sheet.put(WEIGHT_ROW, column(axis), a.weights_given[axis], "0.###")
        cell.fill, cell.border, cell.font = style.INPUT, style.INPUT_BORDER, style.WEIGHT
        validation.add(cell.coordinate)
        name = weight_name(axis)
        workbook.defined_names[name] = DefinedName(
            name, attr_text=f"{sheet_name}!${column.letter(axis)}${WEIGHT_ROW}")
        sheet.formula(NORMALISED_ROW, column(axis), f"={name}/SUM({given})", "0.0%")
