"""The What-if sheet: the weights as editable, named cells, and scores, totals, grades and
ranks as live formulas of them, so a reader re-weights in Excel or LibreOffice without scorer.

Rows: axis labels (`AXIS_ROW`), weight inputs (`WEIGHT_ROW`, each named `weight_<axis id>`),
normalised weights (`NORMALISED_ROW`), a message that shows only when every weight is 0
(`MESSAGE_ROW`), then the table `project | score | total | grade | rank | axis scores…` with
its header in `WHATIF_HEADER_ROW` and the projects in rank order below. The weights sit in the
columns of their axis's scores; the rubric's grade bands, which the grade formulas look up,
stand to the right of the table.

Weights are normalised by their largest first (w / max ÷ Σ w / max), so that no sum
overflows however large they are (1e308), and every formula shows nothing, instead of an
error, while no weight is above 0. Each formula is saved with the value scorer computed for
it (see `cached.py`).
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
from scorer.writers.excel.cells import Columns, Sheet, clean_text
from scorer.writers.excel.scores import AxisScores, colour_scale

AXIS_ROW, WEIGHT_ROW, NORMALISED_ROW = 5, 6, 7
"""Axis labels, weight inputs (named weight_<axis id>), normalised weights."""
MESSAGE_ROW = 8
"""Says that every weight is 0, when it is; empty otherwise."""
WHATIF_HEADER_ROW = 9
"""The table's header; one project per row below it."""
LEADING = ("name", "score", "total", "grade", "rank")
"""The table's columns before the axis scores (keys of `Comparison`)."""
FIRST_AXIS_COLUMN = len(LEADING) + 1
"""The first axis's column, for weights and scores alike."""
BANDS_GAP = 1
"""Empty columns between the table and the grade bands."""
DECIMALS = 9
"""Scores and totals are rounded to this many decimals, so ties are ties (as in scorer)."""
TOP_RANK = PatternFill("solid", fgColor="E2EFDA", bgColor="E2EFDA")


def weight_name(axis_id: str) -> str:
    """The workbook-level name of an axis's weight cell: weight_<axis id> ('-' → '_')."""
    return "weight_" + axis_id.replace("-", "_")


def columns(comparison: Comparison) -> Columns:
    """Project, score, total, grade and rank under the view's headers, then one column per
    axis."""
    return Columns((key, comparison.columns[key].header)
                   for key in comparison.keys((*LEADING, "*axes")))


def band_columns(table: Columns, lang: str) -> Columns:
    """The grade bands, right of the table: the least total of each, and its grade."""
    return Columns([("at_least", t("whatif.band_from", lang)), ("label", t("grade", lang))],
                   first=table.last + BANDS_GAP + 1)


def text_literal(text: str) -> str:
    """A text constant in a formula."""
    return '"' + text.replace('"', '""') + '"'


def write(sheet: Sheet, comparison: Comparison) -> None:
    a, lang = comparison.analysis, comparison.lang
    rubric = a.rubric
    axes = list(rubric.axes)
    column = columns(comparison)
    sheet.titles(t("whatif.title", lang), made_with_line(a, lang, weights=False),
                 t("whatif.note", lang, row=WEIGHT_ROW, min=rubric.scale.min,
                   max=rubric.scale.max, n=len(axes), total=rubric.total_max))
    # the rows above the table: labels in the project column, values in the axis columns
    labels = column("name")
    sheet.headers(AXIS_ROW, [t("axis", lang)], labels)
    sheet.headers(AXIS_ROW, [column.header(x) for x in axes], column(axes[0]))
    sheet.put(WEIGHT_ROW, labels, t("whatif.weight", lang), font=style.BOLD)
    sheet.put(NORMALISED_ROW, labels, t("whatif.normalised", lang))
    given = column.area(axes[0], axes[-1], WEIGHT_ROW, WEIGHT_ROW, absolute=True)
    counts = f"MAX({given})>0"  # some weight is above 0: the weights mean something
    _weights(sheet, column, comparison, given, counts)
    sheet.formula(MESSAGE_ROW, labels, f'=IF({counts},"",'
                  f'{text_literal(t("whatif.all_zero", lang))})', "", font=style.WARNING)

    sheet.header(WHATIF_HEADER_ROW, column)
    top, bottom = WHATIF_HEADER_ROW + 1, WHATIF_HEADER_ROW + len(comparison.projects)
    grade = _bands(sheet, band_columns(column, lang), comparison)
    normalised = column.area(axes[0], axes[-1], NORMALISED_ROW, NORMALISED_ROW, absolute=True)
    score, ranks = column.letter("score"), column.area("score", "score", top, bottom, True)
    total = column.letter("total")
    scores = AxisScores(a, lang)
    for row, project in enumerate(comparison.projects, start=top):
        weighted = f"SUMPRODUCT({normalised},{column.area(axes[0], axes[-1], row, row)})"
        sheet.put(row, column("name"), comparison.value("name", project))
        sheet.formula(row, column("score"), f"=IF({counts},ROUND({weighted},{DECIMALS}),\"\")",
                      round(float(comparison.value("score", project)), DECIMALS), "0.00")
        sheet.formula(row, column("total"),
                      f"=IF({counts},ROUND({weighted}*{len(axes)},{DECIMALS}),\"\")",
                      round(float(comparison.value("total", project)), DECIMALS), "0.0")
        if grade is not None:
            label = comparison.value("grade", project)
            mark = comparison.text("grade", project).removeprefix(label)  # " (provisional)"
            suffix = f"&{text_literal(mark)}" if mark else ""
            sheet.formula(row, column("grade"), f'=IF(ISNUMBER({total}{row}),IFERROR(LOOKUP('
                          f'{total}{row},{grade}),""){suffix},"")', clean_text(label) + mark,
                          alignment=style.INDENT)
        sheet.formula(row, column("rank"),
                      f'=IF(ISNUMBER({score}{row}),RANK({score}{row},{ranks},0),"")',
                      int(comparison.value("rank", project)), alignment=style.CENTRE)
        for axis in axes:
            scores.put(sheet, row, column(axis), project, axis, comparison.value(axis, project))
    if bottom >= top:
        colour_scale(sheet.ws, column.area(axes[0], axes[-1], top, bottom), a)
        first = FormulaRule(formula=[f"${column.letter('rank')}{top}=1"], font=Font(bold=True),
                            fill=TOP_RANK)
        sheet.ws.conditional_formatting.add(column.area(LEADING[0], LEADING[-1], top, bottom),
                                            first)
    sheet.fit(widest=30, narrowest=9)
    sheet.repeat_rows(AXIS_ROW, WHATIF_HEADER_ROW)
    # beside the row's label, unmeasured: it overflows into the empty cells up to the weights
    sheet.label(WEIGHT_ROW, labels + 1, t("whatif.edit", lang), style.NOTE)


def _weights(sheet: Sheet, column: Columns, comparison: Comparison, given: str,
             counts: str) -> None:
    """The weights as given, one named and validated input per axis, and normalised below
    (by the largest first, so that no sum overflows)."""
    a, lang = comparison.analysis, comparison.lang
    axes = list(a.rubric.axes)
    validation = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=False,
        showInputMessage=True, showErrorMessage=True,
        promptTitle=t("whatif.weight", lang)[:32], prompt=t("whatif.prompt", lang)[:255],
        errorTitle=t("whatif.weight", lang)[:32], error=t("whatif.error", lang)[:255])
    sheet.ws.add_data_validation(validation)
    sheet_name = "'" + sheet.title.replace("'", "''") + "'"
    workbook = sheet.ws.parent
    largest = f"MAX({given})"
    for axis in axes:
        # General: 1 shows as "1", 0.5 as "0.5", 1e308 as "1E+308" (never "1.")
        cell = sheet.put(WEIGHT_ROW, column(axis), a.weights_given[axis], font=style.WEIGHT,
                         fill=style.INPUT, border=style.INPUT_BORDER)
        validation.add(cell.coordinate)
        name = weight_name(axis)
        workbook.defined_names[name] = DefinedName(
            name, attr_text=f"{sheet_name}!${column.letter(axis)}${WEIGHT_ROW}")
        sheet.formula(NORMALISED_ROW, column(axis),
                      f'=IF({counts},{name}/{largest}/SUMPRODUCT({given}/{largest}),"")',
                      float(a.weights[axis]), "0.0%")


def _bands(sheet: Sheet, column: Columns, comparison: Comparison) -> str | None:
    """The rubric's grade bands, lowest first as LOOKUP needs them; the two ranges
    'least totals,grades' a formula looks a grade up in (None: the rubric has no bands)."""
    a, lang = comparison.analysis, comparison.lang
    bands = sorted(a.rubric.grades, key=lambda g: g.at_least)
    if not bands:
        return None
    sheet.header(WHATIF_HEADER_ROW, column)
    top = WHATIF_HEADER_ROW + 1
    for row, band in enumerate(bands, start=top):
        sheet.put(row, column("at_least"), band.at_least)
        sheet.put(row, column("label"), band.label(lang), alignment=style.INDENT)
    bottom = top + len(bands) - 1
    return (f"{column.area('at_least', 'at_least', top, bottom, absolute=True)},"
            f"{column.area('label', 'label', top, bottom, absolute=True)}")
