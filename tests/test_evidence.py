"""Evidence as of a date: one rule for which observation is in force, in tables and lists."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scorer import evidence
from scorer.models import Alternative, Dossier, Observation


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
