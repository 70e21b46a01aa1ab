"""The rule language: checked when compiled, safe when evaluated."""

from __future__ import annotations

import math
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer.models import FactSpec
from scorer.rules import (
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_PARTS,
    MAX_STRING,
    MAX_TEXT,
    EvaluationError,
    ExpressionError,
    Undefined,
    compile_expression,
)

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


# ---------------------------------------------------------------- limits


@pytest.mark.parametrize(("within", "beyond", "message"), [
    ("1 > 0" + " " * (MAX_TEXT - 5), "1 > 0" + " " * (MAX_TEXT - 4), "characters long"),
    ("-" * (MAX_DEPTH - 1) + "1", "-" * MAX_DEPTH + "1", "nested more than"),
    (f"min({', '.join(['0'] * (MAX_PARTS - 2))})", f"min({', '.join(['0'] * (MAX_PARTS - 1))})",
     "parts"),
    (f"[{', '.join(['0'] * MAX_ELEMENTS)}]", f"[{', '.join(['0'] * (MAX_ELEMENTS + 1))}]",
     "elements"),
    (f"'{'x' * MAX_STRING}'", f"'{'x' * (MAX_STRING + 1)}'", "a string of"),
    ("1" + "0" * 30, "2" + "0" * 30, "out of range"),
    ("-1e30", "-1.1e30", "out of range"),
])  # fmt: skip
def test_each_limit_admits_its_value_and_refuses_one_more(within, beyond, message):
    compile_expression(within, VOCABULARY)
    with pytest.raises(ExpressionError, match=message):
        compile_expression(beyond, VOCABULARY)


def test_limits_are_far_above_the_rules_of_real_rubrics(default_rubric):
    texts = [c.expression for axis in default_rubric.axes.values() for c in axis.criteria]
    assert max(map(len, texts)) * 10 < MAX_TEXT


@pytest.mark.parametrize(("text", "message"), [
    ("'%999999999d' % 1", "'%' takes numbers, not text"),
    ("'ab' * 999999999", "'\\*' takes numbers, not text"),
    ("[1] * 999999999", "'\\*' takes numbers, not a list"),
    ("(1, 2) + (3,)", "'\\+' takes numbers, not a list"),
    ("-'x'", "'-' takes numbers, not text"),
    ("True * 3", "takes numbers, not true/false"),
    ("1e999 > 0", "out of range"),
    ("round(1, 2, 3)", "round takes 1 or 2 arguments, not 3"),
    ("years_since()", "years_since takes 1 argument, not 0"),
])  # fmt: skip
def test_arithmetic_on_literals_that_are_not_numbers_is_refused(text, message):
    with pytest.raises(ExpressionError, match=message):
        compile_expression(text, VOCABULARY)


@pytest.mark.parametrize(("text", "values", "message"), [
    ("(token.locked if tech.flag else 'x') * 3", {"tech__flag": False, "token__locked": 1},
     "'\\*' takes numbers, not text 'x'"),
    ("(tech.flag if tech.flag else 1) + 1", {"tech__flag": True},
     "'\\+' takes numbers, not true/false"),
    ("years_since(team.since)", {"team__since": 99999}, "a year from 1 to 9999"),
    ("years_since(team.since)", {"team__since": -5}, "a year from 1 to 9999"),
    ("years_since(team.since)", {"team__since": 1e300}, "a year from 1 to 9999"),
    ("round(token.locked, -999999999)", {"token__locked": 1}, "round: digits"),
    ("len(token.locked)", {"token__locked": 1}, "len takes text or a list"),
    ("min(chains)", {"chains": ()}, "min needs at least one number"),
    ("max(chains)", {"chains": ("a",)}, "max takes numbers"),
    ("abs(token.launch)", {"token__launch": "fair"}, "abs takes numbers"),
    ("(risk.incident if tech.flag else 1) < 3", {"risk__incident": date(2020, 1, 1),
                                                 "tech__flag": True}, "'<' not supported"),
])  # fmt: skip
def test_values_outside_a_functions_domain_are_an_evaluation_error(text, values, message):
    with pytest.raises(EvaluationError, match=message):
        run(text, **values)


@pytest.mark.parametrize(("text", "values", "message"), [
    ("token.locked * 1e30 * 1e30", {"token__locked": 1e300}, "too large a number"),
    ("token.locked * " + " * ".join(["10" + "0" * 28] * 11) + " / 3",
     {"token__locked": 10}, "too large a number"),
    ("token.locked // token.circulating", {"token__locked": 1, "token__circulating": 0},
     "division by zero"),
    ("token.locked % token.circulating", {"token__locked": 1.0, "token__circulating": 0.0},
     "division by zero"),
])  # fmt: skip
def test_overflow_is_undefined_not_a_crash(text, values, message):
    with pytest.raises(Undefined, match=message):
        run(text, **values)


def test_an_open_end_stays_infinite_but_infinity_minus_infinity_is_undefined():
    scaled = compile_expression("token.locked * 2", VOCABULARY)
    assert scaled.evaluate({"token.locked": math.inf}, AS_OF, unbounded=True) == math.inf
    with pytest.raises(Undefined, match="not a finite number"):
        scaled.evaluate({"token.locked": math.inf}, AS_OF)
    gap = compile_expression("token.locked - token.circulating", VOCABULARY)
    with pytest.raises(Undefined, match="not a number"):
        gap.evaluate({"token.locked": math.inf, "token.circulating": math.inf}, AS_OF,
                     unbounded=True)


def test_functions_in_their_domain():
    assert run("round(token.locked, 2)", token__locked=1.23456) == 1.23
    assert run("round(token.locked)", token__locked=2.6) == 3
    assert run("max([token.locked, 2])", token__locked=1) == 2
    assert run("days_since(max(risk.incident, risk.incident))",
               risk__incident=date(2025, 8, 20)) == 6
    assert run("len(chains)", chains=("a", "b")) == 2
    assert run("abs(token.locked)", token__locked=-2) == 2
    assert run("years_since(team.since)", team__since=9999) < 0


# ---------------------------------------------------------------- one evaluator, reused

RULES = ["token.locked / token.circulating >= 0.25", "years_since(team.since) > 3",
         "min(token.locked, token.circulating) * 2", "tech.flag and token.launch == 'fair'",
         "change(token.locked, days=30) < -0.1", "token.max_supply // 7 % 3",
         "len(chains) if tech.flag else -1", "days_since(risk.incident) < 400"]


def evaluate_afresh(expression, values, as_of, history):
    """The reference: a new simpleeval evaluator for each evaluation, as rules once were."""
    from simpleeval import EvalWithCompoundTypes

    from scorer import rules

    functions = {**rules._STATIC_FUNCTIONS, "years_since": rules._years_since(as_of),
                 "days_since": rules._days_since(as_of), **rules._trends(as_of, history)}
    names = {rules._slot(i): values[path] for i, path in enumerate(expression.facts)}
    evaluator = EvalWithCompoundTypes(operators=rules._OPERATORS, names=names,
                                      functions=functions, allowed_attrs={})
    return evaluator.eval(expression.text, previously_parsed=expression.tree)


def outcome(function, *args):
    try:
        return ("value", function(*args))
    except (Undefined, EvaluationError) as exc:
        return (type(exc).__name__, str(exc))


facts_drawn = st.fixed_dictionaries({
    "token.locked": st.integers(0, 10**6), "token.circulating": st.integers(0, 10**6),
    "token.max_supply": st.one_of(st.integers(0, 10**9), st.floats(0, 1e9)),
    "team.since": st.integers(1990, 2030), "tech.flag": st.booleans(),
    "token.launch": st.sampled_from(["fair", "ico"]),
    "chains": st.lists(st.sampled_from(["eth", "sol"]), max_size=3),
    "risk.incident": st.dates(date(2020, 1, 1), date(2026, 1, 1)),
})


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(RULES), facts_drawn,
                          st.dates(date(2024, 1, 1), date(2027, 1, 1)),
                          st.integers(-5, 5)), min_size=1, max_size=12))
def test_the_reused_evaluator_gives_what_a_fresh_one_gives(runs):
    compiled = {text: compile_expression(text, VOCABULARY) for text in RULES}
    for text, values, as_of, past in runs:  # interleaved: no state carries over
        history = {"token.locked": [(date(2023, 12, 1), past), (date(2024, 6, 1), 10)]}
        expression = compiled[text]
        assert outcome(expression.evaluate, values, as_of, False, history) == outcome(
            evaluate_afresh, expression, values, as_of, history)


def test_threads_each_evaluate_with_their_own_evaluator():
    from concurrent.futures import ThreadPoolExecutor

    compiled = [compile_expression(text, VOCABULARY) for text in RULES[:4]]
    cases = [({"token.locked": i, "token.circulating": 1000 - i, "team.since": 2000 + i % 30,
               "tech.flag": i % 2 == 0, "token.launch": "fair" if i % 3 else "ico"},
              compiled[i % 4]) for i in range(1, 4000)]
    alone = [outcome(e.evaluate, values, AS_OF) for values, e in cases]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda case: outcome(case[1].evaluate, case[0], AS_OF),
                                 cases))
    assert together == alone
