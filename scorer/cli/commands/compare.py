"""`scorer compare`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from scorer.cli.options import (
    analysis_options,
    console,
    echo_delimited,
    table_options,
)

if TYPE_CHECKING:  # annotations only: `scorer --help` must not import pandas
    from scorer.analysis import Analysis



@click.command()
@analysis_options
@table_options
def compare(a: Analysis, fmt: str, raw: bool, bom: bool | None) -> None:
    """Rank the projects: axis scores, weighted score, total, grade and coverage.

    The weighted score is Σ weight × axis score on the 1–5 scale; the total is the
    weighted score × the number of axes (the "/30" of the source analysis). Ties share
    the better rank. Coverage is the share of criteria whose facts the dossier states;
    a starred score is an analyst's override.

    \b
    Examples:
      scorer compare --as-of 2025-08-26
      scorer compare --profile token_holder --format markdown
      scorer compare --weights risk=3 --format json | jq '.projects[0].id'
    """
    from scorer.writers import text

    view = a.comparison()
    if fmt == "json":
        for block in text.blocks(text.stream_json(view.record())):
            click.echo(block, nl=False)
    elif fmt in text.DELIMITED:
        echo_delimited(fmt, view.headers(view.MACHINES, machine=True),
                       view.rows(view.MACHINES, machine=True), raw, bom, a.lang)
    elif fmt == "table":
        from scorer.writers.terminal.comparison import comparison

        console().print(comparison(view))
    else:
        click.echo(text.to_tabulate(view.headers(view.PEOPLE), view.rows(view.PEOPLE), fmt),
                   nl=False)
