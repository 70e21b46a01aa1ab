"""The sensitivity analysis as one view: the verdict, the sections and their titles, the JSON.

The terminal and the workbook show the same sections (`SECTIONS`) under the same titles,
and the same sentence about how the weights were sampled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scorer.i18n import t
from scorer.views.common import clean, made_with

if TYPE_CHECKING:
    import pandas as pd

    from scorer.analysis import Analysis
    from scorer.sensitivity import BoundedReport, MonteCarlo
    from scorer.uncertainty import CriticalEvidence

SECTIONS = ("stability", "acceptability", "pairwise", "central", "one_off", "critical",
            "sweep")
"""The analyses, in the order every writer shows them (each shows those it can draw)."""


@dataclass(frozen=True, repr=False)
class Sensitivity:
    """A sensitivity report of one analysis, with the sentences that say what it means.

    Bounded to what reaches the `top` best ranks, so that its size is one a person or a
    script can use at any number of projects: the crossings, one-point-off moves and
    critical evidence that change one of those ranks (the winner's among them), with counts
    of the rest, and rank acceptability for those ranks. With `full`, rank acceptability
    holds every rank and `record` lists every row, computed as it is read."""

    analysis: Analysis
    report: BoundedReport
    critical: CriticalEvidence
    """`scorer.uncertainty.critical_evidence_top`: single criteria that, settled one way,
    change one of the top ranks at the chosen weights."""
    full: bool = False

    @classmethod
    def of(cls, a: Analysis, *, samples: int = 10_000, seed: int = 0,
           concentration: float | None = None, evidence: bool = True,
           progress: Callable[[int, int], None] | None = None, top: int | None = None,
           full: bool = False) -> Sensitivity:
        """Run every analysis of `scorer.sensitivity.bounded_report` at the analysis's
        weights, with the one-point-off step and bounds of the rubric's scale, and the
        critical evidence, bounded to the `top` best ranks (default
        `scorer.sampling.TOP`). With `evidence`, the Monte Carlo draws the unknown and
        uncertain criteria too (`scorer.joint`); without, it draws the weights only."""
        from scorer.sampling import TOP, check_top
        from scorer.sensitivity import bounded_report
        from scorer.uncertainty import critical_evidence_top

        top = TOP if top is None else top
        check_top(top)
        scale = a.rubric.scale
        ranks = None if full else top
        sampled = None
        if evidence:
            from scorer.joint import Evidence, joint_monte_carlo
            from scorer.uncertainty import distributions

            chances = distributions(a.rulebook, a.criteria, a.evidence, a.as_of, a.histories)
            projects = list(a.scores.index)
            drawn = Evidence.of(a.rubric, a.axes, a.criteria, chances, projects)
            sampled = joint_monte_carlo(a.rubric, drawn, projects, a.weights, samples, seed,
                                        concentration, progress=progress,
                                        point_scores=a.scores, ranks=ranks)
        result = bounded_report(a.scores, a.weights, samples=samples, seed=seed,
                                concentration=concentration, step=scale.step, low=scale.min,
                                high=scale.max, progress=progress, sampled=sampled, top=top,
                                every_rank=full)
        critical = critical_evidence_top(a.rubric, a.criteria, a.axes, a.scores, a.weights,
                                         top)
        return cls(a, result, critical, full)

    @property
    def top(self) -> int:
        """How many of the best ranks the bounded analyses keep."""
        return self.report.top

    def one_off_rows(self) -> Iterator[dict[str, Any]]:
        """The one-point-off moves that change a rank: those within the top (or, `full`,
        every one with every change), as rows of `scorer.sensitivity.perturbation`."""
        if self.full:
            return (row for row in self.report.one_point_off.rows(full=True)
                    if row["changes"])
        return self.report.one_point_off.rows()

    def critical_rows(self) -> Iterator[dict[str, Any]]:
        """The critical evidence: settlements that change a rank within the top (or,
        `full`, every one, with every change)."""
        return self.critical.rows(full=self.full)

    def left_out(self) -> dict[str, int]:
        """How many rows the bounded lists leave out: one-point-off moves and critical
        settlements that change only ranks below the top (0 with `full`)."""
        if self.full:
            return {"one_off": 0, "critical": 0}
        off = self.report.one_point_off
        return {"one_off": off.changing - len(off.table),
                "critical": self.critical.changing - len(self.critical.table)}

    @property
    def evidence(self) -> bool:
        """Whether the Monte Carlo drew evidence as well as weights."""
        return bool(getattr(self.report.monte_carlo, "evidence", False))

    @property
    def monte_carlo(self) -> MonteCarlo:
        return self.report.monte_carlo

    def verdict(self, lang: str | None = None) -> str:
        """The weights' verdict, then the evidence's."""
        lang = lang or self.analysis.lang
        return sentences(lang, verdict(self.analysis, self.report, lang),
                         evidence_verdict(self.analysis, self.critical.table, lang))

    def title(self, section: str, lang: str | None = None) -> str:
        return section_title(section, self.report.monte_carlo, lang or self.analysis.lang)

    def sampling(self, lang: str | None = None) -> str:
        return sampling_sentence(self.report.monte_carlo, lang or self.analysis.lang)

    def record(self, lang: str | None = None) -> dict[str, Any]:
        """`scorer sensitivity --format json`, its long lists (breakpoints, one-point-off
        moves, critical evidence) as iterators computed as they are read: write it with
        `scorer.writers.text.stream_json`, or take `to_dict` for lists."""
        lang = lang or self.analysis.lang
        a = self.analysis
        record = sensitivity_record(self, lang)
        winners = tuple(a.ranking.index[a.ranking["rank"] == 1])
        record["critical_evidence"] = (
            clean({"project": row["project"], "criterion": row["criterion"],
                   "if": condition(a, row["project"], row["criterion"], row["points"], lang),
                   "effect": effect(a, row, lang, winners)})
            for row in self.critical_rows())
        return record

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """`record`, every list built."""
        return clean(self.record(lang))

    def __repr__(self) -> str:
        return f"<Sensitivity {self.verdict()}>"

    def _repr_html_(self) -> str:
        from scorer.writers.html import sensitivity_html

        return sensitivity_html(self)


def sentences(lang: str, *said: str) -> str:
    """Sentences one after the other: a space apart in English, none in Japanese (。 ends
    a sentence there)."""
    return ("" if lang == "ja" else " ").join(said)


def weighting(mc: MonteCarlo, lang: str) -> str:
    """What was drawn: 'uniform random weightings' (or around the chosen ones), and the
    unknown and uncertain evidence when it was drawn too."""
    if mc.concentration is None:
        text = t("uniform_weights", lang)
    else:
        text = t("centred_weights", lang, k=float(mc.concentration))
    if getattr(mc, "evidence", False):
        text = t("with_evidence", lang, weights=text)
    return text


def sampling_sentence(mc: MonteCarlo, lang: str) -> str:
    """'Monte Carlo (SMAA-2): 10,000 samples of uniform random weightings, seed 0'."""
    return t("sampling", lang, samples=int(mc.samples), how=weighting(mc, lang), seed=mc.seed)


def section_title(section: str, mc: MonteCarlo, lang: str) -> str:
    """The title of one section of `SECTIONS`, as every writer shows it."""
    return t(f"section.{section}", lang, samples=int(mc.samples), how=weighting(mc, lang))


def verdict(a: Analysis, report: BoundedReport, lang: str = "en") -> str:
    """The sensitivity analysis in one sentence, as an analyst would say it."""
    names = a.projects["name"]
    winners = [names[p] for p in a.ranking.index[a.ranking["rank"] == 1]]
    mc = report.monte_carlo
    share = mc.first[a.ranking.index[0]]
    odds = t("first_share", lang, share=share, samples=mc.samples, how=weighting(mc, lang))
    rival = mc.first.drop(a.ranking.index[a.ranking["rank"] == 1]).sort_values(
        ascending=False, kind="stable")
    if len(rival) and rival.iloc[0] > share:
        odds = sentences(lang, odds, t("first_more_often", lang, name=names[rival.index[0]],
                                       share=rival.iloc[0]))
    if len(winners) > 1:
        return sentences(lang, t("shared_first", lang, names=", ".join(winners)), odds)
    critical = report.critical
    if critical is None:
        said = t("always_first", lang, name=winners[0])
    else:
        axis = a.rubric.axes[str(critical["axis"])].label(lang)
        key = "first_unless_below" if critical["direction"] == "below" else "first_unless_above"
        said = t(key, lang, name=winners[0], axis=axis, threshold=critical["threshold"],
                 weight=critical["weight"], other=names[critical["overtaker"]])
    return sentences(lang, said, odds)


def evidence_verdict(a: Analysis, critical: pd.DataFrame, lang: str = "en") -> str:
    """What the evidence could do to the winner, in one sentence (`critical`: the table of
    `critical_evidence`, or of `critical_evidence_top`: each holds every change of winner)."""
    winners = tuple(a.ranking.index[a.ranking["rank"] == 1])
    flips = critical[critical["winner"].map(lambda w: tuple(w) != winners)]
    unsettled = int((a.criteria["possible"].map(len) > 1).sum())
    if not unsettled:
        return t("evidence_settled", lang)
    if flips.empty:
        return t("evidence_holds", lang, count=unsettled)
    first = flips.iloc[0]
    return t("evidence_flips", lang, count=len(flips),
             condition=condition(a, first["project"], first["criterion"], first["points"],
                                 lang),
             effect=leaders(a, first["winner"], lang))


def leaders(a: Analysis, winners: Any, lang: str) -> str:
    """'Akash leads', or 'Akash and Flux share first place'."""
    names = [str(a.projects["name"][p]) for p in winners]
    if len(names) == 1:
        return t("leads", lang, names=names[0])
    return t("share_lead", lang, names=t("and", lang).join(names))


def condition(a: Analysis, project: str, criterion: str, points: float, lang: str) -> str:
    """When a criterion gives these points, for people: "Akash: token.inflation_pct > 5
    does not hold", "Flux: usage.annual_spend_usd ≥ 1,000,000"."""
    from scorer.facttypes import display_value

    rule = a.rulebook.rule(criterion).criterion
    name = a.projects["name"][project]
    if rule.kind == "check":
        key = "if_holds" if points == float(rule.points or 0) else "if_fails"
        return t(key, lang, name=name, rule=rule.when)
    bands = rule.bands or []
    reached = [i for i, b in enumerate(bands) if float(b.points) == points]
    if not reached:
        return t("if_below", lang, name=name, value=rule.value,
                 low=display_value(bands[0].at_least))
    i = reached[0]
    if i + 1 < len(bands):
        return t("if_between", lang, name=name, value=rule.value,
                 low=display_value(bands[i].at_least), high=display_value(bands[i + 1].at_least))
    return t("if_at_least", lang, name=name, value=rule.value,
             low=display_value(bands[i].at_least))


def effect(a: Analysis, row: Any, lang: str, winners: tuple[Any, ...] | None = None) -> str:
    """What settling it does: 'Akash leads', or the ranks that move (`winners`: the
    projects ranked first now, when the caller already has them)."""
    names = a.projects["name"]
    if winners is None:
        winners = tuple(a.ranking.index[a.ranking["rank"] == 1])
    if tuple(row["winner"]) != winners:
        return leaders(a, row["winner"], lang)
    return ", ".join(f"{names[p]} #{old} → #{new}" for p, old, new in row["changes"])


def _interval(low: float, high: float) -> list[Any]:
    return [clean(low), clean(high)]


def _breakpoint(row: dict[str, Any]) -> dict[str, Any]:
    """A crossing as JSON: where, and who; with how many projects share each line when
    more than one does (they all cross there: a bounded list names one of each)."""
    item = {"t": clean(row["t"]), "between": [row["a"], row["b"]]}
    if row.get("tied_a", 1) > 1 or row.get("tied_b", 1) > 1:
        item["tied"] = [int(row["tied_a"]), int(row["tied_b"])]
    return item


def _move(row: dict[str, Any]) -> dict[str, Any]:
    return clean({"project": row["project"], "axis": row["axis"], "delta": row["delta"],
                  "rank_before": row["rank_before"], "rank_after": row["rank_after"],
                  "changes": [{"project": p, "from": old, "to": new}
                              for p, old, new in row["changes"]]})


def sensitivity_record(view: Sensitivity, lang: str = "en") -> dict[str, Any]:
    """`scorer sensitivity --format json`, the long lists as iterators (`Sensitivity.record`
    adds the critical evidence)."""
    a, report = view.analysis, view.report
    crossings = report.crossings
    oat: dict[str, Any] = {}
    for axis in a.rubric.axes:
        segments = crossings.segments[crossings.segments["axis"] == axis]
        oat[axis] = {
            "breakpoints": (_breakpoint(row) for row in crossings.rows(view.full, axis)),
            "segments": [{"from": row.start, "to": row.end, "ranking": list(row.ranking)}
                         for row in segments.itertuples(index=False)],
        }
    stability = {axis: {"weight": row.weight,
                        "winner": _interval(row.winner_low, row.winner_high),
                        "ranking": _interval(row.ranking_low, row.ranking_high)}
                 for axis, row in report.stability.iterrows()}
    mc = report.monte_carlo
    acceptability = mc.rank_acceptability
    off, critical = report.one_point_off, view.critical
    left_out = view.left_out()
    listed = {axis: int((crossings.table["axis"] == axis).sum()) for axis in a.rubric.axes}
    head = clean({
        **made_with(a),
        "verdict": view.verdict(lang),
        "critical": report.critical,
        "bounded": {
            "top": view.top, "full": view.full,
            "breakpoints": {axis: {"listed": int(count) if view.full else listed[axis],
                                   "all": int(count)}
                            for axis, count in crossings.counts.items()},
            "one_point_off": {"moves": off.moves, "changing": off.changing,
                              "listed": off.changing - left_out["one_off"]},
            "critical_evidence": {"settlements": critical.settlements,
                                  "changing": critical.changing,
                                  "listed": critical.changing - left_out["critical"]},
            "rank_acceptability": {"ranks": int(acceptability.shape[1])},
        },
    })
    return {
        **head,
        "oat": oat,
        "stability": clean(stability),
        "perturbation": (_move(row) for row in view.one_off_rows()),
        "monte_carlo": clean({
            "samples": mc.samples, "seed": mc.seed, "concentration": mc.concentration,
            "rank_acceptability": {p: row for p, row in zip(
                acceptability.index, acceptability.to_numpy().tolist(), strict=True)},
            "expected_rank": mc.expected_rank.to_dict(),
            "first": mc.first.to_dict(),
            "pairwise_win": {p: {q: v for q, v in row.items() if p != q}
                             for p, row in mc.pairwise_win.iterrows()},
            "central_weights": {p: row.to_dict() for p, row in mc.central_weights.iterrows()},
            "evidence": bool(getattr(mc, "evidence", False)),
            "confidence": (mc.confidence.to_dict()
                           if getattr(mc, "confidence", None) is not None else {}),
        }),
    }
