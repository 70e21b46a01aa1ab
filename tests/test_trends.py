"""Trend rules: `change(fact, days=N)` and `ago(fact, days=N)` read a fact's dated history.

Unit tests of the two functions (windows, irregular series, the exact day, missing history),
then the engine end to end: a dossier's observations become the history a rule reads, and a
criterion without history old enough is unknown, never guessed.
"""

from __future__ import annotations

from datetime import date

import pytest

from scorer.analysis import analyse
from scorer.loading import load_dossier, load_rubric
from scorer.models import FactSpec
from scorer.rules import ExpressionError, Undefined, compile_expression, value_at

VOCABULARY = {
    "n.nodes": FactSpec(type="integer"),
    "n.flag": FactSpec(type="boolean"),
    "n.since": FactSpec(type="year"),
}
# An irregular series: two observations a month apart, then a gap of almost two years.
SERIES = {"n.nodes": [(date(2023, 1, 31), 100), (date(2023, 2, 28), 80),
                      (date(2024, 12, 31), 40)]}


def evaluate(text: str, now: float, as_of: date, history=SERIES):
    return compile_expression(text, VOCABULARY).evaluate({"n.nodes": now}, as_of,
                                                         history=history)


# ---------------------------------------------------------------- value_at and windows


@pytest.mark.parametrize(("day", "expected"), [
    (date(2023, 1, 31), 100),   # the day of an observation: that observation
    (date(2023, 2, 27), 100),   # the day before the next one: still the earlier one
    (date(2023, 2, 28), 80),
    (date(2024, 12, 30), 80),   # a long gap: the last value stays in force
    (date(2030, 1, 1), 40),
])  # fmt: skip
def test_value_at_is_the_latest_observation_on_or_before_the_day(day, expected):
    assert value_at(SERIES, "n.nodes", day) == expected


def test_value_at_before_the_first_observation_is_undefined():
    with pytest.raises(Undefined, match=r"no observation of n\.nodes as old as 2023-01-30"):
        value_at(SERIES, "n.nodes", date(2023, 1, 30))
    with pytest.raises(Undefined):
        value_at(SERIES, "n.other", date(2030, 1, 1))


@pytest.mark.parametrize(("days", "as_of", "expected"), [
    (365, date(2024, 1, 31), 100),    # 2023-01-31, the first observation, exactly
    (365, date(2024, 2, 27), 100),
    (365, date(2024, 2, 28), 80),     # the window's end reaches the second observation
    (30, date(2023, 3, 30), 80),
    (700, date(2025, 1, 1), 100),     # 2023-02-02: the one in force then
])  # fmt: skip
def test_ago_reads_the_value_in_force_that_many_days_before(days, as_of, expected):
    assert evaluate(f"ago(n.nodes, days={days})", 0, as_of) == expected


def test_ago_is_undefined_when_the_window_reaches_before_the_history():
    with pytest.raises(Undefined, match="no observation"):
        evaluate("ago(n.nodes, days=365)", 0, date(2024, 1, 30))
    with pytest.raises(Undefined):
        evaluate("change(n.nodes)", 40, date(2023, 6, 1), history={})


def test_change_is_relative_to_the_value_a_window_ago():
    # On 2025-01-31, 365 days back is 2024-02-01: 80 in force; now 40 → −50 %.
    assert evaluate("change(n.nodes, days=365)", 40, date(2025, 1, 31)) == pytest.approx(-0.5)
    # The default window is a year.
    assert evaluate("change(n.nodes)", 40, date(2025, 1, 31)) == pytest.approx(-0.5)
    assert evaluate("change(n.nodes, days=28)", 80, date(2023, 2, 28)) == pytest.approx(-0.2)
    assert evaluate("change(n.nodes, 28) < -0.1", 80, date(2023, 2, 28)) is True


def test_change_from_zero_is_undefined_not_infinite():
    with pytest.raises(Undefined, match="was 0"):
        evaluate("change(n.nodes, days=10)", 5, date(2023, 1, 20),
                 history={"n.nodes": [(date(2023, 1, 1), 0)]})


# ---------------------------------------------------------------- compiling


def test_compiling_records_the_history_a_rule_reads():
    expression = compile_expression(
        "change(n.nodes, days=90) < -0.2 or ago(n.nodes) > 10", VOCABULARY)
    assert expression.trends == (("n.nodes", 90), ("n.nodes", 365))
    assert expression.facts == ("n.nodes",)
    assert not expression.clock
    assert compile_expression("years_since(n.since) > 3", VOCABULARY).clock


@pytest.mark.parametrize(("text", "message"), [
    ("change(n.flag) > 0", "'n.flag' is a boolean fact: change needs a number"),
    ("change(n.nodes, days=0) > 0", "days must be a whole number from 1 to 36,500"),
    ("change(n.nodes, days=1.5) > 0", "days must be a whole number"),
    ("change(n.nodes, days=n.nodes) > 0", "days must be a whole number"),
    ("change(n.nodes, 30, days=30) > 0", "days must be a whole number"),
    ("change(n.nodes, weeks=3) > 0", "change takes a fact and a number of days"),
    ("change(3) > 0", "change takes a fact and a number of days"),
    ("ago() > 0", "ago takes a fact and a number of days"),
    ("max(n.nodes, key=1) > 0", "keyword arguments are not supported"),
])  # fmt: skip
def test_malformed_trend_calls_are_compile_errors(text, message):
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(")):
        compile_expression(text, VOCABULARY)


# ---------------------------------------------------------------- end to end

RUBRIC = """\
id: trends
version: 1
title: Trends
scale: {min: 1, max: 5, step: 1}
facts:
  n.nodes: {type: integer, min: 0}
axes:
  health:
    label: Health
    base: 3
    criteria:
      - id: exodus
        when: change(n.nodes, days=365) < -0.2
        points: -1
        why: A fifth of the nodes gone in a year.
  size:
    label: Size
    base: 1
    criteria:
      - {id: big, value: n.nodes, bands: [{at_least: 50, points: 2}], why: Size.}
profiles:
  even: {health: 1, size: 1}
default_profile: even
"""

DOSSIER = """\
id: net
name: Net
sources:
  q: {title: Quarterly report, url: https://example.com/q, reliability: primary}
  blog: {title: A blog, url: https://example.com/b, reliability: low}
facts:
  n.nodes:
    - {value: 100, source: q, as_of: 2023-Q4}
    - {value: 90, source: q, as_of: 2024-Q2}
    - value: 60
      source: q
      as_of: 2024-12-31
      alternatives: [{value: 99, source: blog}]
"""


@pytest.fixture
def trend_inputs(write):
    rubric = load_rubric(write("trends.yaml", RUBRIC))
    return rubric, [load_dossier(write("net.yaml", DOSSIER), rubric)]


def _criterion(a, criterion):
    rows = a.criteria.set_index(["project", "criterion"])
    return rows.loc[("net", criterion)]


def test_a_dossiers_observations_are_the_history_a_trend_rule_reads(trend_inputs):
    rubric, dossiers = trend_inputs
    a = analyse(rubric, dossiers, as_of=date(2025, 1, 1))
    # 365 days before 2025-01-01 is 2024-01-02: the 2023-Q4 observation (100) is in force;
    # 60 is 40 % fewer, but the alternative 99 would not be: uncertain.
    assert a.histories["net"]["n.nodes"] == [(date(2023, 12, 31), 100),
                                             (date(2024, 6, 30), 90),
                                             (date(2024, 12, 31), 60)]
    row = _criterion(a, "exodus")
    assert row["outcome"] == "uncertain" and row["possible"] == (-1, 0)
    only_primary = analyse(rubric, dossiers, as_of=date(2025, 1, 1), min_reliability="primary")
    assert _criterion(only_primary, "exodus")["outcome"] == "pass"
    assert only_primary.scores.at["net", "health"] == 2


def test_a_trend_without_history_old_enough_is_unknown(trend_inputs):
    rubric, dossiers = trend_inputs
    a = analyse(rubric, dossiers, as_of=date(2024, 12, 29))  # a year back: 2023-12-30
    row = _criterion(a, "exodus")
    assert row["outcome"] == "unknown" and row["points"] == 0
    assert "no observation of n.nodes" in row["note"]
    assert a.scores.at["net", "health"] == 3


def test_explain_shows_the_value_the_trend_looked_back_to(trend_inputs):
    rubric, dossiers = trend_inputs
    a = analyse(rubric, dossiers, as_of=date(2025, 7, 1), min_reliability="primary")
    [record] = [c for axis in a.explain("net").to_dict()["axes"].values()
                for c in axis["criteria"] if c["id"] == "exodus"]
    # 2024-07-01 − the 2024-Q2 observation (90, dated 2024-06-30) → 60 is −33 %.
    assert record["outcome"] == "pass"
    assert record["history"] == [{"fact": "n.nodes", "days": 365, "on": "2024-07-01",
                                  "value": 90, "as_of": "2024-06-30"}]
