"""The Sensitivity sheet: the analyses of `scorer sensitivity` as tables, one after the other
in the order and under the titles of `views.sensitivity.SECTIONS`, with native charts to the
right of the tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from scorer.analysis import Analysis
from scorer.i18n import t
from scorer.sensitivity import Report
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
from scorer.writers.palette import SCALE_COLOURS

LABELS = 1
"""Every table starts in column A, with its row labels (projects, axes, t); titles too."""
FIRST_SECTION_ROW = 5
"""Below the title, the "made with" line and the sampling sentence, and an empty row."""
CHART_GAP = 2
"""Empty columns between the widest table and the charts."""
STABILITY = ("weight", "winner_low", "winner_high", "ranking_low", "ranking_high")
"""The columns of `Report.stability` shown as shares, in this order (others follow)."""
SWEEP_ROWS = 20
"""The least rows a sweep's block takes, so its line chart does not cover the next one."""


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
    def report(self) -> Report:
        return self.view.report

    def title(self, section: str) -> str:
        return section_title(section, self.report.monte_carlo, self.lang)


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


# ---------------------------------------------------------------- tables


def tables(a: Analysis, view: Sensitivity, lang: str) -> list[Columns]:
    """Every table of the sheet (one sweep stands for all): where the charts go."""
    s = view.report
    pair = [p for p in a.ranking.index if p in s.monte_carlo.pairwise_win.index]
    return [stability_columns(a, s, lang), acceptability_columns(view, lang),
            projects_columns(t("project", lang), pair, a.ranking["name"]),
            central_columns(a, lang), critical_columns(lang),
            projects_columns("t", list(a.ranking.index), a.ranking["name"])]


def stability_columns(a: Analysis, s: Report, lang: str) -> Columns:
    extra = [c for c in s.stability.columns if c not in STABILITY]
    return Columns([("axis", t("axis", lang)), ("axis_id", t("axis_id", lang)),
                    ("weight", t("weight", lang)),
                    *((c, t(f"sens.{c}", lang)) for c in STABILITY[1:]),
                    *((c, str(c)) for c in extra)])


def acceptability_columns(view: Sensitivity, lang: str) -> Columns:
    ranks = view.report.monte_carlo.rank_acceptability.columns
    confidence = [("confidence", t("confidence", lang))] if view.evidence else []
    return Columns([("project", t("project", lang)),
                    *((("rank", k), t("sens.rank_n", lang, n=k)) for k in ranks),
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
    ranks = list(mc.rank_acceptability.columns)
    shares = mc.rank_acceptability.loc[c.projects, ranks].to_numpy()
    for r, (project, row_shares) in enumerate(zip(c.projects, shares, strict=True),
                                              start=header + 1):
        sheet.put(r, column("project"), c.names[project])
        for k, share in zip(ranks, row_shares, strict=True):
            sheet.put(r, column(("rank", k)), share, "0.0%")
        sheet.put(r, column("expected_rank"), mc.expected_rank.get(project), "0.00")
        sheet.put(r, column("first"), mc.first.get(project), "0.0%")
        if "confidence" in column:
            sheet.put(r, column("confidence"), mc.confidence.get(project), "0.0%")
    if ranks:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "percentStacked", 100
        chart.title = t("sens.chart_rank", c.lang)
        chart.add_data(Reference(sheet.ws, min_col=column(("rank", ranks[0])),
                                 max_col=column(("rank", ranks[-1])), min_row=header,
                                 max_row=header + len(c.projects)), titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=column("project"), min_row=header + 1,
                                       max_row=header + len(c.projects)))
        chart.y_axis.number_format = "0%"
        chart.x_axis.scaling.orientation = "maxMin"  # first project on top, as in the table
        _show_axes(chart)
        chart.width, chart.height = 16, 7.5
        sheet.ws.add_chart(chart, f"{c.chart_column}{row}")
    return header + len(c.projects) + 2


def _pairwise(sheet: Sheet, c: Context, row: int) -> int:
    """Winning probabilities of the best-ranked projects, when there are many."""
    mc = c.report.monte_carlo
    pair = [p for p in c.projects if p in mc.pairwise_win.index]
    title = c.title("pairwise")
    if len(pair) < len(c.projects):
        title += " " + t("sens.pairwise_top", c.lang, n=len(pair))
    sheet.label(row, LABELS, title, style.BOLD)
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
    axes = list(c.analysis.rubric.axes)
    central = c.report.monte_carlo.central_weights.reindex(index=c.projects, columns=axes)
    sheet.label(row, LABELS, c.title("central"), style.BOLD)
    header = row + 1
    column = central_columns(c.analysis, c.lang)
    sheet.header(header, column)
    for r, (project, weights) in enumerate(zip(c.projects, central.to_numpy(), strict=True),
                                           start=header + 1):
        sheet.put(r, column("project"), c.names[project])
        for axis, weight in zip(axes, weights, strict=True):
            sheet.put(r, column(axis), weight, "0.0%")  # none when it never ranks first
    return header + len(c.projects) + 2


def _critical(sheet: Sheet, c: Context, row: int) -> int:
    """Single unknown or uncertain criteria that, settled one way, change the ranking."""
    sheet.label(row, LABELS, c.title("critical"), style.BOLD)
    critical = c.view.critical
    if critical.empty:
        sheet.put(row + 1, LABELS, t("no_critical", c.lang))
        return row + 3
    header = row + 1
    column = critical_columns(c.lang)
    sheet.header(header, column)
    for r, item in enumerate(critical.to_dict("records"), start=header + 1):
        sheet.put(r, column("project"), c.names[item["project"]])
        sheet.put(r, column("criterion"), item["criterion"])
        sheet.put(r, column("if"), condition(c.analysis, item["project"], item["criterion"],
                                             item["points"], c.lang))
        sheet.put(r, column("effect"), effect(c.analysis, item, c.lang))
    return header + len(critical) + 2


def _sweep(sheet: Sheet, c: Context, row: int) -> int:
    """One block and one line chart per axis."""
    rubric, sweep = c.analysis.rubric, c.report.sweep
    sheet.label(row, LABELS, c.title("sweep"), style.BOLD)
    row += 1
    for axis in rubric.axes:
        part = sweep[sweep["axis"] == axis]
        if part.empty:
            continue
        wide = part.pivot(index="t", columns="project", values="score").reindex(
            columns=c.projects).sort_index()
        label = clean_text(rubric.axes[axis].short_label(c.lang))
        column = projects_columns(t("sens.sweep_axis", c.lang, axis=label), c.projects,
                                  c.names)
        sheet.header(row, column)
        for r, (value, scores) in enumerate(zip(wide.index, wide.to_numpy(), strict=True),
                                            start=row + 1):
            sheet.put(r, column("label"), value, "0.00")
            for project, score in zip(c.projects, scores, strict=True):
                sheet.put(r, column(("of", project)), score, "0.000")
        if c.projects:
            first, last = column(("of", c.projects[0])), column(("of", c.projects[-1]))
            line = LineChart()
            line.title = t("sens.chart_sweep", c.lang, axis=label)
            line.add_data(Reference(sheet.ws, min_col=first, max_col=last, min_row=row,
                                    max_row=row + len(wide)), titles_from_data=True)
            line.set_categories(Reference(sheet.ws, min_col=column("label"), min_row=row + 1,
                                          max_row=row + len(wide)))
            line.y_axis.title = t("score", c.lang)
            line.y_axis.number_format = "0.0"
            line.x_axis.title = "t"
            line.x_axis.tickLblSkip = max(1, (len(wide) - 1) // 4)
            line.y_axis.scaling.min, line.y_axis.scaling.max = rubric.scale.min, rubric.scale.max
            _show_axes(line)
            line.width, line.height = 16, 9
            sheet.ws.add_chart(line, f"{c.chart_column}{row}")
        row += max(len(wide) + 2, SWEEP_ROWS)
    return row


def _show_axes(chart: Any) -> None:
    # openpyxl 3.1 leaves `delete` unset, which recent Excel reads as hidden axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False


WRITERS: dict[str, Callable[[Sheet, Context, int], int]] = {
    "stability": _stability, "acceptability": _acceptability, "pairwise": _pairwise,
    "central": _central, "critical": _critical, "sweep": _sweep}
"""The sections this sheet draws (not one_off), each returning the row after it."""
