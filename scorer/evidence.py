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

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from scorer.models import Dossier, Observation

if TYPE_CHECKING:  # pandas loads only where tables are built: validation needs none
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


def observations_table(dossiers: Sequence[Dossier]) -> pd.DataFrame:
    """Every candidate value of every observation of every fact, with its source resolved."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for dossier in dossiers:
        for fact, observations in dossier.facts.items():
            for obs in observations:
                for index, candidate in enumerate(obs.candidates):
                    source = dossier.sources.get(candidate.source) if candidate.source else None
                    bounds = candidate.bounds
                    rows.append({
                        "project": dossier.id, "fact": fact, "value": candidate.value,
                        "low": bounds.low if bounds else None,
                        "high": bounds.high if bounds else None,
                        "bounds": bounds.kind if bounds else None,
                        "alternative": index > 0, "date": obs.date,
                        "precision": obs.precision, "forecast": obs.forecast,
                        "source": candidate.source,
                        "source_title": source.title if source else None,
                        "source_url": source.url if source else None,
                        "reliability": source.reliability if source else None,
                        "note": candidate.note,
                    })  # fmt: skip
    table = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS).astype({"alternative": bool})
    for column in ("value", "low", "high"):  # keep each value's own type: 2010 stays an int
        table[column] = pd.Series([r[column] for r in rows], dtype=object)
    return table


def at_least_as_reliable(observations: pd.DataFrame, floor: Reliability) -> pd.DataFrame:
    """The candidates whose source is rated `floor` or better ('low': all of them)."""
    if floor not in RELIABILITY or floor is None:
        from scorer.errors import ArgumentError

        raise ArgumentError("min_reliability", f"'{floor}' is not a reliability; use one of "
                            "primary, secondary, low")
    if floor == "low":
        return observations
    ranks = observations["reliability"].map(lambda r: RELIABILITY.get(r, 0))
    return observations[ranks >= RELIABILITY[floor]]


def evidence_at(observations: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    """Per project and fact, what is in force on `as_of` (`observation_at` over a table): the
    first standing candidate of the latest observation (its own value, else the first
    alternative left), with `candidates`, a tuple of every standing candidate as
    (value, low, high, bounds, source). Rows come sorted by project and fact."""
    import pandas as pd

    columns = [*observations.columns, "candidates"]
    if observations.empty:
        return pd.DataFrame(columns=columns)
    days = observations["date"].map(lambda d: None if pd.isna(d) else d)
    current = observations[days.map(lambda d: applies(d, as_of)).astype(bool)].copy()
    current["_order"] = days[current.index].map(precedence)
    current["_row"] = range(len(current))  # candidates keep their order in the file
    current = current.sort_values(["project", "fact", "_order", "_row"], kind="stable")
    latest = current.groupby(["project", "fact"], sort=False)["_order"].transform("max")
    standing = current[current["_order"] == latest]
    keys = list(zip(standing["project"], standing["fact"], strict=True))
    candidates: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for key, *candidate in zip(keys, standing["value"], standing["low"], standing["high"],
                               standing["bounds"], standing["source"], strict=True):
        candidates.setdefault(key, []).append((candidate[0], *map(_none, candidate[1:])))
    table = standing[~pd.Series(keys, index=standing.index).duplicated()].copy()
    table["candidates"] = pd.Series([tuple(candidates[key]) for key in candidates],
                                    index=table.index, dtype=object)
    return table.drop(columns=["_order", "_row"]).reset_index(drop=True)


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and value != value) else value


def without_forecasts(observations: pd.DataFrame) -> pd.DataFrame:
    """The observations that state facts: forecasts left out."""
    return observations[~observations["forecast"].astype(bool)]


def effective_dates(dossiers: Sequence[Dossier], forecasts: bool = False) -> list[date]:
    """Every day on which some observation takes effect, in order (forecasts only if asked)."""
    return sorted({o.date for d in dossiers for obs in d.facts.values() for o in obs
                   if o.date is not None and (forecasts or not o.forecast)})
