"""scorer: declarative, traceable scoring and ranking of projects from sourced dossiers.

    import scorer

    ws = scorer.load("projects", "rubrics/default.yaml")   # a Workspace
    a = ws.analyse(as_of="2025-08-26")                      # an Analysis
    a.table()                  # the ranked table of `scorer compare`, as a DataFrame
    a.explain("flux")          # every criterion, point and fact behind one project
    a.sensitivity()            # does the ranking survive other weights?
    a.to_excel("exports/comparison.xlsx")

The library is a pipeline of tables (`Analysis.criteria`, `.axes`, `.scores`, `.ranking`);
the `scorer` command line is a thin layer over it. Names load lazily, so `import scorer`
(and `scorer --help`) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scorer.errors import ArgumentError, Problem, ScorerError

__version__ = "0.1.0"
"""Kept equal to pyproject.toml's version (a test checks), so import needs no metadata."""

__all__ = [
    "Analysis", "ArgumentError", "Explanation", "Problem", "ScorerError", "Sensitivity",
    "Workspace", "__version__", "analyse", "load", "load_projects", "load_rubric",
]  # fmt: skip

_LAZY = {
    "Analysis": "scorer.analysis", "analyse": "scorer.analysis",
    "Workspace": "scorer.workspace", "load": "scorer.workspace",
    "load_rubric": "scorer.loading", "load_projects": "scorer.loading",
    "Explanation": "scorer.views.explanation", "Sensitivity": "scorer.views.sensitivity",
}  # fmt: skip

if TYPE_CHECKING:
    from scorer.analysis import Analysis, analyse
    from scorer.loading import load_projects, load_rubric
    from scorer.views.explanation import Explanation
    from scorer.views.sensitivity import Sensitivity
    from scorer.workspace import Workspace, load


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'scorer' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
