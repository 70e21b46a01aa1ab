"""Writing cells safely, and laying a sheet out from what was written to it.

`Columns` names a table's columns in order, so a sheet asks where "score" goes instead of
counting. `Sheet` writes values (text from dossiers stays text, never a formula) and keeps
what its layout needs as it goes: the widest content of each column and the texts of its
wrapping columns, so widths and row heights never rescan the worksheet.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scorer.facttypes import display_value
from scorer.untrusted import FORMULA_STARTS, printable
from scorer.writers.excel import style

MAX_TEXT = 32_767
"""The most characters a cell holds."""
URL = re.compile(r"^https?://\S+$")
"""A link the workbook makes clickable (and only if it holds no hidden character)."""
LINE_HEIGHT = 15
"""Points per line of an 11-point row."""
HEADER_ROW = 4
"""Where a sheet's table starts when the sheet has one table: its title in row 1, what the
analysis was made with in row 2, a note in row 3, the header in row 4 (pandas: header=3)."""


# ---------------------------------------------------------------- values


def utc(when: datetime) -> datetime:
    """A naive UTC datetime, to the second (what xlsx cells and properties hold)."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.replace(microsecond=0)


def clean_text(value: Any) -> str:
    """Text a cell can hold: hidden characters shown as escapes (so none that XML 1.0
    forbids, and no bidi override), line breaks kept, at most `MAX_TEXT` characters."""
    text = printable(str(value), newlines=True)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def put_text(cell: Cell, value: Any) -> Cell:
    """Store text as text, whatever it starts with: never a formula.

    openpyxl reads any string starting with '=' as a formula, so the type is set after the
    value; `quotePrefix` keeps Excel from turning it into one when the cell is edited.
    """
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def put_value(cell: Cell, value: Any, number_format: str | None = None) -> Cell:
    """A typed value: numbers, booleans and dates as themselves, anything else as text."""
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
        cell.value = utc(value)
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


def display_width(text: str) -> int:
    """Width in characters of a fixed font: East Asian wide characters count twice."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _size(cell: Cell) -> int:
    """How wide a cell's content is, in characters."""
    if cell.data_type == "f":
        return 10
    if isinstance(cell.value, float):
        return 8
    if isinstance(cell.value, (datetime, date)):
        return 11
    return max(display_width(line) for line in str(cell.value).split("\n"))


# ---------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One column of a table: the key a sheet finds it by, its header, whether it wraps."""

    key: Hashable
    header: str
    wrap: bool = False


class Columns:
    """A table's named columns, in order from column `first` (1 = A): `columns("score")` is
    the score's column number, `columns.letter("score")` its letter."""

    def __init__(self, columns: Iterable[Column | tuple[Hashable, str]], first: int = 1) -> None:
        self.columns = [c if isinstance(c, Column) else Column(*c) for c in columns]
        self.first = first
        self._at = {c.key: i for i, c in enumerate(self.columns, start=first)}
        if len(self._at) != len(self.columns):
            raise ValueError(f"duplicate column keys in {[c.key for c in self.columns]}")

    def __call__(self, key: Hashable) -> int:
        return self._at[key]

    def __contains__(self, key: Hashable) -> bool:
        return key in self._at

    def letter(self, key: Hashable) -> str:
        return get_column_letter(self._at[key])

    def header(self, key: Hashable) -> str:
        return self.columns[self._at[key] - self.first].header

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def last(self) -> int:
        """The number of the table's last column."""
        return self.first + len(self.columns) - 1

    def area(self, first: Hashable, last: Hashable, top: int, bottom: int,
             absolute: bool = False) -> str:
        """A range from column `first` to column `last`, rows `top` to `bottom`: 'D10:I12'."""
        mark = "$" if absolute else ""
        return (f"{mark}{self.letter(first)}{mark}{top}:"
                f"{mark}{self.letter(last)}{mark}{bottom}")

    def span(self, top: int, bottom: int) -> str:
        """The whole table's range from row `top` to row `bottom`."""
        return self.area(self.columns[0].key, self.columns[-1].key, top, bottom)


# ---------------------------------------------------------------- sheets


class Sheet:
    """A worksheet being written, with the record its layout is computed from.

    Table cells go through `put`, `formula` or `header`, which note the widest content of
    each column and the text of each wrapping cell; `fit` and `grow_rows` use that record.
    `label` writes titles and hints, which are left out of column widths.
    """

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.rows = self.columns = 0
        """The last row and column written to, as openpyxl's max_row and max_column."""
        self._widest: dict[int, int] = {}
        self._width: dict[int, float] = {}
        self._wrap_columns: set[int] = set()
        self._wrap_from = 0
        self._wrapped: dict[int, dict[int, str]] = {}

    @property
    def title(self) -> str:
        return self.ws.title

    def cell(self, row: int, column: int) -> Cell:
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)
        return self.ws.cell(row=row, column=column)

    def put(self, row: int, column: int, value: Any, number_format: str | None = None) -> Cell:
        """Write a typed value (see `put_value`), noting its width and any wrapped text."""
        cell = put_value(self.cell(row, column), value, number_format)
        if cell.value is not None:
            self._note(column, _size(cell))
            if column in self._wrap_columns and row >= self._wrap_from:
                self._wrapped.setdefault(row, {})[column] = str(cell.value)
        return cell

    def formula(self, row: int, column: int, formula: str,
                number_format: str | None = None) -> Cell:
        """The only way a formula enters the workbook: the workbook's own, from cell refs."""
        cell = self.cell(row, column)
        cell.value = formula
        cell.data_type = "f"
        if number_format:
            cell.number_format = number_format
        self._note(column, _size(cell))
        return cell

    def label(self, row: int, column: int, text: str, font: Font | None = None) -> Cell:
        """Text above or beside a table (a title, a hint), left out of column widths."""
        cell = put_text(self.cell(row, column), text)
        if font is not None:
            cell.font = font
        return cell

    def titles(self, title: str, *lines: str) -> None:
        """The sheet's title in A1 and a line of context in each row below it."""
        self.label(1, 1, title, style.TITLE)
        for row, line in enumerate(lines, start=2):
            self.label(row, 1, line, style.NOTE)

    def header(self, row: int, columns: Columns) -> None:
        """A table's header row; its wrapping columns wrap in the rows below it."""
        self.headers(row, [c.header for c in columns], columns.first)
        wrapping = {columns(c.key) for c in columns if c.wrap}
        if wrapping:
            self._wrap_columns |= wrapping
            self._wrap_from = row + 1

    def headers(self, row: int, texts: Iterable[str], first: int = 1) -> None:
        """Header cells, from column `first`: bold on the header fill, measured as bold."""
        for column, text in enumerate(texts, start=first):
            cell = put_text(self.cell(row, column), text)
            cell.font = style.BOLD
            cell.fill = style.HEADER
            cell.alignment = style.HEADER_ALIGNMENT
            cell.border = style.HEADER_BORDER
            self._note(column, math.ceil(_size(cell) * 1.15))

    def _note(self, column: int, size: int) -> None:
        if size > self._widest.get(column, 0):
            self._widest[column] = size

    # ------------------------------------------------------------ layout

    def set_widths(self, widths: Mapping[int, float]) -> None:
        """Column widths (characters) by column number."""
        for column, width in widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = width
            self._width[column] = width

    def fit(self, widest: int = 50, narrowest: int = 8) -> None:
        """Widths from the content written (titles aside), wrapping columns wrapped at the
        top, and rows tall enough for their wrapped text."""
        self.set_widths({column: max(narrowest, min(size + 3, widest))
                         for column, size in self._widest.items()})
        for column in sorted(self._wrap_columns):
            for row in range(self._wrap_from, self.rows + 1):
                self.cell(row, column).alignment = style.WRAP
        self.grow_rows()

    def grow_rows(self) -> None:
        """Row heights for wrapped text (not every reader grows rows on its own); the other
        cells of a tall row start at the top too."""
        for row, texts in sorted(self._wrapped.items()):
            lines = 1
            for column, text in texts.items():
                width = max(1.0, self._width.get(column, 10) - 2)
                lines = max(lines, sum(max(1, math.ceil(display_width(part) / width))
                                       for part in text.split("\n")))
            if lines > 1:
                self.ws.row_dimensions[row].height = LINE_HEIGHT * lines
                for column in range(1, self.columns + 1):
                    cell = self.cell(row, column)
                    alignment = cell.alignment
                    if alignment.vertical != "top":  # wrapped cells are already
                        cell.alignment = style.top(alignment)

    def freeze(self, row: int, column: int = 1) -> None:
        """Keep the rows above `row` and the columns left of `column` in view."""
        self.ws.freeze_panes = self.cell(row, column)

    def page_setup(self) -> None:
        """Print (and convert to PDF) landscape, one page wide."""
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
