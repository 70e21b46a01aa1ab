"""`scorer export`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from scorer import dates
from scorer.cli.options import (
    PATH,
    Scoring,
    as_date,
    as_of_option,
    run_sensitivity,
    sampling_options,
    scoring_options,
)
from scorer.i18n import t


@click.command()
@scoring_options
@as_of_option
@sampling_options
@click.option("--history-every", type=click.Choice(dates.EVERY), default="quarter",
              show_default=True,
              help="Step of the History sheet, from the first observation to --as-of: the "
                   "end of every month, quarter or year, or every day a score can change.")
@click.option("--out", type=PATH,
              default=Path("exports/comparison.xlsx"), show_default=True,
              help="Where to write the workbook: a new file, or a regular file to replace.")
def export(scoring: Scoring, as_of: datetime | None, samples: int, seed: int,
           concentration: float | None, evidence: bool, history_every: str, out: Path) -> None:
    """Write an Excel workbook a colleague can open, read and re-weight without scorer.

    Sheets: Summary (the ranked table), What-if (edit the yellow weight cells: scores
    and ranks are live formulas, in Excel and LibreOffice), Axes, Evidence (every
    criterion, the facts it read, their sources as links), Sensitivity (stability,
    sweeps and acceptability, with charts), History (totals over time, with a line
    chart), Profiles (radar chart), About.

    The file is written to a temporary file beside PATH and moved into place: a failed
    export leaves an earlier file intact. With SOURCE_DATE_EPOCH set, two exports of the
    same inputs are byte-identical. Text from dossiers is never stored as a formula.

    \b
    Examples:
      scorer export
      scorer export --lang ja --out exports/比較.xlsx
      SOURCE_DATE_EPOCH=0 scorer export --profile token_holder --samples 100000
    """
    from scorer.untrusted import printable
    from scorer.views.common import made_with_line
    from scorer.writers.excel import generation_time

    when = generation_time()
    a = scoring.analyse(as_date(as_of))
    result = run_sensitivity(a, samples, seed, concentration, evidence)
    a.to_excel(out, result, generated_at=when,
               history=scoring.history(None, a.as_of, history_every))
    click.echo(printable(t("wrote_workbook", a.lang, path=out, count=len(a.dossiers),
                           made_with=made_with_line(a, a.lang, weights=False),
                           sampling=result.sampling())))
