"""Atomic writes and reproducible zip archives (`scorer.files`)."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

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

    with pytest.raises(OSError):
        write_with(path, broken)
    assert path.read_text() == "before"
    assert os.listdir(path.parent) == ["file.txt"]
