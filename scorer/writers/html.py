"""HTML for notebooks (`_repr_html_`): the views as small tables, styled like the workbook.

Plain HTML with inline styles and every text escaped: Jupyter needs nothing else, and a
dossier's text can never become markup.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from scorer.i18n import t
from scorer.untrusted import printable
from scorer.writers.palette import HEADER_FILL, OVERRIDE_COLOUR, scale_colour

if TYPE_CHECKING:
    from scorer.views.comparison import Comparison
    from scorer.views.explanation import Explanation
    from scorer.views.sensitivity import Sensitivity

_TABLE = 'style="border-collapse:collapse;font-size:90%"'
_CELL = "padding:2px 8px;border-bottom:1px solid #ddd"


def escape(text: str) -> str:
    """Text as HTML shows it: markup characters as entities, hidden characters escaped."""
    return html.escape(printable(text, newlines=True))


def _th(text: str) -> str:
    return f'<th style="{_CELL};background:#{HEADER_FILL}">{escape(text)}</th>'


def _td(text: str, style: str = "", title: str | None = None) -> str:
    hint = f' title="{escape(title)}"' if title else ""
    return f'<td style="{_CELL};{style}"{hint}>{escape(text)}</td>'


def comparison_html(view: Comparison) -> str:
    """The ranked table: scores coloured red → green over the scale, overrides in bold
    italic red with the analyst's reason as the cell's tooltip."""
    scale = view.analysis.rubric.scale
    overrides = view.analysis.overrides.set_index(["project", "axis"])
    keys = view.keys(view.PEOPLE)
    head = "".join(_th(view.columns[k].header) for k in keys)
    rows = []
    for project in view.projects:
        cells = []
        for key in keys:
            kind, text = view.columns[key].kind, view.text(key, project)
            style, title = ("text-align:right" if kind != "text" else ""), None
            if kind == "axis":
                colour = scale_colour(view.value(key, project), scale.min, scale.max)
                style += f";background:#{colour}"
                if (project, key) in view.overridden:
                    style += f";font-weight:bold;font-style:italic;color:#{OVERRIDE_COLOUR}"
                    title = t("override.comment", view.lang,
                              reason=overrides.at[(project, key), "reason"],
                              computed=f"{overrides.at[(project, key), 'computed']:g}")
            cells.append(_td(text, style, title))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    foot = f"<p><i>{escape(view.footnote)}</i></p>" if view.footnote else ""
    return (f"<p><b>{escape(view.title)}</b></p><table {_TABLE}><thead><tr>{head}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>{foot}"
            f'<p style="color:#595959;font-size:85%">{escape(view.caption)}</p>')


def explanation_html(view: Explanation) -> str:
    """One row per criterion; outcome and points, the facts read."""
    table = view.table()
    head = "".join(_th(str(c)) for c in table.columns)
    rows = ["<tr>" + "".join(_td(str(v)) for v in row) + "</tr>"
            for row in table.itertuples(index=False)]
    return (f"<p><b>{escape(view.headline())}</b></p><table {_TABLE}><thead><tr>{head}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def sensitivity_html(view: Sensitivity) -> str:
    """The verdict, then rank acceptability: one row per project."""
    lang = view.analysis.lang
    mc = view.report.monte_carlo
    names = view.analysis.projects["name"]
    ranks = list(mc.rank_acceptability.columns)[:10]
    head = _th(t("project", lang)) + "".join(_th(f"#{r}") for r in ranks) + _th(
        t("expected_rank", lang))
    rows = []
    for project in view.analysis.ranking.index:
        shares = mc.rank_acceptability.loc[project]
        cells = [_td(str(names[project]))]
        cells += [_td(f"{shares[r]:.0%}", "text-align:right") for r in ranks]
        cells.append(_td(f"{mc.expected_rank[project]:.2f}", "text-align:right"))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<p><b>{escape(view.verdict(lang))}</b></p>"
            f"<p>{escape(view.title('acceptability', lang))}</p><table {_TABLE}><thead><tr>"
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
