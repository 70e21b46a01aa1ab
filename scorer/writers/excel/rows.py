"""Worksheet rows written as text: the same XML as openpyxl's, several times faster.

openpyxl builds an element for each cell and has it serialised, namespaces resolved, by the
standard library's incremental writer: most of the time an export takes. `RowWriter` writes
the common cells — text, numbers, truth values, empty styled cells — as the text openpyxl
would have produced, and hands openpyxl every other cell (formulas, dates, links), and every
row when openpyxl writes through lxml, whose writer takes no raw text. A test holds the
output to openpyxl's own, byte for byte.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell._writer import write_cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
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


def cell_xml(cell: Any, styled: bool) -> str | None:
    """The `<c>` element openpyxl writes for `cell`, or None for a cell it must write itself.
    """
    kind = cell.data_type
    if kind not in SIMPLE or cell._hyperlink is not None:
        return None
    value = cell._value
    start = f'<c r="{cell.coordinate}" s="{cell.style_id}"' if styled else \
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
    """openpyxl's worksheet writer, its rows written by `cell_xml` where it can."""

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
                styled = cell.has_style
                if cell._value is None and not styled and not cell._comment:
                    continue
                text = cell_xml(cell, styled)
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
