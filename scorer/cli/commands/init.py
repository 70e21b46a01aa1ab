"""`scorer init`."""

from __future__ import annotations

import contextlib
import os
import shlex
from pathlib import Path

import click

from scorer.errors import ScorerError

ABOUT = {
    "rubrics/default.yaml": "the rubric: fact vocabulary, axes, rules, weights",
    "rubrics/default.schema.json": "the schema editors check dossiers with",
    "exports/": "where scorer export writes workbooks",
}
"""What each file or folder of a new workspace is for, as `init` says it."""
SHOWN_EXISTING = 3
"""How many files that are in the way the error names before it counts the rest."""


@click.command()
@click.argument("folder", metavar="[DIR]", required=False, default=Path("."),
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True,
              help="Replace the files of the new workspace that exist already (the rubric, "
                   "its schema, example dossiers of the same name); nothing else is touched.")
def init(folder: Path, force: bool) -> None:
    """Start a workspace: the default rubric, its schema and example dossiers.

    Writes DIR/rubrics/default.yaml and its schema, the example dossiers in
    DIR/projects/ and an empty DIR/exports/ (DIR: this folder unless given). Every
    scorer command then finds the workspace from DIR or any folder below it. No file is
    overwritten without --force: when one exists, nothing is written.

    \b
    Examples:
      scorer init && scorer compare
      scorer init analysis && cd analysis && scorer new iexec
    """
    from scorer.files import write_atomic
    from scorer.safeyaml import display_path
    from scorer.scaffold import STARTER_FOLDERS, starter_files
    from scorer.untrusted import printable

    files = {folder / name: data for name, data in starter_files().items()}
    for name in STARTER_FOLDERS:  # before anything is written
        path = folder / name
        if os.path.lexists(path) and not path.is_dir():
            raise ScorerError(f"is in the way of the workspace's {name}/ folder: move it, or "
                              "start the workspace in another folder", display_path(path))
    existing = [path for path in files if os.path.lexists(path)]
    if existing and not force:
        names = ", ".join(display_path(path) for path in existing[:SHOWN_EXISTING])
        more = len(existing) - SHOWN_EXISTING
        raise ScorerError(f"{names}{f' and {more} more' if more > 0 else ''} exist already; "
                          "scorer init overwrites nothing unless told: pass --force to replace "
                          "them, or start the workspace in another folder")
    made = [folder / name for name in STARTER_FOLDERS if not (folder / name).is_dir()]
    written: list[Path] = []
    try:
        for path, data in files.items():
            write_atomic(path, data)
            written.append(path)
        (folder / "exports").mkdir(parents=True, exist_ok=True)
    except (ScorerError, OSError) as exc:
        for path in written:  # leave no half workspace: what init added goes again
            if path not in existing:
                path.unlink(missing_ok=True)
        for path in made:
            with contextlib.suppress(OSError):
                path.rmdir()
        if isinstance(exc, OSError):
            raise ScorerError(f"cannot make this folder: {exc.strerror or exc}",
                              display_path(folder / "exports")) from None
        raise
    click.echo(printable(_report(folder, [str(p.relative_to(folder)) for p in files]),
                         newlines=True))


def _report(folder: Path, names: list[str]) -> str:
    """What `init` wrote, and what to run next."""
    from scorer.safeyaml import display_path

    examples = [Path(name).stem for name in names if name.startswith("projects/")]
    rows = [(name, ABOUT[name]) for name in names if name in ABOUT]
    rows += [("projects/", f"{len(examples)} example dossiers: {', '.join(examples)}"),
             ("exports/", ABOUT["exports/"])]
    here = os.path.abspath(folder) == os.path.abspath(".")
    steps = ([] if here else [(f"cd {shlex.quote(display_path(folder))}", "")]) + [
        ("scorer compare", "rank the example projects"),
        *([(f"scorer explain {examples[0]}", "every point of a score, and its facts")]
          if examples else []),
        ("scorer new ID", "start a dossier of your own"),
    ]
    width = max(len(name) for name, _ in rows + steps) + 2
    lines = [f"wrote a workspace in {'this folder' if here else display_path(folder)}:"]
    lines += [f"  {name:<{width}}{about}".rstrip() for name, about in rows]
    lines += ["next:"] + [f"  {step:<{width}}{about}".rstrip() for step, about in steps]
    return "\n".join(lines)
