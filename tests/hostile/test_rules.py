"""Hostile rules end in one clear error at the rule's line, never a crash or a hang.

Each case replaces one rule of the default rubric and runs `scorer compare` on the bundled
projects: exit status 1, the message and `rubric:line:` of that rule on stderr, no
traceback. Every case must return at once: a rule that hangs or eats memory would keep
the suite from finishing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer.cli import cli
from scorer.errors import ScorerError
from scorer.facttypes import NEVER
from scorer.loading import read_rubric
from scorer.rulebook import Rule
from scorer.rules import (
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_PARTS,
    MAX_STRING,
    MAX_TEXT,
    ExpressionError,
    Undefined,
    compile_expression,
)
from tests.conftest import DEFAULT_RUBRIC, MINI_RUBRIC, PROJECTS

AS_OF = "2025-08-26"
TARGET = "years_since(team.development_start) >= 5"
"""The rule each case replaces (criterion track-record, which every bundled project states)."""
BIG = "999999999999999999999999999999"  # 30 digits: the largest literal allowed

COMPILE_CASES = {
    # name: (rule text, message fragment)
    "long sum": ("1+" * 5_000 + "1 > 0", f"at most {MAX_TEXT:,} are allowed"),
    "deep sum": ("1+" * 400 + "1 > 0", f"nested more than {MAX_DEPTH} deep"),
    "many minus signs": ("-" * 100_000 + "1 > 0", f"at most {MAX_TEXT:,} are allowed"),
    "deep minus signs": ("-" * 900 + "1 > 0", f"nested more than {MAX_DEPTH} deep"),
    "deep lists": ("[" * 40 + "1" + "]" * 40 + " == 1", f"nested more than {MAX_DEPTH} deep"),
    "deep parentheses": ("(" * 300 + "1" + ")" * 300 + " > 0", "too many nested parentheses"),
    "many parts": ("[" + ",".join(["[0,0,0,0,0,0,0,0,0]"] * 25) + "] == []",
                   f"more than {MAX_PARTS} parts"),
    "string formatting": ('len("%999999999d" % 1) > 0', "'%' takes numbers, not text"),
    "string repetition": ('len("ab" * 999999999) > 0', "'*' takes numbers, not text"),
    "list repetition": ("len([1] * 999999999) > 0", "'*' takes numbers, not a list"),
    "list concatenation": ("len([1] + [2]) > 0", "'+' takes numbers, not a list"),
    "tuple repetition": ("len(999999999 * (1, 2)) > 0", "'*' takes numbers, not a list"),
    "boolean arithmetic": ("True + True > 1", "'+' takes numbers, not true/false"),
    "negated text": ('-"x" > 1', "'-' takes numbers, not text"),
    "large list literal": ("[" + "0," * 150 + "0] == []",
                           f"a list of 151 elements; at most {MAX_ELEMENTS}"),
    "huge list literal": ("[" + "0," * 1_000_000 + "0] == []", f"at most {MAX_TEXT:,} are"),
    "long string literal": (f'len("{"x" * 300}") > 0',
                            f"a string of 300 characters; at most {MAX_STRING}"),
    "huge integer literal": ("9" * 400 + " / 3 > 1", "is out of range"),
    "infinite float literal": ("1e999 > 0", "the number 1e999 is out of range"),
    "float year literal": ("years_since(1e300) >= 5", "the number 1e300 is out of range"),
    "integer literal past the limit": (f"1{BIG} > 0", "at most 1e30 in magnitude"),
    "min of nothing": ("min() > 0", "min takes at least 1 argument, not 0"),
    "round with three arguments": ("round(1, 2, 3) > 0", "round takes 1 or 2 arguments, not 3"),
}  # fmt: skip

RUN_CASES = {
    # name: (rule text, message fragment); each compiles, then fails on the facts
    "year far ahead": ("years_since(99999) >= 5", "a year from 1 to 9999, got int 99999"),
    "negative year": ("years_since(-5) >= 5", "a year from 1 to 9999, got int -5"),
    "year zero": ("days_since(0) > 1", "a year from 1 to 9999"),
    "huge float year from a fact": ("years_since(team.development_start * 1e30) >= 5",
                                    "a year from 1 to 9999, got float 2.01"),
    "fractional year": ("years_since(team.development_start + 0.5) >= 5",
                         "a year from 1 to 9999, got float 20"),
    "text as a year": ('years_since("2018") >= 5', "got text '2018'"),
    "formatting through a condition": ('("%999999999d" if 1 else 2) % 1 > 0',
                                       "'%' takes numbers, not text '%999999999d'"),
    "repetition through a condition": ('len(("ab" if 1 else 1) * 999999999) > 0',
                                       "'*' takes numbers, not text 'ab'"),
    "list through a condition": ("len(([1] if 1 else 1) * 999999999) > 0",
                                 "'*' takes numbers, not a list [1]"),
    "boolean through a condition": ("(True if 1 else 1) + 1 > 0", "not true/false True"),
    "round to a billion digits": ("round(team.development_start, -999999999) > 0",
                                  "round: digits must be a whole number from -15 to 15"),
    "round a text": ('round("x") > 0', "round takes numbers, not text 'x'"),
    "abs of text": ('abs("x") > 0', "abs takes numbers, not text 'x'"),
    "len of a number": ("len(5) > 0", "len takes text or a list, not int 5"),
    "max of text": ('max("a", 1) > 0', "max takes numbers (or dates), not text 'a'"),
    "min of an empty list": ("min([]) > 0", "min needs at least one number"),
    "text ordered with a number": ('"a" < 1', "'<' not supported"),
    "in a number": ("1 in 5", "is not iterable"),
    "a check that is a number": ("team.development_start", "not true or false"),
}  # fmt: skip

OVERFLOW_CASES = {
    # name: rule text whose value overflows: undefined (the criterion unknown), not a crash
    "huge product divided": " * ".join([BIG] * 11) + " / 3 > 1",
    "huge product from a fact": "team.development_start * " + " * ".join([BIG] * 11) + " > 1",
    "float overflow": "team.development_start * 1e30 * 1e30 * 1e30 * 1e30 * 1e30 * 1e30 * "
                      "1e30 * 1e30 * 1e30 * 1e30 * 1e30 > 1",
}  # fmt: skip


def hostile_rubric(folder: Path, rule: str) -> tuple[Path, int]:
    """A copy of the default rubric with TARGET replaced by `rule`; its path and the line."""
    lines = DEFAULT_RUBRIC.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if TARGET in line)
    lines[index] = lines[index].replace(TARGET, json.dumps(rule))  # a YAML quoted string
    path = folder / "hostile-rubric.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path, index + 1


def run(args: list[str]):
    return CliRunner().invoke(cli, [*args, "--projects", str(PROJECTS), "--as-of", AS_OF],
                              catch_exceptions=False)


def assert_one_located_error(result, rubric: Path, line: int, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr and result.stdout == ""
    message = next((x for x in result.stderr.splitlines() if rubric.name in x), result.stderr)
    assert f"{rubric.name}:{line}:" in message
    assert "criterion 'track-record'" in message
    assert fragment in message


@pytest.mark.parametrize("case", COMPILE_CASES)
def test_hostile_rule_is_refused_when_the_rubric_loads(case, tmp_path):
    text, fragment = COMPILE_CASES[case]
    rubric, line = hostile_rubric(tmp_path, text)
    assert_one_located_error(run(["compare", "--rubric", str(rubric)]), rubric, line, fragment)


@pytest.mark.parametrize("case", RUN_CASES)
def test_rule_without_meaning_for_the_facts_is_an_error_at_its_line(case, tmp_path):
    text, fragment = RUN_CASES[case]
    rubric, line = hostile_rubric(tmp_path, text)
    result = run(["compare", "--rubric", str(rubric)])
    assert_one_located_error(result, rubric, line, fragment)
    assert "cannot be evaluated for project" in result.stderr or "gave" in result.stderr


@pytest.mark.parametrize("case", OVERFLOW_CASES)
def test_overflow_leaves_the_criterion_unknown(case, tmp_path):
    rubric, _ = hostile_rubric(tmp_path, OVERFLOW_CASES[case])
    result = run(["explain", "flux", "--rubric", str(rubric), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr
    assert "undefined: too large a number" in result.stdout


# ---------------------------------------------------------------- property-based

RUBRIC, RULEBOOK = read_rubric(MINI_RUBRIC)  # module level: hypothesis prints its arguments
LOCATED = RULEBOOK.rule("flag")
FACTS = list(RUBRIC.facts)
TOKENS = st.sampled_from([
    "0", "1", "2.5", "-5", "99999", "1e300", "1e308", "1e999", BIG, "9" * 400, "True",
    '"x"', "'y'", '"%999999999d"', '""', "+", "-", "*", "/", "//", "%", "==", "!=", "<",
    "<=", ">", ">=", "and", "or", "not", "in", "not in", "if", "else", "(", ")", "[", "]",
    ",", "days=", *(f"{name}(" for name in ("min", "max", "abs", "len", "round",
                                            "years_since", "days_since", "change", "ago")),
    *FACTS, *FACTS,
])  # fmt: skip
NUMBERS = st.floats(allow_nan=False, allow_infinity=False) | st.integers()
VALUES = {
    "boolean": st.booleans(), "integer": st.integers(min_value=0),
    "number": NUMBERS | st.sampled_from([float("inf"), float("-inf")]),
    "enum": st.sampled_from(["x", "y"]), "year": st.integers(1, 9999),
    "date": st.dates() | st.just(NEVER), "list": st.lists(st.text(max_size=3)).map(tuple),
    "string": st.text(max_size=10),
}  # fmt: skip
FACT_VALUES = st.fixed_dictionaries({path: VALUES[spec.type]
                                     for path, spec in RUBRIC.facts.items()})
HISTORY = st.lists(st.tuples(st.dates(max_value=date(2025, 1, 1)), NUMBERS), max_size=3)


ATOMS = st.sampled_from([
    "0", "1", "2.5", "-5", "99999", "1e30", "1e-300", BIG, "True", '"x"', "'y'",
    '"%999999999d"', "[]", *FACTS,
])  # fmt: skip
OPERATORS = st.sampled_from(["+", "-", "*", "/", "//", "%", "==", "!=", "<", "<=", ">", ">=",
                             "and", "or", "in", "not in"])


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def call(name: str, args: list[str]) -> str:
        return f"{name}({', '.join(args)})"

    return st.one_of(
        st.tuples(children, OPERATORS, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["-", "+", "not "]), children).map("".join),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.lists(children, max_size=3).map(lambda items: f"[{', '.join(items)}]"),
        st.builds(call, st.sampled_from(["min", "max", "abs", "len", "round", "years_since",
                                         "days_since"]), st.lists(children, max_size=3)),
        st.builds(lambda f, name, days: f"{name}({f}, days={days})",
                  st.sampled_from(["a.top", "a.bottom", "a.count"]),
                  st.sampled_from(["change", "ago"]), st.integers(1, 36_500)),
    )


WELL_FORMED = st.recursive(ATOMS, _compound, max_leaves=12)
"""Expressions that parse, so that most of them compile and are evaluated."""


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=25).map(" ".join) | WELL_FORMED, FACT_VALUES, HISTORY,
       st.booleans())
def test_any_rule_compiles_or_is_refused_and_evaluates_or_is_a_located_error(
        text, values, history, unbounded):
    try:
        expression = compile_expression(text, RUBRIC.facts)
    except ExpressionError:
        return
    rule = Rule(LOCATED.axis, LOCATED.criterion, expression, LOCATED.file, LOCATED.line,
                LOCATED.column)
    past = {path: sorted(history) for path in ("a.top", "a.bottom", "a.count")}
    try:
        rule.judge(rule.evaluate(values, date(2025, 8, 26), unbounded=unbounded,
                                 history=past))
    except Undefined:
        return
    except ScorerError as exc:
        assert (exc.file, exc.line) == (LOCATED.file, LOCATED.line)
        assert exc.file.endswith("mini_rubric.yaml") and exc.line is not None
