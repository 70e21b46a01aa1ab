"""The workbook's look: fonts, fills, borders and alignments, each created once and shared,
and the typeface of each language.

Fonts here name no typeface that a sheet should rely on: `Looks` (in cells.py) gives every
font the face of the workbook's language, Calibri for English and Meiryo for Japanese (whose
glyphs Calibri lacks; an .xlsx names one face, with no fallback list).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook import Workbook

from scorer.writers.palette import HEADER_FILL, OVERRIDE_COLOUR

FACES = {"en": "Calibri", "ja": "Meiryo"}
"""The typeface of every cell, by language."""
LINE_HEIGHTS = {"Calibri": 15.0, "Meiryo": 18.75}
"""Points per line of 11-point text in each face (Meiryo's ascent and descent are taller)."""


def font(**style: Any) -> Font:
    """A font with a name: without one, LibreOffice falls back to a serif face."""
    return Font(name="Calibri", size=style.pop("size", 11), **style)


BOLD = font(bold=True)
TITLE = font(bold=True, size=14)
NOTE = font(italic=True, color="595959")
LINK = font(color="0563C1", underline="single")
OVERRIDE = font(bold=True, italic=True, color=OVERRIDE_COLOUR)
"""An analyst's override, wherever a score is shown."""
WARNING = font(bold=True, color=OVERRIDE_COLOUR)
"""A message the reader must act on (every What-if weight is 0)."""
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
INDENT = Alignment(horizontal="left", indent=1)
"""Text that follows a right-aligned number: Excel and LibreOffice indent only left-aligned
cells, so the alignment is said, not left to the default."""
"""Text beside a right-aligned number (a grade beside its total) keeps a space from it."""
LEFT = Alignment(horizontal="left")


@cache
def face(base: Font, name: str) -> Font:
    """`base` in typeface `name` (Japanese text needs a face with its glyphs)."""
    if base.name == name:
        return base
    return Font(name=name, size=base.size, bold=base.bold, italic=base.italic,
                underline=base.underline, color=base.color, family=_family(name),
                charset=_charset(name))


def default_font(name: str) -> Font:
    """The font of every cell that names none, in typeface `name`."""
    return Font(name=name, size=11, family=_family(name), charset=_charset(name))


def _family(name: str) -> int:
    return 2 if name == FACES["en"] else 3  # swiss; modern, as Excel writes Japanese faces


def _charset(name: str) -> int | None:
    return None if name == FACES["en"] else 128  # Shift-JIS, as Excel writes Japanese faces


def use_face(wb: Workbook, lang: str) -> str:
    """Make the language's typeface the workbook's default (cells that name no font, the
    Normal style, and so the row and column headings); returns its name.

    openpyxl has no setting for it: its default font is the first of the workbook's fonts,
    and the Normal style's. English keeps openpyxl's own default (Calibri, the theme's).
    """
    name = FACES[lang]
    if name != FACES["en"]:
        from openpyxl.utils.indexed_list import IndexedList

        default = default_font(name)
        wb._fonts = IndexedList([default])
        wb._named_styles["Normal"].font = default
    return name


def top(alignment: Alignment | None) -> Alignment:
    """The same alignment at the top of the cell, for the cells of a row that may be tall."""
    if alignment is None:
        return _aligned(None, 0.0, None, "top")
    return _aligned(alignment.horizontal, alignment.indent, alignment.wrap_text, "top")


def wrapped(alignment: Alignment | None) -> Alignment:
    """The same alignment, wrapping its text from the top of the cell."""
    if alignment is None:
        return _aligned(None, 0.0, True, "top")
    return _aligned(alignment.horizontal, alignment.indent, True, "top")


@cache
def _aligned(horizontal: str | None, indent: float, wrap_text: bool | None,
             vertical: str) -> Alignment:
    return Alignment(horizontal=horizontal, indent=indent, wrap_text=wrap_text,
                     vertical=vertical)
