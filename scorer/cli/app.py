"""The `scorer` command group and its console entry point, `main`."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from scorer import streams
from scorer.cli.options import OPTION_OF, defaults_for, print_problems, starting
from scorer.errors import ArgumentError, Problem, ScorerError

NO_COLOR = "NO_COLOR"
"""The environment variable that turns colours off (no-color.org), which rich honours."""
_CONFIG_ERROR = "scorer.config_error"


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    """`name` set to `value` in the environment for the block, restored after it."""
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _no_color(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """--no-color: NO_COLOR for the rest of the run, error messages included."""
    if value and not ctx.resilient_parsing:
        ctx.find_root().with_resource(_environment(NO_COLOR, "1"))


def no_color_option() -> click.Option:
    """A --no-color option for one command (each command gets its own)."""
    return click.Option(["--no-color"], is_flag=True, expose_value=False, is_eager=True,
                        callback=_no_color,
                        help="No colours, as NO_COLOR=1 does (styles such as bold stay).")


class _Group(click.Group):
    """Turns a user error into one message on stderr and exit status 1, never a traceback.

    Lists commands in the order a user needs them, not alphabetically, and imports each
    command's module only when it is run or listed (`add_lazily`). Every command takes
    --no-color, as every command takes --help. Option defaults come from the workspace
    (`scorer.config`: pyproject.toml's [tool.scorer], else discovery) as click's
    `default_map`, so an option and its environment variable still come first. A command
    starts with the garbage collector paused (`options.starting`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._order: list[str] = []
        self._pending: set[str] = set()
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> dict[str, click.Command]:  # type: ignore[override]
        """Every command: asking for them all imports them all (`add_lazily`)."""
        if self._pending:
            for name in [n for n in self._order if n in self._pending]:
                self._load(name)
            self._commands = {name: self._commands[name] for name in self._order}
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = dict(value)
        self._order = list(self._commands)

    def add_lazily(self, *names: str) -> None:
        """Commands by name, each the function of that name in `scorer.cli.commands.<name>`,
        imported when first run or listed: `scorer compare` builds no other command's
        options (4 ms)."""
        for name in names:
            self._order.append(name)
            self._pending.add(name)

    def _load(self, name: str) -> None:
        module = importlib.import_module(f"scorer.cli.commands.{name}")
        self.add_command(getattr(module, name), name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._pending:
            self._load(cmd_name)
        return self._commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self._order)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """As click's (this group is not chained), with --no-color added."""
        if not any(param.name == "no_color" for param in cmd.params):
            cmd.params.append(no_color_option())
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        if name not in self._order:
            self._order.append(name)
        self._pending.discard(name)
        self._commands[name] = cmd

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        ctx = super().make_context(info_name, args, parent, **extra)
        if ctx.default_map is None:  # a caller's own default_map comes first
            from scorer import config

            try:  # reported when a command runs: `scorer --help` still helps
                found = defaults_for(config.defaults())
            except ScorerError as exc:
                ctx.meta[_CONFIG_ERROR] = exc
            else:
                ctx.default_map = {name: found for name in self._order}
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        try:
            if _CONFIG_ERROR in ctx.meta:
                raise ctx.meta[_CONFIG_ERROR]
            with starting(ctx.meta):
                return super().invoke(ctx)
        except ArgumentError as exc:
            option = OPTION_OF.get(exc.argument, exc.argument)
            print_problems([Problem(f"{option}: {exc.detail}")], err=True)
            ctx.exit(1)
        except ScorerError as exc:
            print_problems(exc.problems, err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.version_option(package_name="scorer")
def cli() -> None:
    """Score and rank projects from sourced YAML dossiers, with every point explained.

    A rubric (rubrics/default.yaml) declares the facts a dossier may state, six weighted
    axes, and the rules that turn facts into 1–5 axis scores. Each dossier (projects/*.yaml)
    states facts with their source and date. scorer evaluates the rules, ranks the
    projects and shows where every point comes from.

    \b
    Start with:
      scorer init                        start a workspace: rubric, examples
      scorer compare                     ranked table of the projects
      scorer compare --as-of 2025-08-26  the same, as the world stood that day
      scorer explain flux                every point of a score, and its facts
      scorer diff 2025-08-26 today       what changed since that day, and why
      scorer history                     totals and ranks over time
      scorer sensitivity                 does the ranking survive other weights?
      scorer export                      Excel workbook, with live what-if weights
      scorer rubric                      the axes, rules and weight profiles
      scorer validate                    check every dossier and the rubric
      scorer new ID                      start a dossier for one more project

    scorer works in the nearest workspace: this folder or the nearest parent that holds
    rubrics/default.yaml or projects/. SCORER_PROJECTS, SCORER_RUBRIC, SCORER_LANG and a
    [tool.scorer] table in pyproject.toml set other defaults. Every command takes
    --no-color.

    \b
    Tab completion: add the line for your shell to ~/.bashrc, ~/.zshrc or
    ~/.config/fish/config.fish:
      eval "$(_SCORER_COMPLETE=bash_source scorer)"
      eval "$(_SCORER_COMPLETE=zsh_source scorer)"
      _SCORER_COMPLETE=fish_source scorer | source
    """


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
