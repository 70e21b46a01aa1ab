"""The README documents every command and option, and `--lang ja` output is Japanese."""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from scorer.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def catalogue() -> dict[str, tuple[str, str]]:
    """The interface words, key → (English, Japanese); the one place to follow a move."""
    from scorer.i18n import _WORDS

    return _WORDS


# ---------------------------------------------------------------- the Commands section

def _long_options(command: click.Command) -> list[str]:
    """Every `--option` a user can type for the command, --help and --version aside."""
    return [name for param in command.params if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)
            if name.startswith("--") and name not in ("--help", "--version")]


def _commands_section() -> tuple[str, dict[str, str]]:
    """The README's Commands section: its paragraph of shared options, its rows by command."""
    text = README.read_text(encoding="utf-8")
    assert "\n## Commands\n" in text, "README.md has no '## Commands' section"
    section = text.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    shared = section.split("\n|", 1)[0]
    rows = {m[1]: m[0] for m in re.finditer(r"^\| `scorer ([\w-]+).*$", section, re.M)}
    return shared, rows


def _mentions(text: str, option: str) -> bool:
    """Whether `text` shows the option as code, alone, with its value or as one side of an
    on/off pair: `--out`, `--as-of D`, `--evidence/--no-evidence`."""
    name = re.escape(option)
    return re.search(rf"`(--[\w-]+/)?{name}[`\s=/]", text) is not None


def test_every_command_and_option_is_in_the_readme() -> None:
    shared, rows = _commands_section()
    missing = []
    for name, command in cli.commands.items():
        row = rows.get(name)
        if row is None:
            missing.append(f"a table row for `scorer {name}`")
        missing += [f"`scorer {name}` option `{option}`" for option in _long_options(command)
                    if not (_mentions(row or "", option) or _mentions(shared, option))]
    assert not missing, "README.md, section Commands, does not document:\n  " + "\n  ".join(
        missing)


# ---------------------------------------------------------------- Japanese output

# Values for the required arguments of commands run with --lang ja.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "project": ("flux", "clamped"),
    # diff's dates are optional, but without them it has nothing to compare.
    "date_a": ("2025-08-26",),
    "date_b": ("today",),
}

# A dossier whose risk axis computes 3 - 4 = -1, clamped to the scale: the only way to show
# explain's clamping note, which the bundled dossiers never reach.
CLAMPED = """\
id: clamped
name: Clamped
facts:
  tech: {proof_of_work: true, open_source: false}
  governance: {emergency_keys: true, single_company_control: true}
"""


def english_fragments() -> dict[str, str]:
    """Phrases of the English catalogue (fragment → key) that Japanese output must not show.

    Each English text is cut at its {placeholders} and its punctuation, so that a clause
    such as "clamped to the scale" is found even when rebuilt around other words. A phrase
    needs two words with letters (one word alone is too common to mean a leak), and phrases
    that the Japanese text keeps too (proper nouns: "SMAA-2") are allowed.
    """
    fragments: dict[str, str] = {}
    for key, (en, ja) in catalogue().items():
        for piece in re.split(r"\{[^{}]*\}|[^\w\s'’&-]+", en):
            fragment = " ".join(piece.split()).strip("-'’ ")
            words = [w for w in fragment.split() if re.search("[A-Za-z]", w)]
            if len(words) >= 2 and fragment not in ja:
                fragments.setdefault(fragment, key)
    return fragments


def whole_texts() -> dict[str, str]:
    """Capitalised English catalogue texts (text → key): a workbook cell holding exactly one
    is a leak even of one word, such as a header "Score". Lowercase ones could be ids."""
    return {en: key for key, (en, ja) in catalogue().items()
            if en[:1].isupper() and "{" not in en and en != ja}


def leaks(text: str, fragments: dict[str, str]) -> list[str]:
    """The catalogue phrases found in `text`, as whole words, whatever the line breaks."""
    return [f"{fragment!r} (catalogue key {key!r})" for fragment, key in fragments.items()
            if re.search(r"(?<!\w)" + r"\s+".join(map(re.escape, fragment.split())) + r"(?!\w)",
                         text)]


def _strings(value: object) -> Iterator[str]:
    """Every string inside a loaded YAML document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def japanese_runs(projects: Path, out: Path) -> Iterator[list[str]]:
    """The argument lists of every command that takes --lang, run with --lang ja."""
    for name, command in cli.commands.items():
        options = set(_long_options(command))
        if "--lang" not in options:
            continue
        args = ["--lang", "ja"]
        if "--projects" in options:
            args += ["--projects", str(projects)]
        if "--samples" in options:
            args += ["--samples", "200"]
        if "--out" in options:
            args += ["--out", str(out / f"{name}.xlsx")]
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        unknown = [p.name for p in arguments if p.required and p.name not in EXAMPLES]
        assert not unknown, f"add a value for `scorer {name}` argument {unknown} to EXAMPLES"
        given = [p.name or "" for p in arguments if p.name in EXAMPLES]
        for values in itertools.product(*(EXAMPLES[p] for p in given)):
            yield [name, *values, *args]


def test_japanese_output_has_no_catalogue_english(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    monkeypatch.chdir(ROOT)
    projects = tmp_path / "projects"
    shutil.copytree(ROOT / "projects", projects)
    (projects / "clamped.yaml").write_text(CLAMPED, encoding="utf-8")
    fragments, wholes = english_fragments(), whole_texts()
    # A wide terminal keeps each phrase on one line of its table cell.
    runner = CliRunner(env={"COLUMNS": "1000", "NO_COLOR": "1"})
    found = []
    for args in japanese_runs(projects, tmp_path):
        result = runner.invoke(cli, args, prog_name="scorer", catch_exceptions=False)
        assert result.exit_code == 0, f"scorer {' '.join(args)}:\n{result.output}"
        shown = " ".join(args[:args.index("--lang") + 2])
        found += [f"scorer {shown}: {leak}" for leak in leaks(result.output, fragments)]
    book = tmp_path / "export.xlsx"
    assert book.exists(), "`scorer export --lang ja` wrote no workbook to check"
    workbook = load_workbook(book)
    # The dossiers' own words (notes, claims) are the analyst's text, in whatever language.
    theirs = set(_strings([yaml.safe_load(path.read_text(encoding="utf-8"))
                           for path in projects.glob("*.yaml")]))
    for sheet in workbook.worksheets:
        texts = [sheet.title, *(c.value for row in sheet.iter_rows() for c in row
                                if isinstance(c.value, str) and c.value not in theirs)]
        sheet_leaks = dict.fromkeys(leak for text in texts for leak in leaks(text, fragments))
        sheet_leaks.update((f"cell {text!r} (catalogue key {wholes[text]!r})", None)
                           for text in texts if text.strip() in wholes)
        found += [f"scorer export --lang ja, sheet {sheet.title!r}: {leak}"
                  for leak in sheet_leaks]
    assert not found, "English of the catalogue in Japanese output:\n  " + "\n  ".join(found)
