"""The `scorer` command line: parse options, call the library, render. Nothing else.

Heavy modules (pandas, pydantic, rich) are imported inside the commands that use them, so
`scorer --help` starts instantly and `scorer compare` never loads openpyxl.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from scorer import dates, sampling, streams
from scorer.errors import ArgumentError, Problem, ScorerError
from scorer.i18n import LANGS, t

if TYPE_CHECKING:  # annotations only: `scorer --help` must not import pandas
    from scorer.analysis import Analysis

F = Callable[..., Any]
DEFAULT_RUBRIC = Path("rubrics/default.yaml")
DEFAULT_PROJECTS = Path("projects")
RELIABILITIES = ("primary", "secondary", "low")
OPTION_OF = {"weights": "--weights", "profile": "--profile", "project": "PROJECT",
             "as_of": "--as-of", "lang": "--lang",
             "min_reliability": "--min-reliability", "start": "--from", "end": "--to",
             "every": "--every"}
"""The option that carries each library argument, to name it in error messages."""


class _Group(click.Group):
    """Turns a user error into one message on stderr and exit status 1, never a traceback.

    Lists commands in the order a user needs them, not alphabetically.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArgumentError as exc:
            option = OPTION_OF.get(exc.argument, exc.argument)
            _print_problems([Problem(f"{option}: {exc.detail}")], err=True)
            ctx.exit(1)
        except ScorerError as exc:
            _print_problems(exc.problems, err=True)
            ctx.exit(1)


def _print_problems(problems: Any, err: bool = False) -> None:
    from scorer.writers.terminal import problems as view

    _console(err=err).print(view(problems), end="", soft_wrap=True)  # one line each: grep-able


def _console(err: bool = False) -> Any:
    from scorer.writers.console import console

    return console(sys.stderr if err else sys.stdout)


class OutputFormat(click.ParamType):
    """`table`, `json`, `csv`, `markdown`, or (where `tabulate` is set) any tabulate format."""

    name = "format"

    def __init__(self, *fixed: str, tabulate: bool = False) -> None:
        self.fixed = fixed
        self.tabulate = tabulate

    def choices(self) -> list[str]:
        if not self.tabulate:
            return list(self.fixed)
        from scorer.writers.text import tabulate_formats

        return [*self.fixed, *(f for f in tabulate_formats() if f not in self.fixed)]

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "|".join(self.fixed) + ("|<tabulate format>" if self.tabulate else "")

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        value = str(value).lower()
        choices = self.choices()
        if value in ("xlsx", "excel"):
            self.fail("for an Excel workbook, use `scorer export` (see scorer export --help)",
                      param, ctx)
        if value not in choices:
            from scorer.errors import did_you_mean

            self.fail(f"'{value}' is not a format{did_you_mean(value, choices)}; "
                      f"formats: {', '.join(choices)}", param, ctx)
        return value

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in self.choices() if c.startswith(incomplete)]


_raw_option = click.option(
    "--raw", is_flag=True,
    help="With --format csv: cells exactly as the files say. By default a text cell that a "
         "spreadsheet would run as a formula (starting with = + - @) gets a leading ' and "
         "control characters are shown escaped; --raw is for pipelines that never open the "
         "file in a spreadsheet or print it to a terminal (lines end in CRLF, as RFC 4180 "
         "says, so that a carriage return in a cell is quoted).")


def _echo_csv(headers: Any, rows: Any, raw: bool) -> None:
    """Print CSV (see --raw); raw cells pass click's ANSI stripping too (`color=True`)."""
    from scorer.writers.text import to_csv

    click.echo(to_csv(headers, rows, raw=raw), nl=False, color=raw or None)


class Weights(click.ParamType):
    """`--weights technology=2,risk=1.5` → {'technology': 2.0, 'risk': 1.5}.

    What the text alone shows wrong (its form, a weight that is not a finite non-negative
    number) is a usage error (exit 2); an axis the rubric lacks, or weights that leave
    every axis at zero, are the library's errors (exit 1), found against the rubric."""

    name = "weights"

    def convert(self, value: Any, param: Any, ctx: Any) -> dict[str, float]:
        from scorer.weights import weight_problem

        if isinstance(value, dict):
            return value
        weights: dict[str, float] = {}
        for item in (part.strip() for part in str(value).split(",")):
            if not item:
                continue
            axis, sep, number = (text.strip() for text in item.partition("="))
            if not sep or not axis:
                self.fail(f"'{item}' is not of the form axis=weight", param, ctx)
            if axis in weights:
                self.fail(f"axis '{axis}' is given twice", param, ctx)
            try:
                weights[axis] = float(number)
            except ValueError:
                self.fail(f"'{number}' (for {axis}) is not a number", param, ctx)
            problem = weight_problem(weights[axis])
            if problem:
                self.fail(f"the weight of {axis} {problem}", param, ctx)
        if not weights:
            self.fail("no weights given (expected axis=weight,...)", param, ctx)
        return weights


@dataclasses.dataclass(frozen=True)
class Scoring:
    """What to score and how, as the options say: the loaded workspace, the weights, the
    language and what evidence counts. `analyse` makes the analysis of one date."""

    workspace: Any
    profile: str | None
    weights: dict[str, float] | None
    lang: str
    min_reliability: str
    include_forecasts: bool

    def analyse(self, as_of: date | None = None, **changes: Any) -> Any:
        options = {"profile": self.profile, "weights": self.weights, "lang": self.lang,
                   "min_reliability": self.min_reliability,
                   "include_forecasts": self.include_forecasts, **changes}
        return self.workspace.analyse(as_of=as_of, **options)

    def history(self, start: date | None, end: date | None, every: str,
                axes: bool = False) -> Any:
        return self.workspace.history(start, end, every, axes, profile=self.profile,
                                      weights=self.weights, lang=self.lang,
                                      min_reliability=self.min_reliability,
                                      include_forecasts=self.include_forecasts)


def _scoring_options(function: F) -> F:
    """The options that say what to score and how; the command receives them as `scoring`:
    --projects, --rubric, --include-forecasts, --min-reliability, --profile, --weights and
    --lang (the workspace is loaded here, so every problem of every file is reported)."""

    @functools.wraps(function)
    def command(*args: Any, projects_dir: Path, rubric_path: Path, min_reliability: str,
                include_forecasts: bool, profile: str | None,
                weights: dict[str, float] | None, lang: str, **kwargs: Any) -> Any:
        from scorer.workspace import load

        with _rubric_hint(rubric_path):
            workspace = load(projects_dir, rubric_path)
        scoring = Scoring(workspace, profile, weights, lang, min_reliability, include_forecasts)
        return function(*args, scoring=scoring, **kwargs)

    options = [
        click.option("--projects", "projects_dir", type=click.Path(path_type=Path),
                     default=DEFAULT_PROJECTS, show_default=True,
                     help="Folder of dossiers, one YAML file per project."),
        click.option("--rubric", "rubric_path", type=click.Path(path_type=Path),
                     default=DEFAULT_RUBRIC, show_default=True,
                     help="The rubric: fact vocabulary, axes, rules and weight profiles."),
        click.option("--include-forecasts", is_flag=True,
                     help="Let observations marked `forecast: true` count as evidence."),
        click.option("--min-reliability", type=click.Choice(RELIABILITIES), default="low",
                     show_default=True,
                     help="Ignore what sources rated below this say: primary (the project's "
                          "own code, docs, governance), secondary (press, research), low "
                          "(everything, unrated sources included)."),
        click.option("--profile", metavar="NAME",
                     help="Named weight profile of the rubric (see `scorer rubric`). "
                          "Default: the rubric's default profile."),
        click.option("--weights", metavar="AXIS=W,...", type=Weights(),
                     help="Weights of some axes, e.g. 'token_economy=2,risk=2' or 'Tech=2' "
                          "(an axis by its id or by the label the tables show, in any case); "
                          "the other axes keep the profile's weights. Weights are normalised "
                          "to sum to 1."),
        click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
                     help="Language of labels, headers and sentences."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


_as_of_option = click.option(
    "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
    help="Score the world as it stood that day: each fact takes its latest observation "
         "dated on or before it. Default: today (printed with every result; "
         "SCORER_TODAY pins it).")


def _analysis_options(function: F) -> F:
    """The scoring options and --as-of; the command receives the `Analysis` as `a`."""

    @functools.wraps(function)
    def command(*args: Any, scoring: Scoring, as_of: datetime | None, **kwargs: Any) -> Any:
        return function(*args, a=scoring.analyse(_as_date(as_of)), **kwargs)

    return _scoring_options(_as_of_option(command))


class _Progress:
    """A rich progress bar on stderr, shown only on a terminal and after about a second."""

    def __init__(self, lang: str = "en") -> None:
        import time

        self.lang = lang
        self.clock = time.monotonic
        self.start = self.clock()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and done < total and sys.stderr.isatty() and (
                self.clock() - self.start > 1.0):
            from rich.progress import Progress

            self.bar = Progress(console=_console(err=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(t("progress", self.lang), total=total)
        if self.bar is not None:
            self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


class _FiniteRange(click.FloatRange):
    """A `click.FloatRange` that refuses nan too (nan compares false with both bounds)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{number} is not in the range {self.min}<=x<={self.max}.", param, ctx)
        return number


def _sampling_options(function: F) -> F:
    """--samples, --seed, --concentration and --evidence/--no-evidence, within the bounds
    of `scorer.sampling` (outside them, a usage error)."""
    options = [
        click.option("--samples", type=click.IntRange(1, sampling.MAX_SAMPLES), default=10_000,
                     show_default=True,
                     help=f"Monte Carlo samples, at most {sampling.MAX_SAMPLES:,} (about 11 s "
                          "for 5 projects on 2 cores; time grows with samples × projects)."),
        click.option("--seed", type=click.IntRange(0, sampling.MAX_SEED), default=0,
                     show_default=True,
                     help="Seed of the sampler: the same seed gives the same numbers."),
        click.option("--concentration", metavar="K",
                     type=_FiniteRange(sampling.MIN_CONCENTRATION, sampling.MAX_CONCENTRATION),
                     help="Sample weights around the chosen ones, Dirichlet(K·w): the larger "
                          "K, the closer. Default: uniform over all weightings."),
        click.option("--evidence/--no-evidence", default=True, show_default=True,
                     help="Draw every unknown or uncertain criterion too, each sample (an "
                          "unknown fact passes with the rubric's unknown_pass chance, a range "
                          "is drawn uniformly); --no-evidence draws the weights only."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _sensitivity(a: Any, samples: int, seed: int, concentration: float | None,
                 evidence: bool) -> Any:
    """The sensitivity analysis, with a progress bar on a slow terminal."""
    progress = _Progress(a.lang)
    try:
        return a.sensitivity(samples=samples, seed=seed, concentration=concentration,
                             evidence=evidence, progress=progress)
    finally:
        progress.close()


def _as_date(value: datetime | None) -> date | None:
    return value.date() if value else None


@contextlib.contextmanager
def _rubric_hint(path: Path) -> Iterator[None]:
    """A missing default rubric most likely means scorer runs from the wrong folder: say so."""
    try:
        yield
    except ScorerError as exc:
        if path == DEFAULT_RUBRIC and exc.first.message == "no such file" and (
                exc.first.file == str(path)):
            raise ScorerError("no such file; run scorer from the folder that holds rubrics/ "
                              "and projects/, or pass --rubric", str(path)) from None
        raise


def _load_rubric(path: Path) -> Any:
    from scorer.loading import load_rubric

    with _rubric_hint(path):
        return load_rubric(path)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.version_option(package_name="scorer")
def cli() -> None:
    """Score and rank projects from sourced YAML dossiers, with every point explained.

    \b
    A rubric (rubrics/default.yaml) declares the facts a dossier may state, six weighted
    axes, and the rules that turn facts into 1–5 axis scores. Each dossier (projects/*.yaml)
    states facts with their source and date. scorer evaluates the rules, ranks the
    projects and shows where every point comes from.

    \b
    Start with:
      scorer compare                      ranked table of the bundled projects
      scorer compare --as-of 2025-08-26   the same, as the world stood on that day
      scorer explain flux                 every criterion, point and fact behind a score
      scorer diff 2025-08-26 today        what changed since that day, and why
      scorer history                      totals and ranks over time
      scorer sensitivity                  does the ranking survive other weights?
      scorer export                       Excel workbook, with live what-if weights
      scorer rubric                       the axes, rules and weight profiles
      scorer validate                     check every dossier and the rubric
      scorer new ID                       start a dossier for one more project
    """


@cli.command()
@_analysis_options
@click.option("--format", "fmt", type=OutputFormat("table", "json", "csv", "markdown",
                                                   tabulate=True),
              default="table", show_default=True,
              help="table (terminal), json, csv, markdown, or any tabulate format "
                   "(grid, rst, html, latex, …).")
@_raw_option
def compare(a: Analysis, fmt: str, raw: bool) -> None:
    """Rank the projects: axis scores, weighted score, total, grade and coverage.

    \b
    The weighted score is Σ weight × axis score on the 1–5 scale; the total is the
    weighted score × the number of axes (the "/30" of the source analysis). Ties share
    the better rank. Coverage is the share of criteria whose facts the dossier states;
    a starred score is an analyst's override.

    \b
    Examples:
      scorer compare --as-of 2025-08-26
      scorer compare --profile token_holder --format markdown
      scorer compare --weights risk=3 --format json | jq '.projects[0].id'
    """
    from scorer.writers import text

    view = a.comparison()
    if fmt == "json":
        click.echo(text.to_json(view.to_dict()), nl=False)
    elif fmt == "csv":
        _echo_csv(view.headers(view.MACHINES, machine=True),
                  view.rows(view.MACHINES, machine=True), raw)
    elif fmt == "table":
        from scorer.writers.terminal import comparison

        _console().print(comparison(view))
    else:
        click.echo(text.to_tabulate(view.headers(view.PEOPLE), view.rows(view.PEOPLE), fmt),
                   nl=False)


@cli.command()
@click.argument("project")
@_analysis_options
@click.option("--format", "fmt", type=OutputFormat("table", "json"), default="table",
              show_default=True, help="table (terminal) or json.")
def explain(project: str, a: Analysis, fmt: str) -> None:
    """Show every criterion behind PROJECT's scores, with the facts it read.

    \b
    Per axis: base score, each criterion's outcome (pass, fail, or unknown when a fact it
    reads is not stated), its points, the rule, and the facts with their values, sources
    and dates; any override with its reason and the computed score beside it.

    \b
    Examples:
      scorer explain flux
      scorer explain flux --as-of 2025-08-26     what the source analysis saw
      scorer explain akash --format json
    """
    from scorer.writers import text

    view = a.explain(project)
    if fmt == "json":
        click.echo(text.to_json(view.to_dict()), nl=False)
    else:
        from scorer.writers.terminal import explanation

        _console().print(explanation(view))


class Day(click.ParamType):
    """A date argument: YYYY-MM-DD, or `today`."""

    name = "date"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        if str(value).lower() == "today":
            return dates.today()
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"'{value}' is not a date: YYYY-MM-DD or today", param, ctx)
        problem = dates.out_of_range(day)
        if problem:
            self.fail(problem, param, ctx)
        return day


@cli.command()
@_scoring_options
@click.option("--from", "start", type=Day(), metavar="YYYY-MM-DD",
              help="First date. Default: the first day an observation takes effect.")
@click.option("--to", "end", type=Day(), metavar="YYYY-MM-DD", help="Last date. Default: today.")
@click.option("--every", type=click.Choice(dates.EVERY),
              default="quarter", show_default=True,
              help="Sample at the end of every month, quarter or year (and --to), or on "
                   "exactly the days on which some score can change.")
@click.option("--axes", is_flag=True, help="Show the axis scores too, not only totals and ranks.")
@click.option("--format", "fmt", type=OutputFormat("table", "json", "csv", "markdown",
                                                   tabulate=True),
              default="table", show_default=True,
              help="table (terminal), json, csv, markdown, or any tabulate format.")
@_raw_option
def history(scoring: Scoring, start: date | None, end: date | None, every: str, axes: bool,
            fmt: str, raw: bool) -> None:
    """Scores over time: each project's total and rank at each date of a span.

    \b
    Every observation is dated, so a history is the same analysis run at several dates.
    With --every change, the dates are exactly those on which some score can change: an
    observation takes effect, a trend rule's look-back reaches one, or a rule on a
    duration (years_since) crosses its threshold; nothing happens in between.

    \b
    Examples:
      scorer history
      scorer history --from 2025-01-01 --every change
      scorer history --every year --axes --format csv
    """
    from scorer.writers import text

    view = scoring.history(start, end, every, axes)
    if fmt == "json":
        click.echo(text.to_json(view.to_dict()), nl=False)
    elif fmt == "csv":
        _echo_csv(view.headers(machine=True), view.rows(machine=True), raw)
    elif fmt == "table":
        from scorer.writers.terminal import history_view

        _console().print(history_view(view))
    else:
        click.echo(text.to_tabulate(view.headers(), view.rows(), fmt), nl=False)


@cli.command()
@click.argument("date_a", metavar="A", type=Day(), required=False)
@click.argument("date_b", metavar="B", type=Day(), required=False)
@_scoring_options
@click.option("--rubric-b", "rubric_b", type=click.Path(path_type=Path),
              help="Score side B with this rubric (a new version against the old).")
@click.option("--min-reliability-b", "min_reliability_b", type=click.Choice(RELIABILITIES),
              help="Score side B with this trust floor (against --min-reliability).")
@click.option("--project", "only", multiple=True, metavar="ID",
              help="Show only this project (repeat for several).")
@click.option("--format", "fmt", type=OutputFormat("table", "json"), default="table",
              show_default=True, help="table (terminal) or json.")
def diff(date_a: date | None, date_b: date | None, scoring: Scoring, rubric_b: Path | None,
         min_reliability_b: str | None, only: tuple[str, ...], fmt: str) -> None:
    """What changed between two dates A and B, two rubrics or two trust floors, and why.

    \b
    Per project: total and rank on each side, then every criterion whose outcome or points
    changed, with the facts it read on each side (value, source, date). A and B are dates
    (YYYY-MM-DD or today; B defaults to today); with --rubric-b or --min-reliability-b and
    one date, both sides are scored on that date.

    \b
    Examples:
      scorer diff 2025-08-26 today
      scorer diff 2025-08-26 today --project flux
      scorer diff today --rubric-b rubrics/next.yaml --format json
      scorer diff 2025-08-26 --min-reliability-b primary
    """
    from scorer.diff import diff as compare_sides
    from scorer.views.diff import DiffView
    from scorer.writers import text

    if date_a is None and rubric_b is None and min_reliability_b is None:
        raise click.UsageError("give a date A (and B), or --rubric-b, or --min-reliability-b")
    same_day = rubric_b is not None or min_reliability_b is not None
    day_a = date_a or dates.today()
    day_b = date_b or (day_a if same_day else dates.today())
    a = scoring.analyse(day_a)
    b_scoring = scoring
    if rubric_b is not None:
        from scorer.workspace import load

        b_scoring = dataclasses.replace(scoring, workspace=load(
            [d.file for d in scoring.workspace.dossiers], rubric_b))
    b = b_scoring.analyse(day_b, min_reliability=min_reliability_b or scoring.min_reliability)
    view = DiffView(compare_sides(a, b, only), scoring.lang)
    if fmt == "json":
        click.echo(text.to_json(view.to_dict()), nl=False)
    else:
        from scorer.writers.terminal import diff_view

        _console().print(diff_view(view))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--projects", "projects_dir", type=click.Path(path_type=Path),
              default=DEFAULT_PROJECTS, show_default=True,
              help="Folder of dossiers checked when no PATH is given.")
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path),
              default=DEFAULT_RUBRIC, show_default=True, help="The rubric to check against.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              metavar="YYYY-MM-DD",
              help="Judge the freshness of facts at this date. Default: today.")
def validate(paths: tuple[Path, ...], projects_dir: Path, rubric_path: Path,
             as_of: datetime | None) -> None:
    """Check the rubric and dossiers; report every problem, not only the first.

    \b
    Errors (exit status 1): anything that stops scoring — bad YAML, an unknown fact, a
    wrong type, a missing source, two dossiers with one id, a broken rule.
    Warnings (exit status 0): facts without a source, facts older than the rubric's
    freshness limit, sources without a URL, and — when the whole folder is checked —
    criteria that no dossier can satisfy. PATHS are dossier files or folders (default:
    the --projects folder).

    \b
    Examples:
      scorer validate
      scorer validate projects/akash.yaml
      scorer validate --as-of 2025-08-26
    """
    from scorer.untrusted import printable
    from scorer.validation import dossier_warnings
    from scorer.workspace import load

    with _rubric_hint(rubric_path):
        workspace = load(list(paths) or [projects_dir], rubric_path)
    rubric, dossiers = workspace.rubric, workspace.dossiers
    when = _as_date(as_of) or dates.today()
    if paths:  # single files: only their own warnings, not the rubric's over every dossier
        found = [w for d in dossiers for w in dossier_warnings(rubric, d, when)]
    else:
        found = workspace.warnings(when)
    if found:
        _print_problems(found, err=True)
    noun = "dossier" if len(dossiers) == 1 else "dossiers"
    click.echo(printable(f"{rubric_path}: valid rubric '{rubric.id}' v{rubric.version} "
                         f"({len(rubric.axes)} axes, {len(rubric.criteria())} criteria)"))
    click.echo(f"{len(dossiers)} {noun} valid: {', '.join(d.id for d in dossiers)}"
               + (f" — {len(found)} warning{'s' if len(found) != 1 else ''}" if found else ""))


@cli.command()
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path),
              default=DEFAULT_RUBRIC, show_default=True, help="The rubric to show.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
              help="Language of labels.")
@click.option("--format", "fmt", type=OutputFormat("table", "json", "csv", "markdown",
                                                   tabulate=True),
              default="table", show_default=True,
              help="table (terminal), json, csv, markdown, or any tabulate format.")
@_raw_option
def rubric(rubric_path: Path, lang: str, fmt: str, raw: bool) -> None:
    """Show the method: axes, criteria with their rules and `why`, weight profiles.

    \b
    Examples:
      scorer rubric
      scorer rubric --format markdown > METHOD.md
      scorer rubric --format json | jq '.profiles'
    """
    from scorer.views import rubric as views
    from scorer.writers import text

    loaded = _load_rubric(rubric_path)
    if fmt == "json":
        click.echo(text.to_json(views.rubric_record(loaded, lang)), nl=False)
    elif fmt == "csv":
        _echo_csv(*views.rubric_rows(loaded, lang), raw)
    elif fmt == "table":
        from scorer.writers.terminal import rubric_view

        _console().print(rubric_view(loaded, lang))
    else:
        click.echo(text.to_tabulate(*views.rubric_rows(loaded, lang), fmt), nl=False)
        click.echo()
        click.echo(text.to_tabulate(*views.weight_rows(loaded, lang), fmt), nl=False)


@cli.command()
@_analysis_options
@_sampling_options
@click.option("--format", "fmt", type=OutputFormat("table", "json"), default="table",
              show_default=True, help="table (terminal) or json.")
def sensitivity(a: Analysis, samples: int, seed: int, concentration: float | None,
                evidence: bool, fmt: str) -> None:
    """Test whether the ranking survives other weights.

    \b
    Four analyses of the ranking at the chosen weights:
      stability     for each axis, the exact range of its weight (the others keeping
                    their proportions) over which the winner stays first, and over
                    which the whole ranking stays the same;
      one at a time the weights at which two projects swap, found exactly;
      one point off whose rank would move if one axis score were one step off;
      Monte Carlo   SMAA-2: the share of random weightings giving each project each
                    rank, P(row above column), and the mean weights under which
                    each project ranks first.

    \b
    Examples:
      scorer sensitivity
      scorer sensitivity --as-of 2025-08-26 --samples 100000
      scorer sensitivity --profile token_holder --concentration 50 --format json
    """
    from scorer.writers import text

    result = _sensitivity(a, samples, seed, concentration, evidence)
    if fmt == "json":
        click.echo(text.to_json(result.to_dict()), nl=False)
    else:
        from scorer.writers.terminal import sensitivity_view

        _console().print(sensitivity_view(result))


@cli.command()
@_scoring_options
@_as_of_option
@_sampling_options
@click.option("--history-every", type=click.Choice(dates.EVERY), default="quarter",
              show_default=True,
              help="Step of the History sheet, from the first observation to --as-of: the "
                   "end of every month, quarter or year, or every day a score can change.")
@click.option("--out", type=click.Path(path_type=Path),
              default=Path("exports/comparison.xlsx"), show_default=True,
              help="Where to write the workbook: a new file, or a regular file to replace.")
def export(scoring: Scoring, as_of: datetime | None, samples: int, seed: int,
           concentration: float | None, evidence: bool, history_every: str, out: Path) -> None:
    """Write an Excel workbook a colleague can open, read and re-weight without scorer.

    \b
    Sheets: Summary (the ranked table), What-if (edit the yellow weight cells: scores
    and ranks are live formulas, in Excel and LibreOffice), Axes, Evidence (every
    criterion, the facts it read, their sources as links), Sensitivity (stability,
    sweeps and acceptability, with charts), History (totals over time, with a line
    chart), Profiles (radar chart), About.

    \b
    The file is written to a temporary file beside PATH and moved into place: a failed
    export leaves an earlier file intact. With SOURCE_DATE_EPOCH set, two exports of the
    same inputs are byte-identical. Text from dossiers is never stored as a formula.

    \b
    Examples:
      scorer export
      scorer export --lang ja --out exports/比較.xlsx
      SOURCE_DATE_EPOCH=0 scorer export --profile token_holder --samples 100000
    """
    from scorer.untrusted import printable
    from scorer.views.common import made_with_line
    from scorer.writers.excel import generation_time

    when = generation_time()
    a = scoring.analyse(_as_date(as_of))
    result = _sensitivity(a, samples, seed, concentration, evidence)
    a.to_excel(out, result, generated_at=when,
               history=scoring.history(None, a.as_of, history_every))
    click.echo(printable(t("wrote_workbook", a.lang, path=out, count=len(a.dossiers),
                           made_with=made_with_line(a, a.lang, weights=False),
                           sampling=result.sampling())))


def _schema_path(rubric_path: Path) -> Path:
    """Where a rubric's dossier schema lives: beside it, as <rubric>.schema.json."""
    return rubric_path.with_name(rubric_path.stem + ".schema.json")


def _schema_text(loaded: Any) -> str:
    from scorer.schema import dossier_schema
    from scorer.writers.text import to_json

    return to_json(dossier_schema(loaded))


@cli.command()
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path),
              default=DEFAULT_RUBRIC, show_default=True, help="The rubric whose facts to use.")
@click.option("--out", type=click.Path(path_type=Path), metavar="PATH",
              help="Write the schema to PATH instead of printing it.")
def schema(rubric_path: Path, out: Path | None) -> None:
    """Print a JSON Schema for dossiers, generated from the rubric's fact vocabulary.

    \b
    Editors that understand JSON Schema (VS Code with the YAML extension, JetBrains IDEs)
    then complete fact names and check types as you type. `scorer new` points new
    dossiers at rubrics/<rubric>.schema.json; refresh it after editing the rubric with:
      scorer schema --out rubrics/default.schema.json
    """
    from scorer.files import write_atomic

    text = _schema_text(_load_rubric(rubric_path))
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text)
        click.echo(f"wrote {out}")


@cli.command()
@click.argument("project_id", metavar="ID")
@click.option("--name", help="Display name (default: ID).")
@click.option("--ticker", help="Token ticker, e.g. FLUX.")
@click.option("--force", is_flag=True, help="Overwrite an existing dossier.")
@click.option("--projects", "projects_dir", type=click.Path(path_type=Path),
              default=DEFAULT_PROJECTS, show_default=True, help="Folder of dossiers.")
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path),
              default=DEFAULT_RUBRIC, show_default=True, help="The rubric whose facts to list.")
def new(project_id: str, name: str | None, ticker: str | None, force: bool,
        projects_dir: Path, rubric_path: Path) -> None:
    """Start a dossier for a new project: projects/ID.yaml with every fact to fill in.

    \b
    Every fact of the rubric is listed, commented out, with its type, unit and meaning.
    The new file is valid as written; `scorer compare` lists the project at once, with
    0 % coverage, until you state facts. ID is a simple slug (lowercase letters, digits,
    '-' and '_').

    \b
    Examples:
      scorer new golem --name Golem --ticker GLM
      scorer validate projects/golem.yaml && scorer compare
    """
    from scorer.files import write_atomic
    from scorer.scaffold import check_labels, dossier_template, is_slug
    from scorer.untrusted import printable

    if not is_slug(project_id):
        raise click.BadParameter(
            f"'{printable(project_id)}' is not a simple id: use lowercase letters, digits, '-' "
            "and '_' (no spaces, dots or slashes)", param_hint="ID")
    try:  # before anything is written
        check_labels(name, ticker)
    except ArgumentError as exc:
        raise click.BadParameter(exc.detail, param_hint=f"--{exc.argument}") from None
    target = projects_dir / f"{project_id}.yaml"
    if target.exists() and not force:
        raise ScorerError("already exists; edit it, or pass --force to start over",
                          str(target))
    loaded = _load_rubric(rubric_path)
    schema_file = _schema_path(rubric_path)
    schema_text = _schema_text(loaded)
    if not schema_file.exists() or schema_file.read_text(encoding="utf-8") != schema_text:
        write_atomic(schema_file, schema_text)
        click.echo(printable(f"wrote {schema_file} (the schema editors use to check dossiers)"))
    reference = Path(os.path.relpath(schema_file.resolve(), projects_dir.resolve())).as_posix()
    write_atomic(target, dossier_template(loaded, project_id,
                                          project_id if name is None else name, ticker,
                                          dates.today(), reference))
    click.echo(printable(f"wrote {target}: fill in facts from your sources, then run "
                         f"`scorer validate {target}` and `scorer compare`"))


def main() -> None:
    """Console entry point: `scorer`.

    Whatever the environment: a reader that leaves (`scorer compare | head -1`) ends it
    quietly, exit 1; standard output that cannot be written (closed, a full disk) is one
    line on standard error, exit 1; a failing standard error is exit 1, silently.
    """
    try:
        streams.guard()
        try:
            cli(prog_name="scorer")
        except SystemExit:
            sys.stdout.flush()  # here, not at exit, so that a failure is reported
            raise
    except BrokenPipeError:  # the reader left, so be quiet
        streams.to_devnull(1)
        sys.exit(1)
    except streams.StreamError as exc:
        streams.to_devnull(1)
        if exc.stream == "standard output":
            with contextlib.suppress(Exception):
                print(f"scorer: {exc}", file=sys.stderr, flush=True)
        streams.to_devnull(2)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
