"""Untrusted text stays text in every output: terminal, JSON, CSV, markdown, HTML, workbook.

A rubric and a dossier carry an attack in every free-text field (title, labels, `why`,
version, name, ticker, description, source title, publisher and note, fact notes and values,
override reason). Every command that prints them must print no raw control or bidi
character, interpret no markup, let no cell become a formula or a new column or row, and
write a workbook that every reader opens.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer.cli import cli
from scorer.untrusted import FORMULA_STARTS, HIDDEN, csv_cell, json_escape_invisible, printable
from tests.conftest import MINI_RUBRIC

ATTACKS = {
    "screen clear": "\x1b[2J\x1b[H",
    "OSC 52 clipboard write": "\x1b]52;c;ZXZpbA==\x07",
    "OSC 8 hyperlink": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "C1 control sequence": "\x9b2J\x9d0;title\x9c",
    "carriage return": "safe\rEVIL",
    "bidi override": "abc\u202edcba\u2066x\u2069",
    "zero-width and tags": "a\u200bb\U000e0041",
    "rich closing tag": "[/]",
    "rich hyperlink": "[link=file:///etc/passwd]open me[/link]",
    "rich style": "[bold red on white]loud[/]",
    "emoji code": ":warning: :smile:",
    "formula": '=HYPERLINK("https://evil.example","x")',
    "DDE formula": "+cmd|' /C calc'!A0",
    "minus formula": "-2+3",
    "at formula": "@SUM(1,2)",
    "full-width formula": "＝1+1",
    "markdown pipes": "a | b | c",
    "markdown forged row": "x\n| 1 | forged | row |",
    "html": "<script>alert(1)</script>&amp;",
    "XML non-characters": "x\ufffe\uffff",
    "NUL and controls": "a\x00b\x07c\x08d",
    "YAML line breaks": "a\u2028b\u2029c\x85d",
    "tab": "a\tb",
}


def hostile_workspace(folder: Path, text: str) -> Path:
    """A mini rubric and two dossiers, `text` in every free-text field of both files."""
    rubric = yaml.safe_load(MINI_RUBRIC.read_text(encoding="utf-8"))
    rubric["title"]["en"] = "Title " + text
    rubric["version"] = "2 " + text
    for axis in rubric["axes"].values():
        axis["label"] = {"en": "Axis " + text, "ja": "軸 " + text}
        axis["short"] = {"en": "Ax" + text, "ja": "軸" + text}
        for criterion in axis["criteria"]:
            criterion["why"] = "Why " + text
    rubric["grades"][0]["label"] = {"en": "High " + text, "ja": "高 " + text}
    (folder / "rubrics").mkdir(parents=True)
    (folder / "projects").mkdir()
    dump(rubric, folder / "rubrics" / "default.yaml")
    source = "src"
    for project, flag in (("hostile", True), ("plain", False)):
        dossier = {
            "id": project, "name": text if flag else "Plain", "ticker": "T" + text,
            "description": "About " + text, "as_of": "2025-06-01",
            "sources": {source: {"title": "Source " + text, "url": "https://example.org/a",
                                 "date": "2025-01-01", "reliability": "primary",
                                 "publisher": "Pub " + text, "note": "Note " + text}},
            "facts": {
                "a.flag": {"value": flag, "source": source, "note": "Fact note " + text},
                "a.count": {"value": 50, "source": source},
                "a.kind": {"value": "x", "source": source},
                "b.label": {"value": "Label " + text, "source": source},
                "b.tags": {"value": ["tag " + text], "source": source},
            },
            "overrides": {"beta": {"score": 2, "reason": "Reason " + text}} if flag else {},
        }
        dump(dossier, folder / "projects" / f"{project}.yaml")
    return folder


def dump(data: dict, path: Path) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False),
                    encoding="utf-8")


def run(folder: Path, *args: str, env: dict[str, str] | None = None):
    environment = {"SCORER_TODAY": "2026-11-26", "COLUMNS": "250", **(env or {})}
    result = CliRunner(env=environment).invoke(
        cli, [*args, "--rubric", str(folder / "rubrics" / "default.yaml")],
        catch_exceptions=False)
    assert "Traceback" not in result.stderr
    return result


def with_projects(folder: Path, *args: str) -> list[str]:
    return [*args, "--projects", str(folder / "projects")]


def assert_nothing_hidden(output: str) -> None:
    """No character that acts on the display, line breaks aside."""
    found = sorted({hex(ord(m[0])) for m in HIDDEN.finditer(output) if m[0] != "\n"})
    assert not found, f"raw hidden characters in the output: {found}"


TEXT_COMMANDS = {
    "compare": ["compare"],
    "compare markdown": ["compare", "--format", "markdown"],
    "compare grid": ["compare", "--format", "grid"],
    "compare html": ["compare", "--format", "html"],
    "compare latex": ["compare", "--format", "latex"],
    "explain": ["explain", "hostile"],
    "explain in Japanese": ["explain", "hostile", "--lang", "ja"],
    "sensitivity": ["sensitivity", "--samples", "200"],
    "history": ["history", "--every", "year"],
    "diff": ["diff", "2025-01-01", "today"],
    "validate": ["validate"],
}
MACHINE_COMMANDS = {
    "compare json": ["compare", "--format", "json"],
    "compare csv": ["compare", "--format", "csv"],
    "explain json": ["explain", "hostile", "--format", "json"],
    "sensitivity json": ["sensitivity", "--samples", "200", "--format", "json"],
    "history json": ["history", "--every", "year", "--format", "json"],
    "history csv": ["history", "--every", "year", "--format", "csv"],
    "diff json": ["diff", "2025-01-01", "today", "--format", "json"],
}
RUBRIC_COMMANDS = {
    "rubric": ["rubric"],
    "rubric markdown": ["rubric", "--format", "markdown"],
    "rubric csv": ["rubric", "--format", "csv"],
    "rubric json": ["rubric", "--format", "json"],
}


@pytest.fixture(scope="module", params=list(ATTACKS))
def attacked(request, tmp_path_factory) -> tuple[str, Path]:
    text = ATTACKS[request.param]
    return text, hostile_workspace(tmp_path_factory.mktemp("hostile"), text)


@pytest.mark.parametrize("command", [*TEXT_COMMANDS, *MACHINE_COMMANDS, *RUBRIC_COMMANDS])
def test_no_command_prints_a_raw_control_or_bidi_character(attacked, command):
    _, folder = attacked
    args = {**TEXT_COMMANDS, **MACHINE_COMMANDS, **RUBRIC_COMMANDS}[command]
    result = run(folder, *(args if command in RUBRIC_COMMANDS else with_projects(folder, *args)))
    assert result.exit_code == 0, result.stderr
    assert_nothing_hidden(result.stdout)
    assert_nothing_hidden(result.stderr)


@pytest.mark.parametrize("command", ["compare", "explain", "sensitivity", "history", "rubric"])
def test_markup_in_untrusted_text_is_printed_as_typed_on_a_colour_terminal(tmp_path, command):
    markup = "[link=file:///etc/passwd]open me[/link] [bold]x[/] [/] :warning:"
    folder = hostile_workspace(tmp_path, markup)
    args = {"compare": ["compare"], "explain": ["explain", "hostile"],
            "sensitivity": ["sensitivity", "--samples", "200"],
            "history": ["history", "--every", "year"], "rubric": ["rubric"]}[command]
    result = run(folder, *(args if command == "rubric" else with_projects(folder, *args)),
                 env={"FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout  # a colour terminal indeed: rich styles the output
    assert "\x1b]8;" not in result.stdout  # … but makes no hyperlink
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)  # drop the colours rich adds
    assert re.search(r"\x1b(?!\[[0-9;]*m)", result.stdout) is None  # SGR colours only
    assert "[link=file:///etc/passwd]open me[/link]" in plain
    assert "⚠" not in plain and ":warning:" in plain


def test_json_round_trips_every_attack_exactly(attacked):
    text, folder = attacked
    compared = json.loads(run(folder, *with_projects(folder, "compare", "--format", "json"))
                          .stdout)
    assert {p["id"]: p["name"] for p in compared["projects"]}["hostile"] == text
    explained = json.loads(run(folder, *with_projects(folder, "explain", "hostile", "--format",
                                                      "json")).stdout)
    assert explained["name"] == text
    assert explained["axes"]["beta"]["override"]["reason"] == "Reason " + text


def test_csv_cells_never_start_a_formula_and_raw_gives_the_exact_text(attacked):
    text, folder = attacked
    guarded = list(csv.DictReader(io.StringIO(
        run(folder, *with_projects(folder, "compare", "--format", "csv")).stdout)))
    name = next(row["name"] for row in guarded if row["id"] == "hostile")
    assert name == csv_cell(text)
    assert not name.startswith(FORMULA_STARTS) or name == text == printable(text)
    raw = list(csv.DictReader(io.StringIO(
        run(folder, *with_projects(folder, "compare", "--format", "csv", "--raw")).stdout,
        newline="")))
    assert next(row["name"] for row in raw if row["id"] == "hostile") == text


def test_formula_attacks_are_guarded_in_csv(tmp_path):
    for i, attack in enumerate(a for a in ATTACKS.values() if a.startswith(FORMULA_STARTS)):
        folder = hostile_workspace(tmp_path / str(i), attack)
        output = run(folder, *with_projects(folder, "compare", "--format", "csv")).stdout
        rows = list(csv.DictReader(io.StringIO(output)))
        assert next(r["name"] for r in rows if r["id"] == "hostile").startswith("'" + attack[0])


@pytest.mark.parametrize("command", [["compare"], ["history", "--every", "year"]])
def test_markdown_tables_keep_their_columns_and_rows(attacked, command):
    _, folder = attacked
    output = run(folder, *with_projects(folder, *command, "--format", "markdown")).stdout
    lines = output.splitlines()
    cells = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
    assert len(cells) == 1  # every line has as many cell borders as the header
    rows = 2 if command[0] == "compare" else len(lines) - 2
    assert len(lines) == rows + 2  # header, rule, one line per row: no forged row
    assert "<script>" not in output


def test_rubric_markdown_keeps_its_columns(attacked):
    _, folder = attacked
    output = run(folder, "rubric", "--format", "markdown").stdout
    for table in output.strip().split("\n\n"):
        assert len({len(re.findall(r"(?<!\\)\|", line)) for line in table.splitlines()}) == 1


def test_every_workbook_opens_in_openpyxl_and_pandas(attacked, tmp_path):
    text, folder = attacked
    out = tmp_path / "hostile.xlsx"
    result = run(folder, *with_projects(folder, "export", "--samples", "100", "--out",
                                        str(out)))
    assert result.exit_code == 0, result.stderr
    assert_nothing_hidden(result.stdout)
    workbook = openpyxl.load_workbook(out)
    summary = pd.read_excel(out, sheet_name="Summary", header=3)
    assert printable(text, newlines=True) in set(summary["Project"])
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # scorer's own formulas only: no text from files
                    formula = str(cell.value)
                    assert text not in formula and printable(text, newlines=True) not in formula
                elif isinstance(cell.value, str):
                    assert_nothing_hidden(cell.value)


# ---------------------------------------------------------------- property-based

QUICK_COMMANDS = [["compare"], ["compare", "--format", "markdown"], ["explain", "hostile"],
                  ["sensitivity", "--samples", "100"], ["validate"]]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=16)
       .filter(str.strip))  # a blank name is refused, at its line
def test_any_text_round_trips_to_every_output_without_a_hidden_character(tmp_path_factory,
                                                                        text):
    folder = hostile_workspace(tmp_path_factory.mktemp("any"), text)
    for args in QUICK_COMMANDS:
        result = run(folder, *with_projects(folder, *args))
        assert result.exit_code == 0, (args, result.stderr)
        assert_nothing_hidden(result.stdout + result.stderr)
    compared = json.loads(run(folder, *with_projects(folder, "compare", "--format", "json"))
                          .stdout)
    name = text.strip()  # a name is trimmed when it loads, like every text field
    assert {p["id"]: p["name"] for p in compared["projects"]}["hostile"] == name
    rows = list(csv.DictReader(io.StringIO(
        run(folder, *with_projects(folder, "compare", "--format", "csv")).stdout)))
    cell = next(r["name"] for r in rows if r["id"] == "hostile")
    assert cell == csv_cell(name) and (not cell.startswith(FORMULA_STARTS) or cell == name)
    out = folder / "any.xlsx"
    assert run(folder, *with_projects(folder, "export", "--samples", "50", "--out",
                                      str(out))).exit_code == 0
    openpyxl.load_workbook(out)


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.text() | st.integers() | st.none(),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12))
def test_json_escapes_every_hidden_character_and_keeps_its_layout(record):
    dumped = json.dumps(record, ensure_ascii=False, indent=2)
    escaped = json_escape_invisible(dumped)
    assert json.loads(escaped) == record
    assert escaped.split("\n") == [json_escape_invisible(line) for line in dumped.split("\n")]
    assert [c for c in escaped if HIDDEN.fullmatch(c)] == ["\n"] * dumped.count("\n")


def test_error_messages_show_hostile_keys_and_file_names_escaped(tmp_path):
    folder = hostile_workspace(tmp_path, "x")
    evil = folder / "projects" / "evil\x1b[2J\u202e.yaml"
    evil.write_text('id: evil\nname: E\nfacts:\n  "a.fl\\e]52;c;eA==\\aag": {value: true}\n',
                    encoding="utf-8")
    result = run(folder, *with_projects(folder, "compare"))
    assert result.exit_code == 1
    assert_nothing_hidden(result.stderr)
    assert "evil\\x1b[2J\\u202e.yaml:4:3:" in result.stderr
    assert "a.fl\\x1b]52;c;eA==\\x07ag" in result.stderr
