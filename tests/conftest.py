"""Shared fixtures: the repository's paths, a small test rubric, and YAML file writers."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from scorer.loading import load_dossier, load_rubric
from scorer.models import Dossier, Rubric

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DEFAULT_RUBRIC = ROOT / "rubrics" / "default.yaml"
PROJECTS = ROOT / "projects"
MINI_RUBRIC = DATA / "mini_rubric.yaml"


@pytest.fixture(scope="session")
def mini_rubric() -> Rubric:
    return load_rubric(MINI_RUBRIC)


@pytest.fixture(scope="session")
def default_rubric() -> Rubric:
    return load_rubric(DEFAULT_RUBRIC)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """write("name.yaml", text) → the path of a file holding the dedented text."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, where the CLI's default paths point."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def demo(write, mini_rubric) -> Dossier:
    """A dossier of the mini rubric: one fact with two dated observations, undated ones."""
    path = write("demo.yaml", """\
id: demo
name: Demo
sources:
  old: {title: Old report, date: 2020-01-01}
  new: {title: New report, url: "https://example.com/new", date: 2025-06-01}
facts:
  a.flag: {value: true, source: old}
  a.count:
    - {value: 50, source: old}
    - {value: 500, source: new}
  a.top: 1
  a.bottom: 4
  a.kind: y
""")
    return load_dossier(path, mini_rubric)


def cut_to_top(every: list[tuple], top: int) -> list[tuple]:
    """Rows whose last item is their rank changes (project, old, new), as a bounded analysis
    keeps them: only those with a change within the `top` ranks, those changes, then how
    many other changes each has."""
    kept = []
    for *row, changes in every:
        within = tuple(c for c in changes if min(c[1], c[2]) <= top)
        if within:
            kept.append((*row, within, len(changes) - len(within)))
    return kept
