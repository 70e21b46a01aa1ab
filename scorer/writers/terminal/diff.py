"""What changed between two analyses (`scorer diff`)."""

from __future__ import annotations

from rich.console import Group, RenderableType

from scorer.i18n import t
from scorer.views.diff import DiffView
from scorer.writers.console import Text
from scorer.writers.terminal.layout import (
    listed,
    new_table,
)


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
        changes = view.changes_of.get(row.project, [])
        if not changes:
            parts.append(listed([Text(t("no_change", lang), style="dim")]))
            continue
        table = new_table()
        table.add_column(t("criterion", lang), no_wrap=True)
        table.add_column(t("points", lang), justify="right", no_wrap=True)
        table.add_column(t("facts", lang))
        for c in changes:
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
