"""Writing files so that a failure never leaves a partial file or loses the old one, nor
replaces anything but a regular file (a FIFO, device or folder at the path is refused), and
every failure is one `ScorerError` naming the path; zip archives whose bytes depend on their
content only."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import stat
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from scorer.errors import ScorerError
from scorer.safeyaml import display_path, special_kind

ZIP_FIRST = datetime(1980, 1, 1)
ZIP_LAST = datetime(2107, 12, 31, 23, 59, 59)
"""The first and last times a zip entry can hold (its year is 7 bits from 1980), in UTC."""


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """Yield a temporary file in the target folder; move it into place only on success.

    Only a regular file (or a symbolic link, which is replaced, its target untouched) is
    ever replaced; a new file gets 0o666 less the umask, a replaced one keeps its mode. Any
    failure, an interrupt included, removes the temporary file and leaves an earlier file at
    `path` exactly as it was; an `OSError` becomes a `ScorerError` naming `path`.
    """
    path = Path(path)
    shown = display_path(path)
    if path.name in ("", ".", ".."):  # names a folder, whether or not it exists yet
        raise ScorerError("is a directory, not a regular file: give the path of a file to "
                          "write", shown)
    folder = path.parent if str(path.parent) else Path(".")
    old = _replaceable(path, shown)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScorerError(f"cannot write here: {_reason(exc)}", shown) from None
    try:
        if not _writable(folder):
            raise ScorerError(f"cannot write here: the folder {display_path(folder)} is "
                              "read-only", shown)
        handle, temporary = _temporary(folder, path.name)
    except OSError as exc:
        raise ScorerError(f"cannot write here: {_reason(exc)}", shown) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if old is not None:
                os.fchmod(stream.fileno(), stat.S_IMODE(old.st_mode) & 0o777)
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _replaceable(path, shown)  # the same checks again, just before the move
        os.replace(temporary, path)
    except OSError as exc:
        _remove(temporary)
        kept = "the earlier file is unchanged" if old is not None else "no file was written"
        raise ScorerError(f"cannot write: {_reason(exc)}; {kept}", shown) from None
    except BaseException:
        _remove(temporary)
        raise


def _replaceable(path: Path, shown: str) -> os.stat_result | None:
    """The status of the regular file at `path` that a write would replace (None: none, or
    a link), or a `ScorerError` saying why it must not be replaced."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ScorerError(f"cannot write here: {_reason(exc)}", shown) from None
    if stat.S_ISLNK(status.st_mode):
        return None
    kind = special_kind(status.st_mode)
    if kind is not None:
        raise ScorerError(f"is {kind}, not a regular file: give the path of a file to write",
                          shown)
    if not _writable(path, status):
        raise ScorerError("is read-only: make it writable, or write to another path", shown)
    return status


def _writable(path: Path, status: os.stat_result | None = None) -> bool:
    """Whether `path` may be written: the system allows it, and its mode gives someone the
    right to (a read-only file or folder stays so, even for root, who may write anything)."""
    status = status or os.stat(path)
    return bool(status.st_mode & 0o222) and os.access(path, os.W_OK)


def _temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new, empty file beside the target, created as `open` creates a file (0o666 less the
    umask), never through an existing name or link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        temporary = str(folder / f".{name[:64]}.{secrets.token_hex(4)}.tmp")  # NAME_MAX
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name")


def _remove(temporary: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def _reason(exc: OSError) -> str:
    """'No space left on device': what went wrong, without the path (the message names it)."""
    return exc.strerror or str(exc) or type(exc).__name__


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

    Every entry is stamped `when` (UTC; zip keeps even seconds from 1980 to 2107, and a
    time outside is taken as the nearest end), is deflated and has the same attributes
    whatever the source's; the entries named in `first` come first, in that order, and the
    others follow sorted by name.
    """
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    when = min(max(when, ZIP_FIRST), ZIP_LAST)
    date_time = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    order = {name: i for i, name in enumerate(first)}
    with zipfile.ZipFile(io.BytesIO(archive)) as source, \
            zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target:
        for name in sorted(source.namelist(), key=lambda n: (order.get(n, len(order)), n)):
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # MS-DOS: no Unix owner or mode from the source
            entry.external_attr = 0o600 << 16  # what zipfile writes anyway, said here
            target.writestr(entry, source.read(name))
