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
from collections.abc import Iterable
from typing import IO, Any

import rich.text
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from scorer.untrusted import HIDDEN, printable

MIN_WIDTH, MAX_WIDTH = 40, 1000
"""The narrowest and widest layout: a COLUMNS outside is taken as its nearest end."""
PIPE_WIDTH = 200
"""Width in a pipe, where no terminal has a width: wide enough that tables need not wrap."""


class Text(rich.text.Text):
    """rich's `Text`, whose text is shown with hidden characters escaped (line breaks kept),
    so that layout measures what will be printed."""

    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(printable(text, newlines=True), *args, **kwargs)

    def append(self, text: str | rich.text.Text, style: Any = None) -> rich.text.Text:
        if isinstance(text, str):
            text = printable(text, newlines=True)
        return super().append(text, style)


class SafeConsole(Console):
    """A console for untrusted text: no markup, no emoji codes, no highlighting, and no
    hidden character in any segment it prints."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, emoji=False, highlight=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> rich.text.Text:
        kwargs.update(markup=False, emoji=False)
        return super().render_str(printable(text, newlines=True), **kwargs)

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None
               ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or not HIDDEN.search(segment.text.replace("\n", "")):
                yield segment
            else:
                yield Segment(printable(segment.text, newlines=True), segment.style)


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
