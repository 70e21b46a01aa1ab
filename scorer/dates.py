"""Dates as sources give them: a day, a month, a quarter or a year.

A source often says "in October 2025" or "in Q3 2025", not which day. Such a date is never
given a made-up day: it keeps its precision, and counts from the **last** day of its period
— the first day on which it was certainly true or stated. That is the conservative rule: an
observation "of October 2025" is not evidence on 2025-10-01, only from 2025-10-31.

    2025-10-28   a day                 counts from 2025-10-28
    2025-10      a month               counts from 2025-10-31
    2025-Q3      a quarter             counts from 2025-09-30
    2025         a year                counts from 2025-12-31
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

Precision = Literal["day", "month", "quarter", "year"]

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_DAY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
FORMS = "YYYY-MM-DD, YYYY-MM (a month), YYYY-Qn (a quarter) or YYYY (a year)"
SCHEMA: dict[str, Any] = {
    "description": f"A date: {FORMS}; a month, quarter or year counts from its last day",
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": r"^\d{4}-(0?[1-9]|1[0-2])$"},
        {"type": "string", "pattern": r"^\d{4}-[Qq][1-4]$"},
        {"type": "integer", "minimum": 1, "maximum": 9999},
    ],
}
"""The JSON Schema of a date as sources give it (an `as_of`, a source's `date`)."""


@dataclass(frozen=True)
class When:
    """A date with its precision; `day` is the day it counts from (its period's last)."""

    day: date
    precision: Precision = "day"

    @property
    def start(self) -> date:
        """The first day of the period (for a day, the day itself)."""
        if self.precision == "day":
            return self.day
        if self.precision == "month":
            return self.day.replace(day=1)
        if self.precision == "quarter":
            return date(self.day.year, self.day.month - 2, 1)
        return date(self.day.year, 1, 1)

    def __str__(self) -> str:
        if self.precision == "day":
            return self.day.isoformat()
        if self.precision == "month":
            return f"{self.day.year}-{self.day.month:02d}"
        if self.precision == "quarter":
            return f"{self.day.year}-Q{(self.day.month - 1) // 3 + 1}"
        return str(self.day.year)


EVERY = ("month", "quarter", "year", "change")
"""The steps of a history: period ends, or every day a score can change (`scorer.timeline`)."""

EARLIEST = date(1900, 1, 1)
"""No observation of a network is older: an earlier date is a typo."""
FORECAST_YEARS = 100
"""How far past today a forecast (or a date or year value) may reach. Emission schedules and
roadmaps look decades ahead, not centuries: 9999-12-31 is a placeholder or a typo."""
TODAY = "SCORER_TODAY"
"""Environment variable that pins today (YYYY-MM-DD), for reproducible runs and tests."""


def today(environ: Mapping[str, str] | None = None) -> date:
    """Today, or the day `SCORER_TODAY` pins. It is the default date of an analysis, and
    nothing may be dated after it unless marked as a forecast."""
    pinned = (os.environ if environ is None else environ).get(TODAY, "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            from scorer.errors import ScorerError

            raise ScorerError(f"{TODAY}='{pinned}' is not a date (YYYY-MM-DD)") from None
    return date.today()


def horizon(today: date) -> date:
    """The last day a forecast may be dated: `FORECAST_YEARS` after `today`."""
    year = min(today.year + FORECAST_YEARS, date.max.year)
    return date(year, today.month, min(today.day, calendar.monthrange(year, today.month)[1]))


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_when(value: Any) -> When | None:
    """A `When` from what YAML gives for a date (a date, text or a year), or None when the
    value is none of the forms; raises ValueError for a date that is not in the calendar."""
    if isinstance(value, datetime):
        return When(value.date())
    if isinstance(value, date):
        return When(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return When(date(value, 12, 31), "year")
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _DAY.match(text):
        try:
            return When(date.fromisoformat(_pad(text)))
        except ValueError:
            raise ValueError(f"'{text}' is not a calendar date") from None
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' is not a calendar month")
        return When(_last_day(year, month), "month")
    if m := _QUARTER.match(text):
        year, quarter = int(m[1]), int(m[2])
        return When(_last_day(year, 3 * quarter), "quarter")
    if text.isdigit() and len(text) == 4:
        return When(date(int(text), 12, 31), "year")
    return None


def _pad(text: str) -> str:
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def out_of_range(day: date) -> str | None:
    """Why `day` is outside the dates scorer reads (`EARLIEST` to the forecast horizon of
    today), or None when it is inside: beyond, a history would run for ages or past 9999."""
    last = horizon(today())
    if EARLIEST <= day <= last:
        return None
    return f"{day} is outside the dates scorer reads, {EARLIEST} to {last}"
