"""The whole analysis in one call: dossiers and a rubric in, every table out.

    from scorer import load_rubric, load_projects, analyse
    rubric = load_rubric("rubrics/default.yaml")
    result = analyse(rubric, load_projects("projects", rubric), as_of=date(2025, 8, 26))
    result.ranking        # weighted score, total, rank, grade, coverage per project
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from scorer import engine, ranking
from scorer.errors import ScorerError, did_you_mean
from scorer.models import Dossier, Rubric


@dataclass(frozen=True)
class Analysis:
    """Every table of one analysis, and what it was made with."""

    rubric: Rubric
    dossiers: tuple[Dossier, ...]
    as_of: date
    profile: str
    weights: pd.Series
    projects: pd.DataFrame
    observations: pd.DataFrame
    evidence: pd.DataFrame
    criteria: pd.DataFrame
    axes: pd.DataFrame
    scores: pd.DataFrame
    ranking: pd.DataFrame

    def dossier(self, project: str) -> Dossier:
        """The dossier of a project id; an unknown id is a user error with a did-you-mean."""
        for d in self.dossiers:
            if d.id == project:
                return d
        ids = [d.id for d in self.dossiers]
        raise ScorerError(f"unknown project '{project}'{did_you_mean(project, ids)}; "
                          f"projects: {', '.join(ids)}")


def analyse(rubric: Rubric, dossiers: Sequence[Dossier], *, as_of: date | None = None,
            profile: str | None = None,
            weights: Mapping[str, float] | None = None) -> Analysis:
    """Score and rank the projects as of a date (default: the latest date the data knows)."""
    when = as_of or engine.latest_date(dossiers) or date.today()
    ids = [d.id for d in dossiers]
    w = ranking.resolve_weights(rubric, profile, weights)
    observations = engine.observations_table(dossiers)
    evidence = engine.evidence_at(observations, when)
    criteria = engine.evaluate(rubric, evidence, ids, when)
    axes = engine.aggregate(rubric, criteria, engine.overrides_table(dossiers))
    scores = engine.score_matrix(axes, rubric, ids)
    table = ranking.rank(scores, w)
    projects = engine.projects_table(dossiers)
    table.insert(0, "name", projects["name"].reindex(table.index))
    table["grade"] = table["total"].map(rubric.grade)
    table["coverage"] = engine.coverage(criteria).reindex(table.index)
    return Analysis(
        rubric=rubric, dossiers=tuple(dossiers), as_of=when,
        profile=profile or rubric.profile_name, weights=w, projects=projects,
        observations=observations, evidence=evidence, criteria=criteria, axes=axes,
        scores=scores, ranking=table,
    )  # fmt: skip
