"""Rich views for the terminal. Colour only adds emphasis: every mark is also in the text.

Each function lays out a view of `scorer.views` by column name; untrusted text (names,
notes, rules) always enters as `Text` (`scorer.writers.console.Text`, which shows hidden
characters escaped), never as markup; the console it is printed on adds the same guard.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table

from scorer.errors import Problem
from scorer.facttypes import display_value
from scorer.i18n import t
from scorer.models import Rubric
from scorer.views.common import fmt_score, made_with_line, points_text
from scorer.views.comparison import Comparison
from scorer.views.diff import DiffView
from scorer.views.explanation import Explanation, axis_sum
from scorer.views.history import History
from scorer.views.rubric import reachable, weight_rows
from scorer.views.sensitivity import SECTIONS, Sensitivity, condition, effect
from scorer.writers.console import Text

_SCORE_STYLES = ("red", "red", "yellow", "green", "bold green")
_OUTCOME_STYLES = {"pass": "green", "fail": "dim", "unknown": "yellow", "uncertain": "yellow"}
_RIGHT = ("rank", "axis", "score", "total", "share")
"""Column kinds aligned right: numbers."""


def _score_style(value: float, low: float, high: float) -> str:
    share = (value - low) / (high - low) if high > low else 1.0
    return _SCORE_STYLES[min(int(share * len(_SCORE_STYLES)), len(_SCORE_STYLES) - 1)]


def comparison(view: Comparison) -> RenderableType:
    """The ranked table: axis scores coloured on the scale, overrides starred."""
    scale = view.analysis.rubric.scale
    keys = view.keys(view.PEOPLE)
    table = Table(title=view.title, caption=view.caption, box=box.SIMPLE_HEAD,
                  caption_justify="left", title_justify="left", pad_edge=False,
                  padding=(0, 0))  # SIMPLE_HEAD already puts a space between columns
    for key in keys:
        column = view.columns[key]
        table.add_column(column.header, justify="right" if column.kind in _RIGHT else "left",
                         no_wrap=key != keys[-1])
    for project in view.projects:
        cells: list[RenderableType] = []
        for key in keys:
            kind, text = view.columns[key].kind, view.text(key, project)
            if kind == "axis":
                cells.append(Text(text, style=_score_style(view.value(key, project),
                                                           scale.min, scale.max)))
            elif key in ("name", "score"):
                cells.append(Text(text, style="bold"))
            else:
                cells.append(Text(text))
        table.add_row(*cells)
    if view.footnote:
        return Group(table, Text(view.footnote, style="italic"))
    return table


def explanation(view: Explanation) -> RenderableType:
    """Every axis of one project: its criteria, outcomes, points and the facts they read."""
    record, lang = view.record, view.lang
    head = Text()
    head.append(f"{record['name']} ({record['id']})", style="bold")
    head.append(view.headline().removeprefix(f"{record['name']} ({record['id']})") + "\n")
    head.append(f"{t('rubric', lang)} {record['rubric']['id']} v{record['rubric']['version']} · "
                f"{t('as_of', lang)} {record['as_of']}", style="dim")
    parts: list[RenderableType] = [head]
    for axis in record["axes"].values():
        title = Text(f"{axis['label']}: {fmt_score(axis['score'])}", style="bold")
        if axis["override"]:
            title.append(f" ({t('override', lang)}; {t('computed', lang)} "
                         f"{fmt_score(axis['computed'])}) — {axis['override']['reason']}",
                         style="magenta")
        else:
            title.append("  " + axis_sum(axis, lang))
        low, high = axis["range"]
        if low != high:
            title.append(f"  ({t('could_be', lang)} {fmt_score(low)}–{fmt_score(high)})",
                         style="yellow")
        table = Table(box=box.SIMPLE, show_header=True, title=title, title_justify="left",
                      pad_edge=False, expand=False)
        table.add_column(t("criterion", lang), no_wrap=True)
        table.add_column(t("outcome", lang), no_wrap=True)
        table.add_column(t("points", lang), justify="right", no_wrap=True)
        table.add_column(t("facts", lang))
        for crit in axis["criteria"]:
            points = crit["points"]
            table.add_row(
                Text(crit["id"]),
                Text(t(crit["outcome"], lang), style=_OUTCOME_STYLES[crit["outcome"]]),
                Text(f"{points:+g}", style="red" if points < 0 else "green" if points else ""),
                _facts_text(crit, lang),
            )
        parts.append(table)
    return Group(*parts)


def _facts_text(crit: dict[str, Any], lang: str) -> Text:
    lines: list[Text] = []
    if list(crit["facts"]) + crit["missing"] != [crit["rule"]]:  # a bare fact needs no rule line
        lines.append(Text(crit["rule"], style="cyan"))
    for path, fact in crit["facts"].items():
        line = Text(f"{path} = {fact['shown']}")
        sources = [c["source"] for c in fact["candidates"][1:] if c["source"]]
        where = " ".join(str(x) for x in (fact["source"] or "no source", fact["dated"]) if x)
        line.append(f"  [{' | '.join([where, *sources])}]", style="dim")
        lines.append(line)
    for back in crit["history"]:
        line = Text(f"{back['fact']} {t('days_earlier', lang, days=back['days'], on=back['on'])}"
                    " = ")
        if back["as_of"] is None:
            line.append(t("no_history", lang), style="yellow")
        else:
            line.append(display_value(back["value"]))
            line.append(f"  [{back['as_of']}]", style="dim")
        lines.append(line)
    lines += [Text(f"{path}: {t('missing', lang)}", style="yellow") for path in crit["missing"]]
    if crit.get("note") and not crit["missing"]:
        lines.append(Text(crit["note"], style="yellow"))
    if crit["settled_by"]:
        could = ", ".join(f"{p:+g}" for p in crit["possible_points"])
        lines.append(Text(f"{t('could_give', lang)} {could} · {t('settled_by', lang)}: "
                          f"{crit['settled_by']}", style="yellow"))
    return Text("\n").join(lines)


def rubric_view(rubric: Rubric, lang: str = "en") -> RenderableType:
    """Axes with their labels and criteria, then the weights of each profile."""
    parts: list[RenderableType] = [Text(f"{rubric.title(lang)} ({rubric.id} v{rubric.version})",
                                        style="bold")]
    ends = reachable(rubric)
    for axis_id, axis in rubric.axes.items():
        low, high = ends[axis_id]
        table = Table(box=box.SIMPLE, title=Text(f"{axis.label(lang)} [{axis_id}] — "
                                                  f"{t('base', lang)} {axis.base:g}, "
                                                  f"{t('reaches', lang)} {low:g}–{high:g}",
                                                  style="bold"), title_justify="left")
        table.add_column(t("criterion", lang), no_wrap=True)
        table.add_column(t("rule", lang), style="cyan")
        table.add_column(t("points", lang), justify="right")
        table.add_column(t("why", lang))
        for c in axis.criteria:
            table.add_row(Text(c.id), Text(c.expression), Text(points_text(c)), Text(c.why))
        parts.append(table)
    headers, rows = weight_rows(rubric, lang)
    weights = Table(box=box.SIMPLE, title=Text(f"{t('weights', lang)} ({t('default', lang)}: "
                                                f"{rubric.profile_name})", style="bold"),
                    title_justify="left")
    for i, header in enumerate(headers):
        weights.add_column(header, justify="right" if i >= 2 else "left")
    for row in rows:
        weights.add_row(*(Text(str(cell)) for cell in row))
    parts.append(weights)
    return Group(*parts)


def problems(found: Sequence[Problem]) -> RenderableType:
    """One line per problem: location, severity in its colour, message."""
    text = Text()
    for problem in found:
        if problem.location:
            text.append(problem.location + ": ", style="bold")
        style = "red" if problem.severity == "error" else "yellow"
        text.append(problem.severity, style=f"bold {style}")
        text.append(f": {problem.message}\n")
    return text


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
    parts: list[RenderableType] = [Text(view.verdict(lang), style="bold"), Text("")]
    draw = {"stability": _stability, "acceptability": _acceptability, "pairwise": _pairwise,
            "central": _central, "one_off": _one_off, "critical": _critical}
    for section in SECTIONS:
        if section in draw:
            parts.append(Text(view.title(section, lang), style="bold"))
            parts.append(draw[section](view, names, lang, max_ranks))
    parts.append(Text(f"\n{made_with_line(view.analysis, lang)} · {view.sampling(lang)}",
                      style="dim"))
    return Group(*parts)


def _stability(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    rubric = view.analysis.rubric
    stable = Table(box=box.SIMPLE_HEAD, pad_edge=False)
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


def _acceptability(view: Sensitivity, names: Any, lang: str, max_ranks: int
                   ) -> RenderableType:
    mc = view.report.monte_carlo
    shown = min(max_ranks, mc.rank_acceptability.shape[1])
    accept = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    accept.add_column(t("project", lang))
    for r in range(1, shown + 1):
        accept.add_column(f"#{r}", justify="right")
    accept.add_column(t("expected_rank", lang), justify="right")
    confidence = getattr(mc, "confidence", None) if view.evidence else None
    if confidence is not None:
        accept.add_column(t("confidence", lang), justify="right")
    for project in view.analysis.ranking.index:
        row = mc.rank_acceptability.loc[project]
        cells = [_percent(row[r]) for r in range(1, shown + 1)]
        cells.append(f"{mc.expected_rank[project]:.2f}")
        if confidence is not None:
            cells.append(_percent(confidence[project]))
        accept.add_row(Text(names[project]), *cells)
    return accept


def _pairwise(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    mc = view.report.monte_carlo
    order = [p for p in view.analysis.ranking.index if p in mc.pairwise_win.index]
    wins = mc.pairwise_win.loc[order, order]
    pairs = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    pairs.add_column("")
    for project in order:
        pairs.add_column(Text(names[project]), justify="right")
    for project, row in wins.iterrows():
        pairs.add_row(Text(names[project]), *(_percent(v) for v in row))
    return pairs


def _central(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    a, mc = view.analysis, view.report.monte_carlo
    central = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    central.add_column(t("project", lang))
    for axis in a.rubric.axes:
        central.add_column(a.rubric.axes[axis].short_label(lang), justify="right")
    for project in a.ranking.index:
        weights = mc.central_weights.loc[project]
        if weights.isna().all():
            central.add_row(Text(names[project]), Text(t("never_first", lang), style="dim"))
        else:
            central.add_row(Text(names[project]), *(f"{w:.2f}" for w in weights))
    return central


def _critical(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    if view.critical.empty:
        return Text("  " + t("no_critical", lang))
    lines = []
    for _, row in view.critical.iterrows():
        settled = condition(view.analysis, row["project"], row["criterion"], row["points"], lang)
        line = Text(f"  {settled}: ")
        line.append(effect(view.analysis, row, lang), style="yellow")
        lines.append(line)
    return Text("\n").join(lines)


def _one_off(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    a, perturbation = view.analysis, view.report.perturbation
    changes = perturbation[perturbation["changes"].map(len) > 0]
    if changes.empty:
        return Text("  " + t("no_one_off", lang))
    lines = []
    for row in changes.itertuples(index=False):
        score = a.scores.loc[row.project, row.axis]
        line = Text(f"  {names[row.project]} {a.rubric.axes[row.axis].short_label(lang)} "
                    f"{fmt_score(score)} → {fmt_score(score + row.delta)}: ")
        line.append(", ".join(f"{names[p]} #{old} → #{new}" for p, old, new in row.changes),
                    style="yellow")
        lines.append(line)
    return Text("\n").join(lines)


def history_view(view: History) -> RenderableType:
    """Dates down, projects across (total and rank); then each project's totals as a
    sparkline, oldest first."""
    lang = view.lang
    first = view.analyses[0]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(t("date", lang), no_wrap=True)
    for project in view.projects:
        table.add_column(Text(view.name(project)), justify="right", no_wrap=True)
    for a in view.analyses:
        cells = [a.as_of.isoformat()]
        for project in view.projects:
            cell = f"{a.ranking.at[project, 'total']:.1f} #{a.ranking.at[project, 'rank']}"
            if view.axes:
                cell += " " + "/".join(fmt_score(s) for s in a.scores.loc[project])
            cells.append(cell)
        table.add_row(*cells)
    width = max((len(view.name(p)) for p in view.projects), default=0)
    lines = [Text(f"{view.name(p):<{width}}  {view.sparkline(p)}  "
                  f"{view.totals(p)[0]:.1f} → {view.totals(p)[-1]:.1f}")
             for p in view.projects]
    caption = Text(made_with_line(view.analyses[-1], lang, weights=False).replace(
        f"{t('as_of', lang)} {view.analyses[-1].as_of}",
        f"{view.dates[0]} … {view.dates[-1]}, {len(view.dates)} {t('dates', lang)}"),
        style="dim")
    return Group(Text(first.rubric.title(lang)), table, *lines, Text(""), caption)


def diff_view(view: DiffView) -> RenderableType:
    """Per project: total and rank from A to B, then each changed criterion with the facts
    it read on either side."""
    d, lang = view.diff, view.lang
    parts: list[RenderableType] = [Text(f"{view.side('a')} → {view.side('b')}", style="bold")]
    for row in d.projects.itertuples(index=False):
        head = Text(f"\n{row.name}", style="bold")
        if row.side == "b":
            head.append(f"  ({t('appeared', lang)})", style="green")
        elif row.side == "a":
            head.append(f"  ({t('vanished', lang)})", style="red")
        head.append(f"  {row.total_a:.1f} → {row.total_b:.1f}   "
                    f"#{row.rank_a} → #{row.rank_b}")
        parts.append(head)
        changes = d.changes[d.changes["project"] == row.project]
        if changes.empty:
            parts.append(Text("  " + t("no_change", lang), style="dim"))
            continue
        table = Table(box=box.SIMPLE, pad_edge=False, show_header=True)
        table.add_column(t("criterion", lang), no_wrap=True)
        table.add_column(t("points", lang), justify="right", no_wrap=True)
        table.add_column(t("facts", lang))
        for c in changes.itertuples(index=False):
            points = f"{_signed(c.points_a)} → {_signed(c.points_b)}"
            lines = [Text(f"{t(c.outcome_a, lang) if isinstance(c.outcome_a, str) else '—'} → "
                          f"{t(c.outcome_b, lang) if isinstance(c.outcome_b, str) else '—'}",
                          style="dim")]
            for fact in c.facts:
                before = view.observed(d.observation("a", row.project, fact))
                after = view.observed(d.observation("b", row.project, fact))
                if before != after:
                    lines.append(Text(f"{fact}: {before} → {after}"))
            label = d.a.rubric.axes[c.axis].short_label(lang) if c.axis in d.a.rubric.axes \
                else c.axis
            table.add_row(Text(f"{c.criterion} ({label})"), points, Text("\n").join(lines))
        parts.append(table)
    return Group(*parts)


def _signed(points: float) -> str:
    return "—" if points != points else f"{points:+g}"  # NaN: no such criterion on that side
