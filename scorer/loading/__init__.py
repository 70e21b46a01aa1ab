"""Rubric and dossier files → validated models, every problem named by file, line and column.

Loading collects all the problems of a file (and of every file of a project folder) before
failing, so one run of `scorer validate` lists everything to fix.

    rubric.py    a rubric file, its cross-references, its rules compiled
    dossier.py   a dossier file, checked against the rubric
    facts.py     a dossier's fact tree → typed, dated observations
    problems.py  problems placed at their line, in the house style
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from scorer.errors import Problem, ScorerError
from scorer.loading.dossier import load_dossier, read_dossier
from scorer.loading.rubric import load_rubric, read_rubric
from scorer.models import Dossier, Rubric
from scorer.safeyaml import collector_paused, display_path

__all__ = ["DOSSIER_SUFFIXES", "dossier_paths", "load_dossier", "load_projects", "load_rubric",
           "read_dossier", "read_rubric"]

DOSSIER_SUFFIXES = (".yaml", ".yml")


def dossier_paths(locations: Sequence[str | Path]) -> list[Path]:
    """The dossier files named by these files and folders (a folder: its *.yaml, sorted).

    A folder's *.yaml entry that is not a readable regular file (a FIFO, a directory, a
    broken or looping link) is listed all the same, so loading it reports it as an error:
    a project must not drop out of a ranking unseen."""
    paths: list[Path] = []
    for location in locations:
        location = Path(location)
        if location.is_dir():
            try:
                entries = sorted(location.iterdir())
            except OSError as exc:
                raise ScorerError(f"cannot list this folder: {exc.strerror}",
                                  display_path(location), kind="file") from None
            paths.extend(p for p in entries
                         if p.suffix in DOSSIER_SUFFIXES and not p.name.startswith("."))
        elif location.exists() or location.is_symlink():
            paths.append(location)  # a FIFO or a broken link: refused, by name, when read
        else:
            raise ScorerError("no such file or folder", display_path(location), kind="file")
    return paths


def load_projects(locations: str | Path | Iterable[str | Path], rubric: Rubric,
                  today: date | None = None) -> list[Dossier]:
    """Load every dossier; all problems of all files are reported together. Nothing may be
    dated after `today` (default: `scorer.dates.today()`) but a forecast."""
    if isinstance(locations, (str, Path)):
        locations = [locations]
    locations = list(locations)
    paths = dossier_paths(locations)
    if not paths:
        where = ", ".join(display_path(Path(p)) for p in locations)
        raise ScorerError(f"no dossiers (*.yaml) found in {where}; "
                          "create one with `scorer new ID`")
    dossiers: list[Dossier] = []
    problems: list[Problem] = []
    with collector_paused():  # for all the files, not one at a time: see its docstring
        for path in paths:
            try:
                dossiers.append(load_dossier(path, rubric, today))
            except ScorerError as exc:
                problems.extend(exc.problems)
    by_id: dict[str, Dossier] = {}
    for dossier in dossiers:
        if dossier.id in by_id:
            problems.append(Problem(f"project id '{dossier.id}' is also used by "
                                    f"{by_id[dossier.id].file}; ids must be unique",
                                    dossier.file, *dossier.where("id")))
        by_id.setdefault(dossier.id, dossier)
    if problems:
        raise ScorerError(problems)
    return dossiers
