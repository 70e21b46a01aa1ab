"""`scorer schema`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from scorer.cli.options import (
    PATH,
    load_rubric,
    rubric_option,
)


def schema_path(rubric_path: Path) -> Path:
    """Where a rubric's dossier schema lives: beside it, as <rubric>.schema.json."""
    return rubric_path.with_name(rubric_path.stem + ".schema.json")


def schema_text(loaded: Any) -> str:
    from scorer.schema import dossier_schema
    from scorer.writers.text import to_json

    return to_json(dossier_schema(loaded))


@click.command()
@rubric_option("The rubric whose facts to use.")
@click.option("--out", type=PATH, metavar="PATH",
              help="Write the schema to PATH instead of printing it.")
def schema(rubric_path: Path, out: Path | None) -> None:
    """Print a JSON Schema for dossiers, generated from the rubric's fact vocabulary.

    Editors that understand JSON Schema (VS Code with the YAML extension, JetBrains IDEs)
    then complete fact names and check types as you type. `scorer new` points new
    dossiers at rubrics/<rubric>.schema.json; refresh it after editing the rubric with:

    \b
      scorer schema --out rubrics/default.schema.json
    """
    from scorer.files import write_atomic

    text = schema_text(load_rubric(rubric_path))
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text)
        click.echo(f"wrote {out}")
