"""Writing cells safely and quickly, and laying a sheet out from what was written to it.

`Columns` names a table's columns in order, so a sheet asks where "score" goes instead of
counting. `Sheet` writes values (text from dossiers stays text, never a formula) and keeps
what its layout needs as it goes: the widest content of each column and the texts of its
wrapping cells, so widths and row heights never rescan the worksheet. `Looks` registers each
distinct cell style with the workbook once, so writing a cell costs the same whatever its
style.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from scorer.facttypes import display_value
from scorer.untrusted import FORMULA_STARTS, printable
from scorer.writers.excel import style

MAX_TEXT = 32_767
"""The most characters a cell holds."""
URL = re.compile(r"^https?://\S+$")
"""A link the workbook makes clickable (and only if it holds no hidden character)."""
MAX_ROW_HEIGHT = 409.5
"""The tallest a row can be, in points (Excel's limit): longer text scrolls in its cell."""
HEADER_ROW = 4
"""Where a sheet's table starts when the sheet has one table: its title in row 1, what the
analysis was made with in row 2, a note in row 3, the header in row 4 (pandas: header=3)."""
BOLD_WIDTH = 1.15
"""How much wider bold header text is than the same text in the regular face."""
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
"""The most rows and columns a worksheet has."""
PLAIN_TYPES = {str: "s", int: "n", float: "n", bool: "b"}
"""The cell type of each stored value `Sheet.put` binds itself (others: openpyxl binds)."""


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


@lru_cache(maxsize=4096)
def text_cell(value: str) -> tuple[str, int, bool]:
    """Text as a cell holds it (`clean_text`), its width (`text_width`), and whether it starts
    like a formula; remembered, because the same texts (a criterion's `why`, a project's
    name) fill thousands of cells."""
    text = clean_text(value)
    return text, text_width(text), text.startswith(FORMULA_STARTS)


def stored(value: Any) -> tuple[Any, str | None]:
    """What a cell stores for `value`, and the number format its type needs: numbers,
    booleans and dates as themselves, anything else as text (cleaned); (None, None) for
    nothing. Integers beyond a spreadsheet's 15 significant digits, and infinities, are text.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None, None
    if isinstance(value, str):
        return clean_text(value), None
    if isinstance(value, (bool, np.bool_)):
        return bool(value), None
    if isinstance(value, (int, np.integer)):
        if abs(int(value)) >= 10**15:
            return clean_text(str(int(value))), None
        return int(value), None
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None, None
        if math.isinf(value):
            return ("∞" if value > 0 else "-∞"), None
        return float(value), None
    if isinstance(value, datetime):
        return utc(value), "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return value, "yyyy-mm-dd"
    if isinstance(value, (list, tuple)):
        return clean_text(display_value(value)), None
    return clean_text(value), None


NON_ASCII = re.compile(r"[^\x00-\x7f]")


def display_width(text: str) -> int:
    """Width in characters of a fixed font: East Asian wide characters count twice."""
    if text.isascii():
        return len(text)
    return len(text) + sum(unicodedata.east_asian_width(ch) in "WF"
                           for ch in NON_ASCII.findall(text))


def text_width(text: str) -> int:
    """The width of the widest line of `text`."""
    if "\n" not in text:
        return display_width(text)
    return max(display_width(line) for line in text.split("\n"))


def _size(value: Any) -> int:
    """How wide a stored value shows, in characters."""
    if isinstance(value, str):
        return text_width(value)
    if isinstance(value, float):
        return 8
    if isinstance(value, (datetime, date)):
        return 11
    return len(str(value))


@lru_cache(maxsize=4096)
def lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines `text` takes in a column `width` characters wide, wrapped as a
    spreadsheet wraps it: at spaces, and a word longer than a line (or text without spaces,
    as Japanese is) wherever the line ends."""
    room = max(1.0, (width - 2) / (BOLD_WIDTH if bold else 1))
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for word in paragraph.split(" "):
            size: float = display_width(word)
            if used and used + 1 + size <= room:
                used += 1 + size
                continue
            if used:
                count += 1
            while size > room:  # the rest of a long word goes on the next line
                count += 1
                size -= room
            used = size
    return count


# ---------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One column of a table: the key a sheet finds it by, its header, whether it wraps, and
    (for one that wraps) the most characters it is wide."""

    key: Hashable
    header: str
    wrap: bool = False
    width: int | None = None


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


# ---------------------------------------------------------------- looks


class Looks:
    """Every distinct look of a workbook's cells (font, fill, border, alignment, number
    format, quote prefix), registered with the workbook once.

    openpyxl hashes a style object each time one is assigned to a cell, which costs more than
    the rest of writing the cell: here the first cell of a look is styled through openpyxl,
    and the others share its style array. Shared: a cell's look is changed only by `apply`,
    which gives it another array, never by openpyxl's style setters (`cell.font = …`), which
    would change the array in place, and so every cell of the look. Fonts take the face of
    the workbook's language (`style.FACES`), which is also made the workbook's default.
    """

    def __init__(self, wb: Workbook, lang: str) -> None:
        self.face = style.use_face(wb, lang)
        self.line_height = style.LINE_HEIGHTS[self.face]
        self._arrays: dict[tuple[int, int, int, int, str | None, bool],
                           tuple[StyleArray, tuple[Any, ...]]] = {}

    def apply(self, cell: Cell, font: Font | None = None, fill: PatternFill | None = None,
              border: Border | None = None, alignment: Alignment | None = None,
              number_format: str | None = None, quote: bool = False) -> None:
        """Give `cell` this look, and nothing of any look it had."""
        key = (id(font), id(fill), id(border), id(alignment), number_format, quote)
        found = self._arrays.get(key)
        if found is not None:
            cell._style = found[0]
            return
        cell._style = StyleArray()
        if font is not None:
            cell.font = style.face(font, self.face)
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border
        if alignment is not None:
            cell.alignment = alignment
        if number_format:
            cell.number_format = number_format
        if quote:
            cell.quotePrefix = True
        # the objects are kept so that their ids, the key, are never reused
        self._arrays[key] = (StyleArray(cell._style), (font, fill, border, alignment))


# ---------------------------------------------------------------- sheets


class Sheet:
    """A worksheet being written, with the record its layout is computed from.

    Table cells go through `put`, `formula` or `header`, which note the widest content of
    each column and the text of each wrapping cell (headers wrap too); `fit` and `grow_rows`
    use that record. `label` writes titles and hints, which are left out of column widths.
    The cells of a table with a wrapping column are aligned at the top as they are written,
    so a row that grows tall needs no second pass.
    """

    def __init__(self, ws: Worksheet, looks: Looks) -> None:
        self.ws = ws
        self.looks = looks
        self.rows = 0
        """The last row written to."""
        self.cached: dict[str, Any] = {}
        """The value of each formula (by coordinate) as scorer computed it."""
        self.print_rows: tuple[int, int] | None = None
        """The rows printed at the top of every page."""
        self._widest: dict[int, int] = {}
        self._width: dict[int, float] = {}
        self._most: dict[int, int] = {}
        self._wrap_columns: frozenset[int] = frozenset()
        self._wrap_from = 0
        self._wrapped: dict[int, dict[int, str]] = {}
        self._header_rows: set[int] = set()

    @property
    def title(self) -> str:
        return self.ws.title

    def cell(self, row: int, column: int) -> Cell:
        """The cell at `row`, `column`, made when new as openpyxl's `Worksheet.cell` makes it
        (an empty number cell, unstyled), without its checks: at several hundred thousand
        cells a workbook, they cost as much as the rest of writing them."""
        if row > self.rows:
            self.rows = row
        cells = self.ws._cells
        cell = cells.get((row, column))
        if cell is None:
            if not 0 < row < MAX_ROWS or not 0 < column <= MAX_COLUMNS:
                return self.ws.cell(row=row, column=column)  # openpyxl's error
            cell = Cell.__new__(Cell)
            cell.parent, cell._style = self.ws, None
            cell.row, cell.column = row, column
            cell._value = cell._hyperlink = cell._comment = None
            cell.data_type = "n"
            cells[(row, column)] = cell
            if row > self.ws._current_row:
                self.ws._current_row = row
        return cell

    def put(self, row: int, column: int, value: Any, number_format: str | None = None, *,
            font: Font | None = None, alignment: Alignment | None = None,
            fill: PatternFill | None = None, border: Border | None = None) -> Cell:
        """Write a typed value (see `stored`; text is never a formula) in a look, noting its
        width and any wrapped text. Nothing (None, NaN) leaves the cell empty and unstyled."""
        cell = self.cell(row, column)
        if isinstance(value, str):
            value, size, quote = text_cell(value)
            type_format = None
            cell._value = value  # clean text (`clean_text`): what openpyxl would check
            cell.data_type = "s"  # never 'f': text stays text, '=…' included
        else:  # quote: nor may Excel read it as one when it is edited
            value, type_format = stored(value)
            if value is None:
                return cell
            kind = PLAIN_TYPES.get(type(value))
            if kind is None:
                cell.value = value  # a date: openpyxl binds it
            else:
                cell._value, cell.data_type = value, kind
            quote = isinstance(value, str) and value.startswith(FORMULA_STARTS)
            if quote:
                cell.data_type = "s"
            size = _size(value)
        if size > self._widest.get(column, 0):
            self._widest[column] = size
        if row >= self._wrap_from and self._wrap_columns:
            if column in self._wrap_columns:
                alignment = style.wrapped(alignment)
                if isinstance(value, str):
                    self._wrapped.setdefault(row, {})[column] = value
            else:
                alignment = style.top(alignment)
        self.looks.apply(cell, font, fill, border, alignment, number_format or type_format,
                         quote)
        return cell

    def formula(self, row: int, column: int, formula: str, cached: Any,
                number_format: str | None = None, *, font: Font | None = None,
                alignment: Alignment | None = None) -> Cell:
        """The only way a formula enters the workbook: the workbook's own, from cell refs,
        with `cached`, the value it has now as scorer computed it, saved as its result."""
        cell = self.cell(row, column)
        cell.value = formula
        cell.data_type = "f"
        self.cached[cell.coordinate] = cached
        self.looks.apply(cell, font, None, None, alignment, number_format)
        size = 10 if cached is None or not isinstance(cached, str) else text_width(cached)
        if size > self._widest.get(column, 0):
            self._widest[column] = size
        return cell

    def label(self, row: int, column: int, text: str, font: Font | None = None) -> Cell:
        """Text above or beside a table (a title, a hint), left out of column widths."""
        cell = self.cell(row, column)
        cell.value = clean_text(text)
        cell.data_type = "s"
        self.looks.apply(cell, font, quote=cell.value.startswith(FORMULA_STARTS))
        return cell

    def titles(self, title: str, *lines: str) -> None:
        """The sheet's title in A1 and a line of context in each row below it."""
        self.label(1, 1, title, style.TITLE)
        for row, line in enumerate(lines, start=2):
            self.label(row, 1, line, style.NOTE)

    def header(self, row: int, columns: Columns) -> None:
        """A table's header row; its wrapping columns wrap in the rows below it (until the
        next table's header)."""
        self.headers(row, [c.header for c in columns], columns.first)
        self._wrap_columns = frozenset(columns(c.key) for c in columns if c.wrap)
        self._wrap_from = row + 1
        self._most.update((columns(c.key), c.width) for c in columns
                          if c.wrap and c.width is not None)

    def headers(self, row: int, texts: Iterable[str], first: int = 1) -> None:
        """Header cells, from column `first`: bold on the header fill, wrapped at their
        spaces when wider than their column (which is as wide as their longest word)."""
        wrapped = self._wrapped.setdefault(row, {})
        self._header_rows.add(row)
        for column, text in enumerate(texts, start=first):
            cell = self.cell(row, column)
            cell.value = clean_text(text)
            cell.data_type = "s"
            self.looks.apply(cell, style.BOLD, style.HEADER, style.HEADER_BORDER,
                             style.HEADER_ALIGNMENT,
                             quote=cell.value.startswith(FORMULA_STARTS))
            size = math.ceil(max(map(display_width, cell.value.split())) * BOLD_WIDTH
                             if cell.value.strip() else 0)
            if size > self._widest.get(column, 0):
                self._widest[column] = size
            wrapped[column] = cell.value

    def repeat_rows(self, first: int, last: int | None = None) -> None:
        """Print rows `first` to `last` (a table's header) at the top of every page."""
        self.print_rows = (first, last or first)

    # ------------------------------------------------------------ layout

    def set_widths(self, widths: Mapping[int, float]) -> None:
        """Column widths (characters) by column number."""
        for column, width in widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = width
            self._width[column] = width

    def fit(self, widest: int = 50, narrowest: int = 8) -> None:
        """Widths from the content written (titles aside; a wrapping column no wider than
        its `Column.width`), and rows tall enough for their wrapped text."""
        self.set_widths({column: max(narrowest, min(size + 3, self._most.get(column, widest)))
                         for column, size in self._widest.items()})
        self.grow_rows()

    def grow_rows(self) -> None:
        """Row heights for wrapped text (not every reader grows rows on its own, and a header
        that does not would print over the title above it), from the texts noted as they were
        written and the columns' widths."""
        for row, texts in sorted(self._wrapped.items()):
            bold = row in self._header_rows
            most = max((lines(text, self._width.get(column, 10), bold)
                        for column, text in texts.items()), default=1)
            if most > 1:
                self.ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT,
                                                         self.looks.line_height * most)

    def freeze(self, row: int, column: int = 1) -> None:
        """Keep the rows above `row` and the columns left of `column` in view."""
        self.ws.freeze_panes = self.ws.cell(row=row, column=column).coordinate

    def page_setup(self, footer: str) -> None:
        """Print (and convert to PDF) landscape on A4, one page wide, narrow margins, the
        table's header on every page and `footer` (header/footer codes: &P, &N) below."""
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.5
        ws.page_margins.header = ws.page_margins.footer = 0.25
        if self.print_rows is not None:
            ws.print_title_rows = "{}:{}".format(*self.print_rows)
        ws.oddFooter.center.text = footer
        ws.oddFooter.center.size = 8
