"""`scorer validate`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from scorer import dates
from scorer.cli.options import (
    DEFAULT_PROJECTS,
    DEFAULT_RUBRIC,
    as_date,
    print_problems,
    rubric_hint,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--projects", "projects_dir", type=click.Path(path_type=Path),
              default=DEFAULT_PROJECTS, show_default=True,
              help="Folder of dossiers checked when no PATH is given.")
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path),
              default=DEFAULT_RUBRIC, show_default=True, help="The rubric to check against.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              metavar="YYYY-MM-DD",
              help="Judge the freshness of facts at this date. Default: today.")
def validate(paths: tuple[Path, ...], projects_dir: Path, rubric_path: Path,
             as_of: datetime | None) -> None:
    """Check the rubric and dossiers; report every problem, not only the first.

    \b
    Errors (exit status 1): anything that stops scoring — bad YAML, an unknown fact, a
    wrong type, a missing source, two dossiers with one id, a broken rule.
    Warnings (exit status 0): facts without a source, facts older than the rubric's
    freshness limit, sources without a URL, and — when the whole folder is checked —
    criteria that no dossier can satisfy. PATHS are dossier files or folders (default:
    the --projects folder).

    \b
    Examples:
      scorer validate
      scorer validate projects/akash.yaml
      scorer validate --as-of 2025-08-26
    """
    from scorer.untrusted import printable
    from scorer.validation import dossier_warnings
    from scorer.workspace import load

    with rubric_hint(rubric_path):
        workspace = load(list(paths) or [projects_dir], rubric_path)
    rubric, dossiers = workspace.rubric, workspace.dossiers
    when = as_date(as_of) or dates.today()
    if paths:  # single files: only their own warnings, not the rubric's over every dossier
        found = [w for d in dossiers for w in dossier_warnings(rubric, d, when)]
    else:
        found = workspace.warnings(when)
    if found:
        print_problems(found, err=True)
    noun = "dossier" if len(dossiers) == 1 else "dossiers"
    click.echo(printable(f"{rubric_path}: valid rubric '{rubric.id}' v{rubric.version} "
                         f"({len(rubric.axes)} axes, {len(rubric.criteria())} criteria)"))
    click.echo(f"{len(dossiers)} {noun} valid: {', '.join(d.id for d in dossiers)}"
               + (f" — {len(found)} warning{'s' if len(found) != 1 else ''}" if found else ""))
