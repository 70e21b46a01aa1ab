"""Evidence as of a date: which observation of a fact is in force on a given day.

The one rule, used by scoring and by validation alike: a fact takes its latest observation
dated on or before the day. Undated observations always apply, and give way to any dated
one. `as_of=None` means no limit (the latest of all).

An observation may carry more than one candidate value: its own (exact, or a range) and
the alternatives other sources give for the same period. The observations table has one
row per candidate; the evidence table one row per fact, the point value first and every
candidate still standing in `candidates`. A reliability floor drops the candidates of less
reliable sources first, so a fact may lose a candidate, or become unknown.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from scorer.facttypes import Never
from scorer.models import Dossier, Observation

if TYPE_CHECKING:  # pandas loads only where tables are built: validation needs none
    import numpy as np
    import pandas as pd

Reliability = Literal["primary", "secondary", "low"]
RELIABILITY: dict[str | None, int] = {"primary": 3, "secondary": 2, "low": 1, None: 0}
"""Trust in a source, highest first; a source without a rating (or no source) counts least.
A floor of 'low' keeps everything."""

OBSERVATION_COLUMNS = [
    "project", "fact", "value", "low", "high", "bounds", "alternative", "date", "precision",
    "forecast", "source", "source_title", "source_url", "reliability", "note",
]  # fmt: skip
"""One row per candidate value: `bounds` is None (exact), 'range', 'at_least' or 'at_most';
`alternative` is False for the observation's own value, True for another source's."""


def applies(when: date | None, as_of: date | None) -> bool:
    """Whether an observation dated `when` (None: undated) counts on `as_of`."""
    return when is None or as_of is None or when <= as_of


def precedence(when: date | None) -> tuple[bool, date]:
    """Sort key: of the observations that apply, the greatest is the one in force."""
    return (when is not None, when or date.min)


def observation_at(observations: Iterable[Observation], as_of: date | None
                   ) -> Observation | None:
    """The observation in force on `as_of`, or None when none applies yet."""
    current = [o for o in observations if applies(o.date, as_of)]
    return max(current, key=lambda o: precedence(o.date), default=None)


OBJECTS = ("value", "low", "high", "date")
"""Columns that keep each value as its Python object: 2010 stays an int, a date a date."""
INTERNED = (bool, int, str, date, Never, float)
"""Types whose equal values cannot be told apart (floats are keyed with their sign too: 0.0
and -0.0 are equal, and read apart), so that an exact candidate of one of them, from a
source of the same name, is one object however many facts have it (keyed with its type: 1,
True and 1.0 are equal, and stay three)."""
ROWS_AT_ONCE = 65_536
"""Rows whose candidates are read at once: memory for a few columns of them, not of all."""
CATEGORIES = ("project", "fact", "bounds", "precision", "source", "source_title",
              "source_url", "reliability")
"""Columns whose values repeat from row to row: stored as categories (each value once, a small
code per row; a missing value is NaN, as in a text column)."""


def observations_table(dossiers: Sequence[Dossier]) -> pd.DataFrame:
    """Every candidate value of every observation of every fact, with its source resolved.

    Built column by column, compactly: what is the same for a whole dossier, fact or
    observation is noted once and repeated by numpy; category columns are codes from the
    start (`CATEGORIES`)."""
    import numpy as np
    import pandas as pd

    coded = {name: Categories() for name in CATEGORIES}
    value: list[Any] = []  # per candidate
    low: list[Any] = []
    high: list[Any] = []
    note: list[Any] = []
    bounds, source, title, url, reliability = (array("i") for _ in range(5))
    day: list[Any] = []  # per observation
    precision, forecast, size = array("i"), array("b"), array("i")
    project, project_rows, fact, fact_rows = array("i"), array("i"), array("i"), array("i")
    for dossier in dossiers:
        begun, declared = len(value), {}  # source id → its codes: source, title, url, rating
        for path, observations in dossier.facts.items():
            before = len(value)
            for obs in observations:
                # the observation's own value first, as `Observation.candidates` lists it
                candidates = (obs, *obs.alternatives)
                for candidate in candidates:
                    codes = declared.get(candidate.source)
                    if codes is None:
                        codes = declared[candidate.source] = _source_codes(
                            coded, dossier, candidate.source)
                    source.append(codes[0])
                    title.append(codes[1])
                    url.append(codes[2])
                    reliability.append(codes[3])
                    ends = candidate.bounds
                    value.append(candidate.value)
                    low.append(ends.low if ends else None)
                    high.append(ends.high if ends else None)
                    bounds.append(coded["bounds"].code(ends.kind) if ends else -1)
                    note.append(candidate.note)
                day.append(obs.date)
                precision.append(coded["precision"].code(obs.precision))
                forecast.append(obs.forecast)
                size.append(len(candidates))
            fact.append(coded["fact"].code(path))
            fact_rows.append(len(value) - before)
        project.append(coded["project"].code(dossier.id))
        project_rows.append(len(value) - begun)
    sizes = np.frombuffer(size, dtype=np.int32)
    per_observation = np.repeat(np.arange(len(sizes)), sizes)
    alternative = np.ones(len(value), dtype=bool)
    alternative[np.cumsum(sizes) - sizes] = False  # each observation's first row is its own
    columns = {
        "project": np.repeat(np.frombuffer(project, dtype=np.int32),
                             np.frombuffer(project_rows, dtype=np.int32)),
        "fact": np.repeat(np.frombuffer(fact, dtype=np.int32),
                          np.frombuffer(fact_rows, dtype=np.int32)),
        "value": value, "low": low, "high": high,
        "bounds": bounds, "alternative": alternative,
        "date": object_array(day)[per_observation],
        "precision": np.frombuffer(precision, dtype=np.int32)[per_observation],
        "forecast": np.frombuffer(forecast, dtype=np.int8)[per_observation].astype(bool),
        "source": source, "source_title": title, "source_url": url,
        "reliability": reliability, "note": note,
    }  # fmt: skip
    del value, low, high, note, bounds, source, title, url, reliability, alternative, day
    del per_observation  # all in `columns` now, each let go below as soon as it is a column
    table = {}
    for name in OBSERVATION_COLUMNS:
        found = columns.pop(name)
        table[name] = (coded[name].column(np.asarray(found, dtype=np.int32))
                       if name in CATEGORIES
                       else pd.Series(found, dtype=object) if name in OBJECTS
                       else pd.Series(found))  # note: text, or None throughout
        del found
    return pd.DataFrame(table, columns=OBSERVATION_COLUMNS, copy=False)


def object_array(items: list[Any]) -> np.ndarray:
    """A list as a one-dimensional array of its objects (numpy would unpack tuples)."""
    import numpy as np

    found = np.empty(len(items), dtype=object)
    found[:] = items
    return found


def _source_codes(coded: dict[str, Categories], dossier: Dossier, name: str | None
                  ) -> tuple[int, int, int, int]:
    """The codes of a source's id, title, URL and reliability (−1 when there is none)."""
    declared = dossier.sources.get(name) if name else None
    return (coded["source"].code(name),
            coded["source_title"].code(declared.title if declared else None),
            coded["source_url"].code(declared.url if declared else None),
            coded["reliability"].code(declared.reliability if declared else None))


class Categories:
    """A category column's distinct values, each given a code as it first comes (None: −1);
    then the column, its categories in text order as `pandas.Categorical` sorts them."""

    def __init__(self) -> None:
        self.codes: dict[Any, int] = {None: -1}

    def code(self, value: Any) -> int:
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.codes) - 1
        return found

    def column(self, codes: np.ndarray) -> pd.Categorical:
        import numpy as np
        import pandas as pd

        values = list(self.codes)[1:]  # in the order of their codes
        order = sorted(range(len(values)), key=values.__getitem__)
        rank = np.full(len(values) + 1, -1, dtype=np.int32)  # code −1 (None) stays −1
        rank[order] = np.arange(len(values), dtype=np.int32)
        return pd.Categorical.from_codes(rank[codes], categories=[values[i] for i in order])


def at_least_as_reliable(observations: pd.DataFrame, floor: Reliability) -> pd.DataFrame:
    """The candidates whose source is rated `floor` or better ('low': all of them)."""
    if floor not in RELIABILITY or floor is None:
        from scorer.errors import ArgumentError

        raise ArgumentError("min_reliability", f"'{floor}' is not a reliability; use one of "
                            "primary, secondary, low")
    if floor == "low":
        return observations
    kept = _lookup(observations["reliability"], lambda r: RELIABILITY.get(r, 0)) >= (
        RELIABILITY[floor])
    return observations if kept.all() else observations[kept]


def evidence_at(observations: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    """Per project and fact, what is in force on `as_of` (`observation_at` over a table): the
    first standing candidate of the latest observation (its own value, else the first
    alternative left), with `candidates`, a tuple of every standing candidate as
    (value, low, high, bounds, source). Rows come sorted by project and fact."""
    return InForce(observations).at(as_of)


class InForce:
    """An observations table put in order once, to ask what is in force on one date or many.

    Rows are sorted by project and fact (text order, or the order of the categories), then
    by date (undated first), then as in the table, so that on any date the rows in force are,
    per fact, the last run of equal dates up to it: a few array operations per date, not a
    sort. With `share`, each fact's tuple of candidates is built once and shared by every
    date on which the same observation stands (what a history's dates have in common), so
    that rules judged on it need not be judged again (`scorer.engine.evaluate`'s `memo`);
    exact candidates of the types in `INTERNED` are shared by every fact that has them.
    """

    def __init__(self, observations: pd.DataFrame, share: bool = False) -> None:
        import numpy as np

        self.observations = observations
        self._shared: dict[int, tuple[tuple[Any, ...], ...]] | None = {} if share else None
        self._interned: dict[Any, tuple[tuple[Any, ...]]] = {}
        if observations.empty:
            return
        project, _ = _codes(observations["project"])
        fact, facts = _codes(observations["fact"])
        group = project * max(facts, 1) + fact
        day = np.fromiter((0 if d is None or d != d else d.toordinal()  # NaN: undated
                           for d in observations["date"].tolist()),
                          dtype=np.int32, count=len(observations))  # day 3,652,059 at most
        order = np.lexsort((day, group))  # stable: rows of one day keep the table's order
        order = order[(project[order] >= 0) & (fact[order] >= 0)]  # no project or fact: none
        group = group[order]
        small = np.int32 if max(len(day), int(group.max(initial=0))) < 2**31 else np.int64
        self._order, self._group, self._day = order.astype(small), group.astype(small), day[
            order]  # kept for every date asked: as small as they can be

    def at(self, as_of: date | None) -> pd.DataFrame:
        """The evidence table on `as_of` (`evidence_at`)."""
        import numpy as np
        import pandas as pd

        observations = self.observations
        if observations.empty:
            return pd.DataFrame(columns=[*observations.columns, "candidates"])
        kept = self._day <= (as_of.toordinal() if as_of else np.iinfo(np.int32).max)
        group, day, row = self._group[kept], self._day[kept], self._order[kept]
        starts = _starts(group)
        if len(group):  # per fact, the rows of its latest date: the last run of its rows
            latest = day[np.append(starts[1:], len(group)) - 1]
            standing = day == np.repeat(latest, np.diff(np.append(starts, len(group))))
            group, row = group[standing], row[standing]
            starts = _starts(group)
        table = observations.take(row[starts]).reset_index(drop=True)
        table["candidates"] = pd.Series(self._candidates(row, starts), index=table.index,
                                        dtype=object)
        return table

    def _candidates(self, rows: np.ndarray, starts: np.ndarray
                    ) -> list[tuple[tuple[Any, ...], ...]]:
        """Per fact, its candidates: the standing `rows` from each of `starts` to the next."""
        import numpy as np

        ends = np.append(starts[1:], len(rows))
        if self._shared is None:
            return self._build(rows, starts, ends)
        shared, firsts = self._shared, rows[starts].tolist()
        found = [shared.get(first) for first in firsts]
        wanted = np.array([i for i, known in enumerate(found) if known is None], dtype=int)
        for i, candidates in zip(wanted.tolist(), self._build(rows, starts[wanted],
                                                              ends[wanted]), strict=True):
            found[i] = shared[firsts[i]] = candidates  # built once, for every later date
        return found  # type: ignore[return-value]

    def _build(self, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray
               ) -> list[tuple[tuple[Any, ...], ...]]:
        """The candidates of the facts whose standing rows are rows[start:end]. An exact
        value whose equal values read alike (of a type in `INTERNED`) is one tuple for
        every fact that has it from a source of the same name, not one per project."""
        import numpy as np

        sizes = ends - starts
        single = bool((sizes == 1).all())
        picked = rows[starts] if single else rows[np.repeat(ends - sizes.cumsum(), sizes)
                                                  + np.arange(sizes.sum())]
        table, interned = self.observations, self._interned
        columns = [table[name] for name in ("value", "low", "high", "bounds", "source")]
        alone = []  # per row, its candidate alone: (candidate,)
        for at in range(0, len(picked), ROWS_AT_ONCE):  # a few columns of values at a time
            rows_now = picked[at:at + ROWS_AT_ONCE]
            for value, low, high, bounds, source in zip(
                    columns[0].to_numpy(dtype=object)[rows_now].tolist(),
                    *(_values(column, rows_now) for column in columns[1:]), strict=True):
                if (bounds is None and low is None and high is None
                        and type(value) in INTERNED):
                    key = (type(value), value, source, math.copysign(1.0, value)
                           if type(value) is float else None)
                    found = interned.get(key)
                    if found is None:
                        found = interned[key] = ((value, None, None, None, source),)
                    alone.append(found)
                else:
                    alone.append(((value, low, high, bounds, source),))
        if single:
            return alone
        found, at = [], 0
        for size in sizes.tolist():  # small numbers, unlike the rows' positions
            found.append(alone[at] if size == 1 else tuple(
                candidate for (candidate,) in alone[at:at + size]))
            at += size
        return found


def _starts(group: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array begins."""
    import numpy as np

    if not len(group):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.append(True, group[1:] != group[:-1]))


def _codes(column: pd.Series) -> tuple[Any, int]:
    """Integer codes of a column's values, in the order its rows sort by (text order, or
    a category's order), −1 for a missing value; and how many distinct values there are."""
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype("int64"), len(column.cat.categories)
    codes, uniques = pd.factorize(column, sort=True)
    return codes.astype("int64"), len(uniques)


def _values(column: pd.Series, rows: Any) -> list[Any]:
    """The values of `rows` (positions) of a column, None where missing (None or NaN)."""
    import numpy as np
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype):
        named = np.array([*column.cat.categories.tolist(), None], dtype=object)
        return named[column.cat.codes.to_numpy()[rows]].tolist()  # code −1: None
    return [_none(value) for value in column.to_numpy(dtype=object)[rows].tolist()]


def _lookup(column: pd.Series, function: Any) -> Any:
    """`function` of each value of a column, as an array (of a category column: once per
    category; a missing value is NaN)."""
    import numpy as np
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype):
        found = np.array([*map(function, column.cat.categories.tolist()), function(np.nan)])
        return found[column.cat.codes.to_numpy()]
    return column.map(function).to_numpy()


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and value != value) else value


def without_forecasts(observations: pd.DataFrame) -> pd.DataFrame:
    """The observations that state facts: forecasts left out (the same table, not a copy,
    when there is none)."""
    forecast = observations["forecast"].astype(bool).to_numpy()
    return observations[~forecast] if forecast.any() else observations


def effective_dates(dossiers: Sequence[Dossier], forecasts: bool = False) -> list[date]:
    """Every day on which some observation takes effect, in order (forecasts only if asked)."""
    return sorted({o.date for d in dossiers for obs in d.facts.values() for o in obs
                   if o.date is not None and (forecasts or not o.forecast)})
