"""A dossier file → a validated `Dossier`, checked against the rubric's vocabulary and axes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scorer.errors import did_you_mean
from scorer.facttypes import describe
from scorer.loading.facts import FactReader
from scorer.loading.problems import Collector, open_document
from scorer.models import PROVENANCE, Dossier, Rubric


def load_dossier(path: str | Path, rubric: Rubric) -> Dossier:
    """Load one dossier; every problem of the file is reported together, with its location."""
    doc, data, problems = open_document(Path(path), "dossier fields (id, name, sources, "
                                                    "facts…)")
    header = {k: v for k, v in data.items() if k != "facts" and k not in PROVENANCE}
    try:
        dossier: Dossier | None = Dossier.model_validate(header)
    except ValidationError as exc:
        problems.pydantic(exc, Dossier)
        dossier = None
    sources = data.get("sources") if isinstance(data.get("sources"), dict) else {}
    reader = FactReader(rubric, sources, problems)
    raw_facts = data.get("facts") or {}
    if not isinstance(raw_facts, dict):
        problems.add(f"facts: expected a mapping of facts, found {describe(raw_facts)}",
                     ("facts",))
    else:
        reader.read(raw_facts, (), ("facts",))
    if isinstance(data.get("overrides"), dict):
        _check_overrides(data["overrides"], rubric, problems)
    problems.raise_if_any()
    assert dossier is not None
    locations = {"id": doc.where(("id",)), **reader.where}
    for source in dossier.sources:
        locations[f"source:{source}"] = doc.key_where(("sources", source))
    return dossier.model_copy(update={"facts": reader.out, "file": doc.file,
                                      "locations": locations})


def _check_overrides(overrides: dict[str, Any], rubric: Rubric, problems: Collector) -> None:
    """Axes and scores of overrides (their shape is the model's job)."""
    scale = rubric.scale
    for axis, override in overrides.items():
        at = ("overrides", axis)
        score = override.get("score") if isinstance(override, dict) else None
        if axis not in rubric.axes:
            problems.add(f"override of unknown axis '{axis}'"
                         f"{did_you_mean(axis, rubric.axes)}", at, at_key=True)
        elif isinstance(score, (int, float)) and not isinstance(score, bool) and (
                not scale.contains(score)):
            problems.add(f"override of '{axis}': score {score:g} is not on the scale "
                         f"{scale.min:g}–{scale.max:g} in steps of {scale.step:g}",
                         (*at, "score"))
