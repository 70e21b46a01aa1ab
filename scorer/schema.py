"""A JSON Schema for dossiers, generated from a rubric, so editors complete and check facts.

The schema follows the rubric's vocabulary: a fact path is a property with the fact's
type, unit and description; each fact may be a bare value, one observation, or a list of
dated observations. It mirrors `scorer.loading` for editors; `scorer validate` stays the
authority (it also checks sources, dates and overrides against the rubric).
"""

from __future__ import annotations

from typing import Any

from scorer.dates import SCHEMA as WHEN_SCHEMA
from scorer.facttypes import range_schema
from scorer.models import SLUG, FactSpec, Rubric

SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
_DATE = WHEN_SCHEMA


def _describe(path: str, spec: FactSpec) -> str:
    parts = [spec.type + (f", {spec.unit}" if spec.unit else "")]
    if spec.description:
        parts.append(spec.description)
    return f"{path} ({parts[0]})" + (f": {parts[1]}" if len(parts) > 1 else "")


def _fact_schema(path: str, spec: FactSpec) -> dict[str, Any]:
    value = spec.kind.json_schema(spec)
    if spec.kind.numeric:  # a range, floor or ceiling when no source gives one number
        value = {"anyOf": [value, range_schema(spec)]}
    source = {"type": "string", "description": "An id from this dossier's sources"}
    alternative = {
        "type": "object",
        "required": ["value"],
        "additionalProperties": False,
        "properties": {"value": value, "source": source, "note": {"type": "string"}},
    }
    observation = {
        "type": "object",
        "required": ["value"],
        "additionalProperties": False,
        "properties": {
            "value": value,
            "source": source,
            "as_of": _DATE,
            "note": {"type": "string"},
            "alternatives": {
                "type": "array", "minItems": 1, "items": alternative,
                "description": "The values other sources give for the same period",
            },
        },
    }
    return {
        "description": _describe(path, spec),
        "anyOf": [value, observation, {"type": "array", "minItems": 1, "items": observation}],
    }


def dossier_schema(rubric: Rubric) -> dict[str, Any]:
    """The JSON Schema (draft-07) of a dossier valid against `rubric`."""
    groups: dict[str, dict[str, Any]] = {}
    flat: dict[str, Any] = {}
    for path, spec in rubric.facts.items():
        flat[path] = _fact_schema(path, spec)
        group, _, rest = path.partition(".")
        if rest:
            node = groups.setdefault(group, {"type": ["object", "null"], "properties": {},
                                             "additionalProperties": False})
            _nest(node, rest.split("."), flat[path])
    scale = rubric.scale
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"scorer dossier for rubric '{rubric.id}' v{rubric.version}",
        "description": rubric.title(),
        "type": "object",
        "required": ["id", "name"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": SLUG.pattern,
                   "description": "Unique project id: lowercase letters, digits, - and _"},
            "name": {"type": "string", "minLength": 1},
            "ticker": {"type": "string"},
            "description": {"type": "string"},
            "website": {"type": "string", "pattern": r"^https?://\S+$"},
            "as_of": {**_DATE, "description": "The date this dossier was last reviewed"},
            "sources": {
                "type": ["object", "null"],
                "propertyNames": {"pattern": SLUG.pattern},
                "additionalProperties": {
                    "type": "object",
                    "required": ["title"],
                    "additionalProperties": False,
                    "properties": {
                        "title": {"type": "string", "minLength": 1},
                        "url": {"type": "string", "pattern": r"^https?://\S+$"},
                        "date": _DATE,
                        "publisher": {"type": "string"},
                        "reliability": {"enum": ["primary", "secondary", "low"]},
                        "note": {"type": "string"},
                    },
                },
            },
            "facts": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {**groups, **flat},
            },
            "overrides": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {
                    axis_id: {
                        "type": "object",
                        "required": ["score", "reason"],
                        "additionalProperties": False,
                        "description": f"Replace the computed score of {axis.label()}",
                        "properties": {
                            "score": {"type": "number", "minimum": scale.min,
                                      "maximum": scale.max, "multipleOf": scale.step},
                            "reason": {"type": "string", "minLength": 1},
                        },
                    }
                    for axis_id, axis in rubric.axes.items()
                },
            },
        },
    }


def _nest(node: dict[str, Any], parts: list[str], leaf: dict[str, Any]) -> None:
    for part in parts[:-1]:
        node = node["properties"].setdefault(
            part, {"type": ["object", "null"], "properties": {}, "additionalProperties": False})
    node["properties"][parts[-1]] = leaf
