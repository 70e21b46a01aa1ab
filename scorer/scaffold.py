"""What scorer writes for a user to start from: a new dossier (`scorer new`), every fact of
the vocabulary commented out, ready to fill in; and a new workspace (`scorer init`).

The file validates as written (every fact is optional); uncommenting a line without
filling in its placeholders fails validation, so no placeholder becomes a fact.

The file says exactly what was asked, whatever the name, ticker or rubric text holds: values
are YAML double-quoted strings with every character that is not plainly printable escaped
(`yaml_string`), and every line — comments included — is one line with no hidden character,
so no newline, U+2028 or U+0085 can start a key of its own.
"""

from __future__ import annotations

from datetime import date
from fnmatch import fnmatchcase
from importlib.resources import files
from itertools import groupby

from scorer.errors import ArgumentError
from scorer.models import SLUG, Rubric
from scorer.untrusted import printable

BUNDLED = ("rubrics/default.yaml", "rubrics/default.schema.json", "projects/*.yaml")
"""The files of a new workspace, as the package ships them in scorer/bundled/: the default
rubric, its dossier schema and the example dossiers. In the repository, scorer/bundled's
folders are links to rubrics/ and projects/, their one copy."""
STARTER_FOLDERS = ("rubrics", "projects", "exports")
"""The folders of a new workspace; exports/ is where `scorer export` writes."""


def starter_files() -> dict[str, bytes]:
    """The files of a new workspace (`BUNDLED`), by path relative to it, sorted."""
    bundled = files("scorer") / "bundled"
    found: dict[str, bytes] = {}
    for pattern in BUNDLED:
        folder, _, name = pattern.partition("/")
        for entry in sorted((bundled / folder).iterdir(), key=lambda e: e.name):
            if entry.is_file() and fnmatchcase(entry.name, name):
                found[f"{folder}/{entry.name}"] = entry.read_bytes()
    return found


def is_slug(text: str) -> bool:
    return bool(SLUG.match(text))


def label_problem(text: str, *, blank_ok: bool = False) -> str | None:
    """Why `text` cannot be a dossier's name (or, with `blank_ok`, its ticker), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: argv bytes that were not UTF-8
        return "is not valid Unicode text (bytes that are not UTF-8?); pass it as UTF-8"
    if not blank_ok and not text.strip():
        return "must not be blank"
    return None


def check_labels(name: str | None, ticker: str | None) -> None:
    """An `ArgumentError` naming `name` or `ticker` when one cannot be written (see
    `label_problem`); call it before anything is written."""
    for argument, value in (("name", name), ("ticker", ticker)):
        if value is not None and (problem := label_problem(value, blank_ok=argument == "ticker")):
            raise ArgumentError(argument, problem)


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted string that reads back exactly: `"` and `\\` escaped,
    and every hidden character (controls, line separators, bidi and other format characters,
    non-characters) as a `\\x`, `\\u` or `\\U` escape, which YAML reads as the character."""
    return '"' + printable(text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def dossier_template(rubric: Rubric, project_id: str, name: str, ticker: str | None,
                     today: date, schema_ref: str | None = None) -> str:
    """A dossier for `project_id` listing every fact of `rubric`, grouped by prefix.

    `name` is written without surrounding blanks (the dossier model strips them); an empty
    `ticker` writes none."""
    if not is_slug(project_id):
        raise ArgumentError("project_id", f"'{printable(project_id)}' is not a simple id")
    check_labels(name, ticker)
    name = name.strip()
    lines = []
    if schema_ref:
        lines.append(f"# yaml-language-server: $schema={schema_ref}")
    lines += [
        f"# Dossier for {name}, scored with the rubric '{rubric.id}' v{rubric.version}.",
        "# Every fact is optional: a fact you leave out is 'unknown' (no points, lower",
        "# coverage), never guessed. Uncomment a fact only when a source states it, name the",
        "# source and its date, then check with `scorer validate` and see `scorer compare`.",
        f"id: {project_id}",
        f"name: {yaml_string(name)}",
    ]
    if ticker:
        lines.append(f"ticker: {yaml_string(ticker)}")
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
    # Untrusted text reaches comments only (quoted values have no hidden character left):
    # escaping every line keeps each comment on its line, whatever the rubric or name says.
    return "\n".join(printable(line) for line in lines)
