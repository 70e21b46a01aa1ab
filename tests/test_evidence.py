"""Evidence as of a date: one rule for which observation is in force, in tables and lists."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer import evidence
from scorer.facttypes import NEVER
from scorer.models import Alternative, Bounds, Dossier, Observation
from scorer.views.common import is_missing


def test_evidence_takes_the_latest_observation_on_or_before_the_date(demo):
    observations = evidence.observations_table([demo])
    assert "a.count" not in evidence.evidence_at(observations, date(2019, 1, 1))["fact"].tolist()
    counts = {when: evidence.evidence_at(observations, when).set_index("fact").loc["a.count"]
              for when in (date(2020, 1, 1), date(2025, 6, 1), None)}
    assert counts[date(2020, 1, 1)]["value"] == 50
    assert counts[date(2025, 6, 1)]["value"] == 500
    assert counts[None]["value"] == 500
    assert counts[None]["source_title"] == "New report"
    assert counts[None]["source_url"] == "https://example.com/new"


def test_undated_observations_apply_at_every_date(demo):
    observations = evidence.observations_table([demo])
    early = evidence.evidence_at(observations, date(1990, 1, 1))
    assert set(early["fact"]) == {"a.top", "a.bottom", "a.kind"}


days = st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2020, 12, 31)))


@given(st.lists(days, min_size=1, max_size=6, unique=True), st.one_of(st.none(), days))
def test_the_observation_in_force_is_the_same_in_a_list_and_in_a_table(dates, as_of):
    observations = [Observation(value=i, date=d) for i, d in enumerate(dates)]
    chosen = evidence.observation_at(reversed(observations), as_of)  # file order is irrelevant
    dated = [o for o in observations if o.date is not None and (as_of is None or o.date <= as_of)]
    undated = [o for o in observations if o.date is None]
    expected = max(dated, key=lambda o: o.date) if dated else (undated[0] if undated else None)
    assert chosen == expected
    table = evidence.observations_table([Dossier(id="p", name="P", facts={"f": observations})])
    in_force = evidence.evidence_at(table, as_of)
    assert in_force["value"].tolist() == ([] if expected is None else [expected.value])


def test_an_observation_counts_from_its_own_day():
    day = date(2025, 1, 1)
    assert evidence.applies(day, day) and not evidence.applies(day, day - timedelta(days=1))
    assert evidence.applies(None, date(1900, 1, 1)) and evidence.applies(day, None)


SOURCES = {"s_primary": "primary", "s_secondary": "secondary", "s_low": "low",
           "s_unrated": None}
FACTS = ["a.count", "a.top", "a.bottom", "b.since"]


@st.composite
def sourced_dossier(draw: st.DrawFn) -> Dossier:
    """Numeric facts, each with one to three dated observations, some with alternatives,
    each value from a source of any reliability (or none)."""
    sources = {name: {"title": name, **({"reliability": r} if r else {})}
               for name, r in SOURCES.items()}
    facts = {}
    for fact in draw(st.lists(st.sampled_from(FACTS), unique=True, min_size=1)):
        dates = draw(st.lists(st.dates(date(2020, 1, 1), date(2025, 12, 31)), min_size=1,
                              max_size=3, unique=True))
        observations = []
        for day in dates:
            def source() -> str | None:
                return draw(st.sampled_from([*SOURCES, None]))
            alternatives = [Alternative(value=draw(st.integers(1, 3000)), source=source())
                            for _ in range(draw(st.integers(0, 2)))]
            observations.append(Observation(value=draw(st.integers(1, 3000)), source=source(),
                                            alternatives=tuple(alternatives), date=day))
        facts[fact] = observations
    return Dossier.model_validate({"id": "p", "name": "P", "sources": sources}).model_copy(
        update={"facts": facts})


@given(sourced_dossier(), st.sampled_from(["primary", "secondary"]),
       st.dates(date(2020, 1, 1), date(2026, 1, 1)))
def test_a_reliability_floor_changes_only_facts_with_sources_below_it(dossier, floor, as_of):
    table = evidence.observations_table([dossier])
    everything = evidence.evidence_at(table, as_of).set_index("fact")
    trusted = evidence.evidence_at(evidence.at_least_as_reliable(table, floor), as_of)
    trusted = trusted.set_index("fact")
    rank = evidence.RELIABILITY
    for fact, observations in dossier.facts.items():
        below = any(rank[SOURCES.get(c.source) if c.source else None] < rank[floor]
                    for o in observations for c in o.candidates)
        same = (fact in everything.index) == (fact in trusted.index) and (
            fact not in everything.index
            or everything.at[fact, "candidates"] == trusted.at[fact, "candidates"])
        if not below:
            assert same, fact
        for candidate in trusted.at[fact, "candidates"] if fact in trusted.index else ():
            source = candidate[4]
            assert source is not None and rank[SOURCES[source]] >= rank[floor]


# ---------------------------------------------------------------- the table, and what stands


def in_force_row_by_row(observations: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    """`evidence_at` the plain way, row by row: per project and fact, every row of its
    latest date that applies (in table order), the first of them as the fact's row; facts in
    the order their columns sort (text, or a category's own order)."""
    columns = [*observations.columns, "candidates"]
    if observations.empty:
        return pd.DataFrame(columns=columns)

    def place(column: str) -> Any:
        series = observations[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            return {value: i for i, value in enumerate(series.cat.categories)}.__getitem__
        return lambda value: value

    latest: dict[tuple[Any, Any], tuple[tuple[bool, date], list[int]]] = {}
    rows = zip(*(observations[c].tolist() for c in ("project", "fact", "date")), strict=True)
    for i, (project, fact, day) in enumerate(rows):
        day = None if is_missing(day) else day
        if is_missing(project) or is_missing(fact) or not evidence.applies(day, as_of):
            continue
        rank = evidence.precedence(day)
        best = latest.get((project, fact))
        if best is None or rank > best[0]:
            latest[project, fact] = (rank, [i])
        elif rank == best[0]:
            best[1].append(i)
    project_place, fact_place = place("project"), place("fact")
    keys = sorted(latest, key=lambda key: (project_place(key[0]), fact_place(key[1])))
    cells = {c: observations[c].tolist() for c in ("value", "low", "high", "bounds", "source")}

    def candidate(i: int) -> tuple[Any, ...]:
        return (cells["value"][i], *(None if is_missing(cells[c][i]) else cells[c][i]
                                     for c in ("low", "high", "bounds", "source")))

    table = observations.iloc[[latest[key][1][0] for key in keys]].reset_index(drop=True)
    table["candidates"] = pd.Series([tuple(map(candidate, latest[key][1])) for key in keys],
                                    index=table.index, dtype=object)
    return table


DAYS = [date(2024, 1, 1), date(2024, 6, 30), date(2025, 3, 31)]
ALIKE = [1, True, 1.0, 0, False, 0.0, -0.0, "up", "down"]
"""Values equal to one another but not alike: no candidate may stand for another."""


def typed(values: Any) -> Any:
    """Values compared with their types and signs (1 == True == 1.0, 0.0 == -0.0)."""
    if isinstance(values, tuple):
        return tuple(map(typed, values))
    return type(values).__name__, repr(values)
TITLES = {"s1": ("One", "https://one.example", "primary"), "s2": ("Two", None, "low"),
          "s3": ("Three", "https://three.example", None)}


@st.composite
def observation_rows(draw: st.DrawFn) -> pd.DataFrame:
    """A table of observations as `observations_table` lays them out, drawn directly: few
    projects, facts and days, so that rows tie on all three; the same observation from
    sources that disagree, ranges and bounds, forecasts, undated rows."""
    rows = []
    for _ in range(draw(st.integers(0, 14))):
        ranged = draw(st.sampled_from([None, "range", "at_least", "at_most"]))
        low, high = sorted(draw(st.lists(st.integers(0, 9), min_size=2, max_size=2)))
        source = draw(st.sampled_from([None, *TITLES]))
        title, url, reliability = TITLES.get(source, (None, None, None))
        rows.append({
            "project": draw(st.sampled_from(["b", "a", "B", "ä"])),
            "fact": draw(st.sampled_from(["x.n", "x.m", "y"])),
            "value": draw(st.one_of(st.integers(0, 9), st.sampled_from(ALIKE))),
            "low": None if ranged is None else (float("-inf") if ranged == "at_most" else low),
            "high": None if ranged is None else (float("inf") if ranged == "at_least"
                                                 else high),
            "bounds": ranged, "alternative": draw(st.booleans()),
            "date": draw(st.sampled_from([None, *DAYS])),
            "precision": draw(st.sampled_from(["day", "month"])),
            "forecast": draw(st.booleans()), "source": source, "source_title": title,
            "source_url": url, "reliability": reliability,
            "note": draw(st.sampled_from([None, "a note"])),
        })  # fmt: skip
    table = pd.DataFrame(rows, columns=evidence.OBSERVATION_COLUMNS).astype(
        {"alternative": bool, "forecast": bool})
    for column in ("value", "low", "high", "date"):
        table[column] = pd.Series([row[column] for row in rows], dtype=object)
    form = draw(st.sampled_from(["text", "categories", "categories in another order"]))
    if form != "text":
        table = table.astype({c: "category" for c in evidence.CATEGORIES})
    if form == "categories in another order":
        table["project"] = table["project"].cat.reorder_categories(
            table["project"].cat.categories[::-1])
    return table


@settings(max_examples=300, deadline=None)
@given(observation_rows(), st.one_of(st.none(), st.dates(date(2023, 12, 30), date(2025, 4, 2))),
       st.sampled_from(["all", "no forecasts", "secondary or better"]))
def test_evidence_at_is_the_row_by_row_reading_of_any_table(table, as_of, kept):
    if kept == "no forecasts":
        table = evidence.without_forecasts(table)
    elif kept != "all":
        table = evidence.at_least_as_reliable(table, "secondary")
    shared = evidence.InForce(table, share=True)  # a history's way: many dates, one order
    for got, day in [(evidence.evidence_at(table, as_of), as_of),
                     *((shared.at(day), day) for day in (as_of, *DAYS, as_of))]:
        expected = in_force_row_by_row(table, day)
        pd.testing.assert_frame_equal(got, expected)
        for column in ("value", "candidates"):
            assert list(map(typed, got[column])) == list(map(typed, expected[column]))


def candidates_of_copies(values: list[Any]) -> list[Any]:
    """The candidates in force of one fact per project, a project per value, each value
    stated twice (by projects n apart) by a source of the same name."""
    rows = [{"project": f"p{i:02d}", "fact": "x.n", "value": value, "alternative": False,
             "forecast": False, "source": "s1"} for i, value in enumerate(values * 2)]
    table = pd.DataFrame(rows, columns=evidence.OBSERVATION_COLUMNS).astype(
        {c: "category" for c in evidence.CATEGORIES})
    table["value"] = pd.Series([row["value"] for row in rows], dtype=object)
    return evidence.evidence_at(table, None)["candidates"].tolist()


def test_equal_values_of_other_types_or_signs_are_never_shared():
    got = candidates_of_copies(ALIKE)
    assert list(map(typed, got)) == [typed(((v, None, None, None, "s1"),)) for v in ALIKE * 2]
    assert got[0] is got[len(ALIKE)] and got[6] is not got[5]  # 1 twice: one; -0.0, 0.0: two


def test_equal_floats_and_none_are_shared_sign_by_sign():
    """Floats of one value and sign, and `none` (no such event), are one tuple for every
    fact that has them from a source of the same name; 0.0 and -0.0 stay two."""
    values = [1.5, -0.0, 0.0, NEVER]
    got = candidates_of_copies(values)
    n = len(values)
    assert all(got[i] is got[i + n] for i in range(n))
    assert got[1] is not got[2] and math.copysign(1, got[1][0][0]) == -1


def test_a_fact_standing_on_two_dates_has_one_tuple_of_candidates(demo):
    in_force = evidence.InForce(evidence.observations_table([demo]), share=True)
    early, late = (in_force.at(day).set_index("fact")["candidates"]
                   for day in (date(2021, 1, 1), date(2024, 1, 1)))
    assert early["a.count"] is late["a.count"]  # the same observation: built once
    assert in_force.at(date(2025, 6, 1)).set_index("fact").at["a.count", "candidates"] != (
        early["a.count"])


def row_by_row_table(dossiers: list[Dossier]) -> pd.DataFrame:
    """`observations_table` the plain way: a dict per candidate, then category columns."""
    rows = []
    for dossier in dossiers:
        for fact, observations in dossier.facts.items():
            for obs in observations:
                for index, c in enumerate(obs.candidates):
                    source = dossier.sources.get(c.source) if c.source else None
                    rows.append({
                        "project": dossier.id, "fact": fact, "value": c.value,
                        "low": c.bounds.low if c.bounds else None,
                        "high": c.bounds.high if c.bounds else None,
                        "bounds": c.bounds.kind if c.bounds else None,
                        "alternative": index > 0, "date": obs.date,
                        "precision": obs.precision, "forecast": obs.forecast,
                        "source": c.source, "source_title": source.title if source else None,
                        "source_url": source.url if source else None,
                        "reliability": source.reliability if source else None,
                        "note": c.note,
                    })  # fmt: skip
    table = pd.DataFrame(rows, columns=evidence.OBSERVATION_COLUMNS)
    for column in evidence.OBJECTS:
        table[column] = pd.Series([row[column] for row in rows], dtype=object)
    return table.astype({c: "category" for c in evidence.CATEGORIES})


@st.composite
def sourced_dossiers(draw: st.DrawFn) -> list[Dossier]:
    """One to three dossiers of `sourced_dossier`, with ranges, notes and forecasts."""
    found = []
    for i in range(draw(st.integers(1, 3))):
        dossier = draw(sourced_dossier())
        facts = {fact: [o if not draw(st.booleans()) else Observation(
            value=o.value, bounds=Bounds(low=0, high=o.value, kind="range"), source=o.source,
            alternatives=o.alternatives, note=draw(st.sampled_from([None, "n"])), date=o.date,
            precision=draw(st.sampled_from(["day", "quarter"])), forecast=draw(st.booleans()))
            for o in observations] for fact, observations in dossier.facts.items()}
        found.append(dossier.model_copy(update={"id": f"p{2 - i}", "facts": facts}))
    return found


@settings(max_examples=60, deadline=None)
@given(sourced_dossiers())
def test_the_observations_table_is_the_row_by_row_table_with_category_columns(dossiers):
    table = evidence.observations_table(dossiers)
    pd.testing.assert_frame_equal(table, row_by_row_table(dossiers))


def test_the_tables_hold_codes_and_shared_values_not_a_copy_per_row(demo):
    dossiers = [demo.model_copy(update={"id": f"demo-{i}"}) for i in range(300)]
    table = evidence.observations_table(dossiers)
    assert all(isinstance(table[c].dtype, pd.CategoricalDtype) for c in evidence.CATEGORIES)
    assert table["project"].cat.codes.dtype.itemsize == 2  # 300 projects: two bytes a row
    # every text column is a code; what is left is a reference a value and a few flags
    assert table.memory_usage(index=False).sum() / len(table) <= 64
    current = evidence.evidence_at(table, None)
    flags = current.loc[current["fact"] == "a.flag", "candidates"].tolist()
    assert len(flags) == 300 and all(c is flags[0] for c in flags)  # `true` from `old`: once
    assert flags[0] == ((True, None, None, None, "old"),)
