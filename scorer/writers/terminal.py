"""Rich views for the terminal. Colour only adds emphasis: every mark is also in the text.

Each function lays out a view of `scorer.views` by column name; untrusted text (names,
notes, rules) always enters as `Text` (`scorer.writers.console.Text`, which shows hidden
characters escaped), never as markup; the console it is printed on adds the same guard.

Every view is laid out for the width it is printed at (80 columns and up, in English and in
Japanese, where a character takes two cells): text wraps between words, never inside one,
and a table too wide for a row per line moves what does not fit (a grade above its
projects, a block of columns under the others, axis labels into a key) rather than drop a
column or cut a cell short.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table

from scorer.errors import Problem
from scorer.facttypes import display_value
from scorer.i18n import t
from scorer.models import Rubric
from scorer.views.common import fmt_score, made_with_line, outcome_text, points_text
from scorer.views.comparison import Comparison
from scorer.views.diff import DiffView
from scorer.views.explanation import Explanation, axis_sum
from scorer.views.history import History
from scorer.views.rubric import profile_rows, reachable
from scorer.views.sensitivity import SECTIONS, Sensitivity, condition, effect
from scorer.writers.console import Text, narrowest

_SCORE_STYLES = ("red", "red", "yellow", "green", "bold green")
_OUTCOME_STYLES = {"pass": "green", "fail": "dim", "unknown": "yellow", "uncertain": "yellow"}
_RIGHT = ("rank", "axis", "score", "total", "share")
"""Column kinds aligned right: numbers."""


# ---------------------------------------------------------------- layout


class _Fitted:
    """A renderable laid out for the width it is printed at: `layout(width)`."""

    def __init__(self, layout: Callable[[int], RenderableType]) -> None:
        self.layout = layout

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.layout(options.max_width)


def _table(header: bool = True, gap: int = 1) -> Table:
    """The house table: a rule under the header, no edges, columns 1 + `gap` cells apart."""
    return Table(box=box.SIMPLE_HEAD, show_header=header, show_edge=False, pad_edge=False,
                 padding=(0, 0, 0, gap))


def _cells(text: Text | str) -> int:
    """The width of the widest line of `text`, in cells."""
    plain = text if isinstance(text, str) else text.plain
    return max((cell_len(line) for line in plain.split("\n")), default=0)


@dataclass(frozen=True)
class _Column:
    """A column laid out by hand: its header, its cells, and whether it may wrap."""

    header: Text | str
    cells: list[Text]
    justify: Any = "left"
    wrap: bool = False
    """Whether the column may wrap its cells (between words) when the width runs short."""

    @property
    def width(self) -> int:
        return max([_cells(self.header), *(_cells(cell) for cell in self.cells)])

    @property
    def least(self) -> int:
        """The narrowest it can be: its header, and its longest word when it may wrap."""
        if not self.wrap:
            return self.width
        return max([_cells(self.header), *(narrowest(cell.plain) for cell in self.cells)])


def _span(widths: Iterable[int], gap: int) -> int:
    """The width of columns this wide side by side, `gap` + 1 cells apart."""
    widths = list(widths)
    return sum(widths) + (len(widths) - 1) * (gap + 1) if widths else 0


def _widths(columns: Sequence[_Column], width: int, gap: int) -> list[int]:
    """Each column at its widest; if that is too wide, the columns that may wrap give up the
    difference, down to their longest word."""
    widths = [c.width for c in columns]
    excess = _span(widths, gap) - width
    for i, column in enumerate(columns):
        if excess > 0 and column.wrap:
            given = min(excess, widths[i] - column.least)
            widths[i] -= given
            excess -= given
    return widths


def _rows(columns: Sequence[_Column], widths: Sequence[int], rows: Iterable[int],
          header: bool = True, gap: int = 1) -> Table:
    """A table of some rows of `columns`, each column exactly as wide as `widths` says, so
    that tables of the same columns line up under one another."""
    table = _table(header=header, gap=gap)
    for column, width in zip(columns, widths, strict=True):
        table.add_column(column.header, justify=column.justify, width=width,
                         no_wrap=not column.wrap)
    for row in rows:
        table.add_row(*(column.cells[row] for column in columns))
    return table


def _blocks(keys: Sequence[_Column], values: Sequence[_Column], width: int,
            gap: int = 1) -> RenderableType:
    """A table too wide for `width` printed as wide tables are on paper: its value columns in
    blocks that fit, one under the other, each beside the key columns."""
    rows = range(len(keys[0].cells)) if keys else range(0)
    blocks: list[list[_Column]] = [[]]
    for column in values:
        block = blocks[-1]
        if block and _span([c.width for c in (*keys, *block, column)], gap) > width:
            blocks.append([column])
        else:
            block.append(column)
    tables: list[RenderableType] = []
    for block in blocks:
        columns = [*keys, *block]
        if tables:
            tables.append(Text(""))
        tables.append(_rows(columns, _widths(columns, width, gap), rows, gap=gap))
    return Group(*tables)


def _listed(lines: Iterable[Text], indent: int = 2) -> RenderableType:
    """Lines of a list, each indented, its continuation lines too."""
    return Group(*(Padding(line, (0, 0, 0, indent)) for line in lines))


def _score_style(value: float, low: float, high: float) -> str:
    share = (value - low) / (high - low) if high > low else 1.0
    return _SCORE_STYLES[min(int(share * len(_SCORE_STYLES)), len(_SCORE_STYLES) - 1)]


# ---------------------------------------------------------------- compare


def comparison(view: Comparison) -> RenderableType:
    """The ranked table, laid out for its width. A line per project, grade included, where
    that fits; else each grade heads its projects (a grade is a band of the total, so its
    projects are adjacent); else the axes are numbered too, with a key under the table (and
    long names wrap, if they still must)."""
    return _Fitted(lambda width: _comparison(view, width))


def _comparison(view: Comparison, width: int) -> RenderableType:
    scale, lang = view.analysis.rubric.scale, view.lang
    keys = view.keys(view.PEOPLE)
    axes = list(view.analysis.rubric.axes)
    columns: dict[str, _Column] = {}
    for key in keys:
        kind = view.columns[key].kind
        cells = []
        for project in view.projects:
            text = view.text(key, project)
            if kind == "axis":
                cells.append(Text(text, style=_score_style(view.value(key, project),
                                                           scale.min, scale.max)))
            else:
                cells.append(Text(text, style="bold" if key in ("name", "score") else ""))
        columns[key] = _Column(view.columns[key].header, cells,
                               "right" if kind in _RIGHT else "left", wrap=key == "name")
    every = [columns[key] for key in keys]
    parts: list[RenderableType] = [Text(view.title), Text("")]
    key_line = None
    if _span((c.width for c in every), 0) <= width:
        parts.append(_rows(every, _widths(every, width, 0), range(len(view.projects)), gap=0))
    else:
        shown = [columns[key] for key in keys if key != "grade"]
        if _span((c.width for c in shown), 0) > width:  # the axes' labels give way to numbers
            shown = [_Column(str(axes.index(key) + 1), columns[key].cells, "right")
                     if key in axes else columns[key] for key in keys if key != "grade"]
            key_line = Text(t("axes_key", lang, key=" · ".join(
                f"{i} {columns[axis].header}" for i, axis in enumerate(axes, 1))))
        widths = _widths(shown, width, 0)
        parts.append(_rows(shown, widths, (), gap=0))
        grades = [columns["grade"].cells[i].plain for i in range(len(view.projects))]
        start = 0
        for end in range(1, len(grades) + 1):
            if end == len(grades) or grades[end] != grades[start]:
                if grades[start]:
                    parts.append(Text(t("grade_is", lang, grade=grades[start]), style="bold"))
                parts.append(_rows(shown, widths, range(start, end), header=False, gap=0))
                start = end
    parts.append(Text(""))
    if key_line is not None:
        parts.append(key_line)
    parts.append(Text(view.caption, style="dim"))
    if view.footnote:
        parts.append(Text(view.footnote, style="italic"))
    return Group(*parts)


# ---------------------------------------------------------------- explain


FACTS_WIDTH = 50
"""Below this many cells for the facts they read, explain's outcomes wrap ("does not /
apply") to leave the facts more room."""


def explanation(view: Explanation) -> RenderableType:
    """Every axis of one project: its criteria, outcomes, points and the facts they read,
    each fact with its note (the analyst's caveat: a floor, derived, a judgement)."""
    return _Fitted(lambda width: _explanation(view, width))


def _explanation(view: Explanation, width: int) -> RenderableType:
    record, lang = view.record, view.lang
    head = Text()
    head.append(f"{record['name']} ({record['id']})", style="bold")
    head.append(view.headline().removeprefix(f"{record['name']} ({record['id']})") + "\n")
    head.append(f"{t('rubric', lang)} {record['rubric']['id']} v{record['rubric']['version']} · "
                f"{t('as_of', lang)} {record['as_of']}", style="dim")
    parts: list[RenderableType] = [head]
    criteria = [crit for axis in record["axes"].values() for crit in axis["criteria"]]
    ids = max(_cells(crit["id"]) for crit in criteria)  # every axis's columns line up
    said = [t("outcome", lang), *(outcome_text(c["kind"], c["outcome"], lang) for c in criteria)]
    outcomes = max(_cells(text) for text in said)
    points = max(_cells(t("points", lang)), *(_cells(f"{c['points']:+g}") for c in criteria))
    if width - _span((ids, outcomes, points), 1) - 2 < FACTS_WIDTH:
        outcomes = max(cell_len(word) for text in said for word in text.split())
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
        table = _table()
        table.add_column(t("criterion", lang), no_wrap=True, min_width=ids)
        table.add_column(t("outcome", lang), min_width=outcomes, max_width=outcomes)
        table.add_column(t("points", lang), justify="right", no_wrap=True)
        table.add_column(t("facts", lang))
        for crit in axis["criteria"]:
            points = crit["points"]
            table.add_row(
                Text(crit["id"]),
                Text(outcome_text(crit["kind"], crit["outcome"], lang),
                     style=_OUTCOME_STYLES[crit["outcome"]]),
                Text(f"{points:+g}", style="red" if points < 0 else "green" if points else ""),
                _facts(crit, lang),
            )
        parts += [Text(""), title, table]
    return Group(*parts)


def _facts(crit: dict[str, Any], lang: str) -> RenderableType:
    lines: list[RenderableType] = []
    if list(crit["facts"]) + crit["missing"] != [crit["rule"]]:  # a bare fact needs no rule line
        lines.append(Text(crit["rule"], style="cyan"))
    for path, fact in crit["facts"].items():
        line = Text(f"{path} = {fact['shown']}")
        sources = [c["source"] for c in fact["candidates"][1:] if c["source"]]
        where = " ".join(str(x) for x in (fact["source"] or t("no_source", lang), fact["dated"])
                         if x)
        line.append(f"  [{' | '.join([where, *sources])}]", style="dim")
        lines.append(line)
        if fact["note"]:
            lines.append(Padding(Text(fact["note"], style="italic"), (0, 0, 0, 2)))
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
    return Group(*lines)


# ---------------------------------------------------------------- rubric


def rubric_view(rubric: Rubric, lang: str = "en") -> RenderableType:
    """Axes with their labels and criteria (each rule whole above its why), then the
    weights of each profile."""
    parts: list[RenderableType] = [Text(f"{rubric.title(lang)} ({rubric.id} v{rubric.version})",
                                        style="bold")]
    ends = reachable(rubric)
    criteria = [c for _, c in rubric.criteria()]
    ids = max(_cells(c.id) for c in criteria)  # every axis's columns line up
    points = max(_cells(t("points", lang)), *(_cells(points_text(c, lang)) for c in criteria))
    for axis_id, axis in rubric.axes.items():
        low, high = ends[axis_id]
        parts += [Text(""), Text(f"{axis.label(lang)} [{axis_id}] — {t('base', lang)} "
                                 f"{axis.base:g}, {t('reaches', lang)} {low:g}–{high:g}",
                                 style="bold")]
        table = _table()
        table.add_column(t("criterion", lang), no_wrap=True, min_width=ids)
        table.add_column(t("points", lang), justify="right", min_width=min(points, 16))
        table.add_column(Text(t("rule", lang), style="cyan") + Text("\n" + t("why", lang)))
        for c in axis.criteria:
            table.add_row(Text(c.id), Text(points_text(c, lang)),
                          Group(Text(c.expression, style="cyan"), Text(c.why)))
        parts.append(table)
    headers, rows = profile_rows(rubric, lang)
    columns = [_Column(header, [Text(row[i]) for row in rows], "right" if i else "left")
               for i, header in enumerate(headers)]
    parts += [Text(""), Text(f"{t('weights', lang)} ({t('default', lang)}: "
                             f"{rubric.profile_name})", style="bold"),
              _Fitted(lambda width: _blocks(columns[:1], columns[1:], width))]
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


# ---------------------------------------------------------------- sensitivity


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
    stable = _table()
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
    projects = list(view.analysis.ranking.index)
    accept = mc.rank_acceptability.loc[projects]
    values = [_Column(f"#{r}", [Text(_percent(v)) for v in accept[r]], "right")
              for r in range(1, shown + 1)]
    values.append(_Column(t("expected_rank", lang),
                          [Text(f"{mc.expected_rank[p]:.2f}") for p in projects], "right"))
    confidence = getattr(mc, "confidence", None) if view.evidence else None
    if confidence is not None:
        values.append(_Column(t("confidence", lang),
                              [Text(_percent(confidence[p])) for p in projects], "right"))
    key = _Column(t("project", lang), [Text(names[p]) for p in projects])
    return _Fitted(lambda width: _blocks([key], values, width))


def _pairwise(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    mc = view.report.monte_carlo
    order = [p for p in view.analysis.ranking.index if p in mc.pairwise_win.index]
    wins = mc.pairwise_win.loc[order, order]
    key = _Column("", [Text(names[p]) for p in order])
    values = [_Column(Text(names[q]), [Text(_percent(v)) for v in wins[q]], "right")
              for q in order]
    return _Fitted(lambda width: _blocks([key], values, width))


def _central(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    a, mc = view.analysis, view.report.monte_carlo
    projects = list(a.ranking.index)
    weights = mc.central_weights.loc[projects]
    never = weights.isna().all(axis=1)
    values = []
    for i, axis in enumerate(a.rubric.axes):
        cells = [Text(t("never_first", lang), style="dim") if never[p] and i == 0
                 else Text("") if never[p] else Text(f"{weights.at[p, axis]:.2f}")
                 for p in projects]
        values.append(_Column(a.rubric.axes[axis].short_label(lang), cells, "right"))
    key = _Column(t("project", lang), [Text(names[p]) for p in projects])
    return _Fitted(lambda width: _blocks([key], values, width))


def _critical(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    if view.critical.empty:
        return _listed([Text(t("no_critical", lang))])
    lines = []
    for _, row in view.critical.iterrows():
        settled = condition(view.analysis, row["project"], row["criterion"], row["points"], lang)
        line = Text(f"{settled}: ")
        line.append(effect(view.analysis, row, lang), style="yellow")
        lines.append(line)
    return _listed(lines)


def _one_off(view: Sensitivity, names: Any, lang: str, max_ranks: int) -> RenderableType:
    a, perturbation = view.analysis, view.report.perturbation
    changes = perturbation[perturbation["changes"].map(len) > 0]
    if changes.empty:
        return _listed([Text(t("no_one_off", lang))])
    lines = []
    for row in changes.itertuples(index=False):
        score = a.scores.loc[row.project, row.axis]
        line = Text(f"{names[row.project]} {a.rubric.axes[row.axis].short_label(lang)} "
                    f"{fmt_score(score)} → {fmt_score(score + row.delta)}: ")
        line.append(", ".join(f"{names[p]} #{old} → #{new}" for p, old, new in row.changes),
                    style="yellow")
        lines.append(line)
    return _listed(lines)


# ---------------------------------------------------------------- history and diff


def history_view(view: History) -> RenderableType:
    """Dates down, projects across (total and rank), in blocks of projects that fit the
    width; then each project's totals as a sparkline, oldest first."""
    lang = view.lang
    first = view.analyses[0]
    dates = _Column(t("date", lang), [Text(a.as_of.isoformat()) for a in view.analyses])
    values = []
    for project in view.projects:
        cells = []
        for a in view.analyses:
            cell = f"{a.ranking.at[project, 'total']:.1f} #{a.ranking.at[project, 'rank']}"
            if view.axes:
                cell += " " + "/".join(fmt_score(s) for s in a.scores.loc[project])
            cells.append(Text(cell))
        values.append(_Column(Text(view.name(project)), cells, "right"))
    trends = _table(header=False)
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
        _Fitted(lambda width: _blocks([dates], values, width, gap=2))]
    if view.axes:
        parts.append(Text(t("axes_key", lang, key="/".join(
            axis.short_label(lang) for axis in first.rubric.axes.values()))))
    return Group(*parts, Text(""), trends, Text(""), caption)


def diff_view(view: DiffView) -> RenderableType:
    """Per project: total and rank from A to B, then each changed criterion with the facts
    it read on either side."""
    d, lang = view.diff, view.lang
    parts: list[RenderableType] = [Text(f"{view.side('a')} → {view.side('b')}", style="bold")]
    for row in d.projects.itertuples(index=False):
        head = Text(f"{row.name}", style="bold")
        if row.side == "b":
            head.append(f"  ({t('appeared', lang)})", style="green")
        elif row.side == "a":
            head.append(f"  ({t('vanished', lang)})", style="red")
        head.append(f"  {row.total_a:.1f} → {row.total_b:.1f}   "
                    f"#{row.rank_a} → #{row.rank_b}")
        parts += [Text(""), head]
        changes = d.changes[d.changes["project"] == row.project]
        if changes.empty:
            parts.append(_listed([Text(t("no_change", lang), style="dim")]))
            continue
        table = _table()
        table.add_column(t("criterion", lang), no_wrap=True)
        table.add_column(t("points", lang), justify="right", no_wrap=True)
        table.add_column(t("facts", lang))
        for c in changes.itertuples(index=False):
            points = f"{_signed(c.points_a)} → {_signed(c.points_b)}"
            lines = [Text(f"{view.outcome('a', c.criterion, c.outcome_a)} → "
                          f"{view.outcome('b', c.criterion, c.outcome_b)}", style="dim")]
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
