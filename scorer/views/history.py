"""Scores over time (`scorer history`): a project × date table of totals and ranks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from scorer.i18n import t
from scorer.views.common import clean

if TYPE_CHECKING:
    from scorer.analysis import Analysis

BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class History:
    """The analyses of one set of dossiers at several dates, oldest first."""

    analyses: tuple[Analysis, ...]
    lang: str = "en"
    axes: bool = False
    """Whether the axis scores are part of the view, not only totals and ranks."""

    @property
    def dates(self) -> list[date]:
        return [a.as_of for a in self.analyses]

    @cached_property
    def projects(self) -> list[str]:
        """Project ids in rank order on the last date."""
        return list(self.analyses[-1].ranking.index) if self.analyses else []

    @cached_property
    def _names(self) -> dict[str, str]:
        return {p: str(n) for p, n in self.analyses[-1].ranking["name"].items()}

    def name(self, project: str) -> str:
        return self._names[project]

    @cached_property
    def _series(self) -> dict[str, list[list[Any]]]:
        """Per date, in `projects` order: totals (floats), ranks (ints) and, per axis, the
        axis scores (floats); read once from each analysis, not cell by cell."""
        projects = self.projects
        totals, ranks, axes = [], [], []
        for a in self.analyses:
            ranking = a.ranking.reindex(projects)
            totals.append(ranking["total"].astype(float).tolist())
            ranks.append(ranking["rank"].astype(int).tolist())
            axes.append(a.scores.reindex(projects).astype(float).to_numpy().tolist())
        return {"totals": totals, "ranks": ranks, "axes": axes}

    def frame(self) -> pd.DataFrame:
        """One row per date and project: date, id, name, total, rank (and axis scores)."""
        if not self.analyses:
            return pd.DataFrame([])
        projects, series = self.projects, self._series
        axes = list(self.analyses[0].scores.columns) if self.axes else []
        columns: dict[str, list[Any]] = {
            "date": [a.as_of for a in self.analyses for _ in projects],
            "id": projects * len(self.analyses),
            "name": [self.name(p) for p in projects] * len(self.analyses),
            "total": [x for totals in series["totals"] for x in totals],
            "rank": [x for ranks in series["ranks"] for x in ranks],
        }  # fmt: skip
        for j, axis in enumerate(axes):
            columns[axis] = [scores[j] for rows in series["axes"] for scores in rows]
        return pd.DataFrame(columns)

    def totals(self, project: str) -> list[float]:
        i = self.projects.index(project)
        return [totals[i] for totals in self._series["totals"]]

    def sparkline(self, project: str) -> str:
        """The project's totals as bars, on the scale of the rubric's totals (min to max)."""
        rubric = self.analyses[-1].rubric
        low, high = rubric.scale.min * len(rubric.axes), rubric.total_max
        return "".join(BARS[min(int((x - low) / (high - low) * len(BARS)), len(BARS) - 1)]
                       for x in self.totals(project))

    def to_dict(self) -> dict[str, Any]:
        """`scorer history --format json`."""
        first, found = self.analyses[0], self._series
        names = list(first.scores.columns)
        projects = []
        for i, project in enumerate(self.projects):
            series = []
            for a, totals, ranks, axes in zip(self.analyses, found["totals"], found["ranks"],
                                              found["axes"], strict=True):
                point: dict[str, Any] = {"date": a.as_of, "total": totals[i], "rank": ranks[i]}
                if self.axes:
                    point["axes"] = dict(zip(names, axes[i], strict=True))
                series.append(point)
            projects.append({"id": project, "name": self.name(project), "series": series})
        return clean({
            "rubric": {"id": first.rubric.id, "version": first.rubric.version},
            "profile": first.profile, "weights": first.weights.to_dict(),
            "min_reliability": first.min_reliability, "dates": self.dates,
            "projects": projects,
        })  # fmt: skip

    def headers(self, machine: bool = False) -> list[str]:
        axes = list(self.analyses[0].rubric.axes) if self.axes else []
        if machine:
            return ["date", "id", "name", "total", "rank", *axes]
        rubric = self.analyses[0].rubric
        return [t("date", self.lang), t("id", self.lang), t("project", self.lang),
                f"{t('total', self.lang)} /{rubric.total_max:g}", t("rank", self.lang),
                *(rubric.axes[x].short_label(self.lang) for x in axes)]

    def rows(self, machine: bool = False) -> list[list[Any]]:
        frame = self.frame()
        if machine:
            return [[clean(v) for v in row] for row in frame.itertuples(index=False)]
        return [[row[0].isoformat(), row[1], row[2], f"{row[3]:.1f}", str(row[4]),
                 *(f"{v:g}" for v in row[5:])] for row in frame.itertuples(index=False)]
