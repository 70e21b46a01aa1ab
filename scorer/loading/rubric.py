"""A rubric file → a validated `Rubric`, its cross-references and rules checked.

The model checks shape and types; here the parts are checked against each other (a fact is
not also a group, criterion ids are unique, profiles name real axes) and every rule is
compiled against the vocabulary, so a rubric that loads is a rubric that runs.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from scorer.errors import ScorerError, did_you_mean
from scorer.loading.problems import Collector, open_document
from scorer.models import PROVENANCE, Location, Rubric
from scorer.rulebook import Rulebook, compile_rubric
from scorer.safeyaml import Document, load_file


def load_rubric(path: str | Path) -> Rubric:
    """Load and validate a rubric file; every problem is reported, with its location."""
    return read_rubric(path)[0]


def read_rubric(path: str | Path) -> tuple[Rubric, Rulebook]:
    """The rubric of a file, and its rules compiled (what scoring runs)."""
    doc, data, problems = open_document(load_file(Path(path), defer=True),
                                        "rubric fields (id, version, facts, axes, profiles…)")
    try:
        rubric = Rubric.model_validate({k: v for k, v in data.items() if k not in PROVENANCE})
    except ValidationError as exc:
        problems.pydantic(exc, Rubric)
        problems.raise_if_any()
        raise  # pragma: no cover - raise_if_any always raises here
    rubric = rubric.model_copy(update={"file": doc.file, "locations": _locations(rubric, doc)})
    _cross_check(rubric, problems)
    rulebook = None
    try:
        rulebook = compile_rubric(rubric)
    except ScorerError as exc:
        problems.problems.extend(exc.problems)
    problems.raise_if_any()
    assert rulebook is not None
    return rubric, rulebook


def _locations(rubric: Rubric, doc: Document) -> dict[str, Location]:
    where = {f"fact:{path}": doc.key_where(("facts", path)) for path in rubric.facts}
    for axis_id, axis in rubric.axes.items():
        where[f"axis:{axis_id}"] = doc.key_where(("axes", axis_id))
        for index, criterion in enumerate(axis.criteria):
            at = ("axes", axis_id, "criteria", index)
            where[f"criterion:{criterion.id}"] = doc.where(at)
            field = "when" if criterion.kind == "check" else "value"
            where[f"rule:{criterion.id}"] = doc.where((*at, field))
    return where


def _cross_check(rubric: Rubric, problems: Collector) -> None:
    facts = sorted(rubric.facts)
    for path in facts:
        for other in facts:
            if other.startswith(path + "."):
                problems.add(f"fact '{path}' is also a group holding '{other}'; rename one",
                             ("facts", other), at_key=True)
    seen: dict[str, str] = {}
    for axis_id, axis in rubric.axes.items():
        for index, criterion in enumerate(axis.criteria):
            if criterion.id in seen:
                first = problems.doc.where(("axes", seen[criterion.id]))
                problems.add(f"criterion id '{criterion.id}' is used twice (also in axis "
                             f"'{seen[criterion.id]}', line {first[0]})",
                             ("axes", axis_id, "criteria", index, "id"))
            seen.setdefault(criterion.id, axis_id)
    axes = list(rubric.axes)
    for name, weights in rubric.profiles.items():
        at = ("profiles", name)
        for axis in weights:
            if axis not in rubric.axes:
                problems.add(f"profile '{name}' names unknown axis '{axis}'"
                             f"{did_you_mean(axis, axes)}", (*at, axis), at_key=True,
                             kind="unknown-name")
        missing = [a for a in axes if a not in weights]
        if missing:
            problems.add(f"profile '{name}' gives no weight to {', '.join(missing)} "
                         "(write 0 to leave an axis out)", at, at_key=True)
        if weights and not sum(weights.values()) > 0:
            problems.add(f"profile '{name}': weights must not all be zero", at, at_key=True)
    if rubric.default_profile and rubric.default_profile not in rubric.profiles:
        problems.add(f"default_profile '{rubric.default_profile}' is not a profile"
                     f"{did_you_mean(rubric.default_profile, rubric.profiles)}",
                     ("default_profile",), kind="unknown-name")
    limits = [g.at_least for g in rubric.grades]
    if len(set(limits)) != len(limits):
        problems.add("two grade bands start at the same total", ("grades",))
