"""What every terminal view shares: tables that fit a width, columns, styles."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table

from scorer.writers.console import Text, narrowest

SCORE_STYLES = ("red", "red", "yellow", "green", "bold green")
OUTCOME_STYLES = {"pass": "green", "fail": "dim", "unknown": "yellow", "uncertain": "yellow"}
RIGHT = ("rank", "axis", "score", "total", "share")
"""Column kinds aligned right: numbers."""


# ---------------------------------------------------------------- layout


class Fitted:
    """A renderable laid out for the width it is printed at: `layout(width)`."""

    def __init__(self, layout: Callable[[int], RenderableType]) -> None:
        self.layout = layout

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.layout(options.max_width)


def new_table(header: bool = True, gap: int = 1) -> Table:
    """The house table: a rule under the header, no edges, columns 1 + `gap` cells apart."""
    return Table(box=box.SIMPLE_HEAD, show_header=header, show_edge=False, pad_edge=False,
                 padding=(0, 0, 0, gap))


def cells_of(text: Text | str) -> int:
    """The width of the widest line of `text`, in cells."""
    plain = text if isinstance(text, str) else text.plain
    return max((cell_len(line) for line in plain.split("\n")), default=0)


@dataclass(frozen=True)
class Column:
    """A column laid out by hand: its header, its cells, and whether it may wrap."""

    header: Text | str
    cells: list[Text]
    justify: Any = "left"
    wrap: bool = False
    """Whether the column may wrap its cells (between words) when the width runs short."""

    @property
    def width(self) -> int:
        return max([cells_of(self.header), *(cells_of(cell) for cell in self.cells)])

    @property
    def least(self) -> int:
        """The narrowest it can be: its header, and its longest word when it may wrap."""
        if not self.wrap:
            return self.width
        return max([cells_of(self.header), *(narrowest(cell.plain) for cell in self.cells)])


def span(widths: Iterable[int], gap: int) -> int:
    """The width of columns this wide side by side, `gap` + 1 cells apart."""
    widths = list(widths)
    return sum(widths) + (len(widths) - 1) * (gap + 1) if widths else 0


def fit_widths(columns: Sequence[Column], width: int, gap: int) -> list[int]:
    """Each column at its widest; if that is too wide, the columns that may wrap give up the
    difference, down to their longest word."""
    widths = [c.width for c in columns]
    excess = span(widths, gap) - width
    for i, column in enumerate(columns):
        if excess > 0 and column.wrap:
            given = min(excess, widths[i] - column.least)
            widths[i] -= given
            excess -= given
    return widths


def rows_table(columns: Sequence[Column], widths: Sequence[int], rows: Iterable[int],
          header: bool = True, gap: int = 1) -> Table:
    """A table of some rows of `columns`, each column exactly as wide as `widths` says, so
    that tables of the same columns line up under one another."""
    table = new_table(header=header, gap=gap)
    for column, width in zip(columns, widths, strict=True):
        table.add_column(column.header, justify=column.justify, width=width,
                         no_wrap=not column.wrap)
    for row in rows:
        table.add_row(*(column.cells[row] for column in columns))
    return table


def blocks(keys: Sequence[Column], values: Sequence[Column], width: int,
            gap: int = 1) -> RenderableType:
    """A table too wide for `width` printed as wide tables are on paper: its value columns in
    blocks that fit, one under the other, each beside the key columns."""
    rows = range(len(keys[0].cells)) if keys else range(0)
    blocks: list[list[Column]] = [[]]
    for column in values:
        block = blocks[-1]
        if block and span([c.width for c in (*keys, *block, column)], gap) > width:
            blocks.append([column])
        else:
            block.append(column)
    tables: list[RenderableType] = []
    for block in blocks:
        columns = [*keys, *block]
        if tables:
            tables.append(Text(""))
        tables.append(rows_table(columns, fit_widths(columns, width, gap), rows, gap=gap))
    return Group(*tables)


def listed(lines: Iterable[Text], indent: int = 2) -> RenderableType:
    """Lines of a list, each indented, its continuation lines too."""
    return Group(*(Padding(line, (0, 0, 0, indent)) for line in lines))


def score_style(value: float, low: float, high: float) -> str:
    share = (value - low) / (high - low) if high > low else 1.0
    return SCORE_STYLES[min(int(share * len(SCORE_STYLES)), len(SCORE_STYLES) - 1)]


# ---------------------------------------------------------------- compare
