"""Plain-text formats: JSON, CSV, TSV and every tabulate format (markdown, grid, latex, …).

Each format makes untrusted text safe at its one exit here (see `scorer.untrusted`): JSON
escapes invisible characters, CSV and TSV guard against formulas, TSV keeps a row one line,
markdown keeps a cell one cell, and every text format shows control characters instead of
sending them to a terminal."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from scorer.untrusted import csv_cell, json_escape_invisible, markdown_cell, printable

FORMAT_ALIASES = {"markdown": "github", "md": "github"}
"""Friendly names for tabulate formats."""
MARKDOWN_FORMATS = frozenset({"github", "pipe"})
"""Tabulate formats that are markdown tables: their cells are escaped as markdown."""
RAW_FORMATS = frozenset({"unsafehtml", "latex_raw"})
"""Tabulate formats that pass markup in cells through, by design: for text you trust."""
DELIMITED = ("csv", "tsv")
"""The formats of one row per record, for spreadsheets and scripts (`to_delimited`)."""
BOM = "\ufeff"
"""The byte-order mark that tells Excel a CSV file is UTF-8 (it guesses the locale's
encoding otherwise, and shows Japanese as mojibake)."""
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
"""Linear TSV: a backslash, tab or line break in a cell is written as an escape."""


def tabulate_formats() -> list[str]:
    from tabulate import tabulate_formats as formats

    return sorted({*formats, *FORMAT_ALIASES})


def to_json(record: Any) -> str:
    return json_escape_invisible(json.dumps(record, ensure_ascii=False, indent=2)) + "\n"


def stream_json(record: Any) -> Iterator[str]:
    """`to_json`, piece by piece, with any iterator in `record` written as a JSON array
    one item at a time as it is read: a record whose long lists are computed lazily is never
    built in memory. The text is exactly `to_json` of the same record with lists."""
    for piece in _pieces(record, ""):
        yield json_escape_invisible(piece)
    yield "\n"


def blocks(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """Pieces of text joined into blocks of about `size` characters: few writes, little
    memory."""
    held: list[str] = []
    length = 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(held)
            held, length = [], 0
    if held:
        yield "".join(held)


def _pieces(value: Any, pad: str) -> Iterator[str]:
    inner = pad + "  "
    if isinstance(value, dict) and any(_lazy(v) for v in value.values()):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield f"{',' if i else ''}\n{inner}{json.dumps(str(key), ensure_ascii=False)}: "
            yield from _pieces(item, inner)
        yield f"\n{pad}}}"
    elif isinstance(value, Iterator) or (isinstance(value, (list, tuple)) and _lazy(value)):
        empty = True
        for item in value:
            yield f"{'[' if empty else ','}\n{inner}"
            yield from _pieces(item, inner)
            empty = False
        yield "[]" if empty else f"\n{pad}]"
    else:  # no iterator inside: the C encoder, indented to its place
        yield json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


def _lazy(value: Any) -> bool:
    """Whether `value` is or holds an iterator, at any depth."""
    if isinstance(value, dict):
        return any(_lazy(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_lazy(v) for v in value)
    return isinstance(value, Iterator)


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]], raw: bool = False) -> str:
    """CSV with a header row. Text a spreadsheet would run as a formula gets a leading `'`
    and control characters are shown escaped, unless `raw`: cells exactly as the data, and
    lines ending in CRLF (RFC 4180), the only way the csv module quotes a lone CR."""
    cell = (lambda value: value) if raw else csv_cell
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if raw else "\n")
    writer.writerow([cell(header) for header in headers])
    writer.writerows(["" if value is None else cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def to_tsv(headers: Sequence[str], rows: Sequence[Sequence[Any]], raw: bool = False) -> str:
    """Tab-separated values as scripts read them: no padding, numbers as they are, one line
    per row. A backslash, tab or line break in a cell is written `\\\\`, `\\t`, `\\n`, `\\r`
    (always: no other way keeps a row one line); unless `raw`, text a spreadsheet would run
    as a formula gets a leading `'` and other control characters are escaped, as in CSV."""
    def cell(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            return str(value)
        text = value.translate(_TSV_ESCAPES)
        return text if raw else str(csv_cell(text))

    lines = ["\t".join(cell(value) for value in row) for row in [headers, *rows]]
    return "".join(line + "\n" for line in lines)


def to_delimited(fmt: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                 raw: bool = False, bom: bool = False) -> str:
    """CSV or TSV (`fmt`, one of `DELIMITED`), with a leading `BOM` when asked."""
    text = (to_csv if fmt == "csv" else to_tsv)(headers, rows, raw)
    return BOM + text if bom else text


def to_tabulate(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """Cells are shown as given (3.50 stays 3.50); columns of numbers align right."""
    from tabulate import tabulate

    fmt = FORMAT_ALIASES.get(fmt, fmt)
    cell = markdown_cell if fmt in MARKDOWN_FORMATS else (
        lambda value: printable(value) if isinstance(value, str) else value)
    headers = [cell(header) for header in headers]
    rows = [[cell(value) for value in row] for row in rows]
    align = ["right" if rows and all(_numeric(row[i]) for row in rows) else "left"
             for i in range(len(headers))]
    return tabulate(rows, headers=list(headers), tablefmt=fmt,
                    disable_numparse=True, colalign=align) + "\n"


def _numeric(cell: Any) -> bool:
    text = str(cell).rstrip("%*")
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True
