"""scorer: declarative, traceable scoring and ranking of projects from sourced dossiers.

The library is a pipeline of tables; the `scorer` command line is a thin layer over it:

    from datetime import date
    from scorer import analyse, load_projects, load_rubric

    rubric = load_rubric("rubrics/default.yaml")
    result = analyse(rubric, load_projects("projects", rubric), as_of=date(2025, 8, 26))
    result.ranking    # weighted score, total, rank, grade and coverage of each project
    result.criteria   # every criterion of every project: outcome, points, facts read
"""

from importlib.metadata import PackageNotFoundError, version

from scorer.errors import Problem, ScorerError

try:
    __version__ = version("scorer")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["Problem", "ScorerError", "__version__", "analyse", "load_projects", "load_rubric"]


def __getattr__(name: str):  # lazy, so `import scorer` (and `scorer --help`) stays light
    if name in ("load_rubric", "load_projects"):
        from scorer import loading

        return getattr(loading, name)
    if name == "analyse":
        from scorer.pipeline import analyse

        return analyse
    raise AttributeError(f"module 'scorer' has no attribute {name!r}")
