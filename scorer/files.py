"""Writing files so that a failure never leaves a partial file or loses the old one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from scorer.errors import ScorerError
from scorer.safeyaml import display_path


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """Yield a temporary file in the target folder; move it into place only on success.

    If the block raises, the temporary file is removed and any earlier file at `path` is
    left exactly as it was.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as exc:
        raise ScorerError(f"cannot write here: {exc.strerror}", display_path(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write the whole of `data` to `path`, or nothing at all."""
    with atomic_output(path) as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_with(path: Path, writer: Callable[[IO[bytes]], None]) -> None:
    """Let `writer` fill a temporary file, then move it to `path` (see `atomic_output`)."""
    with atomic_output(path) as stream:
        writer(stream)
