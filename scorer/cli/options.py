"""What the commands share: option types and decorators, the scoring options, the console.

Heavy modules (pandas, pydantic, rich) are imported inside the functions that use them, so
`scorer --help` starts instantly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import math
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from scorer import dates, sampling
from scorer.config import DEFAULT_PROJECTS, DEFAULT_RUBRIC, ENVIRONMENT, RELIABILITIES, Settings
from scorer.errors import ScorerError
from scorer.i18n import LANGS, t

F = Callable[..., Any]
PARAMETER_OF = {"projects": "projects_dir", "rubric": "rubric_path", "lang": "lang",
                "profile": "profile", "min_reliability": "min_reliability"}
"""The parameter that takes each setting of `scorer.config`, in every command that has it."""
OPTION_OF = {"weights": "--weights", "profile": "--profile", "project": "PROJECT",
             "as_of": "--as-of", "lang": "--lang",
             "min_reliability": "--min-reliability", "start": "--from", "end": "--to",
             "every": "--every"}
"""The option that carries each library argument, to name it in error messages."""

_PAUSED = "scorer.collector_paused"
"""`ctx.meta` key: set while `starting` holds the garbage collector paused."""


@contextlib.contextmanager
def starting(meta: dict[str, Any]) -> Iterator[None]:
    """Python's cyclic garbage collector paused while a command starts: importing pandas and
    building pydantic's models make a few hundred thousand objects and no garbage, which the
    running collector traces again and again (7 % of `scorer compare` on 3 dossiers). It
    resumes when the workspace is loaded (`started`; loading pauses it anyway: see
    `scorer.safeyaml.collector_paused`), else when the command ends."""
    if not gc.isenabled():  # paused by a caller: theirs to resume
        yield
        return
    gc.disable()
    meta[_PAUSED] = True
    try:
        yield
    finally:
        if meta.pop(_PAUSED, False):
            gc.enable()


def started() -> None:
    """Start-up is over: the collector resumes, if `starting` paused it."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.pop(_PAUSED, False):
        gc.enable()


def print_problems(problems: Any, err: bool = False) -> None:
    from scorer.writers.terminal.problems import problems as view

    console(err=err).print(view(problems), end="", soft_wrap=True)  # one line each: grep-able


def console(err: bool = False) -> Any:
    from scorer.writers import console as consoles

    return consoles.console(sys.stderr if err else sys.stdout)


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
        if value in self.fixed:  # without loading tabulate for its list of formats
            return value
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


raw_option = click.option(
    "--raw", is_flag=True,
    help="With --format csv or tsv: cells exactly as the files say. By default a text cell "
         "that a spreadsheet would run as a formula (starting with = + - @) gets a leading ' "
         "and control characters are shown escaped; --raw is for pipelines that never open "
         "the file in a spreadsheet or print it to a terminal (CSV lines end in CRLF, as RFC "
         "4180 says, so that a carriage return in a cell is quoted).")

bom_option = click.option(
    "--bom/--no-bom", default=None,
    help="With --format csv or tsv: start with a UTF-8 byte-order mark, so that Excel opens "
         "the file as UTF-8 and shows Japanese text as it is. Default: on with --lang ja.")


def table_options(function: F) -> F:
    """--format (table, json, csv, tsv, markdown or any tabulate format), --raw and
    --bom/--no-bom: the output options of every command that prints one table of rows."""
    fmt = click.option(
        "--format", "fmt", type=OutputFormat("table", "json", "csv", "tsv", "markdown",
                                             tabulate=True),
        default="table", show_default=True,
        help="table (terminal), json, csv, tsv, markdown, or any tabulate format "
             "(grid, rst, html, latex, …).")
    return fmt(raw_option(bom_option(function)))


def echo_delimited(fmt: str, headers: Any, rows: Any, raw: bool, bom: bool | None,
                   lang: str) -> None:
    """Print CSV or TSV (see --raw and --bom); raw cells pass click's ANSI stripping too
    (`color=True`). The byte-order mark only where the output is UTF-8, as it says."""
    import codecs

    from scorer.writers.text import to_delimited

    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    bom = (lang == "ja" if bom is None else bom) and codecs.lookup(encoding).name == "utf-8"
    click.echo(to_delimited(fmt, headers, rows, raw=raw, bom=bom), nl=False,
               color=raw or None)


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


UNLESS_GIVEN = ("`{key}` of [tool.scorer] in the nearest pyproject.toml, else the nearest "
                "workspace's {where} (in this folder or a parent)")
"""How a path option's default is found (`scorer.config`), in its help."""


PATH = click.Path(path_type=Path)
"""The type of a path option, one instance for them all: each `click.Path` made looks its
name up in the translation catalogues, on disk."""


def projects_option(help: str = "Folder of dossiers, one YAML file per project.") -> F:
    """--projects DIR (`projects_dir`), from SCORER_PROJECTS or found as `scorer.config`
    says when not given; the default shown is the one found."""
    return click.option(
        "--projects", "projects_dir", type=PATH, metavar="DIR",
        default=DEFAULT_PROJECTS, show_default=True, envvar=ENVIRONMENT["projects"],
        show_envvar=True,
        help=f"{help} Unless given: "
             + UNLESS_GIVEN.format(key="projects", where="projects/") + ".")


def rubric_option(help: str = "The rubric: fact vocabulary, axes, rules and weight "
                              "profiles.") -> F:
    """--rubric PATH (`rubric_path`), from SCORER_RUBRIC or found as `scorer.config` says
    when not given; the default shown is the one found."""
    return click.option(
        "--rubric", "rubric_path", type=PATH, metavar="PATH",
        default=DEFAULT_RUBRIC, show_default=True, envvar=ENVIRONMENT["rubric"],
        show_envvar=True,
        help=f"{help} Unless given: "
             + UNLESS_GIVEN.format(key="rubric", where="rubrics/default.yaml") + ".")


def lang_option(help: str = "Language of labels, headers and sentences.") -> F:
    """--lang en|ja, from SCORER_LANG or [tool.scorer] lang when not given."""
    return click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
                        envvar=ENVIRONMENT["lang"], show_envvar=True,
                        help=f"{help} Unless given: `lang` of [tool.scorer] in pyproject.toml.")


def defaults_for(settings: Settings) -> dict[str, Any]:
    """A command's defaults (click's `default_map`) from the settings a workspace makes."""
    return {PARAMETER_OF[key]: value for key, value in settings.given().items()}


def complete_projects(ctx: click.Context, param: click.Parameter,
                      incomplete: str) -> list[Any]:
    """Project ids from the names of the projects folder's dossier files (no file is read:
    a dossier's id is its file's name)."""
    from click.shell_completion import CompletionItem

    from scorer.loading import DOSSIER_SUFFIXES

    folder = ctx.params.get("projects_dir") or DEFAULT_PROJECTS
    try:
        names = {Path(entry.name).stem for entry in os.scandir(folder)
                 if Path(entry.name).suffix in DOSSIER_SUFFIXES
                 and not entry.name.startswith(".")}
    except OSError:
        return []
    return [CompletionItem(name) for name in _words(sorted(names), incomplete)]


def complete_profiles(ctx: click.Context, param: click.Parameter,
                      incomplete: str) -> list[Any]:
    """The weight profiles of the rubric (its YAML read as plain data, not checked)."""
    from click.shell_completion import CompletionItem

    from scorer.safeyaml import load_file

    try:
        data = load_file(ctx.params.get("rubric_path") or DEFAULT_RUBRIC).data
    except ScorerError:
        return []
    profiles = data.get("profiles") if isinstance(data, dict) else None
    names = [str(name) for name in profiles] if isinstance(profiles, dict) else []
    return [CompletionItem(name) for name in _words(names, incomplete)]


def _words(names: list[str], incomplete: str) -> list[str]:
    """The names that start with `incomplete` and that a shell takes as one plain word (a
    file or rubric may hold anything: a line break would forge another candidate)."""
    return [name for name in names if name.startswith(incomplete) and name.isprintable()
            and not any(char.isspace() for char in name)]


def scoring_options(function: F) -> F:
    """The options that say what to score and how; the command receives them as `scoring`:
    --projects, --rubric, --include-forecasts, --min-reliability, --profile, --weights and
    --lang (the workspace is loaded here, so every problem of every file is reported)."""

    @functools.wraps(function)
    def command(*args: Any, projects_dir: Path, rubric_path: Path, min_reliability: str,
                include_forecasts: bool, profile: str | None,
                weights: dict[str, float] | None, lang: str, **kwargs: Any) -> Any:
        from scorer.workspace import load

        with rubric_hint(rubric_path, projects_dir):
            workspace = load(projects_dir, rubric_path)
        gc.freeze()  # the workspace lives until the command ends: the collector need not
        # scan its hundreds of thousands of objects again (3 s at 10,000 dossiers)
        started()
        scoring = Scoring(workspace, profile, weights, lang, min_reliability, include_forecasts)
        return function(*args, scoring=scoring, **kwargs)

    options = [
        projects_option(),
        rubric_option(),
        click.option("--include-forecasts", is_flag=True,
                     help="Let observations marked `forecast: true` count as evidence."),
        click.option("--min-reliability", type=click.Choice(RELIABILITIES), default="low",
                     show_default=True,
                     help="Ignore what sources rated below this say: primary (the project's "
                          "own code, docs, governance), secondary (press, research), low "
                          "(everything, unrated sources included). Unless given: "
                          "`min_reliability` of [tool.scorer] in pyproject.toml."),
        click.option("--profile", metavar="NAME", shell_complete=complete_profiles,
                     help="Named weight profile of the rubric (see `scorer rubric`). "
                          "Default: `profile` of [tool.scorer] in pyproject.toml, else the "
                          "rubric's default profile."),
        click.option("--weights", metavar="AXIS=W,...", type=Weights(),
                     help="Weights of some axes, e.g. 'token_economy=2,risk=2' or 'Tech=2' "
                          "(an axis by its id or by the label the tables show, in any case); "
                          "the other axes keep the profile's weights. Weights are normalised "
                          "to sum to 1."),
        lang_option(),
    ]
    for option in reversed(options):
        command = option(command)
    return command


as_of_option = click.option(
    "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
    help="Score the world as it stood that day: each fact takes its latest observation "
         "dated on or before it. Default: today (printed with every result; "
         "SCORER_TODAY pins it).")


def analysis_options(function: F) -> F:
    """The scoring options and --as-of; the command receives the `Analysis` as `a`."""

    @functools.wraps(function)
    def command(*args: Any, scoring: Scoring, as_of: datetime | None, **kwargs: Any) -> Any:
        return function(*args, a=scoring.analyse(as_date(as_of)), **kwargs)

    return scoring_options(as_of_option(command))


class Progress:
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

            self.bar = Progress(console=console(err=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(t("progress", self.lang), total=total)
        if self.bar is not None:
            self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


class FiniteRange(click.FloatRange):
    """A `click.FloatRange` that refuses nan too (nan compares false with both bounds)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{number} is not in the range {self.min}<=x<={self.max}.", param, ctx)
        return number


def sampling_options(function: F) -> F:
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
                     type=FiniteRange(sampling.MIN_CONCENTRATION, sampling.MAX_CONCENTRATION),
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


def run_sensitivity(a: Any, samples: int, seed: int, concentration: float | None,
                    evidence: bool, top: int | None = None, full: bool = False) -> Any:
    """The sensitivity analysis, with a progress bar on a slow terminal."""
    progress = Progress(a.lang)
    try:
        return a.sensitivity(samples=samples, seed=seed, concentration=concentration,
                             evidence=evidence, progress=progress, top=top, full=full)
    finally:
        progress.close()


def as_date(value: datetime | None) -> date | None:
    return value.date() if value else None


@contextlib.contextmanager
def rubric_hint(rubric: Path, projects: Path | None = None) -> Iterator[None]:
    """No rubric (or projects folder) where none was given and none was found means no
    workspace here: say how to make one, before anything is read."""
    missing = [path for path, default in ((rubric, DEFAULT_RUBRIC), (projects, DEFAULT_PROJECTS))
               if path == default and not os.path.lexists(path)]
    if missing:
        names = " and ".join(f"{path}{'/' if path == DEFAULT_PROJECTS else ''}"
                             for path in missing)
        options = " and ".join(f"--{'rubric' if path == rubric else 'projects'}"
                               for path in missing)
        raise ScorerError(f"no {names} in this folder or any parent folder: run `scorer init` "
                          f"to start a workspace here, or pass {options}")
    yield


def load_rubric(path: Path) -> Any:
    from scorer.loading import load_rubric

    with rubric_hint(path):
        return load_rubric(path)


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
