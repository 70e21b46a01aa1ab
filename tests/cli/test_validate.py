"""`scorer validate` for daily use: input that must not pass silently, every problem said
once with its place, warnings grouped and counted, JSON for scripts, Japanese headers, and
a dossier read from standard input."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner, Result

from scorer.cli import cli
from scorer.errors import KINDS
from scorer.safeyaml import MAX_BYTES
from tests.cli.conftest import TODAY
from tests.conftest import MINI_RUBRIC

ONE = """\
id: one
name: One
sources:
  old: {title: Old, date: 2020-01-01}
  web: {title: Web, url: "https://example.com", date: 2026-06-01}
facts:
  a.flag: true
  a.count: {value: 5, source: old}
  a.top: {value: 1.5, source: web}
  a.kind: {value: x, source: old}
"""
TWO = """\
id: two
name: Two
sources:
  web: {title: Web, url: "https://example.com", date: 2026-06-01}
facts:
  a.count: {value: 50, source: web, as_of: 2024-01-01}
"""
HEADER = """\
id: typo
name: Typo
sources:
  web: {title: Web, url: "https://example.com", date: 2026-06-01}
facts:
"""
STALE = "(the rubric's freshness limit is 365 days)"


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture
def ws(tmp_path, monkeypatch):
    """A workspace of the mini rubric and two dossiers with known warnings, today pinned."""
    (tmp_path / "rubrics").mkdir()
    shutil.copy(MINI_RUBRIC, tmp_path / "rubrics" / "default.yaml")
    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "one.yaml").write_text(ONE, encoding="utf-8")
    (tmp_path / "projects" / "two.yaml").write_text(TWO, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCORER_TODAY", TODAY)
    for name in ("SCORER_LANG", "SCORER_PROJECTS", "SCORER_RUBRIC", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def write(ws, name: str, text: str) -> str:
    (ws / "projects" / name).write_text(text, encoding="utf-8")
    return f"projects/{name}"


def refused_then_fixed(ws, text: str, wrong: str, right: str) -> Result:
    """Validate a dossier holding `wrong`; then, with `right` in its place, it must pass."""
    path = write(ws, "typo.yaml", text.replace("{}", wrong))
    result = run("validate", path)
    fixed = write(ws, "typo.yaml", text.replace("{}", right))
    assert run("validate", fixed).exit_code == 0, run("validate", fixed).stderr
    return result


# ---------------------------------------------------------------- 1. a reliability typo


def test_a_reliability_typo_is_said_in_the_house_style_with_a_did_you_mean(ws):
    text = HEADER.replace("2026-06-01}", "2026-06-01, reliability: {}}")
    result = refused_then_fixed(ws, text, "primray", "primary")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == ("projects/typo.yaml:4:80: error: sources.web.reliability: "
                             "'primray' is not one of primary, secondary, low (did you mean "
                             "'primary'?)\n")


def test_a_reliability_that_is_not_text_says_what_it_found(ws):
    result = run("validate", write(ws, "typo.yaml", HEADER.replace(
        "web: {", "other:\n    title: Other\n    reliability: 3\n  web: {")))
    assert result.exit_code == 1
    assert result.stderr == ("projects/typo.yaml:6:18: error: sources.other.reliability: "
                             "expected one of primary, secondary, low, found 3 (a number)\n")


# ---------------------------------------------------------------- 2. thousands separators


def test_thousands_separators_inside_braces_are_one_problem_not_duplicate_keys(ws):
    result = refused_then_fixed(ws, HEADER + "  a.count: {value: {}, source: web}\n",
                                "800,000,000", "800000000")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "projects/typo.yaml:6:20: error: 800,000,000: write numbers without thousands "
        "separators: 800000000 (inside {…} each comma starts a new entry; 800_000_000 is "
        "refused too), or quote it for text\n")
    assert "duplicate key" not in result.stderr and "unknown field" not in result.stderr


def test_thousands_separators_of_a_block_value_name_the_fact(ws):
    result = refused_then_fixed(ws, HEADER + "  a.count: {}\n", "800,000", "800000")
    assert result.exit_code == 1
    assert result.stderr == (
        "projects/typo.yaml:6:12: error: a.count: 800,000: write numbers without thousands "
        "separators: 800000 (YAML reads '800,000' as text; 800_000 is refused too)\n")


def test_an_exponent_yaml_1_1_reads_as_text_says_what_to_write(ws):
    result = refused_then_fixed(ws, HEADER + "  a.top: {value: {}, source: web}\n",
                                "8e8", "8.0e+8")
    assert result.exit_code == 1
    assert result.stderr == (
        "projects/typo.yaml:6:18: error: '8e8' is a number in YAML 1.2 (800000000.0) but text "
        "in YAML 1.1; write 8.0e+8 (or 800000000 for a whole number), or quote it (\"8e8\") "
        "for text\n")


# ---------------------------------------------------------------- 3. a forgotten `value:`


def test_a_value_that_lost_its_key_is_pointed_at_with_a_hint(ws):
    result = refused_then_fixed(ws, HEADER + "  a.count:\n    {}800000000\n    source: web\n",
                                "", "value: ")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "projects/typo.yaml:7:5: error: invalid YAML: '800000000' stands without a key, and "
        "'source:' follows it at the same indentation (line 8): did you forget `value:` "
        "before it?\n")


def test_a_value_on_the_key_line_with_fields_under_it_gets_the_hint_too(ws):
    result = run("validate", write(ws, "typo.yaml", HEADER + "  a.count: 5\n    source: web\n"))
    assert result.exit_code == 1
    assert result.stderr == (
        "projects/typo.yaml:7:5: error: invalid YAML: 'source:' is indented under 'a.count: 5' "
        "(line 6), which already has its value: did you forget `value:`? Write 'a.count:', "
        "then 'value: 5' and 'source: …' below it, indented alike\n")


@pytest.mark.parametrize(("text", "expected"), [
    ("name: Typo: the sequel\n", "projects/typo.yaml:2:11: error: invalid YAML: ': ' inside "
     "the value of 'name' (Typo: the sequel): put the whole value in quotes if the colon "
     "belongs to the text"),
    ("name: Typo\ndescription:\n  A project\n  Tagline: the best\n", "projects/typo.yaml:4:3: "
     "error: invalid YAML: 'A project' stands without a key, and 'Tagline:' follows it at the "
     "same indentation (line 5): did you forget a key before it, or is ': ' part of the text "
     "(then quote it)?"),
    ("name: Typo\nfacts: {a.count: [1\n", "projects/typo.yaml:4:1: error: invalid YAML: did "
     "not find expected ',' or ']' (while parsing a flow sequence)"),
])  # fmt: skip
def test_other_parser_errors_get_an_honest_hint_or_none(ws, text, expected):
    result = run("validate", write(ws, "typo.yaml", "id: typo\n" + text))
    assert result.exit_code == 1
    assert result.stderr == expected + "\n"


# ---------------------------------------------------------------- 4. grouped and counted


RUBRIC_WARNINGS = [
    "rubrics/default.yaml:32:3: warning: axis 'beta' can only score 2–5, not the whole scale "
    "1–5: its base and criteria cannot reach the lowest score",
    "rubrics/default.yaml:31:9: warning: criterion 'ratio' is unknown for every project: no "
    "dossier states a.bottom",
    "rubrics/default.yaml:37:9: warning: criterion 'age' is unknown for every project: no "
    "dossier states b.since",
]
ONE_WARNINGS = [
    "projects/one.yaml:8:12: warning: a.count: latest observation is from 2020-01-01, 2,521 "
    f"days before {TODAY} {STALE}",
    "projects/one.yaml:10:11: warning: a.kind: latest observation is from 2020-01-01, 2,521 "
    f"days before {TODAY} {STALE}",
    "projects/one.yaml:7:11: warning: a.flag: undated, so its freshness cannot be judged; "
    "give it an as_of or a dated source",
    "projects/one.yaml:7:11: warning: a.flag: no source; name one of the dossier's sources so "
    "the fact can be checked",
    "projects/one.yaml:4:3: warning: source 'old' has no url; readers cannot check it",
]
TWO_WARNINGS = [
    "projects/two.yaml:6:12: warning: a.count: latest observation is from 2024-01-01, 1,060 "
    f"days before {TODAY} {STALE}",
]


def test_warnings_are_grouped_by_file_and_kind_under_a_header_that_counts_them(ws):
    result = run("validate")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "rubrics/default.yaml — 3 warnings (axis short of the scale: 1, criterion never "
        "known: 2)", *RUBRIC_WARNINGS, "",
        "projects/one.yaml — 5 warnings (stale fact: 2, undated fact: 1, unsourced fact: 1, "
        "source without URL: 1)", *ONE_WARNINGS, "",
        "projects/two.yaml — 1 warning (stale fact: 1)", *TWO_WARNINGS,
    ]


def test_the_summary_says_what_is_valid_and_counts_warnings_by_kind(ws):
    lines = run("validate").stdout.splitlines()
    assert lines[:2] == ["rubrics/default.yaml: valid rubric 'mini' v2 (2 axes, 5 criteria)",
                         "2 dossiers valid: one, two — 9 warnings"]
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[2:]
            if line.strip() and not line.strip().startswith("─")]
    assert rows == [["Kind", "Warnings", "Files"], ["stale fact", "3", "2"],
                    ["undated fact", "1", "1"], ["unsourced fact", "1", "1"],
                    ["source without URL", "1", "1"], ["axis short of the scale", "1", "1"],
                    ["criterion never known", "2", "1"]]


def test_lines_format_is_one_grep_able_line_per_problem_in_file_order(ws):
    result = run("validate", "--format", "lines")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines() == [
        *sorted(RUBRIC_WARNINGS, key=lambda line: int(line.split(":")[1])),
        ONE_WARNINGS[4], ONE_WARNINGS[3], ONE_WARNINGS[2], ONE_WARNINGS[0], ONE_WARNINGS[1],
        *TWO_WARNINGS]


def test_json_lists_every_problem_with_its_place_kind_and_the_counts(ws):
    result = run("validate", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["as_of", "valid", "rubric", "dossiers", "problems", "summary"]
    assert (data["as_of"], data["valid"]) == (TODAY, True)
    assert data["rubric"] == {"file": "rubrics/default.yaml", "id": "mini", "version": "2",
                              "axes": 2, "criteria": 5}
    assert data["dossiers"] == [{"id": "one", "file": "projects/one.yaml"},
                                {"id": "two", "file": "projects/two.yaml"}]
    assert data["problems"][0] == {
        "file": "rubrics/default.yaml", "line": 31, "column": 9, "severity": "warning",
        "kind": "never-known", "message": "criterion 'ratio' is unknown for every project: no "
                                          "dossier states a.bottom"}
    shown = [f"{p['file']}:{p['line']}:{p['column']}: {p['severity']}: {p['message']}"
             for p in data["problems"]]
    assert shown == run("validate", "--format", "lines").stdout.splitlines()
    assert [p["kind"] for p in data["problems"]] == [
        "never-known", "axis-range", "never-known", "no-url", "unsourced", "undated", "stale",
        "stale", "stale"]
    assert data["summary"] == {
        "errors": 0, "warnings": 9,
        "kinds": {"stale": 3, "undated": 1, "unsourced": 1, "no-url": 1, "axis-range": 1,
                  "never-known": 2},
        "files": {"rubrics/default.yaml": {"errors": 0, "warnings": 3},
                  "projects/one.yaml": {"errors": 0, "warnings": 5},
                  "projects/two.yaml": {"errors": 0, "warnings": 1}}}
    assert list(data["summary"]["kinds"]) == [k for k in KINDS if k in data["summary"]["kinds"]]


def test_json_of_errors_has_their_kinds_and_exit_status_1(ws):
    write(ws, "bad.yaml", "id: bad\nname: Bad\nfacts:\n  a.cuont: 1\n  a.flag: yes\n"
                          "  a.top: {value: 1,000}\n  a.kind: 3\n")
    write(ws, "worse.yaml", "id: worse\nname: [Worse\n")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1 and result.stderr == ""
    data = json.loads(result.stdout)
    assert data["valid"] is False and data["dossiers"] == [] and data["rubric"]["id"] == "mini"
    assert [(p["file"], p["line"], p["kind"]) for p in data["problems"]] == [
        ("projects/bad.yaml", 4, "unknown-name"), ("projects/bad.yaml", 5, "yaml-value"),
        ("projects/bad.yaml", 6, "yaml-value"), ("projects/bad.yaml", 7, "invalid"),
        ("projects/worse.yaml", 3, "yaml")]
    assert all(p["severity"] == "error" for p in data["problems"])
    assert data["summary"]["errors"] == 5 and data["summary"]["warnings"] == 0
    lines = run("validate", "--format", "lines")
    assert lines.exit_code == 1 and len(lines.stdout.splitlines()) == 5


def test_errors_in_the_table_format_stay_one_line_each_on_stderr(ws):
    write(ws, "bad.yaml", "id: bad\nname: Bad\nfacts:\n  a.cuont: 1\n")
    result = run("validate")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == ("projects/bad.yaml:4:3: error: unknown fact 'a.cuont' (did you "
                             "mean 'a.count'?); the rubric's vocabulary lists the facts a "
                             "dossier may state\n")


def test_a_missing_file_is_a_file_problem_in_json(ws):
    data = json.loads(run("validate", "projects/absent.yaml", "--format", "json").stdout)
    assert data["problems"] == [{"file": "projects/absent.yaml", "line": None, "column": None,
                                 "severity": "error", "kind": "file",
                                 "message": "no such file or folder"}]


# ---------------------------------------------------------------- 5. --lang ja


def test_validate_speaks_japanese_in_its_own_words(ws):
    result = run("validate", "--lang", "ja")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == ("rubrics/default.yaml — 警告3件（尺度の両端に届かない"
                                             "評価項目：1、どのプロジェクトでも不明な基準：2）")
    assert "projects/two.yaml — 警告1件（古い事実：1）" in result.stderr.splitlines()
    out = result.stdout.splitlines()
    assert out[:2] == [
        "rubrics/default.yaml：ルーブリック 'mini' v2 は有効です（評価項目2、基準5）",
        "2件のプロジェクトファイルは有効です：one, two — 警告9件"]
    assert out[3].split() == ["種類", "警告数", "ファイル数"]
    for english in ("warning (", "warnings (", "valid rubric", "dossiers valid", "Kind",
                    "stale fact", "latest observation", "no source", "has no url",
                    "can only score", "is unknown for every project"):
        assert english not in result.output, english
    assert ("projects/one.yaml:8:12: warning: a.count：最新の観測は2020-01-01で、2026-11-26の"
            "2,521日前です（ルーブリックの鮮度の上限は365日）") in result.stderr.splitlines()
    assert ("rubrics/default.yaml:32:3: warning: 評価項目 'beta' は2〜5点しか取れず、尺度1〜5の"
            "全体に届きません。基礎点と基準では最低点に届きません") in result.stderr.splitlines()


def test_errors_stay_english_in_japanese(ws):
    write(ws, "bad.yaml", "id: bad\nname: Bad\nfacts:\n  a.cuont: 1\n")
    result = run("validate", "--lang", "ja")
    assert result.exit_code == 1
    assert result.stderr.startswith("projects/bad.yaml:4:3: error: unknown fact 'a.cuont' (did "
                                    "you mean 'a.count'?)")


def test_an_unknown_language_is_a_usage_error(ws):
    result = run("validate", "--lang", "fr")
    assert result.exit_code == 2 and "'fr' is not one of 'en', 'ja'" in result.stderr


# ---------------------------------------------------------------- 6. standard input


def test_a_dossier_from_standard_input_is_named_stdin(ws):
    result = run("validate", "-", stdin=ONE.replace("id: one", "id: draft").encode())
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "1 dossier valid: draft — 5 warnings"
    assert result.stderr.splitlines()[0] == ("<stdin> — 5 warnings (stale fact: 2, undated "
                                             "fact: 1, unsourced fact: 1, source without URL: "
                                             "1)")
    assert [line.replace("<stdin>", "projects/one.yaml") for line in
            result.stderr.splitlines()[1:]] == ONE_WARNINGS
    assert "is not the file's name" not in result.stderr  # no file, no name to match


def test_an_error_from_standard_input_has_its_line_and_column(ws):
    result = run("validate", "-", stdin=(HEADER + "  a.count:\n    5\n    source: web\n")
                 .encode())
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("<stdin>:7:5: error: invalid YAML: '5' stands without a "
                                    "key")


@pytest.mark.parametrize(("data", "expected"), [
    (b"id: x\nname: Caf\xe9\n", "<stdin>:2:10: error: not valid UTF-8 (byte 0xe9); save the "
                                "file as UTF-8\n"),
    (b"id: x\nname: X\nnote: '" + b"x" * MAX_BYTES + b"'\n",
     "<stdin>: error: file is larger than 4 MiB; a rubric or dossier is a few kilobytes\n"),
    (b"", "<stdin>:1:1: error: file is empty: expected a YAML mapping\n"),
])  # fmt: skip
def test_standard_input_is_held_to_the_limits_of_a_file(ws, data, expected):
    result = run("validate", "-", stdin=data)
    assert result.exit_code == 1 and result.stderr == expected


def test_standard_input_goes_alone(ws):
    result = run("validate", "-", "projects/one.yaml", stdin=ONE.encode())
    assert result.exit_code == 2
    assert "`-` reads one dossier from standard input: give no other PATH with it" in \
        result.stderr


def test_standard_input_is_checked_against_the_other_options(ws):
    result = run("validate", "-", "--as-of", "2020-06-01", "--format", "json",
                 stdin=ONE.encode())
    data = json.loads(result.stdout)
    assert data["dossiers"] == [{"id": "one", "file": "<stdin>"}]
    assert data["summary"]["kinds"] == {"undated": 1, "unsourced": 1, "no-url": 1}


# ---------------------------------------------------------------- 7. dates and ids


@pytest.mark.parametrize(("fact", "expected"), [
    ("  a.count: {value: 1, as_of: 2024-06-31}\n",
     "projects/typo.yaml:6:30: error: a.count: as_of: '2024-06-31' is not a calendar date"),
    ("  b.when: 2024-06-31\n",
     "projects/typo.yaml:6:11: error: b.when: '2024-06-31' is not a calendar date"),
])  # fmt: skip
def test_a_day_that_is_not_in_the_calendar_names_its_field(ws, fact, expected):
    result = run("validate", write(ws, "typo.yaml", HEADER + fact))
    assert result.exit_code == 1 and result.stderr == expected + "\n"


def test_an_id_that_is_not_the_file_name_warns_with_its_place(ws):
    (ws / "projects" / "two.yaml").unlink()
    write(ws, "one.yaml", ONE.replace("id: one", "id: uno"))
    result = run("validate", "projects/one.yaml")
    assert result.exit_code == 0
    assert ("projects/one.yaml:1:5: warning: id 'uno' is not the file's name 'one.yaml': "
            "commands such as `scorer explain uno` take the id; rename one"
            in result.stderr.splitlines())
    assert "id unlike file name: 1" in result.stderr.splitlines()[0]
