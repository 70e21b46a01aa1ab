"""CLI fixtures: run `scorer` in-process with click's CliRunner, from the repository root."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from scorer.cli import cli


@pytest.fixture
def run(in_repo):
    """run("compare", "--format", "json") → click Result (stdout and stderr kept apart)."""

    def _run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return _run
