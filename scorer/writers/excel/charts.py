"""What every chart of the workbook shares: how many projects it draws (a chart of a hundred
lines is unreadable, and heavy to open), what it says when it draws fewer than the table
holds, and axes that show."""

from __future__ import annotations

from typing import Any

from scorer.i18n import t

MOST_SERIES = 10
"""The most projects a line or bar chart draws, and the most columns of projects (or ranks)
a table of the Sensitivity sheet holds: the best-ranked."""
MOST_RADAR = 6
"""The most projects the radar chart draws: beyond about six, its shapes hide each other."""


def capped_note(shown: int, total: int, lang: str) -> str | None:
    """What a chart says when it draws only the best-ranked `shown` of `total` projects."""
    return t("chart.top", lang, n=shown, total=total) if shown < total else None


def show_axes(chart: Any) -> None:
    """Axes that show: openpyxl 3.1 leaves `delete` unset, which recent Excel reads as
    hidden axes."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
