"""The Excel workbook of `scorer export`: one `.xlsx` a colleague can open, read and re-weight
without scorer. One module per sheet, each laying out a view by named columns:

    summary.py      Summary: the ranked table of `views.comparison.Comparison`
    whatif.py       What-if: weights as named input cells; scores and ranks as live formulas
    axes.py         Axes: computed and final score of each project and axis, overrides
    evidence.py     Evidence: every criterion, the facts it read, their sources and dates
    sensitivity.py  Sensitivity: the sections of `views.sensitivity`, with charts
    history.py      History: totals and ranks over time, with a line chart
    profiles.py     Profiles: the axis scores and a radar chart
    about.py        About: rubric, weights, method, version, generation time, sampling

and what they share:

    cells.py        named columns, safe cell writing, shared looks, widths and row heights
                    from a record
    style.py        fonts, fills, borders and alignments; the typeface of each language
    scores.py       how an axis score looks: format, colour scale, override and its note
    charts.py       what every chart shares: how many series it draws, axes shown
    cached.py       formula results saved with the formulas, as Excel saves them
    rows.py         worksheet rows written as text, as openpyxl writes them but faster

Every number is read from the analysis tables; the only formulas are the What-if sheet's own,
saved with the values scorer computed for them. Text from dossiers and rubrics is always
stored as text. openpyxl is imported only in this package, and the CLI imports it only for
`scorer export`. Saving is reproducible: the same inputs and generation time give the same
bytes (`scorer.files.write_reproducible_zip`). Writing is linear in the size of the tables:
nothing rescans a sheet, and the tables that would grow as projects × projects show the
best-ranked projects only, and say so.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

import scorer
from scorer.analysis import Analysis
from scorer.errors import ScorerError
from scorer.files import write_reproducible_zip, write_with
from scorer.i18n import t
from scorer.views.history import History
from scorer.views.sensitivity import Sensitivity
from scorer.writers.excel import about, axes, evidence, profiles, summary, whatif
from scorer.writers.excel import history as history_sheet
from scorer.writers.excel import sensitivity as sensitivity_sheet
from scorer.writers.excel.cached import CachingArchive
from scorer.writers.excel.cells import HEADER_ROW, Looks, Sheet, clean_text, utc
from scorer.writers.excel.rows import BookWriter
from scorer.writers.excel.whatif import (
    AXIS_ROW,
    FIRST_AXIS_COLUMN,
    MESSAGE_ROW,
    NORMALISED_ROW,
    WEIGHT_ROW,
    WHATIF_HEADER_ROW,
    weight_name,
)

__all__ = [
    "AXIS_ROW",
    "FIRST_AXIS_COLUMN",
    "HEADER_ROW",
    "MESSAGE_ROW",
    "NORMALISED_ROW",
    "WEIGHT_ROW",
    "WHATIF_HEADER_ROW",
    "Book",
    "build_workbook",
    "generation_time",
    "save_workbook",
    "weight_name",
    "write_workbook",
]

FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")
"""Where readers of an .xlsx look first, so they come first in the archive."""


class Book(Workbook):
    """A workbook that keeps, beside its formulas, the values scorer computed for them, to
    save as their results (`cached.py`)."""

    def __init__(self) -> None:
        super().__init__()
        self.cached: dict[Worksheet, dict[str, Any]] = {}
        """Per worksheet, the value of each formula by coordinate."""


def generation_time(environ: dict[str, str] | None = None) -> datetime:
    """SOURCE_DATE_EPOCH's time when it is set (reproducible exports), else now; in UTC.

    As the reproducible-builds specification says, the value is a whole number of seconds
    since 1970 in ASCII digits; it must also be a time a zip archive can hold (to 2107)."""
    from scorer.files import ZIP_LAST

    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(tz=UTC).replace(microsecond=0)
    last = int(ZIP_LAST.replace(tzinfo=UTC).timestamp())
    if not (epoch.isascii() and epoch.isdigit() and len(epoch) <= 20) or int(epoch) > last:
        shown = epoch if len(epoch) <= 40 else epoch[:40] + "…"
        raise ScorerError(f"SOURCE_DATE_EPOCH='{shown}' is not a Unix time in seconds from 0 "
                          f"to {last} ({ZIP_LAST:%Y-%m-%d}, the last day a zip archive, "
                          "and so a workbook, can date)")
    return datetime.fromtimestamp(int(epoch), tz=UTC)


def build_workbook(analysis: Analysis, sensitivity: Sensitivity | None = None, *,
                   lang: str = "en", generated_at: datetime,
                   history: History | None = None) -> Book:
    """The whole workbook in memory: Summary, What-if, Axes, Evidence, [Sensitivity],
    [History], Profiles, About."""
    stamp = utc(generated_at)
    wb = Book()
    wb.remove(wb.active)
    looks = Looks(wb, lang)
    sheets: list[Sheet] = []

    def new(key: str) -> Sheet:
        sheets.append(Sheet(wb.create_sheet(t(key, lang)), looks))
        return sheets[-1]

    comparison = analysis.comparison(lang)
    summary.write(new("sheet.summary"), comparison)
    whatif.write(new("sheet.whatif"), comparison)
    axes.write(new("sheet.axes"), analysis, lang)
    evidence.write(new("sheet.evidence"), analysis, lang)
    if sensitivity is not None:
        sensitivity_sheet.write(new("sheet.sensitivity"), analysis, sensitivity, lang)
    if history is not None and history.analyses:
        history_sheet.write(new("sheet.history"), history)
    profiles.write(new("sheet.profiles"), analysis, lang)
    about.write(new("sheet.about"), analysis, sensitivity, lang, stamp, wb.sheetnames)
    for sheet in sheets:
        sheet.page_setup(t("print.footer", lang))
        if sheet.cached:
            wb.cached[sheet.ws] = sheet.cached
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = f"scorer {scorer.__version__}"
    props.title = clean_text(analysis.rubric.title(lang))
    props.created = props.modified = stamp
    wb.calculation.fullCalcOnLoad = True
    return wb


def write_workbook(path: Path, analysis: Analysis, sensitivity: Sensitivity | None, *,
                   lang: str = "en", generated_at: datetime,
                   history: History | None = None) -> None:
    """Write the workbook to `path` atomically: a failure leaves any earlier file intact.

    The same inputs and `generated_at` give the same bytes (see `save_workbook`).
    """
    wb = build_workbook(analysis, sensitivity, lang=lang, generated_at=generated_at,
                        history=history)
    write_with(Path(path), lambda stream: save_workbook(wb, stream, generated_at))


def save_workbook(wb: Workbook, stream: IO[bytes], when: datetime) -> None:
    """Save like openpyxl, but reproducibly: document times, zip entry times and entry order
    are fixed (openpyxl's own save stamps the current time); a `Book` saves its formulas'
    values as their results, as Excel does."""
    stamp = utc(when)
    wb.properties.created = wb.properties.created or stamp
    wb.properties.modified = stamp
    cached = wb.cached if isinstance(wb, Book) else {}

    def values(entry: str) -> dict[str, Any] | None:
        # a worksheet's entry name is known once the writer has numbered the sheets
        return next((v for ws, v in cached.items() if ws.path == "/" + entry), None)

    buffer = io.BytesIO()  # stored: the final archive compresses
    with CachingArchive(buffer, values, compression=zipfile.ZIP_STORED,
                        allowZip64=True) as archive:
        BookWriter(wb, archive).write_data()
    write_reproducible_zip(buffer.getvalue(), stream, stamp, first=FIRST_ENTRIES)
