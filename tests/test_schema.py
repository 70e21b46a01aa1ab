"""The generated JSON Schema, checked with jsonschema, the validator editors build on."""

from __future__ import annotations

import json
from datetime import date

import pytest
from jsonschema import Draft7Validator

from scorer.safeyaml import load_file, parse
from scorer.scaffold import dossier_template
from scorer.schema import dossier_schema
from tests.conftest import PROJECTS, ROOT


def as_json(value):
    """YAML data as an editor sees it: dates are strings."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


@pytest.fixture(scope="module")
def validator(default_rubric):
    schema = dossier_schema(default_rubric)
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("name", ["flux", "akash", "render"])
def test_bundled_dossiers_satisfy_the_schema(validator, name):
    data = as_json(load_file(PROJECTS / f"{name}.yaml").data)
    assert [e.message for e in validator.iter_errors(data)] == []


def test_a_new_dossier_satisfies_the_schema(validator, default_rubric):
    text = dossier_template(default_rubric, "golem", "Golem", "GLM", date(2026, 1, 1))
    assert list(validator.iter_errors(as_json(parse(text).data))) == []


@pytest.mark.parametrize(("facts", "fragment"), [
    ({"token": {"max_suply": 1}}, "'max_suply' was unexpected"),
    ({"token.launch": "presale"}, "is not valid under any of the given schemas"),
    ({"tech.gpu_compute": {"value": "yes"}}, "is not valid under any of the given schemas"),
    ({"tech": {"gpu_compute": [{"value": True, "sourc": "x"}]}},
     "is not valid under any of the given schemas"),
])  # fmt: skip
def test_the_schema_rejects_what_the_loader_rejects(validator, facts, fragment):
    errors = [e.message for e in validator.iter_errors({"id": "x", "name": "X", "facts": facts})]
    assert any(fragment in message for message in errors), errors


def test_the_committed_schema_is_up_to_date(default_rubric):
    committed = json.loads((ROOT / "rubrics" / "default.schema.json").read_text("utf-8"))
    assert committed == dossier_schema(default_rubric), (
        "run: scorer schema --out rubrics/default.schema.json")


def test_the_dossier_model_describes_its_sources_by_their_model():
    """A loaded dossier keeps its sources as records (`SourceRecord`); its JSON Schema still
    says what a file may write for one, as the `Source` model does."""
    from scorer.models import Dossier, Source

    schema = Dossier.model_json_schema()
    assert schema["properties"]["sources"]["additionalProperties"] == {"$ref": "#/$defs/Source"}
    assert schema["$defs"]["Source"] == Source.model_json_schema()
