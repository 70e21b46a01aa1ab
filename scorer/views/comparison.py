"""The ranked comparison (`scorer compare`) as one view: columns by name, labels, sentences.

Every writer of the comparison (terminal, tabulate formats, CSV, JSON, notebook, workbook)
starts from `Comparison` and picks its columns by key: 'rank', 'id', 'name', each axis id,
'score', 'total', 'coverage', 'grade', 'overrides'.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from scorer.engine import axis_matrix
from scorer.i18n import t
from scorer.views.common import clean, fmt_score, made_with, made_with_line, score_is_whole

if TYPE_CHECKING:
    from scorer.analysis import Analysis

Kind = Literal["rank", "text", "axis", "score", "total", "share", "list", "flag"]


@dataclass(frozen=True)
class Column:
    """One column of the comparison: its key, its header for people, what it holds."""

    key: str
    header: str
    kind: Kind


@dataclass(frozen=True)
class Comparison:
    """The ranked table of one analysis in one language."""

    analysis: Analysis
    lang: str
    columns: dict[str, Column]
    title: str
    caption: str
    """What the result was made with, in one line."""
    footnote: str | None
    """Said under the table when some score is an analyst's override, or some grade is
    provisional (too few criteria known)."""
    overridden: frozenset[tuple[str, str]]
    """(project, axis) pairs whose score is an analyst's override."""

    PEOPLE = ("rank", "name", "*axes", "score", "total", "coverage", "grade")
    """The columns people read, in order (`*axes`: every axis, in rubric order). Rank and
    total show their range beside them when the evidence leaves one."""
    MACHINES = ("rank", "id", "name", "score", "total", "grade", "coverage", "*axes",
                "overrides", "total_low", "total_high", "rank_best", "rank_worst",
                "provisional")
    """The columns of CSV, keyed by id."""

    @classmethod
    def of(cls, a: Analysis, lang: str = "en") -> Comparison:
        rubric = a.rubric
        columns = [
            Column("rank", t("rank", lang), "rank"),
            Column("id", t("id", lang), "text"),
            Column("name", t("project", lang), "text"),
            *(Column(axis, rubric.axes[axis].short_label(lang), "axis") for axis in rubric.axes),
            Column("score", t("score", lang), "score"),
            Column("total", f"{t('total', lang)} /{rubric.total_max:g}", "total"),
            Column("coverage", t("coverage", lang), "share"),
            Column("grade", t("grade", lang), "text"),
            Column("overrides", "overrides", "list"),
            Column("total_low", t("col.total_low", lang), "total"),
            Column("total_high", t("col.total_high", lang), "total"),
            Column("rank_best", t("col.rank_best", lang), "rank"),
            Column("rank_worst", t("col.rank_worst", lang), "rank"),
            Column("provisional", t("col.provisional", lang), "flag"),
        ]
        flagged = frozenset(zip(a.overrides["project"], a.overrides["axis"], strict=True))
        notes = [t("overridden", lang)] if flagged else []
        provisional = a.ranking[a.ranking["provisional"].astype(bool)]
        if len(provisional):
            names = ", ".join(f"{row['name']} {row['coverage']:.0%}"
                              for _, row in provisional.iterrows())
            notes.append(t("provisional_note", lang, share=rubric.min_coverage, names=names))
        return cls(analysis=a, lang=lang, columns={c.key: c for c in columns},
                   title=rubric.title(lang), caption=made_with_line(a, lang),
                   footnote="\n".join(notes) or None, overridden=flagged)

    # ------------------------------------------------------------ columns and cells

    def keys(self, layout: tuple[str, ...]) -> list[str]:
        """A layout's column keys, `*axes` spelled out."""
        axes = list(self.analysis.rubric.axes)
        return [k for key in layout for k in (axes if key == "*axes" else [key])]

    @property
    def projects(self) -> list[str]:
        """Project ids in rank order (ties in the order of the dossiers)."""
        return list(self.analysis.ranking.index)

    @cached_property
    def _position(self) -> dict[str, int]:
        """Each project's row in the ranking (rank order), for the columns below."""
        return {p: i for i, p in enumerate(self.analysis.ranking.index.tolist())}

    @cached_property
    def _ranking(self) -> dict[str, list[Any]]:
        """Each column of the ranking as a list in rank order, read once (a pandas lookup per
        cell cost more than all the rest of the view; one list per column, not a dict)."""
        ranking = self.analysis.ranking
        return {c: ranking[c].tolist() for c in ranking.columns}

    @cached_property
    def _scores(self) -> dict[str, list[float]]:
        """Each axis's scores as a list in rank order (as `_ranking`)."""
        scores = self.analysis.scores.reindex(self.analysis.ranking.index)
        return {axis: scores[axis].astype(float).tolist() for axis in self.analysis.rubric.axes}

    def value(self, key: str, project: str) -> Any:
        """The cell as data: a number, a text, or (overrides) the overridden axes."""
        a = self.analysis
        if key == "id":
            return project
        if key == "overrides":
            return [axis for axis in a.rubric.axes if (project, axis) in self.overridden]
        at = self._position[project]
        if key in a.rubric.axes:
            return self._scores[key][at]
        if key == "grade":
            return a.rubric.grade(self._ranking["total"][at], self.lang)
        if key in ("rank", "rank_best", "rank_worst"):
            return int(self._ranking[key][at])
        if key == "provisional":
            return bool(self._ranking[key][at])
        return self._ranking[key][at]

    def uncertain(self, project: str) -> bool:
        """Whether the evidence leaves the project's total more than one possible value."""
        ranking, at = self._ranking, self._position[project]
        return bool(ranking["total_high"][at] - ranking["total_low"][at] > 1e-9)

    def text(self, key: str, project: str) -> str:
        """The cell as people read it: 4*, 3.50, 21.0, 70%."""
        value = self.value(key, project)
        kind = self.columns[key].kind
        if kind == "axis":
            return fmt_score(value) + ("*" if (project, key) in self.overridden else "")
        if kind == "score":
            return f"{value:.2f}"
        if key == "total" and self.uncertain(project):
            low, high = (self.value(k, project) for k in ("total_low", "total_high"))
            return f"{value:.1f} ({low:g}–{high:g})"
        if kind == "total":
            return f"{value:.1f}"
        if key == "rank" and self.uncertain(project):
            best, worst = (self.value(k, project) for k in ("rank_best", "rank_worst"))
            return f"{value} ({best}–{worst})" if best != worst else str(value)
        if kind == "share":
            return f"{value:.0%}"
        if kind == "list":
            return " ".join(value)
        if kind == "flag":
            return "true" if value else "false"
        if key == "grade" and self.value("provisional", project):
            return f"{value} ({t('provisional', self.lang)})"
        return str(value)

    def headers(self, layout: tuple[str, ...], machine: bool = False) -> list[str]:
        return [key if machine else self.columns[key].header for key in self.keys(layout)]

    def rows(self, layout: tuple[str, ...], machine: bool = False) -> list[list[Any]]:
        """One row per project in rank order: JSON-ready values (machine) or texts."""
        keys = self.keys(layout)
        if machine:
            return [[clean(self.value(k, p)) if k != "overrides" else self.text(k, p)
                     for k in keys] for p in self.projects]
        return [[self.text(k, p) for k in keys] for p in self.projects]

    # ------------------------------------------------------------ whole views

    def frame(self) -> pd.DataFrame:
        """The people's table as data: labelled columns, indexed by project id, numbers as
        numbers (axis scores as integers when the scale's steps are whole)."""
        keys = self.keys(self.PEOPLE)
        whole = score_is_whole(self.analysis)
        data = {self.columns[k].header: [self.value(k, p) for p in self.projects] for k in keys}
        frame = pd.DataFrame(data, index=pd.Index(self.projects, name="id"))
        for key in keys:
            if self.columns[key].kind == "axis" and whole:
                frame[self.columns[key].header] = frame[self.columns[key].header].astype(int)
        frame.insert(frame.columns.get_loc(self.columns["total"].header) + 1,
                     t("range", self.lang), [self.text("total", p).partition(" ")[2].strip("()")
                                             for p in self.projects])
        return frame

    def to_dict(self) -> dict[str, Any]:
        """`scorer compare --format json`: projects in rank order."""
        record = self.record()
        return {**record, "projects": list(record["projects"])}

    def record(self) -> dict[str, Any]:
        """`to_dict` with its projects as an iterator, each made as it is read: what
        `scorer.writers.text.stream_json` writes without holding them all."""
        a = self.analysis
        axes = list(a.rubric.axes)
        low, high = (axis_matrix(a.axes, end, a.ranking.index, axes).to_numpy()
                     for end in ("low", "high"))
        head = clean({**made_with(a), "scale": a.rubric.scale.model_dump(),
                      "total_max": a.rubric.total_max})
        return {**head, "projects": (clean(self._project(p, low[i].tolist(), high[i].tolist()))
                                     for i, p in enumerate(self.projects))}

    def _project(self, p: str, low: list[float], high: list[float]) -> dict[str, Any]:
        """One project's record; `low` and `high`: its axes' ends, in rubric order."""
        axes = self.analysis.rubric.axes
        return {
            "id": p,
            "name": self.value("name", p),
            "rank": self.value("rank", p),
            "score": self.value("score", p),
            "total": self.value("total", p),
            "grade": self.value("grade", p),
            "coverage": self.value("coverage", p),
            "axes": {axis: self.value(axis, p) for axis in axes},
            "overrides": self.value("overrides", p),
            "total_range": [self.value("total_low", p), self.value("total_high", p)],
            "rank_range": [self.value("rank_best", p), self.value("rank_worst", p)],
            "axes_range": {axis: [lo, hi] for axis, lo, hi in zip(axes, low, high, strict=True)},
            "provisional": self.value("provisional", p),
        }  # fmt: skip
