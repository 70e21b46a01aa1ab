"""The workbook's look: fonts, fills, borders and alignments, each created once and shared.

openpyxl stores one copy of each distinct style anyway; sharing the objects saves building a
new one per cell and keeps every sheet looking the same.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from scorer.writers.palette import HEADER_FILL, OVERRIDE_COLOUR


def font(**style: Any) -> Font:
    """A font with a name: without one, LibreOffice falls back to a serif face."""
    return Font(name="Calibri", size=style.pop("size", 11), **style)


BOLD = font(bold=True)
TITLE = font(bold=True, size=14)
NOTE = font(italic=True, color="595959")
LINK = font(color="0563C1", underline="single")
OVERRIDE = font(bold=True, italic=True, color=OVERRIDE_COLOUR)
"""An analyst's override, wherever a score is shown."""
WEIGHT = font(bold=True, color="1F4E79")
OUTCOME = {"pass": font(color="006100"), "fail": font(color="7F7F7F"),
           "unknown": font(color="9C5700", italic=True)}
OUTCOME["uncertain"] = OUTCOME["unknown"]  # not settled either, as on the terminal

THIN = Side(style="thin", color="8C8C8C")
HEADER_BORDER = Border(bottom=THIN)
INPUT_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER = PatternFill("solid", fgColor=HEADER_FILL)
INPUT = PatternFill("solid", fgColor="FFF2CC")
"""The yellow of cells a reader is meant to edit."""

HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
CENTRE = Alignment(horizontal="center")
INDENT = Alignment(indent=1)
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")


def top(alignment: Alignment) -> Alignment:
    """The same alignment at the top of the cell, for the other cells of a tall row."""
    return _top(alignment.horizontal, alignment.indent, alignment.wrap_text)


@cache
def _top(horizontal: str | None, indent: float, wrap_text: bool | None) -> Alignment:
    return Alignment(horizontal=horizontal, indent=indent, wrap_text=wrap_text, vertical="top")
