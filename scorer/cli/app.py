"""The `scorer` command group and its console entry point, `main`."""

from __future__ import annotations

import contextlib
import sys
from typing import Any

import click

from scorer import streams
from scorer.cli.options import OPTION_OF, print_problems
from scorer.errors import ArgumentError, Problem, ScorerError


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
