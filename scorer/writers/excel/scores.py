"""How an axis score looks on any sheet: its number format, the red → green scale, and an
analyst's override in bold italic red with its reason in the cell's note."""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.worksheet.worksheet import Worksheet

from scorer.analysis import Analysis
from scorer.i18n import t
from scorer.views.common import fmt_score, score_is_whole
from scorer.writers.excel import style
from scorer.writers.excel.cells import Sheet, clean_text
from scorer.writers.palette import SCALE_COLOURS


def score_format(a: Analysis) -> str:
    """Whole numbers when the scale's steps are whole, else up to two decimals."""
    return "0" if score_is_whole(a) else "0.0#"


def colour_scale(ws: Worksheet, area: str, a: Analysis) -> None:
    """Colour scores from the lowest of the scale (red) to the highest (green)."""
    low, high = a.rubric.scale.min, a.rubric.scale.max
    ws.conditional_formatting.add(area, ColorScaleRule(
        start_type="num", start_value=low, start_color=SCALE_COLOURS[0],
        mid_type="num", mid_value=(low + high) / 2, mid_color=SCALE_COLOURS[1],
        end_type="num", end_value=high, end_color=SCALE_COLOURS[2]))


class AxisScores:
    """Writes axis scores on any sheet, each override marked and explained."""

    def __init__(self, a: Analysis, lang: str) -> None:
        self.analysis, self.lang = a, lang
        self.format = score_format(a)
        self.overrides: dict[tuple[str, str], dict[str, Any]] = {
            (r["project"], r["axis"]): r for r in a.overrides.to_dict("records")}

    def put(self, sheet: Sheet, row: int, column: int, project: str, axis: str,
            value: float) -> Cell:
        """A project's score on an axis, centred, marked when it is an override."""
        override = self.overrides.get((project, axis))
        cell = sheet.put(row, column, value, self.format, alignment=style.CENTRE,
                         font=None if override is None else style.OVERRIDE)
        if override is not None:
            cell.comment = self.note(override)
        return cell

    def note(self, override: dict[str, Any]) -> Comment:
        """The cell note of an override: its reason and the score it replaced."""
        text = t("override.comment", self.lang, reason=clean_text(override["reason"]),
                 computed=fmt_score(override["computed"]))
        comment = Comment(text, "scorer")
        comment.width, comment.height = 300, 120
        return comment
