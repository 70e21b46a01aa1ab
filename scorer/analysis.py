"""One analysis: dossiers and a rubric in, every table out, and the ways to show them.

    evidence ─► criteria ─► axes ─► scores ─► ranking          (`analyse`)

`Analysis` holds the tables and what they were made with; its methods give the views a
notebook or a script wants: `table()` (what `scorer compare` shows), `explain(project)`,
`sensitivity()`, `to_dict()` (the JSON of `scorer compare`) and `to_excel(path)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from scorer import dates, engine, evidence, ranking, uncertainty
from scorer import weights as weighting
from scorer.errors import ArgumentError, did_you_mean
from scorer.evidence import Reliability
from scorer.i18n import LANGS
from scorer.models import Dossier, Rubric
from scorer.rulebook import Rulebook, compile_rubric
from scorer.rules import FactSeries
from scorer.safeyaml import collector_paused

if TYPE_CHECKING:
    from scorer.views.comparison import Comparison
    from scorer.views.explanation import Explanation
    from scorer.views.sensitivity import Sensitivity


LISTED = 20
"""Most project ids an unknown-project error lists (the did-you-mean searches them all)."""


@dataclass(frozen=True, repr=False)
class Analysis:
    """Every table of one analysis, and what it was made with."""

    rubric: Rubric
    rulebook: Rulebook
    dossiers: tuple[Dossier, ...]
    as_of: date
    profile: str
    weights_given: pd.Series
    """The weight of each axis as given (the profile's, with `weights` applied)."""
    weights: pd.Series
    """The same, normalised to sum to 1: what the scores are weighted with."""
    projects: pd.DataFrame
    observations: pd.DataFrame
    evidence: pd.DataFrame
    criteria: pd.DataFrame
    axes: pd.DataFrame
    scores: pd.DataFrame
    ranking: pd.DataFrame
    lang: str = "en"
    """The language of labels and sentences when a method is not told otherwise."""
    min_reliability: Reliability = "low"
    """Observations from sources rated below this were left out ('low': none were)."""
    include_forecasts: bool = False
    """Whether observations marked as forecasts counted."""
    histories: Mapping[str, FactSeries] = field(default_factory=dict, repr=False)
    """Per project, the dated history of the facts rules read with `change` or `ago`."""

    def dossier(self, project: str) -> Dossier:
        """The dossier of a project id; an unknown id is a user error with a did-you-mean."""
        for d in self.dossiers:
            if d.id == project:
                return d
        ids = [d.id for d in self.dossiers]
        listed = ", ".join(ids[:LISTED])
        if len(ids) > LISTED:
            listed += f", … ({len(ids):,} in all)"
        raise ArgumentError("project", f"unknown project '{project}'"
                            f"{did_you_mean(project, ids)}; projects: {listed}")

    @property
    def overrides(self) -> pd.DataFrame:
        """The axes an analyst overrode: project, axis, score, computed score, reason."""
        rows = self.axes[self.axes["override"]]
        return rows[["project", "axis", "score", "computed", "reason"]].reset_index(drop=True)

    # ------------------------------------------------------------ views

    def comparison(self, lang: str | None = None) -> Comparison:
        """The ranked comparison as a view: named columns, labels and sentences."""
        from scorer.views.comparison import Comparison

        return Comparison.of(self, lang or self.lang)

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The table `scorer compare` shows: one row per project in rank order, labelled
        columns, axis scores as integers when the scale's steps are whole."""
        return self.comparison(lang).frame()

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """`scorer compare --format json`, as Python data."""
        return self.comparison(lang).to_dict()

    def explain(self, project: str, lang: str | None = None) -> Explanation:
        """Every criterion behind one project's scores (`scorer explain PROJECT`)."""
        from scorer.views.explanation import Explanation

        return Explanation.of(self, project, lang or self.lang)

    def sensitivity(self, samples: int = 10_000, seed: int = 0,
                    concentration: float | None = None, evidence: bool = True,
                    progress: Callable[[int, int], None] | None = None,
                    top: int | None = None, full: bool = False) -> Sensitivity:
        """Does the ranking survive other weights, and other evidence? (`scorer
        sensitivity`; the rubric's scale sets the one-point-off step and bounds; `evidence`
        draws the unknown and uncertain criteria in the Monte Carlo too; the bounds of
        `samples`, `seed` and `concentration` are in `scorer.sampling`.) What it lists is
        bounded to what reaches the `top` best ranks (default `scorer.sampling.TOP`),
        with counts of the rest, so memory and output stay linear in projects; `full` keeps
        every rank of rank acceptability and lists every row, computed as it is read."""
        from scorer.sampling import check_sampling
        from scorer.views.sensitivity import Sensitivity

        check_sampling(samples, seed, concentration)
        return Sensitivity.of(self, samples=samples, seed=seed, concentration=concentration,
                              evidence=evidence, progress=progress, top=top, full=full)

    def to_excel(self, path: str | Path, sensitivity: Sensitivity | None = None, *,
                 samples: int = 10_000, seed: int = 0, concentration: float | None = None,
                 evidence: bool = True, lang: str | None = None,
                 generated_at: datetime | None = None, history: Any = None) -> Path:
        """Write the workbook of `scorer export` (with a sensitivity analysis of `samples`
        unless one is given, and a History sheet when `history`, a
        `scorer.views.history.History`, is given); returns the path written."""
        from scorer.writers.excel import generation_time, write_workbook

        if sensitivity is None:
            sensitivity = self.sensitivity(samples=samples, seed=seed,
                                           concentration=concentration, evidence=evidence)
        write_workbook(Path(path), self, sensitivity, lang=lang or self.lang,
                       generated_at=generated_at or generation_time(), history=history)
        return Path(path)

    def __repr__(self) -> str:
        ranked = ", ".join(f"{row['name']} {row['total']:.1f}"
                           for _, row in self.ranking.head(5).iterrows())
        more = f", … ({len(self.ranking)} projects)" if len(self.ranking) > 5 else ""
        return (f"<Analysis {self.rubric.id} v{self.rubric.version} as of {self.as_of}, "
                f"profile {self.profile}: {ranked}{more}>")

    def _repr_html_(self) -> str:
        from scorer.writers.html import comparison_html

        return comparison_html(self.comparison())


def analyse(rubric: Rubric | Rulebook, dossiers: Sequence[Dossier], *,
            as_of: date | None = None, profile: str | None = None,
            weights: Mapping[str, float] | None = None, lang: str = "en",
            min_reliability: Reliability = "low", include_forecasts: bool = False) -> Analysis:
    """Score and rank the projects as of a date (default: today, `scorer.dates.today`).

    `rubric` is a loaded rubric (its rules are compiled here) or an already compiled
    `Rulebook`; `weights` replace the profile's weights of the axes they name;
    `min_reliability` ('primary', 'secondary' or 'low') leaves out what less reliable
    sources say, so a fact may become uncertain less often, or unknown; forecasts count only
    with `include_forecasts`. (`prepare` makes what does not depend on the date once, for
    analyses at many dates.)
    """
    rulebook = rubric if isinstance(rubric, Rulebook) else compile_rubric(rubric)
    _check_language(lang)
    when = as_of or dates.today()
    with collector_paused():  # its tables make no cycles: see `collector_paused`
        return prepare(rulebook, dossiers, profile=profile, weights=weights, lang=lang,
                       min_reliability=min_reliability, include_forecasts=include_forecasts
                       ).at(when)


def prepare(rubric: Rubric | Rulebook, dossiers: Sequence[Dossier], *,
            profile: str | None = None, weights: Mapping[str, float] | None = None,
            lang: str = "en", min_reliability: Reliability = "low",
            include_forecasts: bool = False, many: bool = False) -> Prepared:
    """What `analyse` makes whatever the date, made once: weights, the observations table
    and what the trust floor and forecasts keep of it, the facts' dated histories, the
    projects and overrides tables. `Prepared.at(day)` is then the analysis on that day,
    equal to `analyse(…, as_of=day)`; with `many` (for a history), what one date judged
    is kept for the next (see `Prepared`)."""
    rulebook = rubric if isinstance(rubric, Rulebook) else compile_rubric(rubric)
    model = rulebook.rubric
    _check_language(lang)
    ids = [d.id for d in dossiers]
    given = pd.Series(weighting.given_weights(model, profile, weights), name="weight")
    normalised = pd.Series(weighting.normalised(given.to_dict()), name="weight")
    observations = evidence.observations_table(dossiers)
    stated = observations if include_forecasts else evidence.without_forecasts(observations)
    trusted = evidence.at_least_as_reliable(stated, min_reliability)
    return Prepared(
        rulebook=rulebook, dossiers=tuple(dossiers), ids=ids,
        profile=profile or model.profile_name, weights_given=given, weights=normalised,
        lang=lang, min_reliability=min_reliability, include_forecasts=include_forecasts,
        observations=observations, trusted=trusted,
        in_force=evidence.InForce(trusted, share=many),
        histories=engine.history(rulebook, trusted, ids),
        projects=engine.projects_table(dossiers),
        overrides=engine.overrides_table(dossiers), memo={} if many else None,
    )  # fmt: skip


@dataclass(frozen=True, repr=False)
class Prepared:
    """The inputs of an analysis that do not depend on its date (`prepare`), and the
    analysis at any date (`at`). A history asks for many dates: then each fact's candidates
    are shared by every date on which the same observation stands, and a criterion that
    reads neither the date nor a fact's history is judged again only when its evidence
    changes (`memo`)."""

    rulebook: Rulebook
    dossiers: tuple[Dossier, ...]
    ids: list[str]
    profile: str
    weights_given: pd.Series
    weights: pd.Series
    lang: str
    min_reliability: Reliability
    include_forecasts: bool
    observations: pd.DataFrame
    """Every observation (`Analysis.observations`)."""
    trusted: pd.DataFrame
    """Those the trust floor and the forecast option keep: what the analysis reads."""
    in_force: evidence.InForce
    histories: Mapping[str, FactSeries]
    projects: pd.DataFrame
    overrides: pd.DataFrame
    memo: dict[Any, Any] | None = field(default=None, compare=False)
    """Criteria already judged (`engine.evaluate`), kept from one date to the next."""

    def at(self, when: date) -> Analysis:
        """The analysis on `when`: evidence, criteria, axes, scores and ranking."""
        rulebook, ids, normalised = self.rulebook, self.ids, self.weights
        model = rulebook.rubric
        current = self.in_force.at(when)
        criteria = engine.evaluate(rulebook, current, ids, when, self.histories, self.memo)
        axes = engine.aggregate(model, criteria, self.overrides)
        axes = uncertainty.axis_ranges(model, criteria, axes)
        scores = engine.score_matrix(axes, model, ids)
        table = ranking.rank(scores, normalised)
        table.insert(0, "name", self.projects["name"].reindex(table.index))
        table["grade"] = table["total"].map(model.grade)
        table["coverage"] = engine.coverage(criteria).reindex(table.index)
        table["provisional"] = (table["coverage"] < model.min_coverage - 1e-12
                                if model.min_coverage is not None else False)
        ranges = uncertainty.total_ranges(axes, normalised, ids)
        ranges = ranges.join(uncertainty.rank_ranges(ranges["score_low"], ranges["score_high"]))
        table = table.join(ranges.drop(columns=["score_low", "score_high"]))
        return Analysis(
            rubric=model, rulebook=rulebook, dossiers=self.dossiers, as_of=when,
            profile=self.profile, weights_given=self.weights_given, weights=normalised,
            projects=self.projects, observations=self.observations, evidence=current,
            criteria=criteria, axes=axes, scores=scores, ranking=table, lang=self.lang,
            min_reliability=self.min_reliability, include_forecasts=self.include_forecasts,
            histories=self.histories,
        )  # fmt: skip

    def __repr__(self) -> str:
        return (f"<Prepared {self.rulebook.rubric.id} v{self.rulebook.rubric.version}, "
                f"{len(self.ids)} projects, profile {self.profile}>")


def _check_language(lang: str) -> None:
    if lang not in LANGS:
        raise ArgumentError("lang", f"unknown language '{lang}'; languages: {', '.join(LANGS)}")
