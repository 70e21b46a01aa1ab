"""Worksheet rows written as text: the same XML as openpyxl's, several times faster.

openpyxl builds an element for each cell and has it serialised, namespaces resolved, by the
standard library's incremental writer: most of the time an export takes. `RowWriter` writes
the common cells — text, numbers, truth values, dates, empty styled cells — as the text
openpyxl would have produced, and hands openpyxl every other cell (formulas, links, rich
text), and every row when openpyxl writes through lxml, whose writer takes no raw text. A
test holds the output to openpyxl's own, byte for byte.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell._writer import write_cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

SIMPLE = {"s", "n", "b"}
"""The cell types written here: text, number, truth value."""


def escape(text: str) -> str:
    """Character data as ElementTree escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def cell_xml(cell: Any, style_id: int | None) -> str | None:
    """The `<c>` element openpyxl writes for `cell` (`style_id`: its style's number, None
    when unstyled), or None for a cell it must write itself."""
    kind = cell.data_type
    if cell._hyperlink is not None:
        return None
    value = cell._value
    if kind == "d":  # a date: its serial number, unless the workbook keeps ISO dates
        book = cell.parent.parent
        if book.iso_dates or getattr(value, "tzinfo", None) is not None:
            return None
        value, kind = to_excel(value, book.epoch), "n"
    elif kind not in SIMPLE:
        return None
    start = f'<c r="{cell.coordinate}" s="{style_id}"' if style_id is not None else \
        f'<c r="{cell.coordinate}"'
    if kind == "s":
        if not isinstance(value, str):
            return None  # rich text
        if value == "":
            return start + ' t="inlineStr" />'
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f'{start} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    if value is None or value == "":
        return f'{start} t="{kind}" />'
    text = escape(safe_string(value))
    return f'{start} t="{kind}"><v>{text}</v></c>' if text else f'{start} t="{kind}"><v /></c>'


class RowWriter(WorksheetWriter):
    """openpyxl's worksheet writer, its rows written by `cell_xml` where it can. Cells of one
    look share one style array (`cells.Looks`), so its number is looked up once per array
    (openpyxl hashes the array for every cell)."""

    def __init__(self, ws: Any, out: Any = None) -> None:
        super().__init__(ws, out)
        self._style_ids: dict[int, tuple[Any, int]] = {}

    def style_id(self, cell: Any) -> int | None:
        """The number of the cell's style, as `cell.style_id`; None when it has none."""
        array = cell._style
        if array is None or not any(array):
            return None
        found = self._style_ids.get(id(array))
        if found is None:  # the array is kept with its number, so its id is never reused
            found = (array, cell.parent.parent._cell_styles.add(array))
            self._style_ids[id(array)] = found
        return found[1]

    def write_row(self, xf: Any, row: list[Any], row_idx: int) -> None:
        raw = getattr(xf, "_file", None)  # the standard library writer's output
        if raw is None or not callable(raw):
            super().write_row(xf, row, row_idx)
            return
        attrs = {"r": f"{row_idx}"}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        with xf.element("row", attrs):
            for cell in row:
                if cell._comment is not None:
                    self.ws._comments.append(CommentRecord.from_cell(cell))
                style_id = self.style_id(cell)
                styled = style_id is not None
                if cell._value is None and not styled and not cell._comment:
                    continue
                text = cell_xml(cell, style_id)
                if text is None:
                    write_cell(xf, self.ws, cell, styled)
                else:
                    raw(text)


class BookWriter(ExcelWriter):
    """openpyxl's workbook writer, its worksheets written by `RowWriter`."""

    def write_worksheet(self, ws: Any) -> None:
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = RowWriter(ws)
        writer.write()
        ws._rels = writer._rels
        self._archive.write(writer.out, ws.path[1:])
        self.manifest.append(ws)
        writer.cleanup()
