"""Atomic writes and reproducible zip archives (`scorer.files`)."""

from __future__ import annotations

import io
import os
import socket
import stat
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from scorer.errors import ScorerError
from scorer.files import write_atomic, write_reproducible_zip, write_with

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
ENTRIES = {"b.xml": b"<b/>", "a/c.xml": b"<c/>" * 100, "[Content_Types].xml": b"<types/>",
           "_rels/.rels": b"<rels/>"}


def archive(names: list[str], when: tuple[int, ...], system: int = 3) -> bytes:
    """A zip of `ENTRIES` in the order of `names`, stamped `when`, made on `system`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=when)
            info.create_system, info.external_attr = system, 0o644 << 16
            zf.writestr(info, ENTRIES[name])
    return buffer.getvalue()


def reproducible(data: bytes, when: datetime = WHEN, first: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    write_reproducible_zip(data, out, when, first=first)
    return out.getvalue()


def test_same_contents_give_the_same_bytes_whatever_the_order_times_and_system():
    names = list(ENTRIES)
    one = reproducible(archive(names, (2020, 5, 6, 7, 8, 10)))
    other = reproducible(archive(names[::-1], (2024, 1, 1, 0, 0, 0), system=0))
    assert one == other
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        assert {name: zf.read(name) for name in zf.namelist()} == ENTRIES
        infos = zf.infolist()
    assert [i.filename for i in infos] == sorted(ENTRIES)
    assert {i.date_time for i in infos} == {(2026, 1, 2, 3, 4, 4)}  # zip keeps even seconds
    assert {(i.compress_type, i.create_system, i.external_attr) for i in infos} == {
        (zipfile.ZIP_DEFLATED, 0, 0o600 << 16)}


def test_first_entries_lead_in_the_order_given():
    first = ("[Content_Types].xml", "_rels/.rels")
    with zipfile.ZipFile(io.BytesIO(reproducible(archive(list(ENTRIES), (2020, 1, 1, 0, 0, 0)),
                                                 first=first))) as zf:
        assert zf.namelist() == [*first, "a/c.xml", "b.xml"]


@pytest.mark.parametrize(("when", "stamp"), [
    (datetime(2026, 1, 2, 12, 4, 6, tzinfo=timezone(timedelta(hours=9))), (2026, 1, 2, 3, 4, 6)),
    (datetime(2026, 1, 2, 3, 4, 6), (2026, 1, 2, 3, 4, 6)),  # naive: taken as UTC
    (datetime(1970, 1, 1, tzinfo=UTC), (1980, 1, 1, 0, 0, 0)),  # zip times start in 1980
])
def test_entries_are_stamped_in_utc(when, stamp):
    with zipfile.ZipFile(io.BytesIO(reproducible(archive(["b.xml"], (2020, 1, 1, 0, 0, 0)),
                                                 when))) as zf:
        assert zf.infolist()[0].date_time == stamp


def test_a_failed_write_keeps_the_earlier_file(tmp_path: Path):
    path = tmp_path / "out" / "file.txt"
    write_atomic(path, "before")

    def broken(stream) -> None:
        stream.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ScorerError, match="cannot write: No space left on device; the "
                                          "earlier file is unchanged") as caught:
        write_with(path, broken)
    assert caught.value.file == str(path)
    assert path.read_text() == "before"
    assert os.listdir(path.parent) == ["file.txt"]


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit, RuntimeError])
def test_an_interrupted_write_keeps_the_earlier_file_and_leaves_no_temporary(tmp_path, interrupt):
    path = tmp_path / "file.txt"
    write_atomic(path, "before")

    def interrupted(stream) -> None:
        stream.write(b"half")
        raise interrupt()

    with pytest.raises(interrupt):
        write_with(path, interrupted)
    assert path.read_text() == "before" and os.listdir(tmp_path) == ["file.txt"]


@pytest.mark.parametrize(("step", "error"), [
    ("fsync", OSError(5, "Input/output error")),
    ("replace", OSError(18, "Invalid cross-device link")),
    ("fchmod", PermissionError(1, "Operation not permitted")),
])  # fmt: skip
def test_every_os_error_of_a_write_is_one_clear_error(tmp_path, monkeypatch, step, error):
    path = tmp_path / "file.txt"
    write_atomic(path, "before")

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(os, step, fail)
    with pytest.raises(ScorerError, match=f"cannot write: {error.strerror}; the earlier"):
        write_atomic(path, "after")
    monkeypatch.undo()
    assert path.read_text() == "before" and os.listdir(tmp_path) == ["file.txt"]


def test_a_folder_that_cannot_be_written_is_one_clear_error(tmp_path, monkeypatch):
    real_open = os.open

    def denied(name, flags, *args, **kwargs):
        if str(name).endswith(".tmp"):
            raise PermissionError(13, "Permission denied")
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)  # what a user who is not root meets
    with pytest.raises(ScorerError, match="cannot write here: Permission denied"):
        write_atomic(tmp_path / "file.txt", "text")
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


def test_a_read_only_folder_or_file_is_refused_even_for_root(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ScorerError, match=r"cannot write here: the folder .* is read-only"):
            write_atomic(folder / "file.txt", "text")
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o755)
    path = tmp_path / "file.txt"
    path.write_text("before")
    path.chmod(0o444)
    with pytest.raises(ScorerError, match="is read-only: make it writable") as caught:
        write_atomic(path, "after")
    assert caught.value.file == str(path)
    assert path.read_text() == "before" and sorted(os.listdir(tmp_path)) == ["file.txt", "locked"]


def fake_status(kind: int):
    """An `os.lstat` that says every path is a file of `kind` (stat.S_IFCHR, …)."""
    real = os.lstat

    def lstat(path, *args, **kwargs):
        status = list(real(path, *args, **kwargs))
        status[0] = kind | 0o666
        return os.stat_result(status)

    return lstat


@pytest.mark.parametrize(("kind", "name"), [
    (stat.S_IFCHR, "a character device"), (stat.S_IFBLK, "a block device"),
    (stat.S_IFSOCK, "a socket"),
])  # fmt: skip
def test_devices_and_sockets_are_never_replaced(tmp_path, monkeypatch, kind, name):
    path = tmp_path / "node"
    path.write_text("stands for a device node")  # no real device is made or touched
    monkeypatch.setattr(os, "lstat", fake_status(kind))
    with pytest.raises(ScorerError, match=f"is {name}, not a regular file"):
        write_atomic(path, "text")
    monkeypatch.undo()
    assert path.read_text() == "stands for a device node" and os.listdir(tmp_path) == ["node"]


@pytest.mark.parametrize("make", ["fifo", "directory", "socket", "dot-dot"])
def test_special_files_and_folders_are_never_replaced(tmp_path, monkeypatch, make):
    monkeypatch.chdir(tmp_path)  # a socket's path must be short
    target = Path("target")
    if make == "fifo":
        os.mkfifo(target)
    elif make == "directory":
        target.mkdir()
    elif make == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    else:
        target = Path("new") / ".."
    before = sorted(os.listdir())
    kind = {"fifo": "a named pipe", "socket": "a socket"}.get(make, "a directory")
    with pytest.raises(ScorerError, match=rf"is {kind}.*, not a regular file"):
        write_atomic(target, "text")
    assert sorted(os.listdir()) == before
    if make != "dot-dot":
        assert not target.is_file()


def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(tmp_path):
    old_mask = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", "text")
        existing = tmp_path / "existing.txt"
        existing.write_text("before")
        existing.chmod(0o604)
        write_atomic(existing, "after")
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE(existing.stat().st_mode) == 0o604 and existing.read_text() == "after"


def test_a_link_is_replaced_and_its_target_never_written(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("target")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert not link.is_symlink() and link.read_text() == "new"
    assert target.read_text() == "target"


@pytest.mark.parametrize(("when", "stamp"), [
    (datetime(2200, 1, 1, tzinfo=UTC), (2107, 12, 31, 23, 59, 58)),  # the last a zip holds
    (datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC), (1980, 1, 1, 0, 0, 0)),
])  # fmt: skip
def test_times_a_zip_cannot_hold_are_taken_as_its_nearest_end(when, stamp):
    with zipfile.ZipFile(io.BytesIO(reproducible(archive(["b.xml"], (2020, 1, 1, 0, 0, 0)),
                                                 when))) as zf:
        assert zf.infolist()[0].date_time == stamp
