"""Scores over time (`scorer history`)."""

from __future__ import annotations

from rich.console import Group, RenderableType

from scorer.i18n import t
from scorer.views.common import fmt_score, made_with_line
from scorer.views.history import History
from scorer.writers.console import Text
from scorer.writers.terminal.layout import (
    Column,
    Fitted,
    blocks,
    new_table,
)


def history_view(view: History) -> RenderableType:
    """Dates down, projects across (total and rank), in blocks of projects that fit the
    width; then each project's totals as a sparkline, oldest first."""
    lang = view.lang
    first = view.analyses[0]
    dates = Column(t("date", lang), [Text(a.as_of.isoformat()) for a in view.analyses])
    values = []
    for project in view.projects:
        cells = []
        for a in view.analyses:
            cell = f"{a.ranking.at[project, 'total']:.1f} #{a.ranking.at[project, 'rank']}"
            if view.axes:
                cell += " " + "/".join(fmt_score(s) for s in a.scores.loc[project])
            cells.append(Text(cell))
        values.append(Column(Text(view.name(project)), cells, "right"))
    trends = new_table(header=False)
    trends.add_column(no_wrap=True)
    trends.add_column(overflow="fold")
    trends.add_column(no_wrap=True)
    for p in view.projects:
        trends.add_row(Text(view.name(p)), Text(view.sparkline(p)),
                       Text(f"{view.totals(p)[0]:.1f} → {view.totals(p)[-1]:.1f}"))
    caption = Text(made_with_line(view.analyses[-1], lang, weights=False).replace(
        f"{t('as_of', lang)} {view.analyses[-1].as_of}",
        f"{view.dates[0]} … {view.dates[-1]}, {len(view.dates)} {t('dates', lang)}"),
        style="dim")
    parts: list[RenderableType] = [
        Text(first.rubric.title(lang)), Text(""),
        Fitted(lambda width: blocks([dates], values, width, gap=2))]
    if view.axes:
        parts.append(Text(t("axes_key", lang, key="/".join(
            axis.short_label(lang) for axis in first.rubric.axes.values()))))
    return Group(*parts, Text(""), trends, Text(""), caption)
