"""Errors and warnings, one line each. Imports neither pandas nor numpy."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType

from scorer.errors import Problem
from scorer.writers.console import Text


def problems(found: Sequence[Problem]) -> RenderableType:
    """One line per problem: location, severity in its colour, message."""
    text = Text()
    for problem in found:
        if problem.location:
            text.append(problem.location + ": ", style="bold")
        style = "red" if problem.severity == "error" else "yellow"
        text.append(problem.severity, style=f"bold {style}")
        text.append(f": {problem.message}\n")
    return text


# ---------------------------------------------------------------- sensitivity
