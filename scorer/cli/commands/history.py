"""`scorer history`."""

from __future__ import annotations

from datetime import date

import click

from scorer import dates
from scorer.cli.options import (
    Day,
    Scoring,
    console,
    echo_delimited,
    scoring_options,
    table_options,
)


@click.command()
@scoring_options
@click.option("--from", "start", type=Day(), metavar="YYYY-MM-DD",
              help="First date. Default: the first day an observation takes effect.")
@click.option("--to", "end", type=Day(), metavar="YYYY-MM-DD", help="Last date. Default: today.")
@click.option("--every", type=click.Choice(dates.EVERY),
              default="quarter", show_default=True,
              help="Sample at the end of every month, quarter or year (and --to), or on "
                   "exactly the days on which some score can change.")
@click.option("--axes", is_flag=True, help="Show the axis scores too, not only totals and ranks.")
@table_options
def history(scoring: Scoring, start: date | None, end: date | None, every: str, axes: bool,
            fmt: str, raw: bool, bom: bool | None) -> None:
    """Scores over time: each project's total and rank at each date of a span.

    Every observation is dated, so a history is the same analysis run at several dates.
    With --every change, the dates are exactly those on which some score can change: an
    observation takes effect, a trend rule's look-back reaches one, or a rule on a
    duration (years_since) crosses its threshold; nothing happens in between.

    \b
    Examples:
      scorer history
      scorer history --from 2025-01-01 --every change
      scorer history --every year --axes --format csv
    """
    from scorer.writers import text

    view = scoring.history(start, end, every, axes)
    if fmt == "json":
        click.echo(text.to_json(view.to_dict()), nl=False)
    elif fmt in text.DELIMITED:
        echo_delimited(fmt, view.headers(machine=True), view.rows(machine=True), raw, bom,
                       scoring.lang)
    elif fmt == "table":
        from scorer.writers.terminal.history import history_view

        console().print(history_view(view))
    else:
        click.echo(text.to_tabulate(view.headers(), view.rows(), fmt), nl=False)
