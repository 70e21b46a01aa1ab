"""What changed between two analyses (`scorer diff`), as JSON and as lines people read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from scorer.facttypes import display_value
from scorer.i18n import t
from scorer.views.common import clean, outcome_text

if TYPE_CHECKING:
    from scorer.analysis import Analysis
    from scorer.diff import Diff


def describe(a: Analysis) -> dict[str, Any]:
    """What one side of a diff is: its date, rubric and trust floor."""
    return {"as_of": a.as_of, "rubric": {"id": a.rubric.id, "version": a.rubric.version},
            "min_reliability": a.min_reliability, "include_forecasts": a.include_forecasts}


@dataclass(frozen=True)
class DiffView:
    """A diff in one language."""

    diff: Diff
    lang: str = "en"

    def side(self, which: str) -> str:
        """'2025-08-26', or 'rubric default v1', or 'sources: primary only' — what tells the
        two sides apart, in a few words."""
        a, b = describe(self.diff.a), describe(self.diff.b)
        mine = a if which == "a" else b
        parts = []
        if a["as_of"] != b["as_of"]:
            parts.append(mine["as_of"].isoformat())
        if a["rubric"] != b["rubric"]:
            parts.append(f"{t('rubric', self.lang)} {mine['rubric']['id']} "
                         f"v{mine['rubric']['version']}")
        if a["min_reliability"] != b["min_reliability"]:
            level = t(f"reliability.{mine['min_reliability']}", self.lang)
            parts.append(t("trusted", self.lang, level=level))
        if a["include_forecasts"] != b["include_forecasts"]:
            parts.append(t("with_forecasts" if mine["include_forecasts"] else "without_forecasts",
                           self.lang))
        return " · ".join(parts) or mine["as_of"].isoformat()

    def outcome(self, which: str, criterion: str, outcome: Any) -> str:
        """One side's outcome of a criterion as people read it (`outcome_text`), or '—'
        where that side's rubric has no such criterion."""
        if not isinstance(outcome, str):
            return "—"
        return outcome_text(self._kinds[which].get(criterion, ""), outcome, self.lang)

    @cached_property
    def _kinds(self) -> dict[str, dict[str, str]]:
        """Per side, each criterion's kind (check or bands) in that side's rubric."""
        return {which: {c.id: c.kind for _, c in side.rubric.criteria()}
                for which, side in (("a", self.diff.a), ("b", self.diff.b))}

    @cached_property
    def changes_of(self) -> dict[str, list[Any]]:
        """Each project's changed criteria (rows of `Diff.changes`, in order), grouped once:
        looking them up per project would read the whole table for every project."""
        grouped: dict[str, list[Any]] = {}
        for c in self.diff.changes.itertuples(index=False):
            grouped.setdefault(c.project, []).append(c)
        return grouped

    def observed(self, obs: dict[str, Any] | None) -> str:
        if obs is None:
            return t("missing", self.lang)
        where = " ".join(str(x) for x in (obs["source"], obs["as_of"]) if x)
        return f"{display_value(obs['value'])}" + (f" [{where}]" if where else "")

    def to_dict(self) -> dict[str, Any]:
        """`scorer diff --format json`."""
        d = self.diff
        projects = []
        for row in d.projects.itertuples(index=False):
            changes = []
            for c in self.changes_of.get(row.project, []):
                changes.append({
                    "axis": c.axis, "criterion": c.criterion,
                    "points": [c.points_a, c.points_b], "outcome": [c.outcome_a, c.outcome_b],
                    "facts": {f: {"a": d.observation("a", row.project, f),
                                  "b": d.observation("b", row.project, f)} for f in c.facts},
                })  # fmt: skip
            projects.append({"id": row.project, "name": row.name,
                             "total": [row.total_a, row.total_b],
                             "rank": [row.rank_a, row.rank_b], "changes": changes})
        return clean({
            "a": describe(d.a), "b": describe(d.b), "projects": projects,
            "appeared": list(d.projects.loc[d.projects["side"] == "b", "project"]),
            "vanished": list(d.projects.loc[d.projects["side"] == "a", "project"]),
        })  # fmt: skip
