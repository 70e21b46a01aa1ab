"""Untrusted text made safe for each output: one function per output, called at its one exit.

Names, notes, source titles, override reasons, rubric text, keys and file names come from
files other people wrote. Whatever they contain, they reach a reader as the text they are:

- terminal (`printable`): control characters (ESC, CR, …), bidi overrides and other
  invisible format characters are shown as `\\x1b`, `\\u202e`: no escape sequence runs, no
  line is overwritten, nothing reads backwards;
- JSON (`json_escape_invisible`): the same characters as `\\uXXXX` escapes: the value parses
  back exactly, and no raw bidi control reaches a terminal or an editor;
- CSV (`csv_cell`): a text cell a spreadsheet would run as a formula gets a leading `'`
  (OWASP's advice for CSV injection), and shows control characters as `printable` does
  (line breaks stay: CSV quotes them);
- markdown (`markdown_cell`): `|` cannot add a column, a newline cannot forge a row, and
  HTML is shown, not rendered;
- the workbook: as for the terminal (`printable`, line breaks kept), which also removes every
  character XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE, U+FFFF); a text cell
  starting like a formula is stored as text, never as a formula (`FORMULA_STARTS`).
"""

from __future__ import annotations

import re

FORMULA_STARTS = tuple("=+-@\t\r\n＝＋－＠")
"""Leading characters that make a spreadsheet read typed text as a formula (OWASP, plus
their full-width forms, which Japanese Excel also accepts)."""

_HIDDEN_RANGES = (
    (0x00, 0x1F), (0x7F, 0x9F),  # C0 and C1 controls, DEL
    (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD), (0x70F, 0x70F),
    (0x890, 0x891), (0x8E2, 0x8E2), (0x180E, 0x180E), (0x200B, 0x200B),
    (0x200E, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),  # format characters (Unicode 15: category Cf), bidi controls among them
    (0x2028, 0x2029),  # line and paragraph separators
    (0xD800, 0xDFFF),  # lone surrogates
    (0xFDD0, 0xFDEF),  # non-characters, and the last two code points of every plane:
    *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)),
)  # fmt: skip
"""Characters that act on the display instead of showing. Zero-width (non-)joiners, also
format characters, are left out: emoji sequences and Persian text need them."""


def _any_of(ranges: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    """A pattern matching one character of any of `ranges` (first and last code points)."""
    return re.compile("[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b != a
                                                         else "") for a, b in ranges) + "]")


HIDDEN = _any_of(_HIDDEN_RANGES)
assert _HIDDEN_RANGES[0] == (0x00, 0x1F)  # C0, split around the line feed below
_HIDDEN_IN_JSON = _any_of(((0x00, 0x09), (0x0B, 0x1F), *_HIDDEN_RANGES[1:]))
"""`HIDDEN` but the line feed: in a JSON document a raw one is a line break of the layout
(inside strings `json.dumps` writes `\\n`), which stays, and an indented document has one
on every line: a pattern that matched it would call back for each."""


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable(text: str, *, newlines: bool = False) -> str:
    """`text` with every hidden character shown as an escape (`\\x1b`, `\\u202e`).

    With `newlines`, a line feed stays a line break (text laid out on several lines); a
    carriage return never does, since it lets a line overwrite itself."""
    if newlines:
        return HIDDEN.sub(lambda m: m[0] if m[0] == "\n" else _escape(m[0]), text)
    return HIDDEN.sub(lambda m: _escape(m[0]), text)


def json_escape_invisible(document: str) -> str:
    """A JSON document with every hidden character inside its strings as a `\\uXXXX` escape.

    `json.dumps(ensure_ascii=False)` already escapes C0 controls; this adds C1 controls,
    bidi and format characters, U+2028/U+2029 and lone surrogates. Such characters occur
    only inside strings, so the document's meaning is unchanged."""
    def escape(match: re.Match[str]) -> str:
        code = ord(match[0])
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        code -= 0x10000  # outside the BMP: a UTF-16 surrogate pair, as JSON spells it
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return _HIDDEN_IN_JSON.sub(escape, document)


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as the text it is: a text starting like a formula
    gets a leading `'`, hidden characters are escaped. Numbers pass unchanged (as does text
    that is a plain number, such as `-0.5`: a spreadsheet reads it as that number)."""
    if not isinstance(value, str):
        return value
    text = printable(value, newlines=True)  # CSV quotes a line break: the cell stays one
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


_MARKDOWN = str.maketrans({"|": "\\|", "&": "&amp;", "<": "&lt;", ">": "&gt;",
                           "\n": "<br>", "\\": "\\\\"})


def markdown_cell(value: object) -> object:
    """A markdown table cell that stays one cell: `|` escaped, newlines as `<br>`, HTML
    characters as entities, hidden characters escaped."""
    if not isinstance(value, str):
        return value
    return printable(value, newlines=True).translate(_MARKDOWN)


def excerpt(text: str, limit: int = 40) -> str:
    """A short, printable quotation of untrusted text for an error message."""
    shown = printable(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
