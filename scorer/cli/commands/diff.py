"""`scorer diff`."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import click

from scorer import dates
from scorer.cli.options import (
    PATH,
    RELIABILITIES,
    Day,
    OutputFormat,
    Scoring,
    complete_projects,
    console,
    scoring_options,
)


@click.command()
@click.argument("date_a", metavar="A", type=Day(), required=False)
@click.argument("date_b", metavar="B", type=Day(), required=False)
@scoring_options
@click.option("--rubric-b", "rubric_b", type=PATH,
              help="Score side B with this rubric (a new version against the old).")
@click.option("--min-reliability-b", "min_reliability_b", type=click.Choice(RELIABILITIES),
              help="Score side B with this trust floor (against --min-reliability).")
@click.option("--project", "only", multiple=True, metavar="ID", shell_complete=complete_projects,
              help="Show only this project (repeat for several).")
@click.option("--format", "fmt", type=OutputFormat("table", "json"), default="table",
              show_default=True, help="table (terminal) or json.")
def diff(date_a: date | None, date_b: date | None, scoring: Scoring, rubric_b: Path | None,
         min_reliability_b: str | None, only: tuple[str, ...], fmt: str) -> None:
    """What changed between two dates A and B, two rubrics or two trust floors, and why.

    Per project: total and rank on each side, then every criterion whose outcome or points
    changed, with the facts it read on each side (value, source, date). A and B are dates
    (YYYY-MM-DD or today; B defaults to today); with --rubric-b or --min-reliability-b and
    one date, both sides are scored on that date.

    \b
    Examples:
      scorer diff 2025-08-26 today
      scorer diff 2025-08-26 today --project flux
      scorer diff today --rubric-b rubrics/next.yaml --format json
      scorer diff 2025-08-26 --min-reliability-b primary
    """
    from scorer.diff import diff as compare_sides
    from scorer.views.diff import DiffView
    from scorer.writers import text

    if date_a is None and rubric_b is None and min_reliability_b is None:
        raise click.UsageError("give a date A (and B), or --rubric-b, or --min-reliability-b")
    same_day = rubric_b is not None or min_reliability_b is not None
    day_a = date_a or dates.today()
    day_b = date_b or (day_a if same_day else dates.today())
    a = scoring.analyse(day_a)
    b_scoring = scoring
    if rubric_b is not None:
        from scorer.workspace import load

        b_scoring = dataclasses.replace(scoring, workspace=load(
            [d.file for d in scoring.workspace.dossiers], rubric_b))
    b = b_scoring.analyse(day_b, min_reliability=min_reliability_b or scoring.min_reliability)
    view = DiffView(compare_sides(a, b, only), scoring.lang)
    if fmt == "json":
        click.echo(text.to_json(view.to_dict()), nl=False)
    else:
        from scorer.writers.terminal.diff import diff_view

        console().print(diff_view(view))
