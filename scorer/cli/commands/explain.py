"""`scorer explain`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from scorer.cli.options import (
    OutputFormat,
    analysis_options,
    complete_projects,
    console,
)

if TYPE_CHECKING:  # annotations only: `scorer --help` must not import pandas
    from scorer.analysis import Analysis



@click.command()
@click.argument("project", shell_complete=complete_projects)
@analysis_options
@click.option("--format", "fmt", type=OutputFormat("table", "json"), default="table",
              show_default=True, help="table (terminal) or json.")
def explain(project: str, a: Analysis, fmt: str) -> None:
    """Show every criterion behind PROJECT's scores, with the facts it read.

    Per axis: base score, each criterion's outcome (pass, fail, or unknown when a fact it
    reads is not stated), its points, the rule, and the facts with their values, sources
    and dates; any override with its reason and the computed score beside it.

    \b
    Examples:
      scorer explain flux
      scorer explain flux --as-of 2025-08-26     what the source analysis saw
      scorer explain akash --format json
    """
    from scorer.writers import text

    view = a.explain(project)
    if fmt == "json":
        click.echo(text.to_json(view.to_dict()), nl=False)
    else:
        from scorer.writers.terminal.explanation import explanation

        console().print(explanation(view))
