"""`scorer validate`."""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import click

from scorer import dates
from scorer.cli.options import (
    OutputFormat,
    as_date,
    console,
    lang_option,
    print_problems,
    projects_option,
    rubric_hint,
    rubric_option,
)
from scorer.errors import ScorerError
from scorer.i18n import t

if TYPE_CHECKING:
    from scorer.validation import Report

@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@projects_option("Folder of dossiers checked when no PATH is given.")
@rubric_option("The rubric to check against.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              metavar="YYYY-MM-DD",
              help="Judge the freshness of facts at this date. Default: today.")
@click.option("--format", "fmt", type=OutputFormat("table", "lines", "json"), default="table",
              show_default=True,
              help="table: warnings grouped by file and kind, then counts; lines: one line "
                   "per problem, file:line:column: severity: message, for grep and editors; "
                   "json: every problem and the counts, for scripts.")
@lang_option("Language of headers, counts and warnings; errors stay in English.")
def validate(paths: tuple[Path, ...], projects_dir: Path, rubric_path: Path,
             as_of: datetime | None, fmt: str, lang: str) -> None:
    """Check the rubric and dossiers; report every problem, not only the first.

    \b
    Errors (exit status 1): anything that stops scoring: bad YAML, an
    unknown fact, a wrong type, a missing source, two dossiers with one id,
    a broken rule. Warnings (exit status 0): facts without a source, facts
    older than the rubric's freshness limit, sources without a URL, a
    dossier whose id is not its file name, and (when the whole folder is
    checked) criteria that no dossier can satisfy.

    \b
    PATHS are dossier files or folders (default: the --projects folder);
    `-` reads one dossier from standard input, named <stdin> in messages.
    Warnings are listed by file, grouped by kind, then counted; --format
    lines gives one line per problem, --format json a record for scripts:
    {"as_of", "valid", "rubric", "dossiers", "problems": [{"file", "line",
    "column", "severity", "kind", "message"}], "summary"}.

    \b
    Examples:
      scorer validate
      scorer validate projects/akash.yaml --as-of 2025-08-26
      scorer validate --format lines | grep stale
      cat draft.yaml | scorer validate -
      scorer validate --format json | jq '.summary.kinds'
    """
    from scorer.validation import Report, check

    stdin = any(str(path) == "-" for path in paths)
    if stdin and len(paths) > 1:
        raise click.UsageError("`-` reads one dossier from standard input: give no other "
                               "PATH with it")
    when = as_date(as_of) or dates.today()
    try:
        with rubric_hint(rubric_path, None if paths else projects_dir):
            report = check(rubric_path, list(paths) or [projects_dir], when,
                           stdin=_standard_input() if stdin else None,
                           rubric_wide=not paths, lang=lang)
    except ScorerError as exc:  # no workspace here: checked before anything is read
        report = Report(exc.problems, when)
    if fmt == "json":
        from scorer.writers.text import to_json

        click.echo(to_json(report.to_dict()), nl=False)
    elif fmt == "lines":
        print_problems(report.ordered())
    elif report.errors:
        raise ScorerError(report.ordered())
    else:
        _table(report, lang)
    if report.errors:
        click.get_current_context().exit(1)


def _standard_input() -> BinaryIO:
    """Standard input as bytes, checked later as a file is (UTF-8, size);
    a closed one reads as empty."""
    stream = getattr(sys.stdin, "buffer", None)
    return stream if stream is not None else io.BytesIO()


def _table(report: Report, lang: str) -> None:
    """Warnings on standard error, by file and kind, each file under a
    header that counts them; on standard output what is valid, then the
    counts by kind."""
    from scorer.writers.console import Text

    err = console(err=True)
    for index, (file, found) in enumerate(report.grouped()):
        kinds = t("validate.list", lang).join(
            t("validate.kind_count", lang, label=t(f"kind.{kind}", lang), count=count)
            for kind, count in report.kinds(found).items())
        if index:
            err.print()
        err.print(Text(t("validate.file", lang, file=file or "", warnings=_warnings(
            len(found), lang), kinds=kinds), style="bold"), soft_wrap=True)
        print_problems(found, err=True)
    rubric, dossiers = report.rubric, report.dossiers
    assert rubric is not None  # a report without errors has its rubric
    out = console()
    out.print(Text(t("validate.rubric", lang, file=rubric.file, id=rubric.id,
                     version=rubric.version, axes=len(rubric.axes),
                     criteria=len(rubric.criteria()))), soft_wrap=True)
    ids = ", ".join(d.id for d in dossiers)
    valid = (t("validate.one_dossier", lang, ids=ids) if len(dossiers) == 1
             else t("validate.dossiers", lang, count=len(dossiers), ids=ids))
    if report.warnings:
        valid += " — " + _warnings(len(report.warnings), lang)
    out.print(Text(valid), soft_wrap=True)
    if report.warnings:
        out.print(_counts(report, lang))


def _warnings(count: int, lang: str) -> str:
    return (t("validate.one_warning", lang) if count == 1
            else t("validate.warnings", lang, count=count))


def _counts(report: Report, lang: str) -> Any:
    """A table of the warnings by kind: how many, in how many files."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
    table.add_column(t("validate.kind", lang))
    table.add_column(t("validate.count", lang), justify="right")
    table.add_column(t("validate.files", lang), justify="right")
    files = report.kind_files()
    for kind, count in report.kinds().items():
        table.add_row(t(f"kind.{kind}", lang), f"{count:,}", f"{files[kind]:,}")
    return table
