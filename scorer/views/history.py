"""Scores over time (`scorer history`): a project × date table of totals and ranks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
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

    @property
    def projects(self) -> list[str]:
        """Project ids in rank order on the last date."""
        return list(self.analyses[-1].ranking.index) if self.analyses else []

    def name(self, project: str) -> str:
        return str(self.analyses[-1].ranking.at[project, "name"])

    def frame(self) -> pd.DataFrame:
        """One row per date and project: date, id, name, total, rank (and axis scores)."""
        rows = []
        for a in self.analyses:
            for project in self.projects:
                row = {"date": a.as_of, "id": project, "name": self.name(project),
                       "total": float(a.ranking.at[project, "total"]),
                       "rank": int(a.ranking.at[project, "rank"])}
                if self.axes:
                    row.update({axis: float(a.scores.at[project, axis]) for axis in a.scores})
                rows.append(row)
        return pd.DataFrame(rows)

    def totals(self, project: str) -> list[float]:
        return [float(a.ranking.at[project, "total"]) for a in self.analyses]

    def sparkline(self, project: str) -> str:
        """The project's totals as bars, on the scale of the rubric's totals (min to max)."""
        rubric = self.analyses[-1].rubric
        low, high = rubric.scale.min * len(rubric.axes), rubric.total_max
        return "".join(BARS[min(int((x - low) / (high - low) * len(BARS)), len(BARS) - 1)]
                       for x in self.totals(project))

    def to_dict(self) -> dict[str, Any]:
        """`scorer history --format json`."""
        first = self.analyses[0]
        projects = []
        for project in self.projects:
            series = []
            for a in self.analyses:
                point: dict[str, Any] = {"date": a.as_of,
                                         "total": a.ranking.at[project, "total"],
                                         "rank": int(a.ranking.at[project, "rank"])}
                if self.axes:
                    point["axes"] = a.scores.loc[project].to_dict()
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
