"""The Sensitivity sheet: the analyses of `scorer sensitivity` as tables, one after the other
in the order and under the titles of `views.sensitivity.SECTIONS`, with native charts to the
right of the tables.

Tables that would grow as projects × projects (rank acceptability's ranks, pairwise wins,
the sweeps' projects, the critical evidence, whose every item may move every project) hold
what concerns the best-ranked `charts.MOST_SERIES` and say so. Each sweep's chart marks the
current weight and the weights at which two of its lines cross, listed in a small table under
the sweep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from scorer.analysis import Analysis
from scorer.i18n import t
from scorer.sensitivity import BoundedReport
from scorer.views.common import made_with_line
from scorer.views.sensitivity import (
    SECTIONS,
    Sensitivity,
    condition,
    effect,
    sampling_sentence,
    section_title,
)
from scorer.writers.excel import style
from scorer.writers.excel.cells import Column, Columns, Sheet, clean_text, display_width
from scorer.writers.excel.charts import MOST_SERIES, show_axes
from scorer.writers.palette import SCALE_COLOURS

LABELS = 1
"""Every table starts in column A, with its row labels (projects, axes, t); titles too."""
FIRST_SECTION_ROW = 5
"""Below the title, the "made with" line and the sampling sentence, and an empty row."""
CHART_GAP = 2
"""Empty columns between the widest table and the charts."""
STABILITY = ("weight", "winner_low", "winner_high", "ranking_low", "ranking_high")
"""The columns of `BoundedReport.stability` shown as shares, in this order (others follow)."""
SWEEP_ROWS = 20
"""The least rows a sweep's block takes, so its chart does not cover the next one."""
WORSE = "worse"
"""The key of rank acceptability's last column when it shows fewer ranks than projects."""


@dataclass(frozen=True)
class Context:
    """What every section reads: the analysis, the report, names and projects in rank order."""

    analysis: Analysis
    view: Sensitivity
    lang: str
    names: pd.Series
    projects: list[str]
    chart_column: str

    @property
    def report(self) -> BoundedReport:
        return self.view.report

    @property
    def best(self) -> list[str]:
        """The best-ranked projects, as many as a chart draws."""
        return self.projects[:MOST_SERIES]

    def title(self, section: str, shown: int | None = None) -> str:
        """A section's title; with `shown`, saying when it holds only the best-ranked."""
        title = section_title(section, self.report.monte_carlo, self.lang)
        if shown is not None and shown < len(self.projects):
            title += " " + t("sens.pairwise_top", self.lang, n=shown)
        return title


def write(sheet: Sheet, a: Analysis, view: Sensitivity, lang: str) -> None:
    s = view.report
    mc = s.monte_carlo
    sheet.titles(t("sens.title", lang), made_with_line(a, lang, weights=False),
                 sampling_sentence(mc, lang))
    projects = list(a.ranking.index)
    names = a.ranking["name"]
    widest = max(table.last for table in tables(a, view, lang))
    charts = widest + CHART_GAP + 1
    c = Context(a, view, lang, names, projects, get_column_letter(charts))
    row = FIRST_SECTION_ROW
    for section in SECTIONS:
        writer = WRITERS.get(section)
        if writer is not None:
            row = writer(sheet, c, row)
    sheet.set_widths({LABELS: max([22, *(display_width(str(names[p])) + 2 for p in projects)]),
                      **dict.fromkeys(range(LABELS + 1, charts + 1), 14)})
    sheet.grow_rows()


# ---------------------------------------------------------------- tables


def tables(a: Analysis, view: Sensitivity, lang: str) -> list[Columns]:
    """Every table of the sheet (one sweep stands for all): where the charts go."""
    s = view.report
    best = list(a.ranking.index[:MOST_SERIES])
    pair = [p for p in best if p in s.monte_carlo.pairwise_win.index]
    return [stability_columns(a, s, lang), acceptability_columns(view, lang),
            projects_columns(t("project", lang), pair, a.ranking["name"]),
            central_columns(a, lang), critical_columns(lang),
            projects_columns("t", best, a.ranking["name"]), marks_columns(lang)]


def stability_columns(a: Analysis, s: BoundedReport, lang: str) -> Columns:
    extra = [c for c in s.stability.columns if c not in STABILITY]
    return Columns([("axis", t("axis", lang)), ("axis_id", t("axis_id", lang)),
                    ("weight", t("weight", lang)),
                    *((c, t(f"sens.{c}", lang)) for c in STABILITY[1:]),
                    *((c, str(c)) for c in extra)])


def shown_ranks(view: Sensitivity) -> list[int]:
    """The ranks whose acceptability the sheet shows: the best `MOST_SERIES`."""
    return [k for k in view.report.monte_carlo.rank_acceptability.columns][:MOST_SERIES]


def acceptability_columns(view: Sensitivity, lang: str) -> Columns:
    """Project, the share of each shown rank, then — when there are more projects than
    ranks shown — the share of every rank below them, so that a row still sums to 1."""
    ranks = shown_ranks(view)
    worse = ([(WORSE, t("sens.worse", lang, n=len(ranks) + 1))]
             if len(ranks) < len(view.analysis.ranking) else [])
    confidence = [("confidence", t("confidence", lang))] if view.evidence else []
    return Columns([("project", t("project", lang)),
                    *((("rank", k), t("sens.rank_n", lang, n=k)) for k in ranks), *worse,
                    ("expected_rank", t("expected_rank", lang)),
                    ("first", t("sens.first", lang)), *confidence])


def critical_columns(lang: str) -> Columns:
    return Columns([("project", t("project", lang)), ("criterion", t("criterion", lang)),
                    Column("if", t("sens.if", lang), wrap=True),
                    Column("effect", t("sens.effect", lang), wrap=True)])


def projects_columns(first: str, projects: list[str], names: pd.Series) -> Columns:
    """A label column, then one column per project (keys ('of', project id))."""
    return Columns([("label", first), *((("of", p), names[p]) for p in projects)])


def central_columns(a: Analysis, lang: str) -> Columns:
    return Columns([("project", t("project", lang)),
                    *((x, a.rubric.axes[x].short_label(lang)) for x in a.rubric.axes)])


def marks_columns(lang: str) -> Columns:
    """What a sweep's chart marks: the weight t, the score there, and what it is."""
    return Columns([("t", "t"), ("score", t("score", lang)), ("mark", t("sens.mark", lang))])


# ---------------------------------------------------------------- sections


def _stability(sheet: Sheet, c: Context, row: int) -> int:
    rubric, stability = c.analysis.rubric, c.report.stability
    sheet.label(row, LABELS, c.title("stability"), style.BOLD)
    column = stability_columns(c.analysis, c.report, c.lang)
    sheet.header(row + 1, column)
    for r, axis in enumerate(stability.index, start=row + 2):
        label = rubric.axes[axis].short_label(c.lang) if axis in rubric.axes else axis
        sheet.put(r, column("axis"), label)
        sheet.put(r, column("axis_id"), axis)
        for key in stability.columns:
            sheet.put(r, column(key), stability.at[axis, key],
                      "0.0%" if key in STABILITY else None)
    return row + 2 + len(stability) + 1


def _acceptability(sheet: Sheet, c: Context, row: int) -> int:
    mc = c.report.monte_carlo
    sheet.label(row, LABELS, c.title("acceptability"), style.BOLD)
    header = row + 1
    column = acceptability_columns(c.view, c.lang)
    sheet.header(header, column)
    ranks = shown_ranks(c.view)
    shares = mc.rank_acceptability.reindex(index=c.projects, columns=ranks).to_numpy()
    rest = 1 - np.nansum(shares, axis=1)
    for r, (project, row_shares, worse) in enumerate(zip(c.projects, shares, rest,
                                                         strict=True), start=header + 1):
        sheet.put(r, column("project"), c.names[project])
        for k, share in zip(ranks, row_shares, strict=True):
            sheet.put(r, column(("rank", k)), share, "0.0%")
        if WORSE in column:
            sheet.put(r, column(WORSE), max(0.0, float(worse)), "0.0%")
        sheet.put(r, column("expected_rank"), mc.expected_rank.get(project), "0.00")
        sheet.put(r, column("first"), mc.first.get(project), "0.0%")
        if "confidence" in column:
            sheet.put(r, column("confidence"), mc.confidence.get(project), "0.0%")
    if ranks:
        shown = len(c.best)
        last = column(WORSE) if WORSE in column else column(("rank", ranks[-1]))
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "percentStacked", 100
        title = t("sens.chart_rank", c.lang)
        if shown < len(c.projects):
            title += " " + t("sens.pairwise_top", c.lang, n=shown)
        chart.title = title
        chart.add_data(Reference(sheet.ws, min_col=column(("rank", ranks[0])), max_col=last,
                                 min_row=header, max_row=header + shown), titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=column("project"), min_row=header + 1,
                                       max_row=header + shown))
        chart.y_axis.number_format = "0%"
        chart.x_axis.scaling.orientation = "maxMin"  # first project on top, as in the table
        show_axes(chart)
        chart.width, chart.height = 16, 7.5
        sheet.ws.add_chart(chart, f"{c.chart_column}{row}")
    return header + len(c.projects) + 2


def _pairwise(sheet: Sheet, c: Context, row: int) -> int:
    """Winning probabilities of the best-ranked projects, when there are many."""
    mc = c.report.monte_carlo
    pair = [p for p in c.best if p in mc.pairwise_win.index]
    sheet.label(row, LABELS, c.title("pairwise", len(pair)), style.BOLD)
    header = row + 1
    column = projects_columns(t("project", c.lang), pair, c.names)
    sheet.header(header, column)
    wins = mc.pairwise_win.loc[pair, pair].to_numpy()
    for r, (project, row_wins) in enumerate(zip(pair, wins, strict=True), start=header + 1):
        sheet.put(r, column("label"), c.names[project])
        for other, win in zip(pair, row_wins, strict=True):
            sheet.put(r, column(("of", other)), win, "0.0%")
    if pair:
        sheet.ws.conditional_formatting.add(
            column.area(("of", pair[0]), ("of", pair[-1]), header + 1, header + len(pair)),
            ColorScaleRule(start_type="num", start_value=0, start_color=SCALE_COLOURS[0],
                           mid_type="num", mid_value=0.5, mid_color="FFFFFF",
                           end_type="num", end_value=1, end_color=SCALE_COLOURS[2]))
    return header + len(pair) + 2


def _central(sheet: Sheet, c: Context, row: int) -> int:
    """Mean weights when each project ranks first; a project that never does says so."""
    axes = list(c.analysis.rubric.axes)
    central = c.report.monte_carlo.central_weights.reindex(index=c.projects, columns=axes)
    sheet.label(row, LABELS, c.title("central"), style.BOLD)
    header = row + 1
    column = central_columns(c.analysis, c.lang)
    sheet.header(header, column)
    never = t("never_first", c.lang)
    for r, (project, weights) in enumerate(zip(c.projects, central.to_numpy(), strict=True),
                                           start=header + 1):
        sheet.put(r, column("project"), c.names[project])
        if np.isnan(weights).all():
            sheet.put(r, column(axes[0]), never, font=style.NOTE)
            continue
        for axis, weight in zip(axes, weights, strict=True):
            sheet.put(r, column(axis), weight, "0.0%")
    return header + len(c.projects) + 2


def touches_the_top(item: dict[str, Any], winners: tuple[str, ...], top: int) -> bool:
    """Whether settling a critical criterion changes the winner, or moves a project into,
    out of or within the best `top` ranks."""
    return (tuple(item["winner"]) != winners
            or any(old <= top or new <= top for _, old, new in item["changes"]))


def _critical(sheet: Sheet, c: Context, row: int) -> int:
    """Single unknown or uncertain criteria that, settled one way, change the ranking: those
    that change the winner or the best `MOST_SERIES` ranks, and how many others there are."""
    sheet.label(row, LABELS, c.title("critical"), style.BOLD)
    critical = c.view.critical
    if not critical.changing:
        sheet.put(row + 1, LABELS, t("no_critical", c.lang))
        return row + 3
    ranking = c.analysis.ranking
    winners = tuple(ranking.index[ranking["rank"] == 1])
    shown = [item for item in c.view.critical_rows()
             if touches_the_top(item, winners, MOST_SERIES)]
    header = row + 1
    column = critical_columns(c.lang)
    sheet.header(header, column)
    for r, item in enumerate(shown, start=header + 1):
        sheet.put(r, column("project"), c.names[item["project"]])
        sheet.put(r, column("criterion"), item["criterion"])
        sheet.put(r, column("if"), condition(c.analysis, item["project"], item["criterion"],
                                             item["points"], c.lang))
        sheet.put(r, column("effect"), effect(c.analysis, item, c.lang, winners))
    end = header + len(shown) + 1
    if len(shown) < critical.changing:
        sheet.label(end, LABELS, t("sens.critical_rest", c.lang,
                                   n=critical.changing - len(shown),
                                   top=MOST_SERIES), style.NOTE)
        end += 1
    return end + 1


def crossings(ts: np.ndarray, scores: np.ndarray) -> list[tuple[float, float, int, int]]:
    """Where two of the lines cross: (t, score, i, j) for lines i < j (columns of `scores`,
    rows at `ts`), in order of t. A sweep's scores are straight lines of t; lines that meet
    at either end of the sweep (equal scores there) or are the same line do not cross."""
    if len(ts) < 2:
        return []
    slope = (scores[-1] - scores[0]) / (ts[-1] - ts[0])
    start = scores[0] - slope * ts[0]
    found = []
    for i in range(len(slope)):
        for j in range(i + 1, len(slope)):
            if abs(slope[i] - slope[j]) < 1e-12:
                continue
            x = float((start[j] - start[i]) / (slope[i] - slope[j]))
            if ts[0] + 1e-9 < x < ts[-1] - 1e-9:
                found.append((x, float(start[i] + slope[i] * x), i, j))
    return sorted(found)


def _sweep(sheet: Sheet, c: Context, row: int) -> int:
    """One block and one chart per axis: the scores of the best-ranked projects as its
    weight t goes from 0 to 1, the current weight and the crossings marked."""
    rubric, sweep, best = c.analysis.rubric, c.report.sweep, c.best
    sheet.label(row, LABELS, c.title("sweep", len(best)), style.BOLD)
    row += 1
    shown = sweep[sweep["project"].isin(best)]
    for axis in rubric.axes:
        part = shown[shown["axis"] == axis]
        if part.empty:
            continue
        wide = part.pivot(index="t", columns="project", values="score").reindex(
            columns=best).sort_index()
        label = clean_text(rubric.axes[axis].short_label(c.lang))
        column = projects_columns(t("sens.sweep_axis", c.lang, axis=label), best, c.names)
        sheet.header(row, column)
        for r, (value, scores) in enumerate(zip(wide.index, wide.to_numpy(), strict=True),
                                            start=row + 1):
            sheet.put(r, column("label"), value, "0.00")
            for project, score in zip(best, scores, strict=True):
                sheet.put(r, column(("of", project)), score, "0.000")
        marks = row + len(wide) + 2
        crossed = crossings(wide.index.to_numpy(dtype=float), wide.to_numpy(dtype=float))
        _marks(sheet, c, marks, float(c.analysis.weights[axis]), crossed)
        if best:
            _sweep_chart(sheet, c, row, len(wide), column, marks, len(crossed), label)
        row += max(len(wide) + len(crossed) + 6, SWEEP_ROWS)
    return row


def _marks(sheet: Sheet, c: Context, row: int, weight: float,
           crossed: list[tuple[float, float, int, int]]) -> None:
    """The table of what a sweep's chart marks: the current weight (a vertical line, from the
    bottom of the scale to its top), then every crossing."""
    scale = c.analysis.rubric.scale
    column = marks_columns(c.lang)
    sheet.header(row, column)
    current = t("sens.current", c.lang)
    for r, score in ((row + 1, scale.min), (row + 2, scale.max)):
        sheet.put(r, column("t"), weight, "0.000")
        sheet.put(r, column("score"), score)
        sheet.put(r, column("mark"), current)
    for r, (x, y, i, j) in enumerate(crossed, start=row + 3):
        sheet.put(r, column("t"), x, "0.000")
        sheet.put(r, column("score"), y, "0.000")
        sheet.put(r, column("mark"), t("sens.crossing", c.lang, a=c.names[c.best[i]],
                                       b=c.names[c.best[j]]))


def _sweep_chart(sheet: Sheet, c: Context, row: int, steps: int, column: Columns, marks: int,
                 crossed: int, label: str) -> None:
    """A scatter chart with straight lines: one line per project over t, the current weight
    as a dashed vertical line, the crossings as dots."""
    ws, scale = sheet.ws, c.analysis.rubric.scale
    chart = ScatterChart()
    chart.title = t("sens.chart_sweep", c.lang, axis=label)
    chart.style = 2
    ts = Reference(ws, min_col=column("label"), min_row=row + 1, max_row=row + steps)
    for project in c.best:
        scores = Reference(ws, min_col=column(("of", project)), min_row=row,
                           max_row=row + steps)
        line = Series(scores, ts, title_from_data=True)
        line.marker.symbol = "none"
        line.smooth = False
        chart.series.append(line)
    marked = marks_columns(c.lang)
    current = Series(Reference(ws, min_col=marked("score"), min_row=marks + 1,
                               max_row=marks + 2),
                     Reference(ws, min_col=marked("t"), min_row=marks + 1, max_row=marks + 2),
                     title=t("sens.current", c.lang))
    current.marker.symbol = "none"
    current.smooth = False
    current.graphicalProperties.line.solidFill = "595959"
    current.graphicalProperties.line.dashStyle = "dash"
    chart.series.append(current)
    if crossed:
        dots = Series(Reference(ws, min_col=marked("score"), min_row=marks + 3,
                                max_row=marks + 2 + crossed),
                      Reference(ws, min_col=marked("t"), min_row=marks + 3,
                                max_row=marks + 2 + crossed),
                      title=t("sens.crossings", c.lang))
        dots.marker.symbol = "circle"
        dots.marker.size = 6
        dots.graphicalProperties.line.noFill = True
        chart.series.append(dots)
    chart.x_axis.title = "t"
    chart.x_axis.scaling.min, chart.x_axis.scaling.max = 0, 1
    chart.x_axis.number_format = "0.0"
    chart.y_axis.title = t("score", c.lang)
    chart.y_axis.number_format = "0.0"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = scale.min, scale.max
    show_axes(chart)
    chart.width, chart.height = 16, 9
    ws.add_chart(chart, f"{c.chart_column}{row}")


WRITERS: dict[str, Callable[[Sheet, Context, int], int]] = {
    "stability": _stability, "acceptability": _acceptability, "pairwise": _pairwise,
    "central": _central, "critical": _critical, "sweep": _sweep}
"""The sections this sheet draws (not one_off), each returning the row after it."""
