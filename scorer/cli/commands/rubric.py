"""`scorer rubric`."""

from __future__ import annotations

from pathlib import Path

import click

from scorer.cli.options import (
    DEFAULT_RUBRIC,
    OutputFormat,
    console,
    echo_csv,
    load_rubric,
    raw_option,
)
from scorer.i18n import LANGS


@click.command()
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path),
              default=DEFAULT_RUBRIC, show_default=True, help="The rubric to show.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
              help="Language of labels.")
@click.option("--format", "fmt", type=OutputFormat("table", "json", "csv", "markdown",
                                                   tabulate=True),
              default="table", show_default=True,
              help="table (terminal), json, csv, markdown, or any tabulate format.")
@raw_option
def rubric(rubric_path: Path, lang: str, fmt: str, raw: bool) -> None:
    """Show the method: axes, criteria with their rules and `why`, weight profiles.

    \b
    Examples:
      scorer rubric
      scorer rubric --format markdown > METHOD.md
      scorer rubric --format json | jq '.profiles'
    """
    from scorer.views import rubric as views
    from scorer.writers import text

    loaded = load_rubric(rubric_path)
    if fmt == "json":
        click.echo(text.to_json(views.rubric_record(loaded, lang)), nl=False)
    elif fmt == "csv":
        echo_csv(*views.rubric_rows(loaded, lang), raw)
    elif fmt == "table":
        from scorer.writers.terminal import rubric_view

        console().print(rubric_view(loaded, lang))
    else:
        click.echo(text.to_tabulate(*views.rubric_rows(loaded, lang), fmt), nl=False)
        click.echo()
        click.echo(text.to_tabulate(*views.weight_rows(loaded, lang), fmt), nl=False)
