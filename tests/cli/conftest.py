"""CLI fixtures: run `scorer` in-process with click's CliRunner, from the repository root."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner, Result

from scorer.cli import cli
from tests.conftest import PROJECTS, ROOT

TODAY = "2026-11-26"
"""The day `folder` pins as today."""


@pytest.fixture
def run(in_repo):
    """run("compare", "--format", "json") → click Result (stdout and stderr kept apart)."""

    def _run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return _run


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A copy of the bundled rubric and dossiers, run from there with today pinned (TODAY):
    a test may edit it freely."""
    shutil.copytree(PROJECTS, tmp_path / "projects")
    shutil.copytree(ROOT / "rubrics", tmp_path / "rubrics")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCORER_TODAY", TODAY)
    return tmp_path
