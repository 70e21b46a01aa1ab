"""`--lang ja` says everything in Japanese: no English of the message catalogue in the output
of any command that takes --lang, in any format that shows words (table, markdown).

The dossiers' and the rubric's own text (names, notes, rules, `why`, ids, values) is the
analyst's, in whatever language: it is taken out of the output before the check. What is
left must hold no English text of `scorer.i18n` whose Japanese differs from it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from scorer.cli import cli
from scorer.i18n import catalogue
from scorer.untrusted import markdown_cell
from tests.cli.conftest import TODAY
from tests.conftest import PROJECTS, ROOT

# A dossier whose risk axis computes 3 - 4 = -1, clamped to the scale, and whose technology
# is overridden: the only way to show explain's clamping note and an override, which the
# bundled dossiers never reach. Its one fact without a source shows "no source".
CLAMPED = """\
id: clamped
name: Clamped
facts:
  tech: {proof_of_work: true, open_source: false}
  governance: {emergency_keys: true, single_company_control: true}
overrides:
  technology: {score: 2, reason: Judgement.}
"""

RUNS: dict[str, list[list[str]]] = {
    "compare": [
        ["compare"],
        ["compare", "--as-of", "2025-08-26", "--min-reliability", "primary"],  # provisional
        ["compare", "--format", "markdown", "--as-of", "2025-08-26", "--min-reliability",
         "primary"],
    ],
    "explain": [
        ["explain", "flux"],
        ["explain", "akash", "--as-of", "2025-08-26"],  # uncertain, settled by, looked back
        ["explain", "clamped"],
    ],
    "history": [
        ["history", "--every", "year", "--axes"],
        ["history", "--every", "year", "--axes", "--format", "markdown"],
    ],
    "diff": [
        ["diff", "2025-08-26", "today"],
        ["diff", "2025-08-26", "--min-reliability-b", "primary"],
        ["diff", "2024-01-01", "today"],  # projects appear
    ],
    "sensitivity": [
        ["sensitivity", "--samples", "300"],
        ["sensitivity", "--samples", "300", "--no-evidence", "--concentration", "50"],
    ],
    "rubric": [["rubric"], ["rubric", "--format", "markdown"]],
    "export": [["export", "--samples", "100", "--out", "book.xlsx"]],
    "validate": [["validate"]],
}
"""Per command, the runs that show all it can say (a command runs only if it takes --lang)."""


def _takes_lang(command: click.Command) -> bool:
    return any("--lang" in p.opts for p in command.params if isinstance(p, click.Option))


def _strings(value: object) -> Iterator[str]:
    """Every string inside a loaded YAML document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _their_text(folder: Path) -> list[str]:
    """The rubric's and the dossiers' own text, longest first, as each output shows it."""
    files = [folder / "rubrics" / "default.yaml", *sorted((folder / "projects").glob("*.yaml"))]
    texts = {s.strip() for path in files
             for s in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))}
    texts |= {str(markdown_cell(s)) for s in texts}
    texts |= {p.stem for p in files} | {f"{p.parent.name}/{p.name}" for p in files}
    return sorted((s for s in texts if len(s) >= 2), key=len, reverse=True)


def _phrases() -> dict[str, str]:
    """Each English text of the catalogue whose Japanese says it otherwise, cut at its
    {placeholders}: phrase → key. A piece of a text needs two words ("of" alone means
    nothing); a whole text may be one ("pass"). A phrase the Japanese keeps too (a proper
    name: "SMAA-2") is allowed."""
    found: dict[str, str] = {}
    for key, (en, ja) in catalogue().items():
        if en == ja:
            continue
        pieces = re.split(r"\{[^{}]*\}", en)
        for piece in pieces:
            phrase = piece.strip(" \n,.;:·()/*`'-")
            words = re.findall("[A-Za-z]{2,}", phrase)
            if (len(words) >= 2 or (len(pieces) == 1 and words and len(words[0]) >= 3)) and (
                    phrase not in ja):
                found.setdefault(phrase, key)
    return found


def _found(phrase: str, text: str) -> bool:
    words = r"\s+".join(map(re.escape, phrase.split()))
    return re.search(rf"(?<![A-Za-z]){words}(?![A-Za-z])", text) is not None


@pytest.fixture(scope="module")
def japanese(tmp_path_factory) -> dict[str, str]:
    """Every run of `RUNS` with --lang ja, in a copy of the bundled files: args → output,
    the analyst's own text taken out."""
    folder = tmp_path_factory.mktemp("ja")
    shutil.copytree(PROJECTS, folder / "projects")
    shutil.copytree(ROOT / "rubrics", folder / "rubrics")
    (folder / "projects" / "clamped.yaml").write_text(CLAMPED, encoding="utf-8")
    theirs = _their_text(folder)
    runner = CliRunner(env={"COLUMNS": "1000", "NO_COLOR": "1", "SCORER_TODAY": TODAY})
    outputs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for name, command in cli.commands.items():
            if not _takes_lang(command):
                continue
            for args in RUNS[name]:
                result = runner.invoke(cli, [*args, "--lang", "ja"], catch_exceptions=False)
                assert result.exit_code == 0, f"{args}: {result.output}"
                text = result.output
                for their in theirs:
                    text = re.sub(rf"(?<![\w.]){re.escape(their)}(?![\w.])", " ", text)
                outputs[" ".join(args)] = text
    return outputs


def test_every_command_that_takes_lang_is_run():
    missing = [name for name, command in cli.commands.items()
               if _takes_lang(command) and name not in RUNS]
    assert not missing, f"add runs to RUNS for: {missing}"


def test_the_check_finds_english_where_there_is_some():
    phrases = _phrases()
    english = "Rank acceptability (SMAA-2) over 300 uniform random weightings: share of"
    assert {phrases[p] for p in phrases if _found(p, english)} >= {
        "section.acceptability", "uniform_weights"}
    assert "SMAA-2" not in phrases and not _found("uncertain", "uncertainty")


def test_japanese_output_holds_no_english_of_the_catalogue(japanese):
    phrases = _phrases()
    leaks = [f"scorer {args} --lang ja: {phrase!r} (key {key!r})"
             for args, text in japanese.items() for phrase, key in phrases.items()
             if _found(phrase, text)]
    assert not leaks, "English of the catalogue in Japanese output:\n  " + "\n  ".join(leaks)


def test_japanese_runs_cover_every_format_that_shows_words(japanese):
    assert any("markdown" in args for args in japanese if args.startswith("compare"))
    assert any("markdown" in args for args in japanese if args.startswith("rubric"))
    assert {args.split()[0] for args in japanese} >= {"compare", "explain", "history", "diff",
                                                      "sensitivity", "rubric"}
