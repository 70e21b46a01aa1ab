"""`scorer new`."""

from __future__ import annotations

import os
from pathlib import Path

import click

from scorer import dates
from scorer.cli.commands.schema import schema_path, schema_text
from scorer.cli.options import (
    load_rubric,
    projects_option,
    rubric_option,
)
from scorer.errors import ArgumentError, ScorerError


@click.command()
@click.argument("project_id", metavar="ID")
@click.option("--name", help="Display name (default: ID).")
@click.option("--ticker", help="Token ticker, e.g. FLUX.")
@click.option("--force", is_flag=True, help="Overwrite an existing dossier.")
@projects_option("Folder of dossiers, where the new one goes.")
@rubric_option("The rubric whose facts to list.")
def new(project_id: str, name: str | None, ticker: str | None, force: bool,
        projects_dir: Path, rubric_path: Path) -> None:
    """Start a dossier for a new project: projects/ID.yaml with every fact to fill in.

    Every fact of the rubric is listed, commented out, with its type, unit and meaning.
    The new file is valid as written; `scorer compare` lists the project at once, with
    0 % coverage, until you state facts. ID is a simple slug (lowercase letters, digits,
    '-' and '_').

    \b
    Examples:
      scorer new golem --name Golem --ticker GLM
      scorer validate projects/golem.yaml && scorer compare
    """
    from scorer.files import write_atomic
    from scorer.scaffold import check_labels, dossier_template, is_slug
    from scorer.untrusted import printable

    if not is_slug(project_id):
        raise click.BadParameter(
            f"'{printable(project_id)}' is not a simple id: use lowercase letters, digits, '-' "
            "and '_' (no spaces, dots or slashes)", param_hint="ID")
    try:  # before anything is written
        check_labels(name, ticker)
    except ArgumentError as exc:
        raise click.BadParameter(exc.detail, param_hint=f"--{exc.argument}") from None
    target = projects_dir / f"{project_id}.yaml"
    if target.exists() and not force:
        raise ScorerError("already exists; edit it, or pass --force to start over",
                          str(target))
    loaded = load_rubric(rubric_path)
    schema_file = schema_path(rubric_path)
    expected = schema_text(loaded)
    if not schema_file.exists() or schema_file.read_text(encoding="utf-8") != expected:
        write_atomic(schema_file, expected)
        click.echo(printable(f"wrote {schema_file} (the schema editors use to check dossiers)"))
    reference = Path(os.path.relpath(schema_file.resolve(), projects_dir.resolve())).as_posix()
    write_atomic(target, dossier_template(loaded, project_id,
                                          project_id if name is None else name, ticker,
                                          dates.today(), reference))
    click.echo(printable(f"wrote {target}: fill in facts from your sources, then run "
                         f"`scorer validate {target}` and `scorer compare`"))
