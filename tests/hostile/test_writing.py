"""Hostile places to write: `--out` on a FIFO, a folder or a read-only file, a disk that
fills or a file-size limit, an interrupt, a SOURCE_DATE_EPOCH no zip can hold. Each ends in
one line on stderr naming the path (exit 1), and the earlier file, or its absence, stays
exactly as it was: no temporary file left, nothing special replaced by a regular file."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner, Result

import scorer.writers.excel
from scorer.cli import cli
from tests.conftest import ROOT

SAMPLES = ("--samples", "50")
EPOCH_LIMIT = 4354819199  # 2107-12-31 23:59:59 UTC, the last second a zip archive can date


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A copy of the bundled rubric and dossiers, run from there with today pinned."""
    shutil.copytree(ROOT / "projects", tmp_path / "projects")
    shutil.copytree(ROOT / "rubrics", tmp_path / "rubrics")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCORER_TODAY", "2026-11-26")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


def one_error(result: Result, path: str, message: str) -> None:
    """Exit 1, and stderr is one line `path: error: …message…`, with no traceback."""
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{path}: error: ") and message in result.stderr


def listing(folder) -> dict[str, tuple[int, bytes | None]]:
    """Every entry of `folder`: its type and mode, and the bytes of regular files."""
    return {p.name: (os.lstat(p).st_mode, p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.iterdir())}


COMMANDS = {"export": ("export", *SAMPLES, "--out"), "schema": ("schema", "--out")}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("make", "kind"), [
    (os.mkfifo, "is a named pipe (FIFO), not a regular file"),
    (os.mkdir, "is a directory, not a regular file"),
])  # fmt: skip
def test_out_on_a_fifo_or_a_folder_is_refused_and_left_alone(folder, command, make, kind):
    make(folder / "target")
    before = listing(folder)
    one_error(run(*COMMANDS[command], "target"), "target", kind)
    assert listing(folder) == before
    assert stat.S_ISFIFO(os.lstat("target").st_mode) or (folder / "target").is_dir()


def test_new_force_on_a_fifo_is_refused_and_left_alone(folder):
    os.mkfifo(folder / "projects" / "pipe.yaml")
    before = listing(folder / "projects")
    result = run("new", "pipe", "--force")
    assert result.exit_code == 1 and "projects/pipe.yaml: error: is a named pipe" in \
        result.stderr and "Traceback" not in result.stderr
    assert listing(folder / "projects") == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_file_or_folder_is_a_clear_error(folder, command):
    target = folder / "out.file"
    target.write_bytes(b"earlier")
    target.chmod(0o444)
    one_error(run(*COMMANDS[command], "out.file"), "out.file", "is read-only")
    assert target.read_bytes() == b"earlier"
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        one_error(run(*COMMANDS[command], "locked/out.file"), "locked/out.file",
                  "cannot write here: the folder locked is read-only")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def limited(size: int):
    """A preexec_fn: files the child writes may not grow past `size` bytes (EFBIG: Python
    ignores SIGXFSZ)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_size_limit_keeps_the_earlier_file_and_leaves_no_temporary(folder, command):
    out = folder / "exports" / "old.file"
    out.parent.mkdir()
    out.write_bytes(b"the earlier file")
    env = {**os.environ, "SCORER_TODAY": "2026-11-26", "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "scorer", *COMMANDS[command],
                             "exports/old.file"], cwd=folder, env=env, capture_output=True,
                            text=True, preexec_fn=limited(4096), timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ("exports/old.file: error: cannot write: File too large; the "
                             "earlier file is unchanged\n")
    assert out.read_bytes() == b"the earlier file"
    assert os.listdir(out.parent) == ["old.file"]


def test_a_full_disk_keeps_the_earlier_workbook(folder, monkeypatch):
    assert run("export", *SAMPLES).exit_code == 0
    workbook = folder / "exports" / "comparison.xlsx"
    before = workbook.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    one_error(run("export", *SAMPLES), "exports/comparison.xlsx",
              "cannot write: No space left on device; the earlier file is unchanged")
    assert workbook.read_bytes() == before and os.listdir(workbook.parent) == [workbook.name]


def test_an_interrupted_export_keeps_the_earlier_workbook(folder, monkeypatch):
    assert run("export", *SAMPLES).exit_code == 0
    workbook = folder / "exports" / "comparison.xlsx"
    before = workbook.read_bytes()

    def interrupted(wb, stream, when) -> None:
        stream.write(b"PK half a workbook")
        raise KeyboardInterrupt

    monkeypatch.setattr(scorer.writers.excel, "save_workbook", interrupted)
    result = run("export", *SAMPLES)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert workbook.read_bytes() == before and os.listdir(workbook.parent) == [workbook.name]


@pytest.mark.parametrize("epoch", [
    "9999999999", str(EPOCH_LIMIT + 1), "-1", "-9999999999", "1e9", "1.5", "yesterday",
    "0x10", "١٢٣", "9" * 5000, "12 34",
])  # fmt: skip
def test_a_source_date_epoch_no_zip_can_hold_is_one_line(folder, epoch):
    result = run("export", *SAMPLES, env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "is not a Unix time in seconds from 0 to 4354819199 (2107-12-31" in result.stderr
    assert not (folder / "exports").exists()


@pytest.mark.parametrize(("epoch", "stamp"), [
    (str(EPOCH_LIMIT), (2107, 12, 31, 23, 59, 58)), ("0", (1980, 1, 1, 0, 0, 0)),
])  # fmt: skip
def test_the_ends_of_source_date_epoch_make_a_workbook(folder, epoch, stamp):
    assert run("export", *SAMPLES, env={"SOURCE_DATE_EPOCH": epoch}).exit_code == 0
    with zipfile.ZipFile(folder / "exports" / "comparison.xlsx") as zf:
        assert {info.date_time for info in zf.infolist()} == {stamp}


def test_new_files_follow_the_umask_and_replaced_ones_keep_their_mode(folder):
    env = {**os.environ, "SCORER_TODAY": "2026-11-26", "PYTHONPATH": str(ROOT)}
    (folder / "kept.json").write_text("earlier")
    (folder / "kept.json").chmod(0o640)
    for name in ("new.json", "kept.json"):
        subprocess.run([sys.executable, "-m", "scorer", "schema", "--out", name], cwd=folder,
                       env=env, check=True, capture_output=True,
                       preexec_fn=lambda: os.umask(0o077), timeout=120)
    assert stat.S_IMODE(os.stat(folder / "new.json").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder / "kept.json").st_mode) == 0o640
    assert (folder / "kept.json").read_text() != "earlier"
