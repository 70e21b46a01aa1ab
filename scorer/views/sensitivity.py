"""The sensitivity analysis as one view: the verdict, the sections and their titles, the JSON.

The terminal and the workbook show the same sections (`SECTIONS`) under the same titles,
and the same sentence about how the weights were sampled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scorer.i18n import t
from scorer.views.common import clean, made_with

if TYPE_CHECKING:
    from scorer.analysis import Analysis
    from scorer.sensitivity import MonteCarlo, Report

SECTIONS = ("stability", "acceptability", "pairwise", "central", "one_off", "sweep")
"""The analyses, in the order every writer shows them (each shows those it can draw)."""


@dataclass(frozen=True, repr=False)
class Sensitivity:
    """A sensitivity report of one analysis, with the sentences that say what it means."""

    analysis: Analysis
    report: Report

    @classmethod
    def of(cls, a: Analysis, *, samples: int = 10_000, seed: int = 0,
           concentration: float | None = None,
           progress: Callable[[int, int], None] | None = None) -> Sensitivity:
        """Run every analysis of `scorer.sensitivity.report` at the analysis's weights, with
        the one-point-off step and bounds of the rubric's scale."""
        from scorer.sensitivity import report

        scale = a.rubric.scale
        result = report(a.scores, a.weights, samples=samples, seed=seed,
                        concentration=concentration, step=scale.step, low=scale.min,
                        high=scale.max, progress=progress)
        return cls(a, result)

    @property
    def monte_carlo(self) -> MonteCarlo:
        return self.report.monte_carlo

    def verdict(self, lang: str | None = None) -> str:
        return verdict(self.analysis, self.report, lang or self.analysis.lang)

    def title(self, section: str, lang: str | None = None) -> str:
        return section_title(section, self.report.monte_carlo, lang or self.analysis.lang)

    def sampling(self, lang: str | None = None) -> str:
        return sampling_sentence(self.report.monte_carlo, lang or self.analysis.lang)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return sensitivity_record(self.analysis, self.report, lang or self.analysis.lang)

    def __repr__(self) -> str:
        return f"<Sensitivity {self.verdict()}>"

    def _repr_html_(self) -> str:
        from scorer.writers.html import sensitivity_html

        return sensitivity_html(self)


def weighting(mc: MonteCarlo, lang: str) -> str:
    """How the weights were drawn: 'uniform random weightings', or around the chosen ones."""
    if mc.concentration is None:
        return t("uniform_weights", lang)
    return t("centred_weights", lang, k=float(mc.concentration))


def sampling_sentence(mc: MonteCarlo, lang: str) -> str:
    """'Monte Carlo (SMAA-2): 10,000 samples of uniform random weightings, seed 0'."""
    return t("sampling", lang, samples=int(mc.samples), how=weighting(mc, lang), seed=mc.seed)


def section_title(section: str, mc: MonteCarlo, lang: str) -> str:
    """The title of one section of `SECTIONS`, as every writer shows it."""
    return t(f"section.{section}", lang, samples=int(mc.samples), how=weighting(mc, lang))


def verdict(a: Analysis, report: Report, lang: str = "en") -> str:
    """The sensitivity analysis in one sentence, as an analyst would say it."""
    names = a.projects["name"]
    winners = [names[p] for p in a.ranking.index[a.ranking["rank"] == 1]]
    mc = report.monte_carlo
    share = mc.first[a.ranking.index[0]]
    odds = t("first_share", lang, share=share, samples=mc.samples, how=weighting(mc, lang))
    if len(winners) > 1:
        return t("shared_first", lang, names=", ".join(winners)) + " " + odds
    critical = report.critical
    if critical is None:
        return t("always_first", lang, name=winners[0]) + " " + odds
    axis = a.rubric.axes[str(critical["axis"])].label(lang)
    key = "first_unless_below" if critical["direction"] == "below" else "first_unless_above"
    return t(key, lang, name=winners[0], axis=axis, threshold=critical["threshold"],
             weight=critical["weight"], other=names[critical["overtaker"]]) + " " + odds


def _interval(low: float, high: float) -> list[Any]:
    return [clean(low), clean(high)]


def sensitivity_record(a: Analysis, report: Report, lang: str = "en") -> dict[str, Any]:
    """`scorer sensitivity --format json`: the four analyses of `scorer.sensitivity`."""
    oat: dict[str, Any] = {}
    for axis in a.rubric.axes:
        points = report.breakpoints[report.breakpoints["axis"] == axis]
        segments = report.segments[report.segments["axis"] == axis]
        oat[axis] = {
            "breakpoints": [{"t": row.t, "between": [row.a, row.b]}
                            for row in points.itertuples(index=False)],
            "segments": [{"from": row.start, "to": row.end, "ranking": list(row.ranking)}
                         for row in segments.itertuples(index=False)],
        }
    stability = {axis: {"weight": row.weight,
                        "winner": _interval(row.winner_low, row.winner_high),
                        "ranking": _interval(row.ranking_low, row.ranking_high)}
                 for axis, row in report.stability.iterrows()}
    perturbation = [
        {"project": row.project, "axis": row.axis, "delta": row.delta,
         "rank_before": row.rank_before, "rank_after": row.rank_after,
         "changes": [{"project": p, "from": old, "to": new} for p, old, new in row.changes]}
        for row in report.perturbation.itertuples(index=False) if len(row.changes)
    ]
    mc = report.monte_carlo
    acceptability = mc.rank_acceptability
    return clean({
        **made_with(a),
        "verdict": verdict(a, report, lang),
        "critical": report.critical,
        "oat": oat,
        "stability": stability,
        "perturbation": perturbation,
        "monte_carlo": {
            "samples": mc.samples, "seed": mc.seed, "concentration": mc.concentration,
            "rank_acceptability": {p: acceptability.loc[p].tolist()
                                   for p in acceptability.index},
            "expected_rank": mc.expected_rank.to_dict(),
            "first": mc.first.to_dict(),
            "pairwise_win": {p: {q: v for q, v in row.items() if p != q}
                             for p, row in mc.pairwise_win.iterrows()},
            "central_weights": {p: row.to_dict() for p, row in mc.central_weights.iterrows()},
        },
    })  # fmt: skip
