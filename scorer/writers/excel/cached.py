"""Formula results saved with the formulas, as Excel saves them.

A formula cell of an .xlsx holds its formula (`<f>`) and the value it had when the file was
saved (`<v>`). openpyxl writes the formula with an empty value, so every reader that does not
calculate — pandas, openpyxl's `data_only`, file previewers — sees a blank. `CachingArchive`
is the zip archive openpyxl writes the workbook into: as a worksheet enters it, the value
scorer computed for each of its formulas is written into the `<v>` of the formula's cell,
typed as Excel types it (`t="str"` for text, `t="b"` for a truth value, a number as is).
Excel and LibreOffice still recalculate when the file opens (`fullCalcOnLoad`).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v(?: ?/>|></v>)')
"""A formula cell as openpyxl writes it (through ElementTree or lxml): reference, other
attributes, formula, no value."""


def result(value: Any) -> tuple[bytes, bytes]:
    """The type attribute and the `<v>` text of a formula whose value is `value`."""
    if isinstance(value, bool):
        return b' t="b"', b"1" if value else b"0"
    if isinstance(value, int):
        return b"", str(value).encode()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a formula's value must be finite, not {value!r}")
        return b"", repr(value).encode()
    if value is None:
        value = ""
    return b' t="str"', escape(str(value)).encode("utf-8")


def fill(xml: bytes, values: Mapping[str, Any]) -> bytes:
    """The worksheet `xml` with the value of each formula cell named in `values` (by
    coordinate) as its saved result; every one of them must be a formula cell there."""
    filled = 0

    def value_of(match: re.Match[bytes]) -> bytes:
        nonlocal filled
        ref = match[1].decode()
        if ref not in values:
            return match[0]
        filled += 1
        kind, text = result(values[ref])
        return b'<c r="%s"%s%s><f>%s</f><v>%s</v>' % (match[1], match[2], kind, match[3], text)

    out = FORMULA_CELL.sub(value_of, xml)
    if filled != len(values):  # openpyxl wrote a formula cell otherwise: a bug, not a user's
        raise RuntimeError(f"found {filled} of the {len(values)} formula cells to fill")
    return out


class CachingArchive(zipfile.ZipFile):
    """A zip archive that fills the formula values of the worksheets written into it;
    `values(name)` gives those of the entry `name` (or None for none)."""

    def __init__(self, file: Any, values: Callable[[str], Mapping[str, Any] | None],
                 **options: Any) -> None:
        super().__init__(file, "w", **options)
        self._values = values

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        values = self._values(str(arcname)) if arcname is not None else None
        if not values:
            super().write(filename, arcname, compress_type, compresslevel)
            return
        self.writestr(str(arcname), fill(Path(filename).read_bytes(), values),
                      compress_type, compresslevel)
