"""Warnings about valid but weak input: what `scorer validate` shows in yellow (exit 0).

Errors stop loading (`scorer.loading`); these do not. They point at evidence that cannot
be traced (no source, no address), evidence that may be out of date, and rules that no
dossier can ever satisfy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from scorer.errors import Problem
from scorer.evidence import observation_at
from scorer.models import Dossier, Rubric
from scorer.rulebook import Rulebook


def _warning(message: str, file: str | None, where: tuple[int | None, int | None]) -> Problem:
    return Problem(message, file, where[0], where[1], severity="warning")


def dossier_warnings(rubric: Rubric, dossier: Dossier, as_of: date) -> list[Problem]:
    """Facts without a source, facts older than the rubric's freshness limit at `as_of`,
    sources without a URL, a dossier last reviewed longer ago than that limit, and an id
    that is not the file's name."""
    found: list[Problem] = []
    limit = rubric.freshness_days
    if limit is not None and dossier.as_of is not None and (
            (as_of - dossier.as_of).days > limit):
        found.append(_warning(f"dossier last reviewed {dossier.as_of}, "
                              f"{(as_of - dossier.as_of).days:,} days before {as_of} (the "
                              f"rubric's freshness limit is {limit} days): review it and "
                              "update its as_of", dossier.file, dossier.where("as_of")))
    if dossier.file is not None and Path(dossier.file).stem != dossier.id:
        found.append(_warning(f"id '{dossier.id}' is not the file's name "
                              f"'{Path(dossier.file).name}': commands such as `scorer "
                              f"explain {dossier.id}` take the id; rename one",
                              dossier.file, dossier.where("id")))
    for path, observations in dossier.facts.items():
        for obs in observations:
            if obs.source is None:
                found.append(_warning(f"{path}: no source; name one of the dossier's sources "
                                      "so the fact can be checked", dossier.file,
                                      obs.where or dossier.where(f"fact:{path}")))
        latest = observation_at(observations, as_of)
        if limit is None or latest is None or rubric.facts[path].timeless:
            continue
        if latest.date is None:
            found.append(_warning(f"{path}: undated, so its freshness cannot be judged; give "
                                  "it an as_of or a dated source", dossier.file,
                                  latest.where or dossier.where(f"fact:{path}")))
        elif (as_of - latest.date).days > limit:
            age = (as_of - latest.date).days
            found.append(_warning(f"{path}: latest observation is from {latest.date}, "
                                  f"{age:,} days before {as_of} (the rubric's freshness limit "
                                  f"is {limit} days)", dossier.file,
                                  latest.where or dossier.where(f"fact:{path}")))
    for source_id, source in dossier.sources.items():
        if not source.url:
            found.append(_warning(f"source '{source_id}' has no url; readers cannot check it",
                                  dossier.file, dossier.where(f"source:{source_id}")))
    return sorted(found, key=lambda p: (p.line or 0, p.column or 0))


def rubric_warnings(rulebook: Rulebook, dossiers: Sequence[Dossier]) -> list[Problem]:
    """Axes whose criteria cannot reach both ends of the scale, and criteria that no
    dossier can satisfy, because no dossier states a fact they read."""
    rubric = rulebook.rubric
    stated = {path for d in dossiers for path in d.facts}
    found = []
    scale = rubric.scale
    for axis_id, (low, high) in rulebook.reachable().items():
        missed = [end for end, short in (("lowest", low > scale.min),
                                         ("highest", high < scale.max)) if short]
        if missed:
            found.append(_warning(
                f"axis '{axis_id}' can only score {low:g}–{high:g}, not the whole scale "
                f"{scale.min:g}–{scale.max:g}: its base and criteria cannot reach the "
                f"{' or the '.join(missed)} score", rubric.file, rubric.where(f"axis:{axis_id}")))
    for rule in rulebook:
        missing = [f for f in rule.facts if f not in stated]
        if missing:
            found.append(_warning(
                f"criterion '{rule.id}' is unknown for every project: no dossier states "
                f"{', '.join(missing)}", rubric.file, rubric.where(f"criterion:{rule.id}")))
    return found

