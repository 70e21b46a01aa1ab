"""What changed between two analyses: two dates, two rubric versions or two trust floors.

A pure comparison of two `Analysis` tables: per project its total and rank on each side, and
every criterion whose outcome or points differ, with the facts it read on each side — the
observation in force (value, source, date), or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from scorer.analysis import Analysis


@dataclass(frozen=True)
class Diff:
    """Two analyses and what differs between them."""

    a: Analysis
    b: Analysis
    projects: pd.DataFrame
    """Per project present on either side: name, total_a, total_b, rank_a, rank_b, and
    `side`: both, a (vanished in b) or b (appeared in b)."""
    changes: pd.DataFrame
    """Per project × criterion that differs: axis, criterion, points_a, points_b,
    outcome_a, outcome_b, facts (fact paths read on either side)."""

    def observation(self, side: str, project: str, fact: str) -> dict[str, Any] | None:
        """The observation of `fact` in force on one side: value, source, as_of; or None."""
        found = self._in_force[side].get((project, fact))
        if found is None:
            return None
        value, source, day = found
        return {"value": value, "source": source,
                "as_of": None if day is None or pd.isna(day) else day}

    @cached_property
    def _in_force(self) -> dict[str, dict[tuple[str, str], tuple[Any, Any, Any]]]:
        """Per side, (project, fact) → value, source and date in force: one pass over each
        evidence table, so that looking up every changed fact is linear, not quadratic."""
        found: dict[str, dict[tuple[str, str], tuple[Any, Any, Any]]] = {}
        for side, analysis in (("a", self.a), ("b", self.b)):
            table = analysis.evidence
            found[side] = {}
            for key in zip(table["project"].tolist(), table["fact"].tolist(),
                           table["value"].tolist(), table["source"].tolist(),
                           table["date"].tolist(), strict=True):
                found[side].setdefault(key[:2], key[2:])  # the first row, as before
        return found


def present(a: Analysis) -> set[str]:
    """The projects that state at least one fact in force on the analysis date."""
    return set(a.evidence["project"]) if not a.evidence.empty else set()


def diff(a: Analysis, b: Analysis, projects: Sequence[str] = ()) -> Diff:
    """Compare two analyses of (usually) the same dossiers (see the module doc); only
    `projects`, when given (an unknown id is an `ArgumentError` with a did-you-mean)."""
    for project in projects:
        a.dossier(project)
    in_a, in_b = present(a), present(b)
    order = [*a.ranking.index, *(p for p in b.ranking.index if p not in a.ranking.index)]
    rows = []
    for project in order:
        if (project not in in_a and project not in in_b) or (projects and
                                                              project not in projects):
            continue
        side = "both" if project in in_a and project in in_b else ("a" if project in in_a
                                                                     else "b")
        name = (a.ranking if project in a.ranking.index else b.ranking).at[project, "name"]
        rows.append({
            "project": project, "name": name, "side": side,
            "total_a": a.ranking.at[project, "total"] if project in a.ranking.index else None,
            "total_b": b.ranking.at[project, "total"] if project in b.ranking.index else None,
            "rank_a": a.ranking.at[project, "rank"] if project in a.ranking.index else None,
            "rank_b": b.ranking.at[project, "rank"] if project in b.ranking.index else None,
        })  # fmt: skip
    projects = pd.DataFrame(rows, columns=["project", "name", "side", "total_a", "total_b",
                                           "rank_a", "rank_b"])
    keys = ["project", "axis", "criterion"]
    left, right = (_as_text(side.criteria[[*keys, "points", "outcome", "facts"]])
                   for side in (a, b))
    both = left.merge(right, on=keys, how="outer", suffixes=("_a", "_b"), sort=False)
    differs = (both["points_a"] != both["points_b"]) | (both["outcome_a"] != both["outcome_b"])
    changed = both[differs & both["project"].isin(projects["project"])].copy()
    changed["facts"] = [tuple(dict.fromkeys([*(fa if isinstance(fa, tuple) else ()),
                                             *(fb if isinstance(fb, tuple) else ())]))
                        for fa, fb in zip(changed["facts_a"], changed["facts_b"], strict=True)]
    rank = {p: i for i, p in enumerate(projects["project"])}
    changed = changed.sort_values("project", key=lambda s: s.map(rank), kind="stable")
    columns = ["project", "axis", "criterion", "points_a", "points_b", "outcome_a",
               "outcome_b", "facts"]
    return Diff(a, b, projects, changed[columns].reset_index(drop=True))


def _as_text(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with its category columns as text: two analyses' categories differ (an
    outcome no criterion has on one date), and categories compare only with their equals."""
    return table.astype({name: str for name in table.columns
                         if isinstance(table[name].dtype, pd.CategoricalDtype)})
