"""The About sheet: what made the workbook (rubric, profile and weights, grades, the method,
scorer's version, generation time, Monte Carlo settings) and which sheets it holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import scorer
from scorer.analysis import Analysis
from scorer.i18n import t
from scorer.views.common import made_with, made_with_line
from scorer.views.sensitivity import Sensitivity, weighting
from scorer.writers.excel import style
from scorer.writers.excel.cells import HEADER_ROW, Column, Columns, Sheet

WIDTHS = {"item": 34, "value": 90}
"""Characters; the values wrap."""


def columns(lang: str) -> Columns:
    return Columns([("item", t("about.item", lang)),
                    Column("value", t("about.value", lang), wrap=True)])


def rows(a: Analysis, s: Sensitivity | None, lang: str, generated_at: datetime,
         sheets: list[str]) -> list[tuple[str, Any, str | None]]:
    """(item, value, number format) in the order shown."""
    rubric = a.rubric
    info = made_with(a)
    n = len(rubric.axes)
    items: list[tuple[str, Any, str | None]] = [
        (t("about.rubric", lang), rubric.id, None),
        (t("about.version", lang), rubric.version, None),
        (t("about.title_row", lang), rubric.title(lang), None),
        (t("about.as_of", lang), a.as_of, None),
        (t("about.profile", lang), a.profile, None),
        (t("about.min_reliability", lang), t(f"reliability.{a.min_reliability}", lang), None),
        *((t("about.weight_of", lang, axis=rubric.axes[x].label(lang)), info["weights"][x],
           "0.000") for x in rubric.axis_ids),
        *((t("about.grade", lang, at=g.at_least), g.label(lang), None)
          for g in sorted(rubric.grades, key=lambda g: -g.at_least)),
        *((t("about.method", lang) if i == 1 else "", t(f"method.{i}", lang,
           min=rubric.scale.min, max=rubric.scale.max, n=n, total=rubric.total_max,
           as_of=a.as_of.isoformat(), coverage=rubric.min_coverage or 0), None)
          for i in range(1, 8)),
        (t("about.scorer", lang), scorer.__version__, None),
        (t("about.generated", lang), generated_at.strftime("%Y-%m-%d %H:%M:%S"), None),
    ]  # fmt: skip
    if s is None:
        items.append((t("about.mc_samples", lang), t("about.none", lang), None))
    else:
        mc = s.monte_carlo
        items += [
            (t("about.mc_samples", lang), int(mc.samples), "#,##0"),
            (t("about.mc_seed", lang), mc.seed, None),
            (t("about.mc_concentration", lang), weighting(mc, lang)
             if mc.concentration is None else float(mc.concentration), None),
        ]
    items.append((t("about.sheets", lang), ", ".join(sheets), None))
    return items


def write(sheet: Sheet, a: Analysis, s: Sensitivity | None, lang: str, generated_at: datetime,
          sheets: list[str]) -> None:
    """`sheets`: the workbook's sheet names, this one included."""
    column = columns(lang)
    items = rows(a, s, lang, generated_at, sheets)
    sheet.titles(t("about.title", lang), made_with_line(a, lang, weights=False))
    sheet.header(HEADER_ROW, column)
    for row, (item, value, number_format) in enumerate(items, start=HEADER_ROW + 1):
        sheet.put(row, column("item"), item, font=style.BOLD)
        sheet.put(row, column("value"), value, number_format, alignment=style.LEFT)
    sheet.set_widths({column(key): width for key, width in WIDTHS.items()})
    sheet.grow_rows()
    sheet.repeat_rows(HEADER_ROW)
