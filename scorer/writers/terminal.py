"""Rich views for the terminal. Colour only adds emphasis: every mark is also in the text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from scorer.errors import Problem
from scorer.i18n import t
from scorer.models import Rubric
from scorer.pipeline import Analysis
from scorer.writers.records import compare_rows, fmt_score, fmt_value, points_text, weight_rows

_SCORE_STYLES = ("red", "red", "yellow", "green", "bold green")
_OUTCOME_STYLES = {"pass": "green", "fail": "dim", "unknown": "yellow"}


def _score_style(value: float, low: float, high: float) -> str:
    share = (value - low) / (high - low) if high > low else 1.0
    return _SCORE_STYLES[min(int(share * len(_SCORE_STYLES)), len(_SCORE_STYLES) - 1)]


def _made_with(a: Analysis, lang: str) -> str:
    weights = ", ".join(f"{axis} {w:.2f}" for axis, w in a.weights.items())
    return (f"{t('rubric', lang)} {a.rubric.id} v{a.rubric.version} · {t('as_of', lang)} "
            f"{a.as_of.isoformat()} · {t('profile', lang)} {a.profile} · "
            f"{t('weights', lang)}: {weights}")


def comparison(a: Analysis, lang: str = "en") -> RenderableType:
    """The ranked table: axis scores coloured on the scale, overrides starred."""
    headers, rows = compare_rows(a, lang)
    scale = a.rubric.scale
    n_axes = len(a.rubric.axes)
    table = Table(title=a.rubric.title(lang), caption=_made_with(a, lang), box=box.SIMPLE_HEAD,
                  caption_justify="left", title_justify="left", pad_edge=False,
                  padding=(0, 0))  # SIMPLE_HEAD already puts a space between columns
    for i, header in enumerate(headers):
        numeric = i == 0 or 2 <= i < 2 + n_axes + 3
        last = i == len(headers) - 1
        table.add_column(header, justify="right" if numeric else "left", no_wrap=not last)
    for project, row in zip(a.ranking.index, rows, strict=True):
        cells: list[Any] = [str(row[0]), Text(row[1], style="bold")]
        for axis, cell in zip(a.rubric.axis_ids, row[2:2 + n_axes], strict=True):
            style = _score_style(a.scores.loc[project, axis], scale.min, scale.max)
            cells.append(Text(cell, style=style))
        cells += [Text(row[2 + n_axes], style="bold"), *row[3 + n_axes:]]
        table.add_row(*cells)
    if a.axes["override"].any():
        return Group(table, Text(t("overridden", lang), style="italic"))
    return table


def explanation(record: dict[str, Any], lang: str = "en") -> RenderableType:
    """Every axis of one project: its criteria, outcomes, points and the facts they read."""
    head = Text()
    head.append(f"{record['name']} ({record['id']})", style="bold")
    head.append(f" — {t('rank', lang)} {record['rank']}/{record['of']}, "
                f"{record['total']:.1f}/{record['total_max']:g}, {record['grade']}, "
                f"{t('coverage', lang)} {record['coverage']:.0%}\n")
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
            title.append(f"  = {t('base', lang)} {axis['base']:g} {axis['points']:+g}")
            if axis["points"] + axis["base"] != axis["computed"]:
                title.append(f" → {fmt_score(axis['computed'])} (clamped to the scale)")
        table = Table(box=box.SIMPLE, show_header=True, title=title, title_justify="left",
                      pad_edge=False, expand=False)
        table.add_column(t("criterion", lang), no_wrap=True)
        table.add_column(t("outcome", lang), no_wrap=True)
        table.add_column(t("points", lang), justify="right", no_wrap=True)
        table.add_column(t("facts", lang))
        for crit in axis["criteria"]:
            points = crit["points"]
            table.add_row(
                crit["id"],
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
        line = Text(f"{path} = {fmt_value(fact['value'])}")
        where = " ".join(str(x) for x in (fact["source"] or "no source", fact["as_of"]) if x)
        line.append(f"  [{where}]", style="dim")
        lines.append(line)
    lines += [Text(f"{path}: {t('missing', lang)}", style="yellow") for path in crit["missing"]]
    if crit.get("note") and not crit["missing"]:
        lines.append(Text(crit["note"], style="yellow"))
    return Text("\n").join(lines)


def rubric_view(rubric: Rubric, lang: str = "en") -> RenderableType:
    """Axes with their labels and criteria, then the weights of each profile."""
    parts: list[RenderableType] = [Text(f"{rubric.title(lang)} ({rubric.id} v{rubric.version})",
                                        style="bold")]
    for axis_id, axis in rubric.axes.items():
        table = Table(box=box.SIMPLE, title=Text(f"{axis.label(lang)} [{axis_id}] — "
                                                  f"{t('base', lang)} {axis.base:g}",
                                                  style="bold"), title_justify="left")
        table.add_column(t("criterion", lang), no_wrap=True)
        table.add_column(t("rule", lang), style="cyan")
        table.add_column(t("points", lang), justify="right")
        table.add_column(t("why", lang))
        for c in axis.criteria:
            table.add_row(c.id, c.expression, points_text(c), c.why)
        parts.append(table)
    headers, rows = weight_rows(rubric, lang)
    weights = Table(box=box.SIMPLE, title=Text(f"{t('weights', lang)} (default: "
                                                f"{rubric.profile_name})", style="bold"),
                    title_justify="left")
    for i, header in enumerate(headers):
        weights.add_column(header, justify="right" if i >= 2 else "left")
    for row in rows:
        weights.add_row(*row)
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
        t = k / (width - 1)
        if abs(t - weight) <= 0.5 / (width - 1):
            bar.append("●", style="bold")
        elif low - 1e-9 <= t <= high + 1e-9:
            bar.append("━", style="green")
        else:
            bar.append("─", style="dim")
    return bar


def _percent(value: float) -> str:
    return "—" if value != value else f"{value:.0%}"  # NaN → dash


def sensitivity_view(a: Analysis, report: Any, lang: str = "en", max_ranks: int = 10
                     ) -> RenderableType:
    """Verdict, stability intervals, acceptability, pairwise wins and one-point changes."""
    from scorer.writers.records import verdict

    names = a.projects["name"]
    mc = report.monte_carlo
    parts: list[RenderableType] = [Text(verdict(a, report, lang), style="bold"), Text("")]

    parts.append(Text(t("stability", lang), style="bold"))
    stable = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    stable.add_column(t("axis", lang))
    stable.add_column(t("weight", lang), justify="right")
    stable.add_column(t("winner_range", lang), justify="center")
    stable.add_column("0 … 1", no_wrap=True)
    stable.add_column(t("ranking_range", lang), justify="center")
    for axis, row in report.stability.iterrows():
        stable.add_row(a.rubric.axes[axis].short_label(lang), f"{row.weight:.2f}",
                       f"{row.winner_low:.2f} – {row.winner_high:.2f}",
                       _interval_bar(row.winner_low, row.winner_high, row.weight),
                       f"{row.ranking_low:.2f} – {row.ranking_high:.2f}")
    parts.append(stable)

    how = (t("uniform_weights", lang) if mc.concentration is None
           else t("centred_weights", lang).format(k=mc.concentration))
    shown = min(max_ranks, mc.rank_acceptability.shape[1])
    parts.append(Text(t("acceptability", lang).format(samples=mc.samples, how=how),
                      style="bold"))
    accept = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    accept.add_column(t("project", lang))
    for r in range(1, shown + 1):
        accept.add_column(f"#{r}", justify="right")
    accept.add_column(t("expected_rank", lang), justify="right")
    for project in a.ranking.index:
        row = mc.rank_acceptability.loc[project]
        accept.add_row(names[project], *(_percent(row[r]) for r in range(1, shown + 1)),
                       f"{mc.expected_rank[project]:.2f}")
    parts.append(accept)

    parts.append(Text(t("pairwise", lang), style="bold"))
    pairs = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    pairs.add_column("")
    for project in mc.pairwise_win.columns:
        pairs.add_column(names[project], justify="right")
    for project, row in mc.pairwise_win.iterrows():
        pairs.add_row(names[project], *(_percent(v) for v in row))
    parts.append(pairs)

    parts.append(Text(t("central", lang), style="bold"))
    central = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    central.add_column(t("project", lang))
    for axis in a.rubric.axis_ids:
        central.add_column(a.rubric.axes[axis].short_label(lang), justify="right")
    for project in a.ranking.index:
        weights = mc.central_weights.loc[project]
        if weights.isna().all():
            central.add_row(names[project], Text(t("never_first", lang), style="dim"))
        else:
            central.add_row(names[project], *(f"{w:.2f}" for w in weights))
    parts.append(central)

    changes = report.perturbation[report.perturbation["changes"].map(len) > 0]
    parts.append(Text(t("one_off", lang), style="bold"))
    if changes.empty:
        parts.append(Text("  " + t("no_one_off", lang)))
    for row in changes.itertuples(index=False):
        score = a.scores.loc[row.project, row.axis]
        line = Text(f"  {names[row.project]} {a.rubric.axes[row.axis].short_label(lang)} "
                    f"{fmt_score(score)} → {fmt_score(score + row.delta)}: ")
        line.append(", ".join(f"{names[p]} #{old} → #{new}" for p, old, new in row.changes),
                    style="yellow")
        parts.append(line)
    parts.append(Text(f"\n{_made_with(a, lang)} · Monte Carlo: {mc.samples:,} samples, "
                      f"{t('seed', lang)} {mc.seed}", style="dim"))
    return Group(*parts)
