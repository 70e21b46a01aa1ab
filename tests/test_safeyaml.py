"""The safe YAML reader: plain data only, every location kept, hostile input refused."""

from __future__ import annotations

from datetime import date

import pytest

from scorer.errors import ScorerError
from scorer.safeyaml import MAX_DEPTH, load_file, parse


def error_of(text: str, **limits: int) -> ScorerError:
    with pytest.raises(ScorerError) as caught:
        parse(text, "doc.yaml", **limits)
    return caught.value


def test_reads_plain_data_with_native_types():
    doc = parse("a: 1\nb: 2.5\nc: yes\nd: 2025-08-26\ne: [x, 'y']\nf: ~\n")
    assert doc.data == {"a": 1, "b": 2.5, "c": True, "d": date(2025, 8, 26), "e": ["x", "y"],
                        "f": None}


def test_keeps_line_and_column_of_every_key_and_value():
    doc = parse("top:\n  inner:\n    - first\n    - {k: v}\n")
    assert doc.key_where(("top", "inner")) == (2, 3)
    assert doc.where(("top", "inner", 0)) == (3, 7)
    assert doc.where(("top", "inner", 1, "k")) == (4, 11)
    # a path below any located value falls back to its nearest located ancestor
    assert doc.where(("top", "inner", 1, "k", "deeper")) == (4, 11)


def test_keys_are_the_text_as_written():
    assert parse("yes: 1\n1: 2\n").data == {"yes": 1, "1": 2}


def test_duplicate_key_is_an_error_naming_both_lines():
    err = error_of("a: 1\nb: 2\na: 3\n")
    assert (err.file, err.line, err.column) == ("doc.yaml", 3, 1)
    assert "duplicate key 'a' (first at line 1)" in str(err)


def test_duplicate_key_inside_nested_mapping():
    err = error_of("facts:\n  token:\n    max: 1\n    max: 2\n")
    assert err.line == 4 and "duplicate key 'max'" in str(err)


@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system ['echo pwned']\n",
    "a: !!python/name:os.system\n",
    "!!python/object:collections.OrderedDict {a: 1}\n",
    "a: !custom 3\n",
    "a: !!set {x, y}\n",
])  # fmt: skip
def test_object_tags_are_refused_never_executed(text: str):
    err = error_of(text)
    assert "is not allowed: only plain data is read" in str(err)
    assert err.line == 1


def test_alias_bomb_is_refused_quickly():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
    err = error_of("\n".join(lines) + "\n")
    assert "expands to more than" in str(err)
    assert err.line is not None and err.line <= 10


def test_small_aliases_are_fine_and_shared():
    doc = parse("base: &b {x: 1}\nuse: *b\n")
    assert doc.data["use"] == {"x": 1}


def test_recursive_and_undefined_aliases_are_errors():
    assert "refers to itself" in str(error_of("a: &a [*a]\n"))
    assert "refers to no anchor" in str(error_of("a: *nowhere\n"))


def test_nesting_past_our_limit_is_refused_at_the_limit():
    depth = MAX_DEPTH + 10
    err = error_of("[" * depth + "]" * depth)
    assert f"nesting deeper than {MAX_DEPTH} levels" in str(err)
    assert (err.line, err.column) == (1, MAX_DEPTH + 1)


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_tens_of_thousands_of_levels_are_refused_early(opener: str):
    depth = 50_000
    closer = "]" if opener == "[" else "}"
    err = error_of(opener * depth + "1" + closer * depth)
    # libyaml's own scanner stops at 1,000 flow levels, before our limit sees the events
    assert "nesting" in str(err)
    assert err.line == 1 and err.column is not None and err.column <= 4 * 1001


def test_nesting_within_the_limit_is_accepted():
    depth = MAX_DEPTH
    assert parse("[" * depth + "]" * depth).data is not None


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_file_is_an_error(text: str):
    assert "file is empty" in str(error_of(text))


def test_tab_indentation_gets_a_clear_message():
    err = error_of("a:\n\tb: 1\n")
    assert (err.line, err.column) == (2, 1)
    assert "tab character" in str(err)


def test_unclosed_bracket_is_located():
    err = error_of("a: [1, 2\nb: 3\n")
    assert err.line is not None and "invalid YAML" in str(err)


def test_more_than_one_document_is_an_error():
    assert "more than one YAML document" in str(error_of("a: 1\n---\nb: 2\n"))


def test_merge_keys_and_complex_keys_are_errors():
    assert "merge keys" in str(error_of("base: &b {x: 1}\nc:\n  <<: *b\n"))
    assert "must be plain text" in str(error_of("? [a, b]\n: 1\n"))


def test_huge_integer_is_an_error_not_a_crash():
    err = error_of("a: " + "9" * 5000 + "\n")
    assert "too many digits" in str(err)


def test_a_date_not_in_the_calendar_stays_text_for_its_field_to_judge():
    assert parse("a: 1\nd: 2025-02-30\n", "doc.yaml").data == {"a": 1, "d": "2025-02-30"}


def test_non_utf8_file_names_line_and_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: ok\nnote: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ScorerError) as caught:
        load_file(path)
    err = caught.value
    assert (err.line, err.column) == (2, 10)
    assert "not valid UTF-8 (byte 0xe9)" in str(err)


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(ScorerError) as caught:
        load_file(path, max_bytes=1000)
    assert "larger than" in str(caught.value)


def test_missing_file_and_directory_are_errors(tmp_path):
    with pytest.raises(ScorerError, match="no such file"):
        load_file(tmp_path / "absent.yaml")
    with pytest.raises(ScorerError, match="is a directory"):
        load_file(tmp_path)
