"""The method as declared (`scorer rubric`). Imports neither pandas nor numpy."""

from __future__ import annotations

from rich.console import Group, RenderableType

from scorer.i18n import t
from scorer.models import Rubric
from scorer.views.common import points_text
from scorer.views.rubric import profile_rows, reachable
from scorer.writers.console import Text
from scorer.writers.terminal.layout import (
    Column,
    Fitted,
    blocks,
    cells_of,
    new_table,
)


def rubric_view(rubric: Rubric, lang: str = "en") -> RenderableType:
    """Axes with their labels and criteria (each rule whole above its why), then the
    weights of each profile."""
    parts: list[RenderableType] = [Text(f"{rubric.title(lang)} ({rubric.id} v{rubric.version})",
                                        style="bold")]
    ends = reachable(rubric)
    criteria = [c for _, c in rubric.criteria()]
    ids = max(cells_of(c.id) for c in criteria)  # every axis's columns line up
    points = max(cells_of(t("points", lang)), *(cells_of(points_text(c, lang)) for c in criteria))
    for axis_id, axis in rubric.axes.items():
        low, high = ends[axis_id]
        parts += [Text(""), Text(f"{axis.label(lang)} [{axis_id}] — {t('base', lang)} "
                                 f"{axis.base:g}, {t('reaches', lang)} {low:g}–{high:g}",
                                 style="bold")]
        table = new_table()
        table.add_column(t("criterion", lang), no_wrap=True, min_width=ids)
        table.add_column(t("points", lang), justify="right", min_width=min(points, 16))
        table.add_column(Text(t("rule", lang), style="cyan") + Text("\n" + t("why", lang)))
        for c in axis.criteria:
            table.add_row(Text(c.id), Text(points_text(c, lang)),
                          Group(Text(c.expression, style="cyan"), Text(c.why)))
        parts.append(table)
    headers, rows = profile_rows(rubric, lang)
    columns = [Column(header, [Text(row[i]) for row in rows], "right" if i else "left")
               for i, header in enumerate(headers)]
    parts += [Text(""), Text(f"{t('weights', lang)} ({t('default', lang)}: "
                             f"{rubric.profile_name})", style="bold"),
              Fitted(lambda width: blocks(columns[:1], columns[1:], width))]
    return Group(*parts)
