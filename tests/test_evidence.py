"""Evidence as of a date: one rule for which observation is in force, in tables and lists."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from scorer import evidence
from scorer.models import Observation


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
    table = pd.DataFrame({"project": "p", "fact": "f", "value": [o.value for o in observations],
                          "date": [o.date for o in observations]}).astype({"value": object})
    in_force = evidence.evidence_at(table, as_of)
    assert in_force["value"].tolist() == ([] if expected is None else [expected.value])


def test_an_observation_counts_from_its_own_day():
    day = date(2025, 1, 1)
    assert evidence.applies(day, day) and not evidence.applies(day, day - timedelta(days=1))
    assert evidence.applies(None, date(1900, 1, 1)) and evidence.applies(day, None)
