"""Special files where a rubric or dossier is expected: a FIFO, a device, a directory, a broken
or looping link. Named explicitly or found in a folder, each is an error naming the file —
never a hang, never a project silently left out of the ranking."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorer.cli import cli
from scorer.errors import ScorerError
from scorer.safeyaml import read_text
from tests.conftest import PROJECTS, ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")


@contextlib.contextmanager
def deadline(seconds: int = 10) -> Iterator[None]:
    """Fail, rather than hang the suite, if the block blocks (a FIFO opened for reading)."""
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    shutil.copytree(PROJECTS, tmp_path / "projects")
    shutil.copytree(ROOT / "rubrics", tmp_path / "rubrics")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    with deadline():
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)


SPECIAL = {
    # name: (how to make it at `path`, message)
    "fifo": (lambda path: os.mkfifo(path), "is a named pipe (FIFO), not a regular file"),
    "device": (lambda path: path.symlink_to(os.devnull), "is a character device"),
    "directory": (lambda path: path.mkdir(), "is a directory, expected a YAML file"),
    "broken link": (lambda path: path.symlink_to("nowhere.yaml"),
                    "a symbolic link to a file that does not exist"),
    "looping link": (lambda path: path.symlink_to(path.name), "a symbolic link that loops"),
}


@pytest.mark.parametrize("kind", [k for k in SPECIAL if k != "directory"])  # a folder of them
def test_a_special_file_named_as_a_dossier_is_an_error_naming_it(folder, kind):
    make, message = SPECIAL[kind]
    make(folder / "special.yaml")
    result = run("validate", "special.yaml")
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"special.yaml: error: {message}")


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_special_file_named_as_the_rubric_is_an_error_naming_it(folder, kind):
    make, message = SPECIAL[kind]
    make(folder / "special.yaml")
    result = run("compare", "--rubric", "special.yaml")
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"special.yaml: error: {message}")


def test_every_special_entry_of_the_projects_folder_is_reported_not_skipped(folder):
    before = sorted(p.name for p in (folder / "projects").iterdir())
    for kind, (make, _) in SPECIAL.items():
        make(folder / "projects" / f"zz-{kind.replace(' ', '-')}.yaml")
    (folder / "projects" / ".hidden.yaml").symlink_to("nowhere")  # hidden: skipped, as ever
    for command in ("compare", "validate"):
        result = run(command)
        assert result.exit_code == 1 and result.stdout == ""
        lines = result.stderr.splitlines()
        expected = sorted((f"projects/zz-{kind.replace(' ', '-')}.yaml: error: ", message)
                          for kind, (_, message) in SPECIAL.items())
        assert len(lines) == len(expected), lines
        for line, (start, message) in zip(lines, expected, strict=True):
            assert line.startswith(start + message)
    assert sorted(p.name for p in (folder / "projects").iterdir() if not
                  p.name.startswith(("zz-", "."))) == before


def test_a_fifo_swapped_in_after_the_check_is_still_refused_without_blocking(tmp_path,
                                                                              monkeypatch):
    fifo = tmp_path / "swapped.yaml"
    os.mkfifo(fifo)
    real_stat = os.stat

    def looks_regular(path, *args, **kwargs):  # the check sees a regular file, as in a race
        result = real_stat(path, *args, **kwargs)
        if Path(path) == fifo:
            return os.stat_result((stat.S_IFREG | 0o644, *result[1:]))
        return result

    monkeypatch.setattr(os, "stat", looks_regular)
    with deadline(), pytest.raises(ScorerError, match="is a named pipe"):
        read_text(fifo)
