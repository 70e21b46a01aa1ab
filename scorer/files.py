"""Writing files so that a failure never leaves a partial file or loses the old one, and zip
archives so that the same content gives the same bytes."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
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


def write_reproducible_zip(archive: bytes, stream: IO[bytes], when: datetime,
                           first: Sequence[str] = ()) -> None:
    """Copy a zip archive to `stream` so that equal contents give equal bytes.

    Every entry is stamped `when` (UTC; zip keeps even seconds from 1980), is deflated and
    has the same attributes whatever the source's; the entries named in `first` come first,
    in that order, and the others follow sorted by name.
    """
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute,
                 when.second)
    order = {name: i for i, name in enumerate(first)}
    with zipfile.ZipFile(io.BytesIO(archive)) as source, \
            zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target:
        for name in sorted(source.namelist(), key=lambda n: (order.get(n, len(order)), n)):
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # MS-DOS: no Unix owner or mode from the source
            entry.external_attr = 0o600 << 16  # what zipfile writes anyway, said here
            target.writestr(entry, source.read(name))
