"""`scorer new` with hostile names, tickers and rubric text: the new dossier says exactly what
was asked, in the keys of the template and no others, or the command is a usage error that
writes nothing."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer.cli import cli
from scorer.errors import ArgumentError
from scorer.loading import load_dossier, load_rubric
from scorer.safeyaml import parse
from scorer.scaffold import dossier_template, label_problem, yaml_string
from scorer.untrusted import printable
from tests.conftest import DEFAULT_RUBRIC, MINI_RUBRIC

TEMPLATE_KEYS = {"id", "name", "ticker", "as_of", "sources", "facts", "overrides"}
RUBRIC = load_rubric(DEFAULT_RUBRIC)
TODAY = date(2026, 1, 1)
REFERENCE = "../rubrics/default.schema.json"
HOSTILE = [
    "Golem\nwebsite: https://evil\n#",  # the injection of issue 12
    "Golem\rwebsite: x", "Golem\x85website: x", "Golem\u2028website: x", "Golem\u2029x",
    "Golem\ufffe", "Golem\uffff", "\ufeffGolem", "Go\u202elem", "Go\u2066lem\u2069", "Go\x00lem",
    "Go\x1b[31mlem", "Go\tlem", 'Go"lem', "Go\\lem", "Go\\nlem", "Go\\x85lem", "'Golem'",
    "Golem # not a comment", "&a Golem", "*a", "!!python/name:os.system", "{a: 1}", "[x]",
    "- x", "? x", "yes", "null", "~", "", " ", "1_000", "010", "190:20:30", "💻 Golem",
    "Go\u200dlem", "\U000e0001tag", "\udb40",
]  # fmt: skip


def new(folder, name: str | None, ticker: str | None, *extra: str):
    args = ["new", "golem", "--projects", str(folder / "projects"), "--rubric",
            str(folder / "rubrics" / "default.yaml"), *extra]
    args += [f"--name={name}"] if name is not None else []
    args += [f"--ticker={ticker}"] if ticker is not None else []
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def workspace(root):
    (root / "projects").mkdir(parents=True)
    (root / "rubrics").mkdir()
    shutil.copy(DEFAULT_RUBRIC, root / "rubrics" / "default.yaml")
    return root


def assert_says_exactly(folder, name: str | None, ticker: str | None, result) -> None:
    """`scorer new` wrote a dossier holding `name` and `ticker` and nothing else, or it is a
    usage error that wrote nothing."""
    target = folder / "projects" / "golem.yaml"
    problem = ((name is not None and label_problem(name))
               or (ticker is not None and label_problem(ticker, blank_ok=True)))
    if problem:
        assert result.exit_code == 2 and problem in result.stderr
        assert not target.exists() and not (folder / "rubrics" / "default.schema.json").exists()
        return
    assert result.exit_code == 0, result.stderr
    assert_file_says_exactly(target, "golem" if name is None else name, ticker, today=None)


def assert_template_says_exactly(tmp_path, name: str, ticker: str | None) -> None:
    """`dossier_template` (the library behind `scorer new`) writes `name` and `ticker` and
    nothing else, or refuses them with an `ArgumentError`."""
    problem = label_problem(name) or (ticker is not None and label_problem(ticker, blank_ok=True))
    if problem:
        with pytest.raises(ArgumentError, match=re.escape(problem)):
            dossier_template(RUBRIC, "golem", name, ticker, TODAY, REFERENCE)
        return
    target = tmp_path / "golem.yaml"
    target.write_text(dossier_template(RUBRIC, "golem", name, ticker, TODAY, REFERENCE), "utf-8")
    assert_file_says_exactly(target, name, ticker)


def assert_file_says_exactly(target, name: str, ticker: str | None, today=TODAY) -> None:
    dossier = load_dossier(target, RUBRIC, today)
    assert dossier.name == name.strip()
    assert dossier.ticker == (ticker or None)
    text = target.read_text("utf-8")
    data = parse(text).data
    assert set(data) <= TEMPLATE_KEYS
    assert (data["sources"], data["facts"], data["overrides"]) == ({}, None, {})
    for line in text.splitlines():
        assert printable(line) == line, line  # one line, nothing hidden: comments included


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_name_or_ticker_is_written_exactly_or_refused(tmp_path, text):
    assert_template_says_exactly(tmp_path, text, None)
    assert_template_says_exactly(tmp_path, "Golem", text)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.text(), ticker=st.none() | st.text())
def test_the_template_gives_back_exactly_the_name_and_ticker(tmp_path_factory, name, ticker):
    assert_template_says_exactly(tmp_path_factory.mktemp("template"), name, ticker)


@pytest.mark.parametrize("text", [
    "Golem\nwebsite: https://evil\n#", "Go\x85lem\u2028", "Go\u202elem\ufffe", 'Go"\\lem', "",
])  # fmt: skip
def test_a_hostile_name_or_ticker_through_the_cli(tmp_path, text):
    folder = workspace(tmp_path / "name")
    assert_says_exactly(folder, text, None, new(folder, text, None))
    folder = workspace(tmp_path / "ticker")
    assert_says_exactly(folder, "Golem", text, new(folder, "Golem", text))


def test_the_injection_of_the_issue_adds_no_key(tmp_path):
    folder = workspace(tmp_path)
    assert new(folder, "Golem\nwebsite: https://evil\n#", None).exit_code == 0
    dossier = load_dossier(folder / "projects" / "golem.yaml", RUBRIC)
    assert dossier.website is None and dossier.name == "Golem\nwebsite: https://evil\n#"


@pytest.mark.parametrize(("option", "value", "message"), [
    ("name", "Caf\udce9", "is not valid Unicode text"),  # argv bytes that were not UTF-8
    ("ticker", "\udcff", "is not valid Unicode text"),
    ("name", "", "must not be blank"),
    ("name", " \u3000\x85", "must not be blank"),
])  # fmt: skip
def test_a_name_that_cannot_be_written_is_a_usage_error_that_writes_nothing(tmp_path, option,
                                                                           value, message):
    folder = workspace(tmp_path)
    result = new(folder, **{"name": None, "ticker": None, option: value})
    assert result.exit_code == 2 and f"Invalid value for --{option}: {message}" in result.stderr
    assert sorted(p.name for p in folder.rglob("*")) == ["default.yaml", "projects", "rubrics"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.text(), ticker=st.text())
def test_new_then_load_gives_back_exactly_the_name_and_ticker(tmp_path_factory, name, ticker):
    folder = workspace(tmp_path_factory.mktemp("new"))
    assert_says_exactly(folder, name, ticker, new(folder, name, ticker))


@given(st.text())
def test_a_yaml_string_reads_back_exactly(text):
    assert parse(f"a: {yaml_string(text)}\n").data == {"a": text}


def test_rubric_text_copied_into_comments_stays_in_comments():
    mini = load_rubric(MINI_RUBRIC)
    evil = "A flag\nwebsite: https://evil\r\x85\u2028\u2029\u202e\x1b[2J#"
    facts = {path: spec.model_copy(update={"description": evil, "unit": evil})
             for path, spec in mini.facts.items()}
    rubric = mini.model_copy(update={"facts": facts, "version": "2\nname: evil\u2028x"})
    text = dossier_template(rubric, "golem", "Golem", "GLM", TODAY,
                            "../rubrics/x\nwebsite: y.json")
    data = parse(text).data
    assert data == {"id": "golem", "name": "Golem", "ticker": "GLM", "as_of": TODAY,
                    "sources": {}, "facts": None, "overrides": {}}
    for line in text.splitlines():
        assert printable(line) == line
        assert line.lstrip().startswith("#") or line.split(":")[0] in TEMPLATE_KEYS | {""}
