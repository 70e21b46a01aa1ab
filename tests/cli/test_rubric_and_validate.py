"""`scorer rubric` renders the method; `scorer validate` reports every problem."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import PROJECTS, ROOT


def test_rubric_table_shows_every_criterion_and_its_why(run, default_rubric):
    out = run("rubric").stdout
    for axis_id, criterion in default_rubric.criteria():
        assert criterion.id in out
        assert criterion.why[:30] in out
        assert f"[{axis_id}]" in out
    assert "balanced" in out and "token_holder" in out


def test_rubric_json_has_normalised_profiles(run):
    data = json.loads(run("rubric", "--format", "json").stdout)
    assert data["default_profile"] == "balanced"
    for weights in data["profiles"].values():
        assert sum(weights.values()) == pytest.approx(1, abs=1e-5)
    assert data["axes"]["technology"]["criteria"][0]["why"]


def test_rubric_markdown_has_criteria_and_weights_tables(run, default_rubric):
    lines = run("rubric", "--format", "markdown").stdout.splitlines()
    headers = [i for i, line in enumerate(lines[:-1]) if line.startswith("| ")
               and lines[i + 1].startswith("|-")]
    assert len(headers) == 2  # the criteria table, then the weights table
    criteria = [c.strip() for c in lines[headers[0]].strip("|").split("|")]
    assert criteria == ["Axis", "Criterion", "Rule", "Points", "Why"]
    rows = lines[headers[0] + 2: headers[1] - 1]
    assert [r.split("|")[2].strip() for r in rows] == [c.id for _, c in default_rubric.criteria()]
    weights = [c.strip() for c in lines[headers[1]].strip("|").split("|")]
    assert weights[2:] == ["balanced", "token_holder", "adoption"]


def test_validate_passes_on_the_bundled_files(run):
    result = run("validate")
    assert result.exit_code == 0
    assert "5 dossiers valid: akash, flux, golem, nosana, render" in result.stdout


def copy_projects(tmp_path):
    target = tmp_path / "projects"
    shutil.copytree(PROJECTS, target)
    return target


def test_a_broken_dossier_in_projects_fails_every_command_with_its_location(run, tmp_path):
    projects = copy_projects(tmp_path)
    (projects / "broken.yaml").write_text("id: broken\nname: Broken\nfacts:\n"
                                          "  token:\n    max_suply: 5\n", encoding="utf-8")
    for command in (["validate"], ["compare"], ["explain", "flux"]):
        result = run(*command, "--projects", str(projects))
        assert result.exit_code == 1, command
        assert "broken.yaml:5:5: error: unknown fact 'token.max_suply' (did you mean " \
               "'token.max_supply'?)" in result.stderr
        assert "Traceback" not in result.stderr


def test_validate_reports_every_problem_of_every_file(run, tmp_path):
    projects = copy_projects(tmp_path)
    (projects / "one.yaml").write_text("id: one\nname: One\nfacts:\n  tech.gpu_compute: yes"
                                       "\n  tech.open_source: 3\n", encoding="utf-8")
    (projects / "two.yaml").write_text("id: flux\nname: Copy\n", encoding="utf-8")
    result = run("validate", "--projects", str(projects))
    assert result.exit_code == 1
    err = result.stderr
    assert "one.yaml:5:21: error: tech.open_source: expected true or false" in err
    assert "two.yaml:1:5: error: project id 'flux' is also used by" in err


def test_validate_a_single_file(run):
    result = run("validate", "projects/flux.yaml")
    assert result.exit_code == 0 and "1 dossier valid: flux" in result.stdout


def test_missing_rubric_says_how_to_start_a_workspace(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["compare"], ["validate"], ["validate", "--format", "lines"]):
        result = run(*command)
        assert result.exit_code == 1, command
        assert "rubrics/default.yaml" in result.output and "scorer init" in result.output
    result = run("validate", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and data["valid"] is False and data["rubric"] is None
    assert "scorer init" in data["problems"][0]["message"]


def test_validate_and_rubric_say_which_axes_cannot_reach_the_whole_scale(run, tmp_path):
    text = (ROOT / "tests" / "data" / "mini_rubric.yaml").read_text(encoding="utf-8")
    rubric = tmp_path / "r.yaml"
    rubric.write_text(text.replace("base: 3", "base: 2"), encoding="utf-8")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "x.yaml").write_text("id: x\nname: X\n", encoding="utf-8")
    result = run("validate", "--rubric", str(rubric), "--projects", str(tmp_path / "p"))
    assert result.exit_code == 0
    assert ("axis 'beta' can only score 1–4, not the whole scale 1–5: its base and criteria "
            "cannot reach the highest score") in result.stderr
    assert "axis 'alpha'" not in result.stderr  # base 1 + up to 5 points: 1–5
    data = json.loads(run("rubric", "--rubric", str(rubric), "--format", "json").stdout)
    assert data["axes"]["beta"]["reachable"] == [1, 4]
    assert data["axes"]["alpha"]["reachable"] == [1, 5]
    assert "reaches 1–4" in run("rubric", "--rubric", str(rubric)).stdout
