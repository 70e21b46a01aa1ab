"""Rubric and dossier files → validated models, every problem named by file, line and column.

Loading collects all the problems of a file (and of every file of a project folder) before
failing, so one run of `scorer validate` lists everything to fix.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from scorer import models
from scorer.errors import Problem, ScorerError, did_you_mean
from scorer.models import Dossier, FactSpec, Observation, Rubric
from scorer.rules import ExpressionError, compile_expression
from scorer.safeyaml import Document, Path_, display_path, load_file

DOSSIER_SUFFIXES = (".yaml", ".yml")
_OBSERVATION_KEYS = ("value", "source", "as_of", "note")


def _all_field_names() -> set[str]:
    names: set[str] = set()
    for obj in vars(models).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            for name, info in obj.model_fields.items():
                names.add(info.alias or name)
    return names


_FIELD_NAMES = _all_field_names()


class _Collector:
    """Problems found in one document, each placed at a path of it."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, message: str, path: Path_ = (), *, at_key: bool = False) -> None:
        line, column = self.doc.key_where(path) if at_key else self.doc.where(path)
        self.problems.append(Problem(message, self.doc.file, line, column))

    def pydantic(self, exc: ValidationError, base: Path_ = ()) -> None:
        for err in exc.errors(include_url=False):
            loc: Path_ = (*base, *err["loc"])
            label = ".".join(str(p) for p in loc) or "document"
            message = str(err["msg"]).removeprefix("Value error, ")
            if "instance of Text" in message:
                message = "expected text, or a mapping {en: ..., ja: ...}"
            if err["type"] == "extra_forbidden":
                field = str(loc[-1])
                self.add(f"unknown field '{field}'{did_you_mean(field, _FIELD_NAMES)}", loc,
                         at_key=True)
            elif err["type"] == "missing":
                self.add(f"missing field '{loc[-1]}'", loc[:-1], at_key=True)
            else:
                self.add(f"{label}: {message}", loc)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ScorerError(sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0)))


def _require_mapping(doc: Document, what: str) -> dict[str, Any]:
    if not isinstance(doc.data, dict):
        found = "a list" if isinstance(doc.data, list) else f"{_describe(doc.data)}"
        raise doc.error(f"expected a mapping of {what} at the top level, found {found}")
    return doc.data


# ---------------------------------------------------------------- rubric


def load_rubric(path: str | Path) -> Rubric:
    """Load, validate and compile a rubric file."""
    doc = load_file(Path(path))
    data = _require_mapping(doc, "rubric fields (id, version, facts, axes, profiles…)")
    problems = _Collector(doc)
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        problems.pydantic(exc)
        problems.raise_if_any()
        raise  # pragma: no cover - raise_if_any always raises here
    _check_rubric(rubric, problems)
    problems.raise_if_any()
    rubric._file = doc.file
    rubric._where = {f"fact:{path}": doc.key_where(("facts", path)) for path in rubric.facts}
    for axis_id, axis in rubric.axes.items():
        for index, criterion in enumerate(axis.criteria):
            rubric._where[f"criterion:{criterion.id}"] = doc.where(
                ("axes", axis_id, "criteria", index))
    return rubric


def _check_rubric(rubric: Rubric, problems: _Collector) -> None:
    facts = sorted(rubric.facts)
    for path in facts:
        for other in facts:
            if other.startswith(path + "."):
                problems.add(f"fact '{path}' is also a group holding '{other}'; rename one",
                             ("facts", other), at_key=True)
    seen: dict[str, str] = {}
    for axis_id, axis in rubric.axes.items():
        for index, criterion in enumerate(axis.criteria):
            at = ("axes", axis_id, "criteria", index)
            if criterion.id in seen:
                first = problems.doc.where(("axes", seen[criterion.id]))
                problems.add(f"criterion id '{criterion.id}' is used twice (also in axis "
                             f"'{seen[criterion.id]}', line {first[0]})", (*at, "id"))
            seen.setdefault(criterion.id, axis_id)
            field = "when" if criterion.kind == "check" else "value"
            try:
                criterion._rule = compile_expression(criterion.expression, rubric.facts)
            except ExpressionError as exc:
                problems.add(f"criterion '{criterion.id}': {exc}", (*at, field))
    axes = rubric.axis_ids
    for name, weights in rubric.profiles.items():
        at = ("profiles", name)
        for axis in weights:
            if axis not in rubric.axes:
                problems.add(f"profile '{name}' names unknown axis '{axis}'"
                             f"{did_you_mean(axis, axes)}", (*at, axis), at_key=True)
        missing = [a for a in axes if a not in weights]
        if missing:
            problems.add(f"profile '{name}' gives no weight to {', '.join(missing)} "
                         "(write 0 to leave an axis out)", at, at_key=True)
        if weights and not sum(weights.values()) > 0:
            problems.add(f"profile '{name}': weights must not all be zero", at, at_key=True)
    if rubric.default_profile and rubric.default_profile not in rubric.profiles:
        problems.add(f"default_profile '{rubric.default_profile}' is not a profile"
                     f"{did_you_mean(rubric.default_profile, rubric.profiles)}",
                     ("default_profile",))
    limits = [g.at_least for g in rubric.grades]
    if len(set(limits)) != len(limits):
        problems.add("two grade bands start at the same total", ("grades",))


# ---------------------------------------------------------------- dossiers


def load_dossier(path: str | Path, rubric: Rubric) -> Dossier:
    """Load one dossier and check it against the rubric's fact vocabulary and axes."""
    doc = load_file(Path(path))
    data = _require_mapping(doc, "dossier fields (id, name, sources, facts…)")
    problems = _Collector(doc)
    raw_facts = data.get("facts", {})
    header = {k: v for k, v in data.items() if k != "facts"}
    sources = data.get("sources") if isinstance(data.get("sources"), dict) else {}
    try:
        dossier = Dossier.model_validate({**header, "file": doc.file})
    except ValidationError as exc:
        problems.pydantic(exc)
        dossier = None
    facts: dict[str, list[Observation]] = {}
    reader = _FactReader(rubric, sources, problems, facts)
    if raw_facts is None:
        raw_facts = {}
    if not isinstance(raw_facts, dict):
        problems.add(f"facts: expected a mapping of facts, found {_describe(raw_facts)}",
                     ("facts",))
    else:
        reader.read(raw_facts, (), ("facts",))
    if isinstance(data.get("overrides"), dict):
        _check_overrides(data["overrides"], rubric, problems)
    problems.raise_if_any()
    assert dossier is not None
    result = dossier.model_copy(update={"facts": facts})
    result._where = {"id": doc.where(("id",)), **reader.where}
    for source in dossier.sources:
        result._where[f"source:{source}"] = doc.key_where(("sources", source))
    return result


def _check_overrides(overrides: dict[str, Any], rubric: Rubric, problems: _Collector) -> None:
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


class _FactReader:
    """Walks the `facts` mapping (nested groups or dotted keys) into flat observations."""

    def __init__(self, rubric: Rubric, sources: dict, problems: _Collector,
                 out: dict[str, list[Observation]]) -> None:
        self.vocabulary = rubric.facts
        self.sources = sources or {}
        self.problems = problems
        self.out = out
        self.where: dict[str, tuple[int, int]] = {}

    def read(self, node: dict[str, Any], prefix: tuple[str, ...], at: Path_) -> None:
        for key, value in node.items():
            path = (*prefix, *key.split("."))
            dotted = ".".join(path)
            here = (*at, key)
            if dotted in self.vocabulary:
                if f"fact:{dotted}" in self.where:
                    self.problems.add(f"fact '{dotted}' is stated twice", here, at_key=True)
                    continue
                self.where[f"fact:{dotted}"] = self.problems.doc.key_where(here)
                self.fact(dotted, self.vocabulary[dotted], value, here)
            elif any(f.startswith(dotted + ".") for f in self.vocabulary):
                if isinstance(value, dict):
                    self.read(value, path, here)
                else:
                    members = sorted(f for f in self.vocabulary if f.startswith(dotted + "."))
                    self.problems.add(f"'{dotted}' is a group of facts ({', '.join(members[:3])}"
                                      f"…), not a fact: give a mapping", here, at_key=True)
            else:
                self.problems.add(f"unknown fact '{dotted}'"
                                  f"{did_you_mean(dotted, self.vocabulary)}; the rubric's "
                                  "vocabulary lists the facts a dossier may state",
                                  here, at_key=True)

    def fact(self, path: str, spec: FactSpec, raw: Any, at: Path_) -> None:
        if isinstance(raw, list) and (spec.type != "list" or
                                      any(isinstance(item, dict) for item in raw)):
            if not raw:
                self.problems.add(f"{path}: an empty list of observations", at)
                return
            entries = [(item, (*at, i)) for i, item in enumerate(raw)]
            for item, where in entries:
                if not isinstance(item, dict):
                    self.problems.add(f"{path}: each observation in a list must be a mapping "
                                      "with 'value' (and source, as_of, note)", where)
                    return
        else:
            entries = [(raw, at)]
        observations = [obs for item, where in entries
                        if (obs := self.observation(path, spec, item, where)) is not None]
        if len(observations) != len(entries):
            return
        seen: dict[date | None, Path_] = {}
        for obs, (_, where) in zip(observations, entries, strict=True):
            if obs.date in seen:
                day = obs.date.isoformat() if obs.date else "undated"
                self.problems.add(f"{path}: two observations with the same date ({day}); "
                                  "which one holds is ambiguous", where)
                return
            seen[obs.date] = where
        self.out[path] = sorted(observations, key=lambda o: (o.date is not None, o.date))

    def observation(self, path: str, spec: FactSpec, raw: Any, at: Path_) -> Observation | None:
        if isinstance(raw, dict):
            unknown = [k for k in raw if k not in _OBSERVATION_KEYS]
            for key in unknown:
                self.problems.add(f"{path}: unknown field '{key}' in an observation"
                                  f"{did_you_mean(key, _OBSERVATION_KEYS)} (fields: "
                                  f"{', '.join(_OBSERVATION_KEYS)})", (*at, key), at_key=True)
            if "value" not in raw:
                self.problems.add(f"{path}: an observation needs a 'value'", at)
                return None
            if unknown:
                return None
            value_at: Path_ = (*at, "value")
            fields = raw
        else:
            value_at, fields = at, {"value": raw}
        value, error = check_value(spec, fields["value"])
        if error:
            self.problems.add(f"{path}: {error}", value_at)
            return None
        source = fields.get("source")
        if source is not None and (not isinstance(source, str) or source not in self.sources):
            known = ", ".join(self.sources) or "none are declared"
            self.problems.add(f"{path}: source '{source}' is not in this dossier's sources"
                              f"{did_you_mean(str(source), self.sources)} (sources: {known})",
                              (*at, "source"))
            return None
        as_of = fields.get("as_of")
        if as_of is not None:
            with contextlib.suppress(ValueError):  # a bad string is reported just below
                as_of = models._as_date(as_of)
            if not isinstance(as_of, date):
                self.problems.add(f"{path}: as_of must be a date (YYYY-MM-DD), found "
                                  f"{_describe(as_of)}", (*at, "as_of"))
                return None
        note = fields.get("note")
        if note is not None and not isinstance(note, str):
            self.problems.add(f"{path}: note must be text, found {_describe(note)}",
                              (*at, "note"))
            return None
        source_date = None
        if source is not None and isinstance(self.sources[source], dict):
            source_date = self.sources[source].get("date")
            source_date = source_date if isinstance(source_date, date) else None
        return Observation(value=value, source=source, as_of=as_of, note=note,
                           date=as_of or source_date, where=self.problems.doc.where(at))


def check_value(spec: FactSpec, value: Any) -> tuple[Any, str | None]:
    """The value in its canonical Python type, or an error message. Never coerces silently."""
    kind = spec.type
    if value is None:
        return None, "no value (null); leave a fact out when it is not known"
    if kind in ("number", "integer", "year"):
        wanted = "a number" if kind == "number" else f"an {kind}" if kind == "integer" else "a year"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, f"expected {wanted}, found {_describe(value)}"
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"expected {wanted}, found {value} (not a finite number)"
        if kind != "number" and not isinstance(value, int):
            return None, f"expected {wanted}, found {_describe(value)}"
        if kind == "year" and not 1 <= value <= 9999:
            return None, f"expected a year, found {value}"
        if spec.min is not None and value < spec.min:
            return None, f"{value:,} is below the minimum {spec.min:g}"
        if spec.max is not None and value > spec.max:
            return None, f"{value:,} is above the maximum {spec.max:g}"
        return value, None
    if kind == "boolean":
        if not isinstance(value, bool):
            return None, f"expected true or false, found {_describe(value)}"
        return value, None
    if kind in ("string", "enum"):
        if not isinstance(value, str):
            return None, f"expected text, found {_describe(value)}"
        if kind == "enum" and value not in (spec.values or []):
            return None, (f"'{value}' is not one of {', '.join(spec.values or [])}"
                          f"{did_you_mean(value, spec.values or [])}")
        return value, None
    if kind == "date":
        if isinstance(value, datetime):
            return value.date(), None
        if isinstance(value, date):
            return value, None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value), None
            except ValueError:
                pass
        return None, f"expected a date (YYYY-MM-DD), found {_describe(value)}"
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, f"expected a list of text values, found {_describe(value)}"
        bad = [v for v in value if spec.values is not None and v not in spec.values]
        if bad:
            return None, f"'{bad[0]}' is not one of {', '.join(spec.values or [])}"
        return tuple(value), None
    raise AssertionError(kind)  # pragma: no cover - FactSpec.type is a closed set


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, (int, float)):
        return f"{value!r} (a number)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"'{shown}' (text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


# ---------------------------------------------------------------- project folders


def dossier_paths(locations: Sequence[str | Path]) -> list[Path]:
    """The dossier files named by these files and folders (a folder: its *.yaml, sorted)."""
    paths: list[Path] = []
    for location in locations:
        location = Path(location)
        if location.is_dir():
            paths.extend(sorted(p for p in location.iterdir()
                                if p.suffix in DOSSIER_SUFFIXES and p.is_file()
                                and not p.name.startswith(".")))
        elif location.exists():
            paths.append(location)
        else:
            raise ScorerError("no such file or folder", display_path(location))
    return paths


def load_projects(locations: str | Path | Iterable[str | Path], rubric: Rubric) -> list[Dossier]:
    """Load every dossier; all problems of all files are reported together."""
    if isinstance(locations, (str, Path)):
        locations = [locations]
    locations = list(locations)
    paths = dossier_paths(locations)
    if not paths:
        where = ", ".join(display_path(Path(p)) for p in locations)
        raise ScorerError(f"no dossiers (*.yaml) found in {where}; "
                          "create one with `scorer new ID`")
    dossiers: list[Dossier] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            dossiers.append(load_dossier(path, rubric))
        except ScorerError as exc:
            problems.extend(exc.problems)
    by_id: dict[str, Dossier] = {}
    for dossier in dossiers:
        if dossier.id in by_id:
            problems.append(Problem(f"project id '{dossier.id}' is also used by "
                                    f"{by_id[dossier.id].file}; ids must be unique",
                                    dossier.file, *dossier.where("id")))
        by_id.setdefault(dossier.id, dossier)
    if problems:
        raise ScorerError(problems)
    return dossiers

