"""The text of a new dossier: every fact of the vocabulary, commented out, ready to fill in.

The file validates as written (every fact is optional); uncommenting a line without
filling in its placeholders fails validation, so no placeholder becomes a fact.
"""

from __future__ import annotations

import json
from datetime import date
from itertools import groupby

from scorer.models import SLUG, Rubric


def is_slug(text: str) -> bool:
    return bool(SLUG.match(text))


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML string


def dossier_template(rubric: Rubric, project_id: str, name: str, ticker: str | None,
                     today: date, schema_ref: str | None = None) -> str:
    """A dossier for `project_id` listing every fact of `rubric`, grouped by prefix."""
    lines = []
    if schema_ref:
        lines.append(f"# yaml-language-server: $schema={schema_ref}")
    lines += [
        f"# Dossier for {name}, scored with the rubric '{rubric.id}' v{rubric.version}.",
        "# Every fact is optional: a fact you leave out is 'unknown' (no points, lower",
        "# coverage), never guessed. Uncomment a fact only when a source states it, name the",
        "# source and its date, then check with `scorer validate` and see `scorer compare`.",
        f"id: {project_id}",
        f"name: {_quote(name)}",
    ]
    if ticker:
        lines.append(f"ticker: {_quote(ticker)}")
    lines += [
        f"as_of: {today.isoformat()}  # the day you last reviewed this dossier",
        "",
        "sources: {}",
        "#  report-2025:  # an id of your choice, used as `source:` by facts",
        "#    title: Title of the document",
        "#    url: https://example.org/report",
        f"#    date: {today.isoformat()}",
        "#    reliability: primary  # primary | secondary | low",
        "",
        "# A fact is {value, source}; a number no source pins down may be a range instead:",
        "#   {value: {low: 3, high: 4}}, {value: {at_least: 1000}} or {value: {at_most: 5}};",
        "# values other sources give for the same period go under `alternatives`:",
        "#   {value: 372000000, source: a, alternatives: [{value: 391000000, source: b}]}",
        "# A fact that changed is a list of dated observations (each with its own as_of).",
        "facts:",
    ]
    width = max(len(path) for path in rubric.facts) + 2
    by_group = groupby(rubric.facts.items(), key=lambda item: item[0].partition(".")[0])
    for group, items in by_group:
        lines.append(f"  # --- {group}")
        for path, spec in items:
            kind = spec.type + (f", {spec.unit}" if spec.unit else "")
            about = f"{kind}: {spec.description}" if spec.description else kind
            lines.append(f"  # {path + ':':<{width}} {{value: {spec.kind.placeholder(spec)}, "
                         f"source: <source id>}}  # {about}")
    lines += [
        "",
        "overrides: {}",
        "#  risk: {score: 2, reason: Why the computed score is wrong for this project}",
        "",
    ]
    return "\n".join(lines)
