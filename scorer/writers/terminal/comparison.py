"""The ranked table of `scorer compare`."""

from __future__ import annotations

from rich.console import Group, RenderableType

from scorer.i18n import t
from scorer.views.comparison import Comparison
from scorer.writers.console import Text
from scorer.writers.terminal.layout import (
    RIGHT,
    Column,
    Fitted,
    fit_widths,
    rows_table,
    score_style,
    span,
)


def comparison(view: Comparison) -> RenderableType:
    """The ranked table, laid out for its width. A line per project, grade included, where
    that fits; else each grade heads its projects (a grade is a band of the total, so its
    projects are adjacent); else the axes are numbered too, with a key under the table (and
    long names wrap, if they still must)."""
    return Fitted(lambda width: _comparison(view, width))


def _comparison(view: Comparison, width: int) -> RenderableType:
    scale, lang = view.analysis.rubric.scale, view.lang
    keys = view.keys(view.PEOPLE)
    axes = list(view.analysis.rubric.axes)
    columns: dict[str, Column] = {}
    for key in keys:
        kind = view.columns[key].kind
        cells = []
        for project in view.projects:
            text = view.text(key, project)
            if kind == "axis":
                cells.append(Text(text, style=score_style(view.value(key, project),
                                                           scale.min, scale.max)))
            else:
                cells.append(Text(text, style="bold" if key in ("name", "score") else ""))
        columns[key] = Column(view.columns[key].header, cells,
                               "right" if kind in RIGHT else "left", wrap=key == "name")
    every = [columns[key] for key in keys]
    parts: list[RenderableType] = [Text(view.title), Text("")]
    key_line = None
    if span((c.width for c in every), 0) <= width:
        parts.append(rows_table(every, fit_widths(every, width, 0), range(len(view.projects)),
                                gap=0))
    else:
        shown = [columns[key] for key in keys if key != "grade"]
        if span((c.width for c in shown), 0) > width:  # the axes' labels give way to numbers
            shown = [Column(str(axes.index(key) + 1), columns[key].cells, "right")
                     if key in axes else columns[key] for key in keys if key != "grade"]
            key_line = Text(t("axes_key", lang, key=" · ".join(
                f"{i} {columns[axis].header}" for i, axis in enumerate(axes, 1))))
        widths = fit_widths(shown, width, 0)
        parts.append(rows_table(shown, widths, (), gap=0))
        grades = [columns["grade"].cells[i].plain for i in range(len(view.projects))]
        start = 0
        for end in range(1, len(grades) + 1):
            if end == len(grades) or grades[end] != grades[start]:
                if grades[start]:
                    parts.append(Text(t("grade_is", lang, grade=grades[start]), style="bold"))
                parts.append(rows_table(shown, widths, range(start, end), header=False, gap=0))
                start = end
    parts.append(Text(""))
    if key_line is not None:
        parts.append(key_line)
    parts.append(Text(view.caption, style="dim"))
    if view.footnote:
        parts.append(Text(view.footnote, style="italic"))
    return Group(*parts)


# ---------------------------------------------------------------- explain
