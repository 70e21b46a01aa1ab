"""The records a loaded dossier holds (`scorer.models`)."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import date

import pytest

from scorer.models import Alternative, Bounds, Observation, observed


@pytest.mark.parametrize("fields", [
    (True, None, (), None, None, None, None, "day", False, None),
    (3, Bounds(1.0, 5.0, "range"), (Alternative(2, source="s2"),), "s1", date(2025, 10, 31),
     "A note.", date(2025, 10, 31), "month", True, (7, 12)),
], ids=["bare", "every field"])
def test_observed_makes_the_record_that_observation_makes(fields):
    made, reference = observed(*fields), Observation(*fields)
    assert type(made) is Observation
    assert [getattr(made, f.name) for f in dataclasses.fields(Observation)] == list(fields)
    assert made == reference and hash(made) == hash(reference)
    assert repr(made) == repr(reference)
    assert not hasattr(made, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.value = 0  # type: ignore[misc]


def test_observed_takes_every_field_of_an_observation_in_order():
    """A field added to `Observation` must be added to `observed` too, in the same place."""
    names = list(inspect.signature(observed).parameters)
    fields = [f.name for f in dataclasses.fields(Observation)]
    assert len(names) == len(fields) == len(Observation.__slots__)
    assert [n for n in names if n != "day"] == [f for f in fields if f != "date"]
    assert names.index("day") == fields.index("date")
