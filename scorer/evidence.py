"""Evidence as of a date: which observation of a fact is in force on a given day.

The one rule, used by scoring and by validation alike: a fact takes its latest observation
dated on or before the day. Undated observations always apply, and give way to any dated
one. `as_of=None` means no limit (the latest of all).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from scorer.models import Dossier, Observation

if TYPE_CHECKING:  # pandas loads only where tables are built: validation needs none
    import pandas as pd

OBSERVATION_COLUMNS = [
    "project", "fact", "value", "date", "source", "source_title", "source_url",
    "reliability", "note",
]  # fmt: skip


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
    """Every observation of every fact, with its source resolved."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for dossier in dossiers:
        for fact, observations in dossier.facts.items():
            for obs in observations:
                source = dossier.sources.get(obs.source) if obs.source else None
                rows.append({
                    "project": dossier.id, "fact": fact, "value": obs.value, "date": obs.date,
                    "source": obs.source,
                    "source_title": source.title if source else None,
                    "source_url": source.url if source else None,
                    "reliability": source.reliability if source else None,
                    "note": obs.note,
                })  # fmt: skip
    return pd.DataFrame(rows, columns=OBSERVATION_COLUMNS).astype({"value": object})


def evidence_at(observations: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    """Per project and fact, the row of `observations` in force on `as_of`: `observation_at`
    over a table. Rows come sorted by project and fact."""
    import pandas as pd

    if observations.empty:
        return observations.copy()
    days = observations["date"].map(lambda d: None if pd.isna(d) else d)
    current = observations[days.map(lambda d: applies(d, as_of)).astype(bool)].copy()
    current["_order"] = days[current.index].map(precedence)
    current = current.sort_values(["project", "fact", "_order"], kind="stable")
    latest = current.groupby(["project", "fact"], sort=False).tail(1)
    return latest.drop(columns="_order").reset_index(drop=True)


def latest_date(dossiers: Sequence[Dossier]) -> date | None:
    """The most recent date the dossiers know of: the default 'as of' of an analysis."""
    dates = [d.as_of for d in dossiers if d.as_of]
    dates += [o.date for d in dossiers for obs in d.facts.values() for o in obs if o.date]
    return max(dates, default=None)
