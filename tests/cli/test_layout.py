"""Every table command at 80 and 100 columns, in English and in Japanese (two cells a
character): every column header whole, no line wider than the terminal, no word broken
across lines, and, piped, no line ending in spaces."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner
from rich import box
from rich.cells import cell_len
from rich.console import Group
from rich.table import Table

import scorer
from scorer.cli import cli
from scorer.i18n import t
from scorer.writers.console import SafeConsole, Text, console
from tests.cli.conftest import TODAY
from tests.conftest import DEFAULT_RUBRIC, PROJECTS, ROOT

WIDTHS = (80, 100)
LANGS = ("en", "ja")
COMMANDS: dict[str, list[str]] = {
    "compare": ["compare"],
    "compare provisional": ["compare", "--as-of", "2025-08-26", "--min-reliability", "primary"],
    "explain": ["explain", "flux"],
    "explain uncertain": ["explain", "akash", "--as-of", "2025-08-26"],
    "history": ["history"],  # 52 quarters since 2014: a long sparkline
    "history axes": ["history", "--every", "year", "--axes"],
    "diff": ["diff", "2025-08-26", "today"],
    "sensitivity": ["sensitivity", "--samples", "300"],
    "rubric": ["rubric"],
}
WIDE = 1000
"""A width at which nothing wraps: the words every narrower output must keep whole."""


def _run(args: list[str], width: int, lang: str) -> str:
    runner = CliRunner(env={"COLUMNS": str(width), "SCORER_TODAY": TODAY, "NO_COLOR": "1"})
    result = runner.invoke(cli, [*args, "--lang", lang], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def shown() -> dict[tuple[str, int, str], str]:
    """(command, width, language) → what the command prints, piped, from the repository."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return {(name, width, lang): _run(args, width, lang) for name, args in COMMANDS.items()
                for width in (*WIDTHS, WIDE) for lang in LANGS}


CASES = [(name, width, lang) for name in COMMANDS for width in WIDTHS for lang in LANGS]


def _headers(name: str, lang: str) -> list[str]:
    """The column headers of a command's tables, as the catalogue and the rubric word them."""
    workspace = scorer.load(PROJECTS, DEFAULT_RUBRIC)
    rubric = workspace.rubric
    axes = [axis.short_label(lang) for axis in rubric.axes.values()]
    names = [d.name for d in workspace.dossiers]
    if name.startswith("compare"):
        view = workspace.analyse(lang=lang).comparison()
        return view.headers(view.PEOPLE)
    if name.startswith("explain"):
        return [t(w, lang) for w in ("criterion", "outcome", "points", "facts")]
    if name.startswith("history"):
        return [t("date", lang), *names]
    if name == "diff":
        return [t(w, lang) for w in ("criterion", "points", "facts")]
    if name == "sensitivity":
        return [*(t(w, lang) for w in ("axis", "weight", "winner_range", "ranking_range",
                                       "project", "expected_rank", "confidence")),
                "0 … 1", *(f"#{r}" for r in range(1, len(names) + 1)), *names, *axes]
    return [*(t(w, lang) for w in ("criterion", "points", "rule", "why", "col.profile")),
            *axes, *rubric.profiles]


_NOT_WORD = r"\s\u2500-\u25ff\u3000-\u309f\u30fb\u3400-\u9fff\uff00-\uff65"
"""Where words end: spaces, rules and bars, and the Japanese characters a line may break
between (kanji, kana, full-width punctuation); a katakana word is a word."""


def _words(text: str) -> set[str]:
    return {w.strip(".,:;") for w in re.findall(f"[^{_NOT_WORD}]+", text)}


@pytest.mark.parametrize(("name", "width", "lang"), CASES)
def test_no_line_is_wider_than_the_terminal(shown, name, width, lang):
    wide = [line for line in shown[name, width, lang].splitlines() if cell_len(line) > width]
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize(("name", "width", "lang"), CASES)
def test_every_column_header_is_shown_whole(shown, name, width, lang):
    lines = shown[name, width, lang].splitlines()
    missing = [h for h in _headers(name, lang) if not any(h in line for line in lines)]
    assert not missing, f"headers cut or left out: {missing}"


@pytest.mark.parametrize(("name", "width", "lang"), CASES)
def test_no_word_is_broken_across_lines(shown, name, width, lang):
    whole = _words(shown[name, WIDE, lang])
    broken = sorted(_words(shown[name, width, lang]) - whole)
    assert not broken, f"pieces of words (or words cut short): {broken}"


@pytest.mark.parametrize(("name", "width", "lang"), CASES)
def test_piped_lines_end_without_spaces(shown, name, width, lang):
    padded = [line for line in shown[name, width, lang].splitlines() if line != line.rstrip()]
    assert not padded, padded


@pytest.mark.parametrize(("width", "lang"), [(w, lang) for w in WIDTHS for lang in LANGS])
def test_compare_shows_each_project_on_one_line_under_its_grade(shown, width, lang):
    out = shown["compare provisional", width, lang]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        data = json.loads(CliRunner().invoke(cli, [*COMMANDS["compare provisional"], "--format",
                                                   "json", "--lang", lang]).stdout)
    lines = out.splitlines()
    for project in data["projects"]:
        [row] = [line for line in lines
                 if re.match(rf"\s*\d+( \(\d+–\d+\))? {project['name']} ", line)]
        assert f"{project['total']:.1f} (" in row
        grade = project["grade"] + (f" ({t('provisional', lang)})" if project["provisional"]
                                    else "")
        heading = t("grade_is", lang, grade=grade)
        assert heading in lines[:lines.index(row)], heading  # the nearest heading above
        above = [line for line in lines[:lines.index(row)] if line.startswith(heading[:3])]
        assert above[-1] == heading


def test_compare_numbers_the_axes_only_where_their_labels_do_not_fit(shown):
    rubric = scorer.load(PROJECTS, DEFAULT_RUBRIC).rubric
    for width, lang, numbered in ((80, "en", False), (100, "en", False), (80, "ja", True),
                                  (100, "ja", False)):
        out = shown["compare", width, lang]
        key = t("axes_key", lang, key=" · ".join(
            f"{i} {axis.short_label(lang)}" for i, axis in enumerate(rubric.axes.values(), 1)))
        header = " ".join(axis.short_label(lang) for axis in rubric.axes.values())
        assert (key in out, header in out) == (numbered, not numbered), (width, lang)


def test_a_wide_terminal_shows_the_grade_as_a_column(shown):
    header = next(line for line in shown["compare", WIDE, "en"].splitlines() if "Rank" in line)
    assert header.split()[-1] == t("grade", "en")
    assert "Grade:" not in shown["compare", WIDE, "en"]


def test_japanese_wraps_between_characters_but_never_inside_a_latin_or_katakana_word():
    sentence = ("例：Akash：usage.enterprise_customers が成り立つならAkashとRenderが首位を"
                "分け合う。トークン経済健全性のスコア。")
    for width in range(26, 60):
        stream = io.StringIO()
        console(stream).print(Group(Text(sentence)), width=width)  # as writers print it
        lines = stream.getvalue().splitlines()
        assert all(cell_len(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == sentence.replace(" ", "")  # all there
        assert any("usage.enterprise_customers" in line for line in lines)
        assert any("トークン" in line for line in lines) and any("Render" in line for line in lines)
        assert not any(line.startswith(("。", "：", "ー")) for line in lines[1:])


def test_padding_is_kept_on_a_terminal_and_dropped_in_a_pipe():
    table = Table("A", "B", box=box.SIMPLE_HEAD)  # rich pads every cell to its width
    table.add_row("a long cell", "b")
    table.add_row("x", "b")
    piped, terminal = io.StringIO(), io.StringIO()
    console(piped).print(table)
    SafeConsole(file=terminal, width=40, force_terminal=True, color_system=None).print(table)
    assert all(line == line.rstrip() for line in piped.getvalue().splitlines())
    assert any(line != line.rstrip() for line in terminal.getvalue().splitlines())
    assert [line.rstrip() for line in terminal.getvalue().splitlines()] == \
        piped.getvalue().splitlines()
