"""`scorer.writers.text`: JSON written as it is computed is the JSON of the same record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scorer.writers.text import blocks, stream_json, to_json

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
RECORDS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=30)


def lazy(value: Any, flip: Iterator[bool]) -> Any:
    """The same record with some of its lists (at any depth) turned into iterators."""
    if isinstance(value, dict):
        return {key: lazy(item, flip) for key, item in value.items()}
    if isinstance(value, list):
        items = [lazy(item, flip) for item in value]
        return iter(items) if next(flip) else items
    return value


@given(RECORDS, st.lists(st.booleans(), min_size=1))
def test_streamed_json_is_the_json_of_the_record_with_lists(record, choices):
    flip = iter(choices * 1000)
    assert "".join(stream_json(lazy(record, flip))) == to_json(record)


def test_streamed_json_escapes_invisible_characters_as_to_json_does():
    record = {"name": "a\u2028b\u200bc", "rows": iter([{"x": "\u202e"}])}
    assert "".join(stream_json(record)) == to_json({"name": "a\u2028b\u200bc",
                                                    "rows": [{"x": "\u202e"}]})
    assert "\u2028" not in "".join(stream_json({"rows": iter(["\u2028"])}))


def test_an_iterator_is_read_once_as_the_text_is_written():
    read: list[int] = []

    def rows() -> Iterator[int]:
        for k in range(3):
            read.append(k)
            yield k

    pieces = stream_json({"rows": rows()})
    assert next(pieces) == "{" and read == []  # nothing computed before it is written
    assert "{" + "".join(pieces) == to_json({"rows": [0, 1, 2]}) and read == [0, 1, 2]


def test_blocks_join_pieces_without_losing_any():
    pieces = [str(k) * (k % 7) for k in range(500)]
    joined = list(blocks(pieces, size=100))
    assert "".join(joined) == "".join(pieces)
    assert all(len(block) >= 100 for block in joined[:-1])
    assert len(joined) < len(pieces) / 5
