"""The method as declared (`scorer rubric`): axes, criteria with rules and `why`, profiles."""

from __future__ import annotations

from typing import Any

from scorer.i18n import t
from scorer.models import Rubric
from scorer.rulebook import compile_rubric
from scorer.views.common import clean, points_text
from scorer.weights import normalised


def profiles(rubric: Rubric) -> dict[str, dict[str, float]]:
    """Every profile's weights, normalised to sum to 1, over every axis in rubric order."""
    return {name: normalised(rubric.profile_weights(name)) for name in rubric.profiles}


def reachable(rubric: Rubric) -> dict[str, tuple[float, float]]:
    """Per axis, the lowest and highest score its criteria can give (`Rulebook.reachable`)."""
    return compile_rubric(rubric).reachable()


def rubric_record(rubric: Rubric, lang: str = "en") -> dict[str, Any]:
    """`scorer rubric --format json`: the method as declared, with each profile normalised
    and the scores each axis can reach."""
    ends = reachable(rubric)
    axes = {}
    for axis_id, axis in rubric.axes.items():
        axes[axis_id] = {
            "label": axis.label(lang), "base": axis.base, "reachable": list(ends[axis_id]),
            "criteria": [
                {"id": c.id, "kind": c.kind, "rule": c.expression, "why": c.why,
                 **({"points": c.points, "else": c.else_} if c.kind == "check" else
                    {"bands": [b.model_dump() for b in c.bands or []], "below": c.below})}
                for c in axis.criteria
            ],
        }  # fmt: skip
    return clean({
        "id": rubric.id, "version": rubric.version, "title": rubric.title(lang),
        "scale": rubric.scale.model_dump(), "total_max": rubric.total_max,
        "default_profile": rubric.profile_name, "profiles": profiles(rubric),
        "grades": [{"at_least": g.at_least, "label": g.label(lang)} for g in rubric.grades],
        "axes": axes,
        "facts": {path: spec.model_dump(exclude_none=True) for path, spec in rubric.facts.items()},
    })  # fmt: skip


def rubric_rows(rubric: Rubric, lang: str = "en") -> tuple[list[str], list[list[Any]]]:
    """One row per criterion: axis, id, rule, points, why."""
    headers = [t("axis", lang), t("criterion", lang), t("rule", lang), t("points", lang),
               t("why", lang)]
    rows = [[rubric.axes[axis_id].short_label(lang), c.id, c.expression, points_text(c, lang),
             c.why]
            for axis_id, c in rubric.criteria()]
    return headers, rows


def weight_rows(rubric: Rubric, lang: str = "en") -> tuple[list[str], list[list[Any]]]:
    """Axes × profiles, each profile normalised to sum to 1."""
    normalised = profiles(rubric)
    headers = [t("axis", lang), t("label", lang), *normalised]
    rows = [[axis_id, rubric.axes[axis_id].label(lang),
             *(f"{normalised[name][axis_id]:.3f}" for name in normalised)]
            for axis_id in rubric.axes]
    return headers, rows


def profile_rows(rubric: Rubric, lang: str = "en") -> tuple[list[str], list[list[str]]]:
    """Profiles × axes (by their short labels), each profile normalised to sum to 1: the
    weights as the terminal shows them, one row per profile however many there are."""
    headers = [t("col.profile", lang), *(axis.short_label(lang) for axis in rubric.axes.values())]
    rows = [[name, *(f"{weights[axis_id]:.3f}" for axis_id in rubric.axes)]
            for name, weights in profiles(rubric).items()]
    return headers, rows
