"""Scores over time: the dates a history samples, and that `--every change` misses nothing.

The property test builds random dossiers (observations at random days, month-precision
dates, ranges, a trend rule, rules on durations) and checks, day by day over the span, that
no criterion's outcome, points or possible points changes on a day `change_dates` does not
list, and that it does change on every listed day but the first.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer import dates, timeline
from scorer import evidence as ev
from scorer.cli import cli
from scorer.engine import evaluate, history
from scorer.loading import load_dossier, read_rubric
from tests.conftest import DEFAULT_RUBRIC, PROJECTS

# ---------------------------------------------------------------- period ends


@pytest.mark.parametrize(("every", "start", "end", "expected"), [
    ("month", date(2024, 1, 15), date(2024, 4, 10),
     [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 10)]),
    ("quarter", date(2024, 2, 1), date(2024, 12, 31),
     [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)]),
    ("year", date(2022, 12, 31), date(2024, 7, 1),
     [date(2022, 12, 31), date(2023, 12, 31), date(2024, 7, 1)]),
    ("year", date(2024, 3, 1), date(2024, 3, 1), [date(2024, 3, 1)]),
])  # fmt: skip
def test_period_ends_are_the_last_days_of_each_period_then_the_end(every, start, end,
                                                                   expected):
    assert timeline.period_ends(start, end, every) == expected


# ---------------------------------------------------------------- --every change

RUBRIC = """\
id: clockwork
version: 1
title: Clockwork
scale: {min: 1, max: 5, step: 1}
facts:
  x.n: {type: integer, min: 0}
  x.since: {type: year}
  x.when: {type: date}
axes:
  a:
    label: A
    base: 3
    criteria:
      - {id: fall, when: "change(x.n, days=30) < -0.2", points: -1, why: Falling.}
      - {id: rise, when: "ago(x.n, days=45) < x.n", points: 1, why: Rising.}
      - {id: size, value: x.n, bands: [{at_least: 50, points: 1}], why: Size.}
  b:
    label: B
    base: 1
    criteria:
      - {id: old, when: years_since(x.since) >= 4, points: 1, why: Age.}
      - {id: quiet, when: days_since(x.when) >= 40, points: 2, why: Quiet.}
profiles:
  even: {a: 1, b: 1}
default_profile: even
"""
START, END = date(2020, 1, 1), date(2020, 6, 30)
SPAN = (END - START).days


def _day(offset: int, month: bool) -> str:
    day = START + timedelta(days=offset)
    return f"{day.year}-{day.month:02d}" if month else day.isoformat()


@st.composite
def observation(draw, fact: str) -> dict:
    """One observation: a day (or a month) in the span, a value, maybe a range."""
    offset = draw(st.integers(0, SPAN - 1))
    entry: dict = {"source": "s", "as_of": _day(offset, draw(st.booleans()))}
    if fact == "x.n":
        low = draw(st.integers(0, 100))
        if draw(st.integers(0, 3)) == 0:
            entry["value"] = {"low": low, "high": low + draw(st.integers(1, 40))}
        else:
            entry["value"] = low
    elif fact == "x.since":
        low = draw(st.integers(2014, 2019))
        entry["value"] = ({"low": low, "high": low + 2} if draw(st.booleans()) else low)
    else:
        entry["value"] = (START + timedelta(days=draw(st.integers(-60, offset)))).isoformat()
    return entry


@st.composite
def dossier(draw, index: int) -> str:
    facts = {}
    for fact in ("x.n", "x.since", "x.when"):
        entries = draw(st.lists(observation(fact), max_size=4 if fact == "x.n" else 2))
        # one observation a day: the loader refuses two (which one holds is ambiguous)
        unique = list({_effective(e): e for e in entries}.values())
        if unique:
            facts[fact] = unique
    return yaml.safe_dump({"id": f"p{index}", "name": f"P{index}",
                           "sources": {"s": {"title": "S", "url": "https://example.com"}},
                           "facts": facts}, sort_keys=False)


def _effective(entry: dict) -> date:
    """The day an observation takes effect (a month counts from its last day)."""
    return dates.parse_when(entry["as_of"]).day


def _states(rulebook, dossiers):
    """Every criterion's (outcome, points, possible) on each day of the span."""
    observations = ev.observations_table(dossiers)
    ids = [d.id for d in dossiers]
    histories = history(rulebook, observations, ids)
    found = {}
    for offset in range(SPAN + 1):
        day = START + timedelta(days=offset)
        criteria = evaluate(rulebook, ev.evidence_at(observations, day), ids, day, histories)
        found[day] = list(criteria[["project", "criterion", "outcome", "points",
                                    "possible"]].itertuples(index=False))
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(texts=st.integers(1, 2).flatmap(lambda n: st.tuples(*(dossier(i) for i in range(n)))))
def test_every_change_lists_exactly_the_days_on_which_something_changes(tmp_path_factory,
                                                                        texts):
    folder = tmp_path_factory.mktemp("clockwork")
    (folder / "rubric.yaml").write_text(RUBRIC, encoding="utf-8")
    _, rulebook = read_rubric(folder / "rubric.yaml")
    dossiers = []
    for i, text in enumerate(texts):
        (folder / f"p{i}.yaml").write_text(text, encoding="utf-8")
        dossiers.append(load_dossier(folder / f"p{i}.yaml", rulebook.rubric,
                                     today=date(2030, 1, 1)))
    listed = timeline.change_dates(rulebook, dossiers, START, END)
    assert listed[0] == START and listed == sorted(set(listed))
    states = _states(rulebook, dossiers)
    changed = [day for day in states if day > START
               and states[day] != states[day - timedelta(days=1)]]
    missed = [day for day in changed if day not in listed]
    assert not missed, f"scores change on {missed}, which --every change does not list"
    # A listed day on which nothing changes is one where an observation takes effect, or a
    # trend window reaches one, with the same outcome as before; a day found by bisection
    # on a rule on durations is always a real change.
    entries = [e for text in texts for facts in [yaml.safe_load(text)["facts"]]
               for e in facts.get("x.n", []) + facts.get("x.since", []) + facts.get("x.when", [])]
    windows = [e for text in texts for e in yaml.safe_load(text)["facts"].get("x.n", [])]
    possible = ({_effective(e) for e in entries}
                | {_effective(e) + timedelta(days=n) for e in windows for n in (30, 45)})
    idle = [day for day in listed[1:] if day not in changed and day not in possible]
    assert not idle, f"listed, though nothing changes and no observation takes effect: {idle}"


# ---------------------------------------------------------------- the command, end to end


@pytest.fixture(scope="module")
def bundled_history() -> dict:
    runner = CliRunner()
    result = runner.invoke(cli, ["history", "--rubric", str(DEFAULT_RUBRIC), "--projects",
                                 str(PROJECTS), "--from", "2024-01-01", "--to", "2026-11-26",
                                 "--every", "change", "--axes", "--format", "json"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_history_every_change_equals_compare_as_of_each_listed_date(bundled_history):
    dates = bundled_history["dates"]
    assert dates[0] == "2024-01-01" and dates[-1] == "2026-11-26" and len(dates) > 20
    runner = CliRunner()
    for day in [*dates[:: max(1, len(dates) // 8)], dates[-1]]:
        result = runner.invoke(cli, ["compare", "--rubric", str(DEFAULT_RUBRIC), "--projects",
                                     str(PROJECTS), "--as-of", day, "--format", "json"],
                               catch_exceptions=False)
        compared = {p["id"]: p for p in json.loads(result.stdout)["projects"]}
        for project in bundled_history["projects"]:
            [point] = [p for p in project["series"] if p["date"] == day]
            expected = compared[project["id"]]
            assert point["total"] == pytest.approx(expected["total"]), (day, project["id"])
            assert point["rank"] == expected["rank"], (day, project["id"])
            assert point["axes"] == pytest.approx(expected["axes"]), (day, project["id"])


@pytest.mark.parametrize("floor", ["low", "primary"])
def test_change_dates_from_a_prepared_table_are_those_from_the_dossiers(floor):
    from scorer import load
    from scorer.analysis import prepare

    ws = load(PROJECTS, DEFAULT_RUBRIC)
    start, end = date(2019, 1, 1), date(2026, 11, 26)
    prepared = prepare(ws.rulebook, ws.dossiers, min_reliability=floor)
    given = timeline.change_dates(ws.rulebook, ws.dossiers, start, end,
                                  observations=prepared.trusted)
    assert given == timeline.change_dates(ws.rulebook, ws.dossiers, start, end,
                                          min_reliability=floor)
    assert len(given) > 20
