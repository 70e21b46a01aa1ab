"""The one error type for user errors: bad input, named by file, line and column.

Anything else raised inside `scorer` is a bug. The CLI turns a `ScorerError` into one
message on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

KINDS: dict[str, str] = {
    # errors: the file cannot be scored
    "file": "the file cannot be read: missing, not a regular file, too large, not UTF-8",
    "yaml": "not valid YAML, or not plain data: syntax, tags, duplicate keys, limits",
    "yaml-value": "a plain value YAML 1.1 and 1.2 read differently (yes, 010, 1_000, 8e8), or "
                  "a number written with thousands separators",
    "unknown-name": "a fact, field, source or axis that is not declared (with a did-you-mean)",
    "invalid": "any other error: a wrong type, value, date, reference or rule",
    # warnings: valid, but weak
    "stale": "a fact whose latest observation is older than the rubric's freshness limit",
    "undated": "a fact with no date, so its freshness cannot be judged",
    "unsourced": "an observation that names no source",
    "no-url": "a source without a URL",
    "review-due": "a dossier last reviewed longer ago than the rubric's freshness limit",
    "id-mismatch": "a dossier whose id is not its file's name",
    "axis-range": "an axis whose criteria cannot reach both ends of the scale",
    "never-known": "a criterion that is unknown for every project (no dossier states its facts)",
}
"""What a problem is about, in the order reports list them: its id (the `kind` of
`scorer validate --format json`) and what it means. Labels for people are in `scorer.i18n`
(`kind.<id>`)."""


@dataclass(frozen=True)
class Problem:
    """One finding about an input file: where it is and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    severity: Severity = "error"
    kind: str = "invalid"
    """One of `KINDS`: what the problem is about, for summaries and scripts."""

    @property
    def location(self) -> str:
        """`file:line:column`, as much of it as is known ('' when nothing is)."""
        parts = [p for p in (self.file, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class ScorerError(Exception):
    """A user error. Carries one or more problems, each with its location."""

    def __init__(
        self,
        message: str | Iterable[Problem],
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        *,
        kind: str = "invalid",
    ) -> None:
        if isinstance(message, str):
            problems: tuple[Problem, ...] = (Problem(message, file, line, column, kind=kind),)
        else:
            problems = tuple(message)
            if not problems:
                raise ValueError("ScorerError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def first(self) -> Problem:
        return self.problems[0]

    @property
    def file(self) -> str | None:
        return self.first.file

    @property
    def line(self) -> int | None:
        return self.first.line

    @property
    def column(self) -> int | None:
        return self.first.column


class ArgumentError(ScorerError):
    """A user error in an argument of a library call (`weights`, `profile`, `project`…).

    The message names the argument as the caller wrote it; the CLI names its option instead.
    """

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        self.detail = message
        super().__init__(f"{argument}: {message}")


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when none is close."""
    import difflib

    by_lower = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean '{by_lower[close[0]]}'?)" if close else ""
