"""Every point of one project (`scorer explain`)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding

from scorer.facttypes import display_value
from scorer.i18n import t
from scorer.views.common import fmt_score, outcome_text
from scorer.views.explanation import Explanation, axis_sum
from scorer.writers.console import Text
from scorer.writers.terminal.layout import (
    OUTCOME_STYLES,
    Fitted,
    cells_of,
    new_table,
    span,
)

FACTS_WIDTH = 50
"""Below this many cells for the facts they read, explain's outcomes wrap ("does not /
apply") to leave the facts more room."""


def explanation(view: Explanation) -> RenderableType:
    """Every axis of one project: its criteria, outcomes, points and the facts they read,
    each fact with its note (the analyst's caveat: a floor, derived, a judgement)."""
    return Fitted(lambda width: _explanation(view, width))


def _explanation(view: Explanation, width: int) -> RenderableType:
    record, lang = view.record, view.lang
    head = Text()
    head.append(f"{record['name']} ({record['id']})", style="bold")
    head.append(view.headline().removeprefix(f"{record['name']} ({record['id']})") + "\n")
    head.append(f"{t('rubric', lang)} {record['rubric']['id']} v{record['rubric']['version']} · "
                f"{t('as_of', lang)} {record['as_of']}", style="dim")
    parts: list[RenderableType] = [head]
    criteria = [crit for axis in record["axes"].values() for crit in axis["criteria"]]
    ids = max(cells_of(crit["id"]) for crit in criteria)  # every axis's columns line up
    said = [t("outcome", lang), *(outcome_text(c["kind"], c["outcome"], lang) for c in criteria)]
    outcomes = max(cells_of(text) for text in said)
    points = max(cells_of(t("points", lang)), *(cells_of(f"{c['points']:+g}") for c in criteria))
    if width - span((ids, outcomes, points), 1) - 2 < FACTS_WIDTH:
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
        table = new_table()
        table.add_column(t("criterion", lang), no_wrap=True, min_width=ids)
        table.add_column(t("outcome", lang), min_width=outcomes, max_width=outcomes)
        table.add_column(t("points", lang), justify="right", no_wrap=True)
        table.add_column(t("facts", lang))
        for crit in axis["criteria"]:
            points = crit["points"]
            table.add_row(
                Text(crit["id"]),
                Text(outcome_text(crit["kind"], crit["outcome"], lang),
                     style=OUTCOME_STYLES[crit["outcome"]]),
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
