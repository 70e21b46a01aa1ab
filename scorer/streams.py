"""Standard output and error that fail cleanly: closed, full, or in an encoding that cannot
show the text. Used by the console entry point (`scorer.cli.main`) only."""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import Any


class StreamError(Exception):
    """A write to standard output or error failed (a file's failure is a `ScorerError`)."""

    def __init__(self, stream: str, cause: OSError) -> None:
        super().__init__(f"cannot write to {stream}: {cause.strerror or cause}")
        self.stream = stream


class Guarded(io.RawIOBase):
    """Standard output or error at its file descriptor, so that any write to it, whichever
    wrapper made it (rich, click, print), fails as a `StreamError` naming the stream; a
    reader that left (a broken pipe) stays a `BrokenPipeError`."""

    def __init__(self, fd: int, stream: str) -> None:
        super().__init__()
        self.fd, self.stream = fd, stream

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def isatty(self) -> bool:
        return os.isatty(self.fd)

    def write(self, data: Any) -> int:
        try:
            return os.write(self.fd, data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise StreamError(self.stream, exc) from None


def guard() -> None:
    """Standard output and error as `main` writes them: through `Guarded`, and escaping
    (\\u2014) what their encoding cannot show instead of failing (PYTHONIOENCODING=ascii).
    A closed standard error becomes /dev/null; a closed standard output is an error."""
    if sys.stdout is None:  # Python found the descriptor closed
        raise StreamError("standard output", OSError(errno.EBADF, os.strerror(errno.EBADF)))
    for fd, name, stream in ((1, "stdout", "standard output"), (2, "stderr", "standard error")):
        old = getattr(sys, name)
        if old is None:
            to_devnull(fd)
            encoding, errors, line_buffering = "utf-8", "backslashreplace", False
        else:
            try:
                if old.fileno() != fd:
                    continue
                old.flush()
            except (AttributeError, ValueError, OSError):  # not a descriptor: leave it be
                continue
            encoding, line_buffering = old.encoding, old.line_buffering
            errors = "backslashreplace" if old.errors == "strict" else old.errors
        setattr(sys, name, io.TextIOWrapper(io.BufferedWriter(Guarded(fd, stream)),
                                            encoding=encoding, errors=errors,
                                            line_buffering=line_buffering))


def to_devnull(fd: int) -> None:
    """Point `fd` at /dev/null: what is still buffered for it is dropped, quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    if devnull != fd:
        os.dup2(devnull, fd)
        os.close(devnull)
