"""`scorer rubric`."""

from __future__ import annotations

from pathlib import Path

import click

from scorer.cli.options import (
    console,
    echo_delimited,
    lang_option,
    load_rubric,
    rubric_option,
    table_options,
)


@click.command()
@rubric_option("The rubric to show.")
@lang_option("Language of labels.")
@table_options
def rubric(rubric_path: Path, lang: str, fmt: str, raw: bool, bom: bool | None) -> None:
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
    elif fmt in text.DELIMITED:
        echo_delimited(fmt, *views.rubric_rows(loaded, lang), raw, bom, lang)
    elif fmt == "table":
        from scorer.writers.terminal.rubric import rubric_view

        console().print(rubric_view(loaded, lang))
    else:
        click.echo(text.to_tabulate(*views.rubric_rows(loaded, lang), fmt), nl=False)
        click.echo()
        click.echo(text.to_tabulate(*views.weight_rows(loaded, lang), fmt), nl=False)
