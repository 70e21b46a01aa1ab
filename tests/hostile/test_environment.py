"""A hostile environment: standard output closed, on a full device or read by someone who
leaves, standard error closed or full, an encoding that cannot show the text. Run as real
processes (`python -m scorer`), since only they have real standard streams: each case ends
in output escaped where it cannot be shown, or in one line on stderr and exit 1, never a
traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

ENV = {**os.environ, "SCORER_TODAY": "2026-11-26", "PYTHONPATH": str(ROOT), "COLUMNS": "120"}
ENV.pop("PYTHONIOENCODING", None)
FULL = "scorer: cannot write to standard output: No space left on device\n"
CLOSED = "scorer: cannot write to standard output: Bad file descriptor\n"

COMMANDS = {
    "table": ("compare",),
    "json": ("compare", "--format", "json"),
    "csv in Japanese": ("compare", "--format", "csv", "--lang", "ja"),
    "explain": ("explain", "flux", "--lang", "ja"),
    "rubric markdown": ("rubric", "--format", "markdown"),
    "help": ("--help",),
}


def scorer(*args: str, env: dict[str, str] | None = None, **options) -> subprocess.CompletedProcess:
    """`python -m scorer ARGS` from the repository root; stdout and stderr as bytes unless
    redirected by `options`."""
    options.setdefault("stdout", subprocess.PIPE)
    options.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "scorer", *args], cwd=ROOT,
                          env={**ENV, **(env or {})}, timeout=120, check=False, **options)


def close(fd: int):
    """A preexec_fn that closes `fd` in the child, as `>&-` or `2>&-` does in a shell."""
    return lambda: os.close(fd)


@pytest.mark.parametrize("command", COMMANDS)
def test_stdout_on_a_full_device_is_one_line_and_exit_1(command):
    with open("/dev/full", "wb") as full:
        result = scorer(*COMMANDS[command], stdout=full)
    assert (result.returncode, result.stderr.decode()) == (1, FULL)


def test_a_full_device_is_reported_in_any_encoding():
    with open("/dev/full", "wb") as full:
        result = scorer("compare", "--format", "json", "--lang", "ja", stdout=full,
                        env={"PYTHONIOENCODING": "ascii"})
    assert (result.returncode, result.stderr.decode()) == (1, FULL)


@pytest.mark.parametrize("command", ["table", "json", "help"])
def test_closed_stdout_is_one_line_and_exit_1(command):
    result = scorer(*COMMANDS[command], preexec_fn=close(1))
    assert (result.returncode, result.stderr.decode()) == (1, CLOSED)


def test_closed_stdout_in_a_shell_writes_no_file(tmp_path):
    result = subprocess.run(["sh", "-c", f'"$0" -m scorer export --samples 50 --out '
                             f'"{tmp_path}/out.xlsx" >&-', sys.executable], cwd=ROOT,
                            env=ENV, capture_output=True, timeout=120, check=False)
    assert (result.returncode, result.stderr.decode()) == (1, CLOSED)
    assert list(tmp_path.iterdir()) == []


def test_closed_stderr_leaves_output_whole():
    closed = scorer("compare", "--format", "json", preexec_fn=close(2))
    open_ = scorer("compare", "--format", "json")
    assert closed.returncode == 0 and closed.stdout == open_.stdout


@pytest.mark.parametrize("redirect", ["closed", "full"])
def test_an_error_with_nowhere_to_say_it_is_still_exit_1(redirect):
    args = ("compare", "--weights", "nosuchaxis=1")
    if redirect == "closed":
        result = scorer(*args, preexec_fn=close(2))
    else:
        with open("/dev/full", "wb") as full:
            result = scorer(*args, stderr=full)
    assert result.returncode == 1 and result.stdout == b""


def test_a_reader_that_leaves_is_not_an_error_message():
    process = subprocess.Popen([sys.executable, "-m", "scorer", "history", "--every",
                                "change", "--axes", "--format", "json"], cwd=ROOT, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.read(10) == b'{\n  "rubri'  # then stop reading, as `head` does
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 1 and stderr == b""


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "ascii:strict"])
@pytest.mark.parametrize("command", COMMANDS)
def test_an_encoding_that_cannot_show_the_text_escapes_it(encoding, command):
    result = scorer(*COMMANDS[command], env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 0 and result.stderr == b"", result.stderr.decode()
    if command in ("table", "explain"):  # rich writes through the stream's encoding
        text = result.stdout.decode(encoding.split(":")[0])
        assert "\\u" in text and "—" not in text  # "—" and Japanese shown as escapes


def test_an_encoding_that_cannot_show_an_error_escapes_it():
    result = scorer("compare", "--profile", "日本語", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert result.stderr.decode("ascii").count("\n") == 1
    assert "\\u65e5\\u672c\\u8a9e" in result.stderr.decode("ascii")


def test_stdout_that_is_not_writable_is_one_line():
    with open(os.devnull, "rb") as read_only:
        result = scorer("compare", stdout=read_only)
    assert (result.returncode, result.stderr.decode()) == (1, CLOSED)
