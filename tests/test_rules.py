"""The rule language: checked when compiled, safe when evaluated."""

from __future__ import annotations

import re
from datetime import date

import pytest

from scorer.models import FactSpec
from scorer.rules import ExpressionError, Undefined, compile_expression

VOCABULARY = {
    "token.max_supply": FactSpec(type="number"),
    "token.locked": FactSpec(type="number"),
    "token.circulating": FactSpec(type="number"),
    "token.launch": FactSpec(type="enum", values=["fair", "ico"]),
    "tech.flag": FactSpec(type="boolean"),
    "team.since": FactSpec(type="year"),
    "risk.incident": FactSpec(type="date"),
    "chains": FactSpec(type="list"),
}
AS_OF = date(2025, 8, 26)


def run(text: str, **values):
    expression = compile_expression(text, VOCABULARY)
    facts = {key.replace("__", "."): value for key, value in values.items()}
    return expression.evaluate(facts, AS_OF)


def test_dotted_names_become_facts_in_order_of_appearance():
    expression = compile_expression(
        "token.locked / token.circulating >= 0.25 and token.locked > 0", VOCABULARY)
    assert expression.facts == ("token.locked", "token.circulating")


@pytest.mark.parametrize(("text", "values", "expected"), [
    ("token.locked / token.circulating >= 0.25",
     {"token__locked": 115e6, "token__circulating": 372e6}, True),
    ("token.max_supply > 0 and token.launch == 'fair'",
     {"token__max_supply": 440e6, "token__launch": "fair"}, True),
    ("token.launch in ['fair', 'ico']", {"token__launch": "ico"}, True),
    ("not tech.flag", {"tech__flag": True}, False),
    ("'kadena' in chains", {"chains": ("kadena", "eth")}, True),
    ("max(token.locked, 5) - min(1, 2) * 2", {"token__locked": 3}, 3),
    ("1 if tech.flag else -1", {"tech__flag": False}, -1),
])  # fmt: skip
def test_evaluates_the_small_language(text, values, expected):
    assert run(text, **values) == expected


def test_years_since_counts_from_the_as_of_date():
    assert run("years_since(team.since)", team__since=2018) == pytest.approx(7.65, abs=0.01)
    assert run("years_since(risk.incident) < 2", risk__incident=date(2025, 1, 1)) is True
    assert run("days_since(risk.incident)", risk__incident=date(2025, 8, 20)) == 6


def test_years_since_reads_the_ends_of_a_range_of_years():
    # A range's ends are numbers: 2014.0 is the year 2014; an open end is ±infinity.
    expression = compile_expression("years_since(team.since)", VOCABULARY)
    assert expression.evaluate({"team.since": 2018.0}, AS_OF) == pytest.approx(7.65, abs=0.01)
    assert expression.evaluate({"team.since": float("inf")}, AS_OF, unbounded=True) == (
        float("-inf"))
    with pytest.raises(TypeError, match="need a date or a year"):
        expression.evaluate({"team.since": 2018.5}, AS_OF)


def test_division_by_zero_is_undefined_not_a_crash():
    with pytest.raises(Undefined, match="division by zero"):
        run("token.locked / token.circulating", token__locked=1, token__circulating=0)


def test_unknown_fact_is_a_compile_error_with_did_you_mean():
    with pytest.raises(ExpressionError, match=r"unknown fact 'token\.max_suply'.*did you mean "
                                              r"'token\.max_supply'"):
        compile_expression("token.max_suply > 0", VOCABULARY)


def test_a_group_name_is_not_a_fact():
    with pytest.raises(ExpressionError, match="'token' is a group of facts"):
        compile_expression("token > 0", VOCABULARY)


def test_enum_literal_outside_the_values_is_a_compile_error():
    with pytest.raises(ExpressionError, match=re.escape("'fiar' is not a value of token.launch")):
        compile_expression("token.launch == 'fiar'", VOCABULARY)
    with pytest.raises(ExpressionError, match="'presale' is not a value"):
        compile_expression("token.launch in ['fair', 'presale']", VOCABULARY)


def test_syntax_error_names_the_position():
    with pytest.raises(ExpressionError, match=re.escape("syntax error in 'token.locked >'")):
        compile_expression("token.locked >", VOCABULARY)


@pytest.mark.parametrize("text", [
    "__import__('os').system('id')",
    "token.locked.__class__",
    "(1).real",
    "[x for x in chains]",
    "lambda: 1",
    "chains[0]",
    "open('/etc/passwd')",
    "f'{chains}'",
    "token.locked := 3",
    "None",
    "b'bytes'",
])  # fmt: skip
def test_anything_outside_the_whitelist_is_refused_at_compile_time(text):
    with pytest.raises(ExpressionError):
        compile_expression(text, VOCABULARY)


def test_a_function_name_must_be_called():
    with pytest.raises(ExpressionError, match="'len' is a function"):
        compile_expression("len > 1", VOCABULARY)


def test_unknown_function_lists_the_known_ones():
    with pytest.raises(ExpressionError, match=r"unknown function 'year_since'.*did you mean "
                                              r"'years_since'"):
        compile_expression("year_since(team.since) > 1", VOCABULARY)
