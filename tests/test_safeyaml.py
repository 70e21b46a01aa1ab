"""The safe YAML reader: plain data only, every location kept, hostile input refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer import safeyaml
from scorer.errors import ScorerError
from scorer.safeyaml import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_REFUSED,
    display_path,
    grouped_number,
    load_file,
    mapping_value_hint,
    parse,
    read_stream,
)
from tests.conftest import DEFAULT_RUBRIC, PROJECTS


def error_of(text: str, **limits: int) -> ScorerError:
    with pytest.raises(ScorerError) as caught:
        parse(text, "doc.yaml", **limits)
    return caught.value


def test_reads_plain_data_with_native_types():
    doc = parse("a: 1\nb: 2.5\nc: true\nd: 2025-08-26\ne: [x, 'y']\nf: ~\n")
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


# ---------------------------------------------------------------- issue 12, class 14


@pytest.mark.parametrize("loader", ["libyaml", "pure Python"])
@pytest.mark.parametrize(("text", "where", "code"), [
    ("a: 1\nb: caf\u00e9 \x01x\n", (2, 9), "U+0001"),
    ("a: 1\nb: 日本\x7f\n", (2, 6), "U+007F"),
    ("a: \ufffe\n", (1, 4), "U+FFFE"),
])  # fmt: skip
def test_a_character_yaml_forbids_is_located_by_line_and_column(monkeypatch, loader, text,
                                                                 where, code):
    import yaml

    import scorer.safeyaml

    if loader == "pure Python":
        monkeypatch.setattr(scorer.safeyaml, "_Loader", yaml.SafeLoader)
    err = error_of(text)
    assert (err.line, err.column) == where
    assert f"a character {code} that YAML does not allow" in str(err)
    assert "position" not in str(err)


@pytest.mark.parametrize("text", [
    "!!python/name:os.system a: 1\n", "a:\n  !!int 1: x\n", "{!!binary aGk=: 1}\n",
    "!custom a: 1\n",
])  # fmt: skip
def test_a_tag_on_a_key_is_refused_like_a_tag_on_a_value(text: str):
    assert "is not allowed on a key: keys are plain text" in str(error_of(text))


def test_a_str_tag_on_a_key_changes_nothing_and_is_accepted():
    assert parse("!!str 1: x\n! 2: y\n").data == {"1": "x", "2": "y"}


@pytest.mark.parametrize(("value", "message"), [
    ("190:20:30", "'190:20:30' is a base-60 number in YAML 1.1 (685230) and text in YAML 1.2"),
    ("-1:30", "base-60 number in YAML 1.1 (-90)"),
    ("12:30:15.5", "base-60 number in YAML 1.1 (45015.5)"),
    ("yes", "'yes' is true or false in YAML 1.1 but text in YAML 1.2; write true or false, or "
            "quote it (\"yes\") for text"),
    ("No", "'No' is true or false"), ("ON", "'ON' is true or false"),
    ("off", "'off' is true or false"),
    ("010", "'010' is octal in YAML 1.1 (8) but decimal in YAML 1.2"),
    ("-007", "is octal in YAML 1.1 (-7)"),
    ("0b101", "'0b101' is a binary number in YAML 1.1 (5)"),
    ("1_000", "'1_000' is a number in YAML 1.1 (1000) but text in YAML 1.2"),
    ("1_000.5", "is a number in YAML 1.1 (1000.5)"),
    ("0x_1F", "is a number in YAML 1.1 (31)"),
    ("8e8", "'8e8' is a number in YAML 1.2 (800000000.0) but text in YAML 1.1; write 8.0e+8 "
            "(or 800000000 for a whole number), or quote it (\"8e8\") for text"),
    ("1.5E9", "write 1.5e+9 (or 1500000000 for a whole number)"),
    ("8.0e8", "write 8.0e+8 (or 800000000"),
    ("-2e-1", "(-0.2) but text in YAML 1.1; write -2.0e-1, or quote it"),
    ("0o17", "'0o17' is octal in YAML 1.2 (15) but text in YAML 1.1; write it in decimal"),
])  # fmt: skip
def test_values_yaml_1_1_and_1_2_read_differently_are_refused_with_a_hint(value, message):
    err = error_of(f"a: 1\nb: {value}\n")
    assert message in str(err) and (err.line, err.column) == (2, 4)


@pytest.mark.parametrize(("text", "value"), [
    ("'yes'", "yes"), ('"190:20:30"', "190:20:30"), ("'010'", "010"), ("!!bool yes", True),
    ("!!int 010", 8), ("y", "y"), ("n", "n"), ("True", True), ("FALSE", False), ("0", 0),
    ("-0", 0), ("0x1F", 31), ("0.5", 0.5), ("10", 10), ("1.0e+3", 1000.0), ("=", "="),
    ("<<", "<<"), ("2025-08-26", date(2025, 8, 26)), ("a:b", "a:b"), ("1:2:x", "1:2:x"),
    ("8.0e+8", 800000000.0), ("1.5e-3", 0.0015), ("e8", "e8"), ("8e", "8e"), ("1,000", "1,000"),
])  # fmt: skip
def test_values_both_versions_agree_on_and_explicit_forms_are_read(text, value):
    assert parse(f"a: {text}\n").data == {"a": value}


def test_every_such_value_is_reported_at_once_and_the_rest_counted():
    err = error_of("a: yes\nb: [010, ok, 1_0]\nc: {d: 1:30}\n")
    assert [(p.line, p.column) for p in err.problems] == [(1, 4), (2, 5), (2, 14), (3, 8)]
    many = error_of("a: [" + "on, " * (MAX_REFUSED + 5) + "]\n")
    assert len(many.problems) == MAX_REFUSED + 1
    assert many.problems[-1].message == "… and 5 more values that YAML 1.1 and 1.2 read differently"


def test_deferred_they_are_read_as_yaml_1_2_reads_them_for_the_loader_to_report():
    doc = parse("a: yes\nb: 010\nc: true\n", defer=True)
    assert doc.data == {"a": "yes", "b": "010", "c": True}
    assert [(p.line, p.column) for p in doc.problems] == [(1, 4), (2, 4)]


def test_keys_that_look_like_yaml_1_1_values_stay_text():
    assert parse("yes: 1\n010: 2\n1_0: 3\n12:30: 4\n").data == {"yes": 1, "010": 2, "1_0": 3,
                                                                "12:30": 4}


def test_the_value_limit_blames_aliases_only_when_there_are_aliases():
    plain = error_of("a: [" + "1, " * 30 + "]\n", max_nodes=20)
    assert "more than 20 values; a rubric or dossier holds a few hundred" in str(plain)
    assert "alias" not in str(plain)
    aliased = error_of("a: &a [1, 2, 3, 4, 5]\nb: [*a, *a, *a, *a, *a]\n", max_nodes=20)
    assert "its aliases refer to aliases" in str(aliased)


def test_text_from_the_file_is_quoted_short_and_printable():
    key = "k\u202e" + "x" * 500
    err = error_of(f"{key}: 1\n{key}: 2\n")
    assert "\u202e" not in str(err) and "\\u202e" in str(err) and "x" * 100 not in str(err)
    tag = error_of("a: !" + "t" * 500 + " 1\n")
    assert "t" * 100 not in str(tag) and "is not allowed" in str(tag)
    assert "!!python/name:os.system" in str(error_of("a: !!python/name:os.system\n"))


# ---------------------------------------------------------------- issue 12, class 11


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_special_files_are_refused_by_name_without_blocking(tmp_path):
    import os
    import signal

    def blocked(signum: int, frame: object) -> None:
        raise TimeoutError("reading a FIFO blocked")

    os.mkfifo(tmp_path / "fifo.yaml")  # opened blocking, this read would never return
    previous = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(10)
    try:
        with pytest.raises(ScorerError, match="is a named pipe"):
            load_file(tmp_path / "fifo.yaml")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    with pytest.raises(ScorerError, match="is a character device"):
        load_file(Path(os.devnull))
    (tmp_path / "broken.yaml").symlink_to("absent.yaml")
    with pytest.raises(ScorerError, match="a symbolic link to a file that does not exist"):
        load_file(tmp_path / "broken.yaml")
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    with pytest.raises(ScorerError, match="a symbolic link that loops"):
        load_file(tmp_path / "loop.yaml")


def test_a_linked_file_is_named_by_its_own_name(tmp_path, monkeypatch):
    (tmp_path / "real.yaml").write_text("a: 1\n")
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    monkeypatch.chdir(tmp_path)
    assert load_file(tmp_path / "link.yaml").file == "link.yaml"
    assert display_path(tmp_path / "loop.yaml") == "loop.yaml"


# ---------------------------------------------------------------- slips the reader explains

FIELDS = ("value", "source", "as_of", "note")
THOUSANDS = ("800,000,000: write numbers without thousands separators: 800000000 (inside {…} "
             "each comma starts a new entry; 800_000_000 is refused too), or quote it for text")


def test_thousands_separators_inside_braces_are_read_as_written_and_refused_once():
    doc = parse("a: {value: 800,000,000, source: s}\nb: {v: 1,5}\n", defer=True)
    assert doc.data == {"a": {"value": "800,000,000", "source": "s"}, "b": {"v": "1,5"}}
    assert [(p.line, p.column, p.kind) for p in doc.problems] == [(1, 12, "yaml-value"),
                                                                 (2, 8, "yaml-value")]
    assert doc.problems[0].message == THOUSANDS
    assert doc.where(("a", "value")) == (1, 12) and doc.where(("a", "source")) == (1, 33)
    err = error_of("a: {value: 800,000,000}\n")
    assert [p.message for p in err.problems] == [THOUSANDS]  # no duplicate key '000'


@pytest.mark.parametrize(("text", "data"), [
    ("a: {x: 1,2: b}\n", {"a": {"x": 1, "2": "b"}}),        # a key with its own value
    ("a: {x: 1, 000}\n", {"a": {"x": 1, "000": None}}),     # a space: an entry, not a group
    ("a: {x: y,000}\n", {"a": {"x": "y", "000": None}}),    # text before the comma
    ("a: [1,000]\nb: {c: 1}\n", None),                      # a list: 000 is refused as octal
])  # fmt: skip
def test_only_a_group_of_digits_glued_to_a_number_is_taken_for_a_separator(text, data):
    if data is None:
        assert "'000' is octal" in str(error_of(text))
    else:
        assert parse(text).data == data


@pytest.mark.parametrize(("line", "column", "found"), [
    ("a: {v: 80,00,00,000}", 10, ("80,00,00,000", 7)),
    ("a: {v: 80,00,00,000}", 16, ("80,00,00,000", 7)),
    ("a: {v: -1,234.5, w: 2}", 10, ("-1,234.5", 7)),
    ("a: {v: 1,234: x}", 9, None), ("a: {v: x1,234}", 10, None), ("a: {v: 1,234}", 8, None),
    ("", 3, None), ("a: {v: 1,", 9, None),
])  # fmt: skip
def test_grouped_number_reads_only_the_text_around_a_key(line, column, found):
    assert grouped_number([line], 0, column) == found


@pytest.mark.parametrize(("text", "where", "message"), [
    ("a:\n  b:\n    800\n    source: s\n", (3, 5),
     "'800' stands without a key, and 'source:' follows it at the same indentation (line 4): "
     "did you forget `value:` before it?"),
    ("a:\n  b:  # cap\n    800  # M\n\n    # why\n    source: s\n", (3, 5),
     "'800' stands without a key, and 'source:' follows it at the same indentation (line 6)"),
    ("a:\n  b:\n    800\n    more\n    note: x\n", (3, 5), "'800' stands without a key"),
    ("a:\n  b:\n    - 800\n      source: s\n", (3, 7), "'800' stands without a key"),
    ("a:\n  b:\n    '800'\n    source: s\n", (3, 5), "'800' stands without a key"),
    ("800\nsource: s\n", (1, 1), "'800' stands without a key"),
    ("a:\n  b: 800\n    source: s\n", (3, 5),
     "'source:' is indented under 'b: 800' (line 2), which already has its value: did you "
     "forget `value:`? Write 'b:', then 'value: 800' and 'source: …' below it, indented "
     "alike"),
    ("a: 1\n  b: 2\n", (2, 3), "'b:' is indented under 'a: 1' (line 1), which already has its "
                               "value: indent 'b' like 'a', or quote the text above if ': ' "
                               "is part of it"),
    ("a:\n  b:\n    number\n    unit: x\n", (3, 5),
     "'number' stands without a key, and 'unit:' follows it at the same indentation (line 4): "
     "did you forget a key before it, or is ': ' part of the text (then quote it)?"),
    ("name: A: B  # c\n", (1, 8),
     "': ' inside the value of 'name' (A: B): put the whole value in quotes if the colon "
     "belongs to the text"),
])  # fmt: skip
def test_a_parser_error_a_slip_explains_says_so_where_to_fix_it(text, where, message):
    with pytest.raises(ScorerError) as caught:
        parse(text, "doc.yaml", value_fields=FIELDS)
    err = caught.value
    assert message in str(err) and (err.line, err.column) == where, str(err)
    assert err.first.kind == "yaml" and str(err).startswith(f"doc.yaml:{where[0]}:")


def test_the_value_hint_is_only_for_the_fields_beside_a_value():
    with pytest.raises(ScorerError) as caught:
        parse("a:\n  b:\n    800\n    source: s\n")  # no value_fields: a rubric, say
    assert "did you forget a key before it" in str(caught.value)


@pytest.mark.parametrize(("lines", "line", "column"), [
    (["a: [1,", "b: 2"], 1, 1),           # nothing above explains it
    (["a:", "  - x", "  b: 1"], 2, 3),   # a list item above, not a bare value
    (["a: |", "  text", "b: 1"], 2, 1),  # a block scalar above
    (["  - : x"], 0, 4),                  # no key on the line
])  # fmt: skip
def test_no_hint_when_the_text_suggests_none(lines, line, column):
    assert mapping_value_hint(lines, line, column, FIELDS) is None


def test_an_error_no_slip_explains_keeps_the_parsers_words():
    err = error_of("a: {b: [1}\n")
    assert str(err).startswith("doc.yaml:1:10: invalid YAML: did not find expected ',' or ']'")


def test_a_stream_is_held_to_the_limits_of_a_file():
    import io

    assert read_stream(io.BytesIO(b"a: 1\n")) == "a: 1\n"
    with pytest.raises(ScorerError) as caught:
        read_stream(io.BytesIO(b"x" * (MAX_BYTES + 1)))
    assert str(caught.value) == ("<stdin>: file is larger than 4 MiB; a rubric or dossier is a "
                                 "few kilobytes")
    with pytest.raises(ScorerError) as caught:
        read_stream(io.BytesIO(b"a: 1\nb: \xff\n"), "draft")
    assert str(caught.value).startswith("draft:2:4: not valid UTF-8 (byte 0xff)")
    assert caught.value.first.kind == "file"


@pytest.mark.parametrize("value", ["1" * 300 + "e5", "0o" + "7" * 5000])
def test_a_long_number_yaml_versions_read_differently_is_refused_without_its_value(value):
    err = error_of(f"a: {value}\n")
    assert str(err).endswith("is a number in YAML 1.2 but text in YAML 1.1; write it in "
                             "decimal (an exponent needs a '.' and a sign: 1.5e+9), or quote "
                             "it for text")
    assert len(str(err)) < 300


# ---------------------------------------------------------------- issue 14: the composed reader

BUNDLED = [*sorted(PROJECTS.glob("*.yaml")), DEFAULT_RUBRIC]


def outcome(read, text: str, **options) -> tuple:
    """What a reader makes of `text`: its data (types and key order included, by repr) and
    the location of every value and key, or its error and every problem in it."""
    try:
        doc = read(text, "doc.yaml", **options)
    except ScorerError as exc:
        return "error", str(exc), [(p.message, p.line, p.column, p.kind) for p in exc.problems]
    reference = safeyaml._parse_events(text, "doc.yaml", **options)
    paths = {*reference.values, *reference.keys}
    paths |= {(*p, step) for p in list(paths) for step in ("zz", 0, 7, -1)}
    return ("read", repr(doc.data), [(p.message, p.line, p.column) for p in doc.problems],
            sorted((repr(p), doc.where(p), doc.key_where(p)) for p in paths))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_the_bundled_files_are_composed_and_read_as_the_event_reader_reads_them(path):
    text = path.read_text(encoding="utf-8")
    doc = parse(text, "doc.yaml")
    assert doc.tree is not None and doc.values == {}  # composed; located only when asked
    assert outcome(parse, text) == outcome(safeyaml._parse_events, text)


def test_without_libyaml_the_pure_python_reader_gives_the_same_results(monkeypatch):
    import yaml

    texts = [path.read_text(encoding="utf-8") for path in BUNDLED]
    composed = [outcome(parse, text) for text in texts]
    monkeypatch.setattr(safeyaml, "_Loader", yaml.SafeLoader)
    assert parse(texts[0]).tree is None  # the event reader, on PyYAML's own parser
    assert [outcome(parse, text) for text in texts] == composed


def agree(text: str) -> None:
    """The composed reader reads only what the event reader reads without a problem, and
    reads it alike; anything else is the event reader's to judge."""
    composed = safeyaml._composed(text, "doc.yaml", MAX_DEPTH, safeyaml.MAX_NODES)
    events = outcome(safeyaml._parse_events, text, defer=True)
    if composed is not None:
        assert events[0] == "read" and events[2] == []
    assert outcome(parse, text, defer=True) == events
    assert outcome(parse, text) == outcome(safeyaml._parse_events, text)


WORDS = st.sampled_from([
    "yes", "No", "on", "OFF", "true", "False", "NULL", "~", "null", "y", "n", "Nosana", "=",
    "<<", "!", "&", "*", "010", "-007", "0b101", "0x1F", "0o17", "1_000", "190:20:30", "8e8",
    "1.5E9", "8.0e+8", ".5", "-.inf", ".NaN", "1.", "-0.0", "+12", "0", "-0", "9" * 30,
    "2025-08-26", "2025-02-30", "0000-01-01", "2025-08-26 10:00:00", "2025-Q3", "1,000",
    "800,000,000", "12:30", "a:b", "text", "",
])  # fmt: skip
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.dates() | WORDS
           | st.text(max_size=12))
KEYS = WORDS | st.text(max_size=8) | st.integers().map(str)


@settings(max_examples=300, deadline=None)
@given(st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(KEYS, children, max_size=4), max_leaves=16),
       st.sampled_from([None, True, False]))
def test_the_composed_reader_agrees_with_the_event_reader_on_any_document(data, flow):
    import yaml

    agree(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True))


FRAGMENTS = st.sampled_from([
    *"abcxyz019 :-_.,[]{}\n\t&*!#'\"|>?", "a: ", "b: ", "\n  ", "\n  - ", "- ", "{v: ", "}",
    "[", "]", ", ", "&a ", "*a ", "&b ", "*b ", "!!str ", "!!int ", "!!map ", "!!seq ", "! ",
    "!!python/name:os.system ", "!x ", "<<: ", "? ", "---\n", "...\n", "%YAML 1.1\n---\n",
    "yes", "010", "1_0", "8e8", "1,000", ",000", "800,000,000", "2025-02-30", "\x01", "\u2028",
    "\x85", "'q: r'", '"\\x01"', "\n    5\n    source: s", "1:30", "true", "~",
])  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_the_composed_reader_agrees_with_the_event_reader_on_any_text(text):
    agree(text)


@pytest.mark.parametrize(("text", "data"), [
    ("!!str 1: x\n! 2: y\n", {"1": "x", "2": "y"}),
    ("a: !!str 010\nb: '010'\nc: !!map {d: !!seq [e]}\n", {"a": "010", "b": "010",
                                                          "c": {"d": ["e"]}}),
    ("&x a: &y [&z 1]\n", {"a": [1]}),  # anchors no alias refers to
    ("a: 2025-08-26\nb: 2025-02-30\nc: -0.0\nd: 12\ne: .5\nf: Null\n",
     {"a": date(2025, 8, 26), "b": "2025-02-30", "c": -0.0, "d": 12, "e": 0.5, "f": None}),
])  # fmt: skip
def test_plain_data_and_harmless_tags_are_composed(text, data):
    doc = safeyaml._composed(text, "doc.yaml", MAX_DEPTH, safeyaml.MAX_NODES)
    assert doc is not None and repr(doc.data) == repr(data)


@pytest.mark.parametrize("text", [
    "a: !!int 010\n",                      # a tag that changes the value: the reference reads it
    "a: !!python/name:os.system\n", "!!python/name:os.system a: 1\n", "{!!binary aGk=: 1}\n",
    "a: !!str [b]\n", "!!str [b]: 1\n",    # str on a collection
    "a: &x 1\nb: *x\n", "a: &a [*a]\n", "a: &a {b: *a}\n",  # aliases, a loop among them
    "a: &x 1\nb: &x 2\n",                  # an anchor defined twice: libyaml refuses it
    "a: 1\na: 2\n", "<<: {a: 1}\n", "? [a]\n: 1\n", "a: {v: 800,000}\n",
    "a: yes\n", "a: 010\n", "a: " + "9" * 5000 + "\n", "a: !!bool maybe\n",
    "a: 1\n---\nb: 2\n", "", "# nothing\n", "a: [\n", "a: \x01\n",
])  # fmt: skip
def test_anything_else_is_left_to_the_event_reader(text):
    assert safeyaml._composed(text, "doc.yaml", MAX_DEPTH, safeyaml.MAX_NODES) is None
    agree(text)


def test_an_alias_loop_or_bomb_ends_the_composed_walk_and_is_counted_by_the_event_reader():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
    bomb = "\n".join(lines) + "\n"
    composer = safeyaml._Composer(bomb, MAX_DEPTH, safeyaml.MAX_NODES)
    root = composer.get_single_node()
    assert composer.nodes() == 31  # libyaml composes each list once, and its aliases share it
    with pytest.raises(safeyaml._Unusual):  # 10⁹ values: the walk stops at the 32nd
        safeyaml._plain_data(root, composer.nodes(), MAX_DEPTH, bomb)
    assert safeyaml._composed(bomb, "doc.yaml", MAX_DEPTH, safeyaml.MAX_NODES) is None
    assert "expands to more than 200,000 values" in str(error_of(bomb))
    loop = safeyaml._Composer("a: &a [b, *a]\n", MAX_DEPTH, 10).get_single_node()
    assert loop.value[0][1].value[1] is loop.value[0][1]  # the list holds itself
    with pytest.raises(safeyaml._Unusual):
        safeyaml._plain_data(loop, 4, MAX_DEPTH, "a: &a [b, *a]\n")


@pytest.mark.parametrize(("text", "limits"), [
    ("a: [" + "1, " * 300 + "]\n", {"max_depth": MAX_DEPTH, "max_nodes": 100}),
    ("[" * 70 + "]" * 70, {"max_depth": MAX_DEPTH, "max_nodes": 1000}),
    ("- " * 70 + "x\n", {"max_depth": MAX_DEPTH, "max_nodes": 1000}),
])  # fmt: skip
def test_the_composer_stops_at_a_limit_while_composing(text, limits):
    composer = safeyaml._Composer(text, **limits)
    with pytest.raises(safeyaml._Unusual):
        composer.get_single_node()
    assert composer.nodes() <= limits["max_nodes"] + 1
    err = error_of(text, **limits)
    assert "nesting deeper" in str(err) or f"more than {limits['max_nodes']}" in str(err)


def reference_plain(text: str) -> str:
    """What the event reader makes of a plain scalar: its value (repr), or that it is not
    read (refused, or not of its tag)."""
    import yaml

    tag = safeyaml._implicit_tag(text, (True, False))
    if safeyaml._yaml11_surprising(tag, text):
        return "not read"
    try:
        return repr(safeyaml._value_of(tag, text))
    except (ValueError, LookupError, yaml.YAMLError):
        return "not read"


def fast_plain(text: str) -> str:
    try:
        return repr(safeyaml._plain(text))
    except safeyaml._Unusual:
        return "not read"


@settings(max_examples=2000, deadline=None)
@given(WORDS | st.text(max_size=12) | st.text("0123456789+-.:_eEoxb,Q \n", max_size=12)
       | st.from_regex(r"\A[-+]?[0-9]{1,5}(\.[0-9]{0,3})?([eE][-+]?[0-9]{1,3})?\Z")
       | st.from_regex(r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ Tt][0-9: .Z+-]{0,12})?\Z")
       | st.sampled_from(["true\n", "yes\n", "Null\n", "12\n", "1.5\n"]))
def test_a_plain_scalar_is_read_as_the_event_reader_reads_it(text):
    assert fast_plain(text) == reference_plain(text)


def test_yaml_1_1_reads_as_other_than_text_only_the_words_the_composed_reader_knows():
    import yaml

    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        if first.isalpha():  # then `_plain` knows every word: `_WORDS` and `_YAML11_WORDS`
            assert {tag for tag, _ in resolvers} <= {"tag:yaml.org,2002:bool",
                                                     "tag:yaml.org,2002:null"}
    for word, value in safeyaml._WORDS.items():
        assert reference_plain(word) == repr(value)


@pytest.mark.parametrize(("text", "message"), [
    ("a: !!bool maybe\n", "doc.yaml:1:4: cannot read 'maybe' as bool: write true or false"),
    ("a: !!int x\n", "doc.yaml:1:4: cannot read 'x' as int: invalid literal"),
    ("a: !!int\n", "doc.yaml:1:4: cannot read '' as int: it is empty"),
    ("a: !!float ''\n", "doc.yaml:1:4: cannot read '' as float: it is empty"),
])  # fmt: skip
def test_an_explicit_tag_on_text_not_of_its_kind_is_an_error_not_a_crash(text, message):
    assert str(error_of(text)).startswith(message)


def test_an_explicit_timestamp_that_is_no_date_stays_text_like_any_date_not_in_the_calendar():
    assert parse("a: !!timestamp x\nb: !!timestamp 2025-02-30\n").data == {"a": "x",
                                                                          "b": "2025-02-30"}


def test_the_garbage_collector_is_paused_inside_and_as_it_was_after():
    import gc

    with pytest.raises(ScorerError), safeyaml.collector_paused():
        assert not gc.isenabled()
        parse("a: [\n")
    assert gc.isenabled()
    gc.disable()
    try:
        with safeyaml.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # paused by the caller: left paused
    finally:
        gc.enable()


# ---------------------------------------------------------------- issue 14: lean locations


def containers(data: object, path: tuple = ()):
    """Every mapping and list of `data`, with its path, and each key or index in it."""
    stack = [(data, path)]
    while stack:
        value, at = stack.pop()
        items = (value.items() if isinstance(value, dict)
                 else enumerate(value) if isinstance(value, list) else ())
        for key, item in items:
            yield value, key, (*at, key)
            stack.append((item, (*at, key)))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_a_value_is_located_from_its_container_as_the_event_reader_locates_its_path(path):
    text = path.read_text(encoding="utf-8")
    doc, reference = parse(text, "doc.yaml"), safeyaml._parse_events(text, "doc.yaml")
    assert doc.built  # every mapping and list of the data, with the node it was built from
    located = [(at, doc.where_in(container, key, at), doc.where_in(container, key, at,
                                                                     at_key=True))
               for container, key, at in containers(doc.data)]
    assert len(located) > 300
    assert located == [(at, reference.where(at), reference.key_where(at))
                       for _, _, at in containers(doc.data)]
    assert doc.where_in({}, "not built here", ("facts",)) == reference.where(("facts",))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_the_items_of_a_list_are_located_together_as_the_event_reader_locates_them(path):
    text = path.read_text(encoding="utf-8")
    doc, reference = parse(text, "doc.yaml"), safeyaml._parse_events(text, "doc.yaml")
    lists = [(at, value) for container, key, at in containers(doc.data)
             if isinstance(value := container[key], list) and value]
    assert len(lists) >= 5
    assert [doc.where_items(items, at) for at, items in lists] == [
        [reference.where((*at, i)) for i in range(len(items))] for at, items in lists]
    # a list the document was not built with: located by its path, as `where` locates it
    at, items = lists[0]
    assert doc.where_items([*items, "one more"], at) == [
        *(reference.where((*at, i)) for i in range(len(items))), reference.where(at)]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_a_key_and_its_value_are_located_together_as_the_event_reader_locates_them(path):
    text = path.read_text(encoding="utf-8")
    doc, reference = parse(text, "doc.yaml"), safeyaml._parse_events(text, "doc.yaml")
    pairs = [(at, doc.where_pair(container, key, at))
             for container, key, at in containers(doc.data) if isinstance(container, dict)]
    assert len(pairs) > 200
    assert pairs == [(at, (reference.key_where(at), reference.where(at))) for at, _ in pairs]
    assert doc.where_pair({}, "id", ("id",)) == (reference.key_where(("id",)),
                                                 reference.where(("id",)))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_a_path_through_a_missing_step_is_located_at_its_nearest_ancestor(path):
    text = path.read_text(encoding="utf-8")
    doc, reference = parse(text, "doc.yaml"), safeyaml._parse_events(text, "doc.yaml")
    paths = [at for _, _, at in containers(doc.data)][:400]
    detours = [(*at[:i], missing, *at[i:]) for at in paths for i in range(len(at) + 1)
               for missing in ("zz", 99)]
    for at in paths + detours:  # the cache of the composed reader's steps, in any order
        assert (doc.where(at), doc.key_where(at)) == (reference.where(at),
                                                      reference.key_where(at)), at


def test_each_position_and_day_is_held_once_however_many_files_state_it():
    first = parse("a: 2025-08-26\nb: [2025-08-26, x]\nc: 2024-06-31\n")
    second = parse("z: 2025-08-26\nb: {c: 1}\n")
    assert first.data["a"] is first.data["b"][0] is second.data["z"] == date(2025, 8, 26)
    assert first.data["c"] == "2024-06-31"  # not in the calendar: text, for its field to judge
    assert first.where(("b",)) is second.where(("b",)) == (2, 4)
    assert first.key_where(("b",)) is second.key_where(("b",)) == (2, 1)


def test_the_tables_of_shared_positions_and_days_stay_within_their_bound(monkeypatch):
    monkeypatch.setattr(safeyaml, "MAX_SHARED", 5)
    monkeypatch.setattr(safeyaml, "_POSITIONS", {})
    monkeypatch.setattr(safeyaml, "_DAYS", {})
    text = "".join(f"k{i}: 2025-01-{i % 28 + 1:02d}\n" for i in range(60))
    doc, reference = parse(text), safeyaml._parse_events(text)
    assert [doc.where((f"k{i}",)) for i in range(60)] == [reference.where((f"k{i}",))
                                                          for i in range(60)]
    assert doc.data == reference.data
    assert len(safeyaml._POSITIONS) == len(safeyaml._DAYS) == 5


@pytest.mark.parametrize("given", [
    "projects/flux.yaml", "./projects//flux.yaml", "a/../b.yaml", ".", "..", "../x.yaml",
    "...", "..x/y.yaml", "a/./b/", "/", "ABSOLUTE", "ABSOLUTE/sub/../d.yaml", "/elsewhere/x",
])  # fmt: skip
def test_a_path_is_shown_relative_to_the_working_directory_when_inside_it(given, tmp_path,
                                                                          monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    given = given.replace("ABSOLUTE", str(tmp_path))

    def reference(path: str) -> str:
        try:
            return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
        except ValueError:
            return path

    assert display_path(Path(given)) == display_path(given) == reference(given)


def test_a_file_is_read_whole_even_when_its_size_says_less(tmp_path, monkeypatch):
    import os

    path = tmp_path / "grown.yaml"
    path.write_text("a: 1\nb: [x, y]\n", encoding="utf-8")
    stat = os.fstat

    def shrunk(descriptor: int) -> os.stat_result:  # a file that grew after its size was read
        status = list(stat(descriptor))
        status[6] = 3  # st_size
        return os.stat_result(status)

    monkeypatch.setattr(os, "fstat", shrunk)
    assert safeyaml.read_text(path) == "a: 1\nb: [x, y]\n"
    with pytest.raises(ScorerError, match="larger than 1 MiB"):
        path.write_bytes(b"a: " + b"x" * 2**20)
        safeyaml.read_text(path, max_bytes=2**20)
