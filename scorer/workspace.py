"""The front door: a rubric and its dossiers, loaded and checked, ready to analyse.

    import scorer
    ws = scorer.load("projects", "rubrics/default.yaml")   # or scorer.load(): as the CLI finds them
    a = ws.analyse(as_of="2025-08-26")
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from scorer import dates
from scorer.analysis import Analysis, analyse
from scorer.errors import ArgumentError, Problem
from scorer.evidence import Reliability
from scorer.loading import load_projects, read_rubric
from scorer.models import Dossier, Rubric
from scorer.rulebook import Rulebook
from scorer.views.history import History


@dataclass(frozen=True, repr=False)
class Workspace:
    """A rubric, its rules compiled, and the dossiers scored with it."""

    rubric: Rubric
    rulebook: Rulebook
    dossiers: tuple[Dossier, ...]

    @property
    def projects(self) -> list[str]:
        """The project ids, in the order the dossiers were loaded."""
        return [d.id for d in self.dossiers]

    def analyse(self, as_of: date | str | None = None, profile: str | None = None,
                weights: Mapping[str, float] | None = None, lang: str = "en",
                min_reliability: Reliability = "low",
                include_forecasts: bool = False) -> Analysis:
        """Score and rank every project as of a date (a `date` or 'YYYY-MM-DD'; default:
        today). `weights` replace the profile's weights of the axes they name; `lang` ('en'
        or 'ja') is the default language of the views; `min_reliability` ('primary',
        'secondary', 'low') ignores less reliable sources; forecasts count only with
        `include_forecasts`."""
        return analyse(self.rulebook, self.dossiers, as_of=_day(as_of), profile=profile,
                       weights=weights, lang=lang, min_reliability=min_reliability,
                       include_forecasts=include_forecasts)

    def history(self, start: date | str | None = None, end: date | str | None = None,
                every: str = "quarter", axes: bool = False, *, profile: str | None = None,
                weights: Mapping[str, float] | None = None, lang: str = "en",
                min_reliability: Reliability = "low",
                include_forecasts: bool = False) -> History:
        """Scores over time: the analysis at the end of every 'month', 'quarter' or 'year'
        from `start` (default: the first day an observation takes effect) to `end` (default:
        today) and on `end`, or with every='change' on exactly the days on which some score
        can change (see `scorer.timeline`). `axes` puts the axis scores in the view; the
        other options are those of `analyse`. What does not depend on the date is made once
        (`scorer.analysis.prepare`); each date makes only what does, and its analysis is
        the one `analyse` gives on that day."""
        from scorer import timeline
        from scorer.analysis import prepare

        if every not in dates.EVERY:
            raise ArgumentError("every", f"'{every}' is not one of {', '.join(dates.EVERY)}")
        last = _day(end, "end") or dates.today()
        first = (_day(start, "start") or timeline.first_date(self.dossiers, include_forecasts)
                 or last)
        if first > last:
            raise ArgumentError("start", f"{first} is after the last date, {last}")
        prepared = prepare(self.rulebook, self.dossiers, profile=profile, weights=weights,
                           lang=lang, min_reliability=min_reliability,
                           include_forecasts=include_forecasts, many=True)
        days = timeline.sampled_dates(self.rulebook, self.dossiers, first, last, every,
                                      observations=prepared.trusted)
        return History(tuple(prepared.at(day) for day in days), lang, axes)

    def warnings(self, as_of: date | str | None = None) -> list[Problem]:
        """What `scorer validate` warns about: unsourced, undated or stale facts (at `as_of`,
        default today), sources without a URL, criteria no dossier can satisfy."""
        from scorer.validation import dossier_warnings, rubric_warnings

        when = _day(as_of) or dates.today()
        found = rubric_warnings(self.rulebook, self.dossiers)
        for dossier in self.dossiers:
            found += dossier_warnings(self.rubric, dossier, when)
        return found

    def __repr__(self) -> str:
        return (f"<Workspace rubric {self.rubric.id} v{self.rubric.version} "
                f"({len(self.rubric.axes)} axes, {len(self.rulebook)} criteria), "
                f"{len(self.dossiers)} projects: {', '.join(self.projects)}>")


def load(projects: str | Path | Iterable[str | Path] | None = None,
         rubric: str | Path | None = None, today: date | str | None = None) -> Workspace:
    """Load a rubric and the dossiers of `projects` (folders or files); either left out is
    found as the command line finds it (`scorer.config.resolve`: SCORER_PROJECTS and
    SCORER_RUBRIC, pyproject.toml's [tool.scorer], the nearest workspace, else ./projects
    and ./rubrics/default.yaml). Every problem of every file is reported at once, as a
    `ScorerError` naming file, line and column; nothing may be dated after `today`
    (default: `scorer.dates.today()`) but a forecast."""
    if projects is None or rubric is None:
        from scorer.config import resolve

        found = resolve()
        projects = found.projects if projects is None else projects
        rubric = found.rubric if rubric is None else rubric
    model, rulebook = read_rubric(rubric)
    return Workspace(model, rulebook, tuple(load_projects(projects, model, _day(today))))


def _day(value: date | str | None, argument: str = "as_of") -> date | None:
    """A date argument, as a date, within `dates.out_of_range`'s bounds."""
    if value is None:
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ArgumentError(argument, f"'{value}' is not a date (YYYY-MM-DD)") from None
    problem = dates.out_of_range(value)
    if problem:
        raise ArgumentError(argument, problem)
    return value
