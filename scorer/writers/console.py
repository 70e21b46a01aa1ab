"""The terminal's one exit: a rich console that never reads text as markup and never lets a
control sequence through, at a width that survives any COLUMNS.

Untrusted text (names, notes, reasons, rubric text, keys, file names) reaches rich as
`Text` or as plain strings. Both are made safe here, once: strings are never parsed for
markup or emoji (`[link=…]`, `[/]` and `:smile:` print as typed), hidden characters are
shown as escapes (`scorer.untrusted.printable`) before a table measures them, and whatever
else reaches the output still passes `printable` on its way out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

import rich.text
from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, RenderableType
from rich.containers import Lines
from rich.measure import Measurement
from rich.segment import Segment

from scorer.untrusted import HIDDEN, printable

MIN_WIDTH, MAX_WIDTH = 40, 1000
"""The narrowest and widest layout: a COLUMNS outside is taken as its nearest end."""
PIPE_WIDTH = 200
"""Width in a pipe, where no terminal has a width: wide enough that tables need not wrap."""


_NO_START = frozenset("、。，．・：；？！ー）」』】〕〉》〙〗｝］〜…‥ゝゞヽヾ々〻"
                      "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ" ",.:;!?)]}%")
"""What Japanese line breaking (JIS X 4051) keeps off the start of a line: closing
brackets, punctuation, small kana, the long vowel mark."""
_NO_END = frozenset("（「『【〔〈《〘〖｛［([{")
"""What it keeps off the end of a line: opening brackets."""
_AFTER_SPACE = re.compile(r"(?<=\s)\S")


def _katakana(char: str) -> bool:
    """A letter of a katakana word (the middle dot ・ separates such words)."""
    return ("\u30a0" <= char <= "\u30ff" and char != "・") or "\uff66" <= char <= "\uff9f"


def _breaks(text: str) -> Iterator[int]:
    """Where a line may break in `text`: after a run of spaces, as rich breaks, and also
    between wide (CJK) characters and beside them, as Japanese text breaks, except where
    `_NO_START` and `_NO_END` forbid it. Never inside a word of narrow characters, so a
    name or a fact path stays whole beside Japanese, nor inside a katakana word (トークン)."""
    start = len(text) - len(text.lstrip())  # leading spaces belong to the first word
    if text.isascii():  # the common case, quickly: breaks only after spaces
        yield from (m.start() for m in _AFTER_SPACE.finditer(text, start + 1)
                    if text[m.start()] not in _NO_START and text[m.start() - 1] not in _NO_END)
        return
    for i in range(start + 1, len(text)):
        before, char = text[i - 1], text[i]
        if char.isspace() or char in _NO_START or before in _NO_END or not cell_len(char) or (
                _katakana(before) and _katakana(char)):
            continue
        if before.isspace() or cell_len(before) == 2 or cell_len(char) == 2:
            yield i


def _words(text: str) -> list[tuple[int, str]]:
    """`text` cut at its breaks: (start, piece), each piece a word with its trailing spaces."""
    starts = [0, *_breaks(text)]
    return [(start, text[start:end]) for start, end in zip(starts, [*starts[1:], len(text)],
                                                           strict=True)]


def divide(text: str, width: int, fold: bool = True) -> list[int]:
    """The offsets at which to break `text` into lines of at most `width` cells: rich's
    greedy word wrap (`rich._wrap.divide_line`) over the breaks of `_breaks`."""
    offsets: list[int] = []
    used = 0
    for start, word in _words(text):
        length = cell_len(word.rstrip())
        if width - used >= length:
            used += cell_len(word)
        elif length > width:  # longer than any line: folded, or cropped
            if not fold:
                if start:
                    offsets.append(start)
                used = cell_len(word)
                continue
            pieces = chop_cells(word, width)
            for k, piece in enumerate(pieces):
                if start and (k or used):
                    offsets.append(start)
                start += len(piece)
            used = cell_len(pieces[-1])
        elif used and start:
            offsets.append(start)
            used = cell_len(word)
    return offsets


def narrowest(text: str) -> int:
    """How narrow `text` can wrap: the width of its longest word (`divide`), in cells."""
    return max((cell_len(word.rstrip()) for line in text.splitlines()
                for _, word in _words(line)), default=0)


class Text(rich.text.Text):
    """rich's `Text`, whose text is shown with hidden characters escaped (line breaks kept),
    so that layout measures what will be printed, and which wraps Japanese as Japanese
    wraps (`divide`), never inside a word of Latin letters. (Inside a table or a `Group`,
    that is: `Console.print` joins the texts it is given into one of rich's own.)"""

    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(printable(text, newlines=True), *args, **kwargs)

    def append(self, text: str | rich.text.Text, style: Any = None) -> rich.text.Text:
        if isinstance(text, str):
            text = printable(text, newlines=True)
        return super().append(text, style)

    def blank_copy(self, plain: str = "") -> Text:
        return Text(plain, style=self.style, justify=self.justify, overflow=self.overflow,
                    no_wrap=self.no_wrap, end=self.end, tab_size=self.tab_size)

    def copy(self) -> Text:
        copied = self.blank_copy(self.plain)
        copied.spans = self.spans
        return copied

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(line) for line in self.plain.splitlines()), default=0)
        return Measurement(narrowest(self.plain), widest)

    def wrap(self, console: Console, width: int, *, justify: Any = None, overflow: Any = None,
             tab_size: int = 8, no_wrap: bool | None = None) -> Lines:
        """rich's `Text.wrap`, breaking lines where `divide` says."""
        justify = justify or self.justify or "default"
        overflow = overflow or self.overflow or "fold"
        no_wrap = bool(no_wrap if no_wrap is not None else self.no_wrap) or overflow == "ignore"
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            if no_wrap and overflow == "ignore":
                lines.append(line)
                continue
            if no_wrap:
                divided = Lines([line])
            else:
                divided = line.divide(divide(line.plain, width, fold=overflow == "fold"))
                for piece in divided:  # rich's rstrip_end counts characters, not cells
                    excess = cell_len(piece.plain) - width
                    if excess > 0:
                        piece.right_crop(min(excess, len(piece) - len(piece.plain.rstrip())))
            divided.justify(console, width, justify=justify, overflow=overflow)
            for piece in divided:
                piece.truncate(width, overflow=overflow)
            lines.extend(divided)
        return lines


class SafeConsole(Console):
    """A console for untrusted text: no markup, no emoji codes, no highlighting, and no
    hidden character in any segment it prints. Text it is given as a string wraps as
    `Text` does; outside a terminal no line ends in spaces (rich pads every line of a
    table to its width)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, emoji=False, highlight=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> rich.text.Text:
        return Text(text, style=kwargs.get("style") or "", justify=kwargs.get("justify"),
                    overflow=kwargs.get("overflow"))

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None
               ) -> Iterable[Segment]:
        segments = self._escaped(super().render(renderable, options))
        return segments if self.is_terminal else _rstripped(segments)

    @staticmethod
    def _escaped(segments: Iterable[Segment]) -> Iterator[Segment]:
        for segment in segments:
            if segment.control or not HIDDEN.search(segment.text.replace("\n", "")):
                yield segment
            else:
                yield Segment(printable(segment.text, newlines=True), segment.style)


def _rstripped(segments: Iterable[Segment]) -> Iterator[Segment]:
    """The segments with the spaces at the end of every line left out."""
    line: list[Segment] = []
    for segment in segments:
        if segment.control:
            line.append(segment)
            continue
        text = segment.text
        while "\n" in text:
            head, _, text = text.partition("\n")
            line.append(Segment(head, segment.style))
            yield from _line_end_stripped(line)
            yield Segment.line()
            line = []
        if text:
            line.append(Segment(text, segment.style))
    yield from _line_end_stripped(line)


def _line_end_stripped(line: list[Segment]) -> list[Segment]:
    kept = [s for s in line if s.control or s.text]
    last = max((i for i, s in enumerate(kept) if not s.control and s.text.strip()), default=-1)
    return [s if i < last or s.control else Segment(s.text.rstrip(), s.style)
            for i, s in enumerate(kept) if i <= last or s.control]


def width(stream: IO[str], environ: Any = os.environ) -> int:
    """The layout width: COLUMNS when it is a number (held between `MIN_WIDTH` and
    `MAX_WIDTH`), else the terminal's width, else `PIPE_WIDTH` in a pipe."""
    columns = environ.get("COLUMNS", "").strip()
    if columns.isascii() and columns.isdigit():
        return min(max(int(columns), MIN_WIDTH), MAX_WIDTH)
    if _isatty(stream):
        try:
            return max(os.get_terminal_size(stream.fileno()).columns, MIN_WIDTH)
        except (OSError, ValueError, AttributeError):  # no file descriptor behind it
            return 80
    return PIPE_WIDTH


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (ValueError, OSError):  # a closed stream
        return False


def console(stream: IO[str]) -> SafeConsole:
    """A safe console writing to `stream` at `width(stream)`."""
    return SafeConsole(file=stream, width=width(stream), soft_wrap=False)
