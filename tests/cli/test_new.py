"""Adding a competitor: `scorer new`, then validate and compare, in a fresh folder."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from scorer.cli import cli
from tests.conftest import ROOT

BUNDLED = sorted(p.name for p in (ROOT / "projects").iterdir())
DOSSIERS = [name for name in BUNDLED if name.endswith(".yaml")]


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "projects", tmp_path / "projects")
    (tmp_path / "rubrics").mkdir()
    shutil.copy(ROOT / "rubrics" / "default.yaml", tmp_path / "rubrics" / "default.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_new_then_validate_then_compare(workspace):
    result = run("new", "iexec", "--name", "iExec", "--ticker", "RLC")
    assert result.exit_code == 0, result.output
    dossier = workspace / "projects" / "iexec.yaml"
    text = dossier.read_text("utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../rubrics/default.schema.json"
    assert (workspace / "rubrics" / "default.schema.json").exists()
    assert "# tech.useful_work:" in text and "# --- token" in text
    assert run("validate", "projects/iexec.yaml").exit_code == 0
    data = json.loads(run("compare", "--format", "json").stdout)
    iexec = next(p for p in data["projects"] if p["id"] == "iexec")
    assert iexec["coverage"] == 0 and iexec["name"] == "iExec"
    assert len(data["projects"]) == len(DOSSIERS) + 1


def test_every_fact_of_the_rubric_is_listed(workspace, default_rubric):
    run("new", "iexec")
    text = (workspace / "projects" / "iexec.yaml").read_text("utf-8")
    for path in default_rubric.facts:
        assert f"# {path}:" in text, path


def test_an_uncommented_placeholder_fails_validation(workspace):
    run("new", "iexec")
    dossier = workspace / "projects" / "iexec.yaml"
    text = dossier.read_text("utf-8").replace("facts:\n", "facts:\n  tech.gpu_compute: "
                                              "<true|false>\n", 1)
    dossier.write_text(text, "utf-8")
    result = run("validate", "projects/iexec.yaml")
    assert result.exit_code == 1 and "expected true or false" in result.stderr


@pytest.mark.parametrize("bad", ["../evil", "a/b", "Golem", "with space", ".hidden", ""])
def test_refuses_ids_that_are_not_slugs(workspace, bad):
    result = run("new", bad)
    assert result.exit_code == 2 and "is not a simple id" in result.stderr
    assert sorted(p.name for p in (workspace / "projects").iterdir()) == BUNDLED


def test_refuses_to_overwrite_unless_forced(workspace):
    flux = workspace / "projects" / "flux.yaml"
    before = flux.read_bytes()
    result = run("new", "flux")
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert flux.read_bytes() == before
    assert run("new", "flux", "--force").exit_code == 0
    assert flux.read_bytes() != before


def test_schema_prints_or_writes(workspace):
    printed = json.loads(run("schema").stdout)
    assert printed["title"].startswith("scorer dossier for rubric 'default'")
    assert run("schema", "--out", "out/schema.json").exit_code == 0
    assert json.loads((workspace / "out" / "schema.json").read_text("utf-8")) == printed


def test_the_name_and_ticker_are_quoted_so_they_cannot_write_yaml(workspace):
    name, ticker = "Golem\nwebsite: https://evil\n#", "G\u2028L\x85M\u202e"
    assert run("new", "iexec", "--name", name, "--ticker", ticker).exit_code == 0
    lines = (workspace / "projects" / "iexec.yaml").read_text("utf-8").splitlines()
    assert 'name: "Golem\\nwebsite: https://evil\\n#"' in lines
    assert 'ticker: "G\\u2028L\\x85M\\u202e"' in lines
    assert "# Dossier for Golem\\nwebsite: https://evil\\n#, scored with the rubric" in lines[1]
    assert not any(line.startswith("website") for line in lines)
    data = json.loads(run("compare", "--format", "json").stdout)
    assert next(p for p in data["projects"] if p["id"] == "iexec")["name"] == name


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--name", "   ", "must not be blank"),
    ("--ticker", "GL\udcffM", "is not valid Unicode text"),
])  # fmt: skip
def test_a_name_that_cannot_be_written_is_a_usage_error_that_writes_nothing(workspace, option,
                                                                           value, message):
    result = run("new", "iexec", option, value)
    assert result.exit_code == 2 and f"Invalid value for {option}: {message}" in result.stderr
    assert sorted(p.name for p in (workspace / "projects").iterdir()) == BUNDLED
    assert not (workspace / "rubrics" / "default.schema.json").exists()
