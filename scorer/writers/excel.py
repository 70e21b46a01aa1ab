"""The Excel workbook: ranked summary, live what-if weights, evidence trail, sensitivity, charts.

One `.xlsx` a colleague can open and use without `scorer`. Every number is read from the
analysis tables (the same ones every writer shows); the only formulas are the What-if sheet's
own, so weights edited there recompute scores and ranks in Excel and LibreOffice. Text from
dossiers and rubrics is always stored as text, never as a formula. openpyxl is imported here
only, and the CLI imports this module only for `scorer export`.

Layout (1-based Excel rows; pandas `header=` is the row minus one):

- Summary, Axes, Evidence: title in row 1, what the analysis was made with in row 2, a note
  in row 3, the table's header in row `HEADER_ROW` (4), one record per row below it.
- What-if: axis labels in row `AXIS_ROW` (5), weight inputs in row `WEIGHT_ROW` (6) from
  column D (named `weight_<axis id>`), normalised weights in row `NORMALISED_ROW` (7), the
  table `Project | Score | Rank | axis scores…` with its header in row `WHATIF_HEADER_ROW`
  (9) and one project per row below (ranked order of the analysis).
"""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, LineChart, RadarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

import scorer
from scorer.analysis import Analysis
from scorer.errors import ScorerError
from scorer.facttypes import display_value
from scorer.files import write_with
from scorer.i18n import t
from scorer.sensitivity import Report
from scorer.views.common import fmt_score, made_with, made_with_line
from scorer.views.sensitivity import sampling_sentence, section_title, weighting
from scorer.writers.palette import HEADER_FILL, OVERRIDE_COLOUR, SCALE_COLOURS

HEADER_ROW = 4
"""Header row of the Summary, Axes and Evidence tables (pandas: header=HEADER_ROW - 1)."""
AXIS_ROW, WEIGHT_ROW, NORMALISED_ROW = 5, 6, 7
"""What-if rows: axis labels, weight inputs (named weight_<axis>), normalised weights."""
WHATIF_HEADER_ROW = 9
"""What-if: header `Project | Score | Rank | axis scores…`; projects in the rows below."""
FIRST_AXIS_COLUMN = 4
"""What-if: the first axis's column (D), for weights and scores alike."""
WHATIF_HEADERS = ("Project", "Score", "Rank")
"""Fixed in every language, so users and scripts can look the columns up."""

_FORMULA_STARTS = tuple("=+-@\t\r\n＝＋－＠")
"""Leading characters that make a spreadsheet read typed text as a formula."""
_MAX_TEXT = 32_767
_URL = re.compile(r"^https?://\S+$")

_HEADER_FILL = PatternFill("solid", fgColor=HEADER_FILL)
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="8C8C8C")
_INPUT_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _font(**style: Any) -> Font:
    # A named font: without one, LibreOffice falls back to a serif face for styled cells.
    return Font(name="Calibri", size=style.pop("size", 11), **style)


_OVERRIDE_FONT = _font(bold=True, italic=True, color=OVERRIDE_COLOUR)
_LINK_FONT = _font(color="0563C1", underline="single")
_NOTE_FONT = _font(italic=True, color="595959")
_OUTCOME_FONTS = {"pass": _font(color="006100"), "fail": _font(color="7F7F7F"),
                  "unknown": _font(color="9C5700", italic=True)}
_SCALE_COLORS = SCALE_COLOURS



# ---------------------------------------------------------------- inputs and entry points


def generation_time(environ: dict[str, str] | None = None) -> datetime:
    """SOURCE_DATE_EPOCH's time when it is set (reproducible exports), else now; in UTC."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            message = f"SOURCE_DATE_EPOCH='{epoch}' is not a Unix time in seconds"
            raise ScorerError(message) from None
    return datetime.now(tz=UTC).replace(microsecond=0)


def weight_name(axis_id: str) -> str:
    """The workbook-level name of an axis's weight cell: weight_<axis id> ('-' → '_')."""
    return "weight_" + axis_id.replace("-", "_")


def build_workbook(analysis: Analysis, sensitivity: Report | None = None, *,
                   lang: str = "en", generated_at: datetime) -> Workbook:
    """The whole workbook in memory: Summary, What-if, Axes, Evidence, [Sensitivity],
    Profiles, About."""
    stamp = _utc(generated_at)
    wb = Workbook()
    wb.remove(wb.active)
    _summary(wb.create_sheet(t("sheet.summary", lang)), analysis, lang)
    _what_if(wb, wb.create_sheet(t("sheet.whatif", lang)), analysis, lang)
    _axes(wb.create_sheet(t("sheet.axes", lang)), analysis, lang)
    _evidence(wb.create_sheet(t("sheet.evidence", lang)), analysis, lang)
    if sensitivity is not None:
        _sensitivity(wb.create_sheet(t("sheet.sensitivity", lang)), analysis, sensitivity,
                     lang)
    _profiles(wb.create_sheet(t("sheet.profiles", lang)), analysis, lang)
    _about(wb.create_sheet(t("sheet.about", lang)), wb, analysis, sensitivity, lang, stamp)
    for ws in wb.worksheets:
        _page_setup(ws)
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = f"scorer {scorer.__version__}"
    props.title = _clean_text(analysis.rubric.title(lang))
    props.created = props.modified = stamp
    wb.calculation.fullCalcOnLoad = True
    return wb


def write_workbook(path: Path, analysis: Analysis, sensitivity: Report | None, *,
                   lang: str = "en", generated_at: datetime) -> None:
    """Write the workbook to `path` atomically: a failure leaves any earlier file intact.

    The same inputs and `generated_at` give the same bytes (zip entries are stamped with
    `generated_at` and written in a fixed order).
    """
    wb = build_workbook(analysis, sensitivity, lang=lang, generated_at=generated_at)
    write_with(Path(path), lambda stream: save_deterministic(wb, stream, generated_at))


def save_deterministic(wb: Workbook, stream: IO[bytes], when: datetime) -> None:
    """Save like openpyxl, but with fixed document times, entry times and entry order."""
    stamp = _utc(when)
    wb.properties.created = wb.properties.created or stamp
    wb.properties.modified = stamp  # openpyxl's own save would stamp the current time
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    date_time = (max(stamp.year, 1980), *stamp.timetuple()[1:6])
    with zipfile.ZipFile(buffer) as source, \
            zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target:
        first = {"[Content_Types].xml": 0, "_rels/.rels": 1}  # where readers look first
        for name in sorted(source.namelist(), key=lambda n: (first.get(n, len(first)), n)):
            entry = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(name))


def _page_setup(ws: Worksheet) -> None:
    """Print (and convert to PDF) landscape, one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _utc(when: datetime) -> datetime:
    """A naive UTC datetime (what xlsx document properties hold)."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.replace(microsecond=0)


# ---------------------------------------------------------------- cells


def _clean_text(value: Any) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def put_text(cell: Cell, value: Any) -> Cell:
    """Store text as text, whatever it starts with: never a formula.

    openpyxl reads any string starting with '=' as a formula, so the type is set after the
    value; `quotePrefix` keeps Excel from turning it into one when the cell is edited.
    """
    text = _clean_text(value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _put_formula(cell: Cell, formula: str, number_format: str | None = None) -> Cell:
    """The only way a formula enters the workbook: the workbook's own, built from cell refs."""
    cell.value = formula
    cell.data_type = "f"
    if number_format:
        cell.number_format = number_format
    return cell


def _put(ws: Worksheet, row: int, column: int, value: Any,
         number_format: str | None = None) -> Cell:
    """A typed value: numbers, booleans and dates as themselves, anything else as text."""
    cell = ws.cell(row=row, column=column)
    if value is None or value is pd.NA or value is pd.NaT:
        return cell
    if isinstance(value, (bool, np.bool_)):
        cell.value = bool(value)
    elif isinstance(value, (int, np.integer)):
        if abs(int(value)) >= 10**15:  # beyond a spreadsheet's 15 significant digits
            return put_text(cell, str(int(value)))
        cell.value = int(value)
    elif isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return cell
        if math.isinf(value):
            return put_text(cell, "∞" if value > 0 else "-∞")
        cell.value = float(value)
    elif isinstance(value, datetime):
        cell.value = _utc(value)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, (list, tuple)):
        return put_text(cell, display_value(value))
    else:
        return put_text(cell, value)
    if number_format:
        cell.number_format = number_format
    return cell


def _header(ws: Worksheet, row: int, headers: Iterable[str], first_column: int = 1) -> None:
    for column, text in enumerate(headers, start=first_column):
        cell = put_text(ws.cell(row=row, column=column), text)
        cell.font = _font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=_THIN)


def _titles(ws: Worksheet, title: str, *lines: str) -> None:
    put_text(ws.cell(row=1, column=1), title).font = _font(bold=True, size=14)
    for row, line in enumerate(lines, start=2):
        put_text(ws.cell(row=row, column=1), line).font = _NOTE_FONT


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_columns(ws: Worksheet, from_row: int, widest: int = 50, wrap: Iterable[int] = (),
                 narrowest: int = 8) -> None:
    """Column widths from the content at and below `from_row` (titles above are ignored)."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=from_row):
        for cell in row:
            if cell.value is None:
                continue
            if cell.data_type == "f":
                size = 10
            elif isinstance(cell.value, float):
                size = 8
            elif isinstance(cell.value, (datetime, date)):
                size = 11
            else:
                size = max(_display_width(line) for line in str(cell.value).split("\n"))
            if cell.row == from_row:  # the header is bold
                size = math.ceil(size * 1.15)
            widths[cell.column] = max(widths.get(cell.column, 0), size)
    wrapped = set(wrap)
    for column, size in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(narrowest,
                                                                   min(size + 3, widest))
    for column in wrapped:
        for (cell,) in ws.iter_rows(min_row=from_row + 1, min_col=column, max_col=column):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _wrap_heights(ws, from_row + 1, wrapped)


def _wrap_heights(ws: Worksheet, from_row: int, columns: Iterable[int]) -> None:
    """Row heights for wrapped text: not every reader grows rows to fit on its own."""
    columns = list(columns)
    for row in range(from_row, ws.max_row + 1):
        lines = 1
        for column in columns:
            value = ws.cell(row=row, column=column).value
            if value is None:
                continue
            width = max(1.0, (ws.column_dimensions[get_column_letter(column)].width or 10) - 2)
            lines = max(lines, sum(max(1, math.ceil(_display_width(part) / width))
                                   for part in str(value).split("\n")))
        if lines > 1:
            ws.row_dimensions[row].height = 15 * lines
            for cell in ws[row]:  # the row's other cells start at the top too
                align = cell.alignment
                cell.alignment = Alignment(horizontal=align.horizontal, indent=align.indent,
                                           wrap_text=align.wrap_text, vertical="top")


def _score_format(analysis: Analysis) -> str:
    scale = analysis.rubric.scale
    whole = all(float(v).is_integer() for v in (scale.min, scale.max, scale.step))
    return "0" if whole else "0.0#"


def _colour_scale(ws: Worksheet, ref: str, analysis: Analysis) -> None:
    low, high = analysis.rubric.scale.min, analysis.rubric.scale.max
    ws.conditional_formatting.add(ref, ColorScaleRule(
        start_type="num", start_value=low, start_color=_SCALE_COLORS[0],
        mid_type="num", mid_value=(low + high) / 2, mid_color=_SCALE_COLORS[1],
        end_type="num", end_value=high, end_color=_SCALE_COLORS[2]))


def _made_with_line(a: Analysis, lang: str) -> str:
    return made_with_line(a, lang, weights=False)


def _overrides(a: Analysis) -> dict[tuple[str, str], pd.Series]:
    return {(r["project"], r["axis"]): r for _, r in a.overrides.iterrows()}


def _axis_scores(ws: Worksheet, row: int, first_column: int, a: Analysis, project: str,
                 overrides: dict[tuple[str, str], pd.Series], lang: str) -> None:
    """One project's axis scores in a row; an override is marked and carries its reason."""
    score_format = _score_format(a)
    for column, axis in enumerate(a.rubric.axis_ids, start=first_column):
        cell = _put(ws, row, column, a.scores.at[project, axis], score_format)
        cell.alignment = Alignment(horizontal="center")
        if (project, axis) in overrides:
            cell.font = _OVERRIDE_FONT
            cell.comment = _override_comment(overrides[project, axis], lang)


def _override_comment(row: pd.Series, lang: str) -> Comment:
    text = t("override.comment", lang, reason=_clean_text(row["reason"]),
              computed=fmt_score(row["computed"]))
    comment = Comment(text, "scorer")
    comment.width, comment.height = 300, 120
    return comment


# ---------------------------------------------------------------- sheets


def _summary(ws: Worksheet, a: Analysis, lang: str) -> None:
    rubric = a.rubric
    axes = rubric.axis_ids
    _titles(ws, rubric.title(lang), _made_with_line(a, lang), t("summary.note", lang))
    _header(ws, HEADER_ROW, [
        t("rank", lang), t("project", lang), t("id", lang), t("score", lang),
        f"{t('total', lang)} /{rubric.total_max:g}", t("grade", lang), t("coverage", lang),
        *(rubric.axes[x].short_label(lang) for x in axes)])
    overrides = _overrides(a)
    first_axis = 8
    for row, (project, rec) in enumerate(a.ranking.iterrows(), start=HEADER_ROW + 1):
        _put(ws, row, 1, int(rec["rank"])).alignment = Alignment(horizontal="center")
        _put(ws, row, 2, rec["name"])
        _put(ws, row, 3, project)
        _put(ws, row, 4, rec["score"], "0.00")
        _put(ws, row, 5, rec["total"], "0.0")
        _put(ws, row, 6, rubric.grade(rec["total"], lang)).alignment = Alignment(indent=1)
        _put(ws, row, 7, rec["coverage"], "0%")
        _axis_scores(ws, row, first_axis, a, project, overrides, lang)
    last_row = HEADER_ROW + len(a.ranking)
    if len(a.ranking):
        _colour_scale(ws, f"{get_column_letter(first_axis)}{HEADER_ROW + 1}:"
                          f"{get_column_letter(first_axis + len(axes) - 1)}{last_row}", a)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    _fit_columns(ws, HEADER_ROW, widest=40)


def _what_if(wb: Workbook, ws: Worksheet, a: Analysis, lang: str) -> None:
    rubric = a.rubric
    axes = rubric.axis_ids
    n = len(a.ranking)
    first, last = FIRST_AXIS_COLUMN, FIRST_AXIS_COLUMN + len(axes) - 1
    first_letter, last_letter = get_column_letter(first), get_column_letter(last)
    _titles(ws, t("whatif.title", lang), _made_with_line(a, lang),
            t("whatif.note", lang, row=WEIGHT_ROW, min=rubric.scale.min,
               max=rubric.scale.max))
    _header(ws, AXIS_ROW, [t("axis", lang)])
    _header(ws, AXIS_ROW, [rubric.axes[x].short_label(lang) for x in axes], first)
    put_text(ws.cell(row=WEIGHT_ROW, column=1),
             t("whatif.weight", lang)).font = _font(bold=True)
    put_text(ws.cell(row=NORMALISED_ROW, column=1), t("whatif.normalised", lang))
    validation = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=False,
        showInputMessage=True, showErrorMessage=True,
        promptTitle=t("whatif.weight", lang)[:32], prompt=t("whatif.prompt", lang)[:255],
        errorTitle=t("whatif.weight", lang)[:32], error=t("whatif.error", lang)[:255])
    ws.add_data_validation(validation)
    weights_ref = f"${first_letter}${WEIGHT_ROW}:${last_letter}${WEIGHT_ROW}"
    for column, (axis, weight) in enumerate(a.weights_given.items(), start=first):
        letter = get_column_letter(column)
        cell = _put(ws, WEIGHT_ROW, column, weight, "0.###")
        cell.fill, cell.border = _INPUT_FILL, _INPUT_BORDER
        cell.font = _font(bold=True, color="1F4E79")
        validation.add(cell.coordinate)
        name = weight_name(axis)
        wb.defined_names[name] = DefinedName(
            name, attr_text=f"{_quote_sheet(ws.title)}!${letter}${WEIGHT_ROW}")
        _put_formula(ws.cell(row=NORMALISED_ROW, column=column),
                     f"={name}/SUM({weights_ref})", "0.0%")
    norm_ref = f"${first_letter}${NORMALISED_ROW}:${last_letter}${NORMALISED_ROW}"
    if lang != "en":
        for column, word in enumerate(("project", "score", "rank"), start=1):
            put_text(ws.cell(row=WHATIF_HEADER_ROW - 1, column=column),
                     t(word, lang)).font = _NOTE_FONT
    _header(ws, WHATIF_HEADER_ROW, [*WHATIF_HEADERS,
                                    *(rubric.axes[x].short_label(lang) for x in axes)])
    top, bottom = WHATIF_HEADER_ROW + 1, WHATIF_HEADER_ROW + n
    overrides = _overrides(a)
    for row, (project, rec) in enumerate(a.ranking.iterrows(), start=top):
        _put(ws, row, 1, rec["name"])
        _put_formula(ws.cell(row=row, column=2),
                     f"=ROUND(SUMPRODUCT({norm_ref},{first_letter}{row}:{last_letter}{row}),9)",
                     "0.00")
        _put_formula(ws.cell(row=row, column=3), f"=RANK(B{row},$B${top}:$B${bottom},0)")
        ws.cell(row=row, column=3).alignment = Alignment(horizontal="center")
        _axis_scores(ws, row, first, a, project, overrides, lang)
    if n:
        _colour_scale(ws, f"{first_letter}{top}:{last_letter}{bottom}", a)
        ws.conditional_formatting.add(f"A{top}:C{bottom}", FormulaRule(
            formula=[f"$C{top}=1"], font=Font(bold=True),
            fill=PatternFill("solid", fgColor="E2EFDA", bgColor="E2EFDA")))
    _fit_columns(ws, AXIS_ROW, widest=30, narrowest=9)
    # after fitting, so the hint overflows into the empty cell beside it instead of widening
    put_text(ws.cell(row=WEIGHT_ROW, column=2), t("whatif.edit", lang)).font = _NOTE_FONT


def _quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _axes(ws: Worksheet, a: Analysis, lang: str) -> None:
    rubric = a.rubric
    _titles(ws, rubric.title(lang), _made_with_line(a, lang), t("axes.note", lang))
    _header(ws, HEADER_ROW, [
        t("project", lang), t("id", lang), t("axis", lang), t("axis_id", lang),
        t("axis_score", lang), t("col.computed", lang), t("col.override", lang),
        t("col.reason", lang), t("coverage", lang), t("known", lang), t("criteria", lang)])
    order = {p: i for i, p in enumerate(a.ranking.index)}
    axis_order = {x: i for i, x in enumerate(rubric.axis_ids)}
    table = a.axes.assign(_p=a.axes["project"].map(order), _a=a.axes["axis"].map(axis_order))
    table = table.sort_values(["_p", "_a"], kind="stable")
    score_format = _score_format(a)
    for row, rec in enumerate(table.itertuples(index=False), start=HEADER_ROW + 1):
        _put(ws, row, 1, a.ranking.at[rec.project, "name"])
        _put(ws, row, 2, rec.project)
        _put(ws, row, 3, rubric.axes[rec.axis].label(lang))
        _put(ws, row, 4, rec.axis)
        score = _put(ws, row, 5, rec.score, score_format)
        _put(ws, row, 6, rec.computed, score_format)
        _put(ws, row, 7, bool(rec.override))
        if rec.override:
            score.font = _OVERRIDE_FONT
            _put(ws, row, 8, rec.reason)
        _put(ws, row, 9, rec.coverage, "0%")
        _put(ws, row, 10, int(rec.known))
        _put(ws, row, 11, int(rec.criteria))
    last = HEADER_ROW + len(table)
    if len(table):
        _colour_scale(ws, f"E{HEADER_ROW + 1}:F{last}", a)
    ws.auto_filter.ref = f"A{HEADER_ROW}:K{max(last, HEADER_ROW)}"
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    _fit_columns(ws, HEADER_ROW, widest=45, wrap=(8,))


def _evidence(ws: Worksheet, a: Analysis, lang: str) -> None:
    rubric = a.rubric
    _titles(ws, rubric.title(lang), _made_with_line(a, lang), t("evidence.note", lang))
    _header(ws, HEADER_ROW, [
        t("project", lang), t("id", lang), t("axis", lang), t("criterion", lang),
        t("outcome", lang), t("points", lang), t("why", lang), t("rule", lang),
        t("fact", lang), t("status", lang), t("value", lang), t("unit", lang),
        t("source", lang), t("date", lang), t("note", lang)])
    rules = {(axis_id, c.id): c for axis_id, c in rubric.criteria()}
    order = {p: i for i, p in enumerate(a.ranking.index)}
    criteria = a.criteria.assign(_p=a.criteria["project"].map(order))
    criteria = criteria.sort_values("_p", kind="stable")
    evidence = a.evidence.set_index(["project", "fact"])
    row = HEADER_ROW
    for crit in criteria.itertuples(index=False):
        rule = rules[crit.axis, crit.criterion]
        for fact in list(crit.facts) or [None]:
            row += 1
            _put(ws, row, 1, a.ranking.at[crit.project, "name"])
            _put(ws, row, 2, crit.project)
            _put(ws, row, 3, rubric.axes[crit.axis].short_label(lang))
            _put(ws, row, 4, crit.criterion)
            _put(ws, row, 5, t(crit.outcome, lang)).font = _OUTCOME_FONTS[crit.outcome]
            _put(ws, row, 6, crit.points, "+0.##;-0.##;0")
            _put(ws, row, 7, rule.why)
            _put(ws, row, 8, rule.expression)
            if fact is None:
                continue
            _put(ws, row, 9, fact)
            spec = rubric.facts.get(fact)
            _put(ws, row, 12, spec.unit if spec else None)
            if (crit.project, fact) not in evidence.index:
                _put(ws, row, 10, t("missing", lang)).font = _OUTCOME_FONTS["unknown"]
                continue
            ev = evidence.loc[(crit.project, fact)]
            _put(ws, row, 10, t("stated", lang))
            _put(ws, row, 11, ev["value"])
            title = ev["source_title"] if isinstance(ev["source_title"], str) else ev["source"]
            source = _put(ws, row, 13, title)
            url = ev["source_url"]
            if isinstance(url, str) and _URL.match(url):
                source.hyperlink = url
                source.font = _LINK_FONT
            _put(ws, row, 14, ev["date"] if isinstance(ev["date"], date) else None)
            _put(ws, row, 15, ev["note"] if isinstance(ev["note"], str) else None)
    ws.auto_filter.ref = f"A{HEADER_ROW}:O{row}"
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    _fit_columns(ws, HEADER_ROW, widest=48, wrap=(7, 8, 13, 15))


def _sensitivity(ws: Worksheet, a: Analysis, s: Report, lang: str) -> None:
    rubric = a.rubric
    axes = rubric.axis_ids
    names = a.ranking["name"]
    projects = list(a.ranking.index)
    mc = s.monte_carlo
    _titles(ws, t("sens.title", lang), _made_with_line(a, lang), sampling_sentence(mc, lang))
    chart_column = get_column_letter(max(len(axes) + 1, len(projects) + 3, 8) + 2)
    bold = _font(bold=True)

    # Stability intervals
    row = 5
    put_text(ws.cell(row=row, column=1), section_title("stability", mc, lang)).font = bold
    known = ["weight", "winner_low", "winner_high", "ranking_low", "ranking_high"]
    extra = [c for c in s.stability.columns if c not in known]
    _header(ws, row + 1, [t("axis", lang), t("axis_id", lang), t("weight", lang),
                          *(t(f"sens.{c}", lang) for c in known[1:]), *map(str, extra)])
    for r, axis in enumerate(s.stability.index, start=row + 2):
        _put(ws, r, 1, rubric.axes[axis].short_label(lang) if axis in rubric.axes else axis)
        _put(ws, r, 2, axis)
        for c, column in enumerate([*known, *extra], start=3):
            if column in s.stability.columns:
                _put(ws, r, c, s.stability.at[axis, column],
                     "0.0%" if column in known else None)
    row += 2 + len(s.stability) + 1

    # Rank acceptability, expected rank, P(first)
    put_text(ws.cell(row=row, column=1), section_title("acceptability", mc, lang)).font = bold
    header = row + 1
    ranks = list(mc.rank_acceptability.columns)
    _header(ws, header, [t("project", lang), *(t("sens.rank_n", lang, n=k) for k in ranks),
                         t("expected_rank", lang), t("sens.first", lang)])
    for r, project in enumerate(projects, start=header + 1):
        _put(ws, r, 1, names[project])
        for c, k in enumerate(ranks, start=2):
            _put(ws, r, c, mc.rank_acceptability.at[project, k], "0.0%")
        _put(ws, r, len(ranks) + 2, mc.expected_rank.get(project), "0.00")
        _put(ws, r, len(ranks) + 3, mc.first.get(project), "0.0%")
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "percentStacked", 100
    chart.title = t("sens.chart_rank", lang)
    chart.add_data(Reference(ws, min_col=2, max_col=len(ranks) + 1, min_row=header,
                             max_row=header + len(projects)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1,
                                   max_row=header + len(projects)))
    chart.y_axis.number_format = "0%"
    chart.x_axis.scaling.orientation = "maxMin"  # first project on top, as in the table
    _show_axes(chart)
    chart.width, chart.height = 16, 7.5
    ws.add_chart(chart, f"{chart_column}{row}")
    row = header + len(projects) + 2

    # Pairwise winning probabilities (of the best-ranked projects, when there are many)
    pair = [p for p in projects if p in mc.pairwise_win.index]
    title = section_title("pairwise", mc, lang)
    if len(pair) < len(projects):
        title += " " + t("sens.pairwise_top", lang, n=len(pair))
    put_text(ws.cell(row=row, column=1), title).font = bold
    header = row + 1
    _header(ws, header, [t("project", lang), *(names[p] for p in pair)])
    for r, project in enumerate(pair, start=header + 1):
        _put(ws, r, 1, names[project])
        for c, other in enumerate(pair, start=2):
            _put(ws, r, c, mc.pairwise_win.at[project, other], "0.0%")
    if pair:
        ws.conditional_formatting.add(
            f"B{header + 1}:{get_column_letter(len(pair) + 1)}{header + len(pair)}",
            ColorScaleRule(start_type="num", start_value=0, start_color=_SCALE_COLORS[0],
                           mid_type="num", mid_value=0.5, mid_color="FFFFFF",
                           end_type="num", end_value=1, end_color=_SCALE_COLORS[2]))
    row = header + len(pair) + 2

    # Central weights
    put_text(ws.cell(row=row, column=1), section_title("central", mc, lang)).font = bold
    header = row + 1
    _header(ws, header, [t("project", lang), *(rubric.axes[x].short_label(lang) for x in axes)])
    for r, project in enumerate(projects, start=header + 1):
        _put(ws, r, 1, names[project])
        for c, axis in enumerate(axes, start=2):
            if project in mc.central_weights.index and axis in mc.central_weights.columns:
                _put(ws, r, c, mc.central_weights.at[project, axis], "0.0%")
    row = header + len(projects) + 2

    # One at a time, one block and one line chart per axis
    put_text(ws.cell(row=row, column=1), section_title("sweep", mc, lang)).font = bold
    row += 1
    for axis in axes:
        part = s.sweep[s.sweep["axis"] == axis]
        if part.empty:
            continue
        wide = part.pivot(index="t", columns="project", values="score").reindex(
            columns=projects).sort_index()
        label = _clean_text(rubric.axes[axis].short_label(lang))
        _header(ws, row, [t("sens.sweep_axis", lang, axis=label), *(names[p] for p in projects)])
        for r, (value, scores) in enumerate(wide.iterrows(), start=row + 1):
            _put(ws, r, 1, value, "0.00")
            for c, project in enumerate(projects, start=2):
                _put(ws, r, c, scores[project], "0.000")
        line = LineChart()
        line.title = t("sens.chart_sweep", lang, axis=label)
        line.add_data(Reference(ws, min_col=2, max_col=len(projects) + 1, min_row=row,
                                max_row=row + len(wide)), titles_from_data=True)
        line.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=row + len(wide)))
        line.y_axis.title = t("score", lang)
        line.y_axis.number_format = "0.0"
        line.x_axis.title = "t"
        line.x_axis.tickLblSkip = max(1, (len(wide) - 1) // 4)
        line.y_axis.scaling.min, line.y_axis.scaling.max = rubric.scale.min, rubric.scale.max
        _show_axes(line)
        line.width, line.height = 16, 9
        ws.add_chart(line, f"{chart_column}{row}")
        row += max(len(wide) + 2, 20)
    ws.column_dimensions["A"].width = max(
        [22, *(_display_width(str(names[p])) + 2 for p in projects)])
    for column in range(2, max(len(axes), len(projects), 7) + 4):
        ws.column_dimensions[get_column_letter(column)].width = 14


def _show_axes(chart: Any) -> None:
    # openpyxl 3.1 leaves `delete` unset, which recent Excel reads as hidden axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _profiles(ws: Worksheet, a: Analysis, lang: str) -> None:
    rubric = a.rubric
    axes = rubric.axis_ids
    projects = list(a.ranking.index)
    _titles(ws, t("profiles.title", lang), _made_with_line(a, lang))
    _header(ws, HEADER_ROW, [t("axis", lang), *(a.ranking.at[p, "name"] for p in projects)])
    score_format = _score_format(a)
    for row, axis in enumerate(axes, start=HEADER_ROW + 1):
        _put(ws, row, 1, rubric.axes[axis].short_label(lang))
        for column, project in enumerate(projects, start=2):
            _put(ws, row, column, a.scores.at[project, axis], score_format)
    chart = RadarChart()
    chart.type = "marker"
    chart.title = t("profiles.title", lang)
    chart.add_data(Reference(ws, min_col=2, max_col=len(projects) + 1, min_row=HEADER_ROW,
                             max_row=HEADER_ROW + len(axes)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=HEADER_ROW + 1,
                                   max_row=HEADER_ROW + len(axes)))
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, rubric.scale.max
    chart.y_axis.majorUnit = rubric.scale.step
    chart.y_axis.delete = False
    chart.width, chart.height = 16, 11
    ws.add_chart(chart, f"{get_column_letter(len(projects) + 3)}{HEADER_ROW}")
    _fit_columns(ws, HEADER_ROW, widest=30, narrowest=10)


def _about(ws: Worksheet, wb: Workbook, a: Analysis, s: Report | None, lang: str,
           generated_at: datetime) -> None:
    rubric = a.rubric
    info = made_with(a)
    n = len(rubric.axes)
    rows: list[tuple[str, Any, str | None]] = [
        (t("about.rubric", lang), rubric.id, None),
        (t("about.version", lang), rubric.version, None),
        (t("about.title_row", lang), rubric.title(lang), None),
        (t("about.as_of", lang), a.as_of, None),
        (t("about.profile", lang), a.profile, None),
        *((t("about.weight_of", lang, axis=rubric.axes[x].label(lang)), info["weights"][x],
           "0.000") for x in rubric.axis_ids),
        *((t("about.grade", lang, at=g.at_least), g.label(lang), None)
          for g in sorted(rubric.grades, key=lambda g: -g.at_least)),
        *((t("about.method", lang) if i == 1 else "", t(f"method.{i}", lang,
           min=rubric.scale.min, max=rubric.scale.max, n=n, total=rubric.total_max,
           as_of=a.as_of.isoformat()), None) for i in range(1, 7)),
        (t("about.scorer", lang), scorer.__version__, None),
        (t("about.generated", lang), generated_at.strftime("%Y-%m-%d %H:%M:%S"), None),
    ]
    if s is None:
        rows.append((t("about.mc_samples", lang), t("about.none", lang), None))
    else:
        mc = s.monte_carlo
        rows += [
            (t("about.mc_samples", lang), int(mc.samples), "#,##0"),
            (t("about.mc_seed", lang), mc.seed, None),
            (t("about.mc_concentration", lang), weighting(mc, lang)
             if mc.concentration is None else float(mc.concentration), None),
        ]
    rows.append((t("about.sheets", lang), ", ".join(wb.sheetnames), None))
    _titles(ws, t("about.title", lang), _made_with_line(a, lang))
    _header(ws, HEADER_ROW, [t("about.item", lang), t("about.value", lang)])
    for row, (key, value, number_format) in enumerate(rows, start=HEADER_ROW + 1):
        put_text(ws.cell(row=row, column=1), key).font = _font(bold=True)
        cell = _put(ws, row, 2, value, number_format)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    _wrap_heights(ws, HEADER_ROW + 1, [2])
