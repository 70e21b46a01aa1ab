"""The analyses of `scorer sensitivity`."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType

from scorer.i18n import t
from scorer.views.common import fmt_score, made_with_line
from scorer.views.sensitivity import SECTIONS, Sensitivity, condition, effect
from scorer.writers.console import Text
from scorer.writers.terminal.layout import (
    Column,
    Fitted,
    blocks,
    listed,
    new_table,
)


def _interval_bar(low: float, high: float, weight: float, width: int = 21) -> Text:
    """0 ──━━━━●━━── 1: the interval in bold, the current weight as a dot."""
    bar = Text()
    for k in range(width):
        x = k / (width - 1)
        if abs(x - weight) <= 0.5 / (width - 1):
            bar.append("●", style="bold")
        elif low - 1e-9 <= x <= high + 1e-9:
            bar.append("━", style="green")
        else:
            bar.append("─", style="dim")
    return bar


def _percent(value: float) -> str:
    return "—" if value != value else f"{value:.0%}"  # NaN → dash


def sensitivity_view(view: Sensitivity, lang: str | None = None, max_ranks: int = 10
                     ) -> RenderableType:
    """Verdict, then each section of `scorer.views.sensitivity.SECTIONS` it can draw."""
    lang = lang or view.analysis.lang
    names = view.analysis.projects["name"]
    parts: list[RenderableType] = [Text(view.verdict(lang), style="bold")]
    draw = {"stability": _stability, "acceptability": _acceptability, "pairwise": _pairwise,
            "central": _central, "one_off": _one_off, "critical": _critical}
    for section in SECTIONS:
        if section in draw:
            parts += [Text(""), Text(view.title(section, lang), style="bold"),
                      draw[section](view, names, lang, max_ranks)]
    parts += [Text(""), Text(f"{made_with_line(view.analysis, lang)} · {view.sampling(lang)}",
                             style="dim")]
    return Group(*parts)


def _stability(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    rubric = view.analysis.rubric
    stable = new_table()
    stable.add_column(t("axis", lang))
    stable.add_column(t("weight", lang), justify="right")
    stable.add_column(t("winner_range", lang), justify="center")
    stable.add_column("0 … 1", no_wrap=True)
    stable.add_column(t("ranking_range", lang), justify="center")
    for axis, row in view.report.stability.iterrows():
        stable.add_row(Text(rubric.axes[str(axis)].short_label(lang)), f"{row.weight:.2f}",
                       f"{row.winner_low + 0.0:.2f} – {row.winner_high:.2f}",
                       _interval_bar(row.winner_low, row.winner_high, row.weight),
                       f"{row.ranking_low + 0.0:.2f} – {row.ranking_high:.2f}")
    return stable


def _shown(view: Sensitivity) -> list[Any]:
    """The projects a table of projects lists: the `top` best-ranked (every one with
    `full`)."""
    projects = list(view.analysis.ranking.index)
    return projects if view.full else projects[:view.top]


def _rest(view: Sensitivity, table: RenderableType, left_out: int, key: str, lang: str
          ) -> RenderableType:
    """A table, then how many rows it leaves out and how to see them, when it leaves some."""
    if left_out <= 0:
        return table
    note = Text(f"{t(key, lang, n=left_out, top=view.top)} {t('sens.full_hint', lang)}",
                style="dim")
    return Group(table, note)


def _acceptability(view: Sensitivity, names: Any, lang: str, max_ranks: int
                   ) -> RenderableType:
    mc = view.report.monte_carlo
    shown = min(max_ranks, mc.rank_acceptability.shape[1])
    projects = _shown(view)
    accept = mc.rank_acceptability.loc[projects]
    values = [Column(f"#{r}", [Text(_percent(v)) for v in accept[r]], "right")
              for r in range(1, shown + 1)]
    values.append(Column(t("expected_rank", lang),
                          [Text(f"{mc.expected_rank[p]:.2f}") for p in projects], "right"))
    confidence = getattr(mc, "confidence", None) if view.evidence else None
    if confidence is not None:
        values.append(Column(t("confidence", lang),
                              [Text(_percent(confidence[p])) for p in projects], "right"))
    key = Column(t("project", lang), [Text(names[p]) for p in projects])
    return _rest(view, Fitted(lambda width: blocks([key], values, width)),
                 len(view.analysis.ranking) - len(projects), "sens.projects_rest", lang)


def _pairwise(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    mc = view.report.monte_carlo
    order = [p for p in _shown(view) if p in mc.pairwise_win.index]
    wins = mc.pairwise_win.loc[order, order]
    key = Column("", [Text(names[p]) for p in order])
    values = [Column(Text(names[q]), [Text(_percent(v)) for v in wins[q]], "right")
              for q in order]
    return Fitted(lambda width: blocks([key], values, width))


def _central(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    a, mc = view.analysis, view.report.monte_carlo
    projects = _shown(view)
    weights = mc.central_weights.loc[projects]
    never = weights.isna().all(axis=1)
    values = []
    for i, axis in enumerate(a.rubric.axes):
        cells = [Text(t("never_first", lang), style="dim") if never[p] and i == 0
                 else Text("") if never[p] else Text(f"{weights.at[p, axis]:.2f}")
                 for p in projects]
        values.append(Column(a.rubric.axes[axis].short_label(lang), cells, "right"))
    key = Column(t("project", lang), [Text(names[p]) for p in projects])
    return _rest(view, Fitted(lambda width: blocks([key], values, width)),
                 len(a.ranking) - len(projects), "sens.projects_rest", lang)


def _critical(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    a = view.analysis
    winners = tuple(a.ranking.index[a.ranking["rank"] == 1])
    lines = []
    for row in view.critical_rows():
        settled = condition(a, row["project"], row["criterion"], row["points"], lang)
        line = Text(f"{settled}: ")
        line.append(effect(a, row, lang, winners), style="yellow")
        lines.append(line)
    if not lines:
        return listed([Text(t("no_critical", lang))])
    return _rest(view, listed(lines), view.left_out()["critical"], "sens.critical_rest", lang)


def _one_off(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    a = view.analysis
    lines = []
    for row in view.one_off_rows():
        score = a.scores.at[row["project"], row["axis"]]
        line = Text(f"{names[row['project']]} {a.rubric.axes[row['axis']].short_label(lang)} "
                    f"{fmt_score(score)} → {fmt_score(score + row['delta'])}: ")
        line.append(", ".join(f"{names[p]} #{old} → #{new}" for p, old, new in row["changes"]),
                    style="yellow")
        lines.append(line)
    if not lines:
        return listed([Text(t("no_one_off", lang))])
    return _rest(view, listed(lines), view.left_out()["one_off"], "sens.one_off_rest", lang)


# ---------------------------------------------------------------- history and diff
