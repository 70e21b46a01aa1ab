"""`scorer init`: a starter workspace from the package's own rubric and example dossiers."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from scorer.cli import cli
from scorer.scaffold import starter_files
from tests.conftest import PROJECTS, ROOT

TODAY = "2026-11-26"
BUNDLED = {"rubrics/default.yaml", "rubrics/default.schema.json",
           *(f"projects/{p.name}" for p in PROJECTS.glob("*.yaml"))}


@pytest.fixture
def empty(tmp_path, monkeypatch):
    """An empty folder that is also the home folder, so that no workspace above is found."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SCORER_TODAY", TODAY)
    for name in ("SCORER_PROJECTS", "SCORER_RUBRIC", "SCORER_LANG"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def tree(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_the_starter_files_are_the_repositorys_rubric_and_dossiers():
    files = starter_files()
    assert set(files) == BUNDLED
    for name, data in files.items():
        assert data == (ROOT / name).read_bytes(), name


def test_init_then_compare_in_an_empty_folder(empty):
    result = run("init")
    assert result.exit_code == 0, result.output
    assert tree(empty) == {name: (ROOT / name).read_bytes() for name in BUNDLED}
    assert (empty / "exports").is_dir()
    lines = result.output.splitlines()
    assert lines[0] == "wrote a workspace in this folder:"
    for name in ("rubrics/default.yaml", "rubrics/default.schema.json", "projects/",
                 "exports/"):
        assert any(line.split()[0] == name for line in lines[1:]), name
    assert "5 example dossiers: akash, flux, golem, nosana, render" in result.output
    steps = result.output.split("next:\n", 1)[1].splitlines()
    assert [" ".join(step.split()[:2]) for step in steps][:1] == ["scorer compare"]
    ranked = json.loads(run("compare", "--format", "json").stdout)
    assert sorted(p["id"] for p in ranked["projects"]) == sorted(
        p.stem for p in PROJECTS.glob("*.yaml"))
    assert run("validate").exit_code == 0


def test_init_a_named_folder_says_to_go_there_first(empty, monkeypatch):
    result = run("init", "my analysis")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote a workspace in my analysis:")
    steps = result.output.split("next:\n", 1)[1].splitlines()
    assert steps[0].strip() == "cd 'my analysis'"
    assert set(tree(empty / "my analysis")) == BUNDLED
    monkeypatch.chdir(empty / "my analysis" / "exports")  # any folder below finds it
    assert run("compare", "--format", "json").exit_code == 0


def test_init_overwrites_nothing_and_writes_nothing_when_a_file_exists(empty):
    (empty / "projects").mkdir()
    (empty / "projects" / "flux.yaml").write_text("id: flux\nname: Mine\n", "utf-8")
    before = tree(empty)
    result = run("init")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: projects/flux.yaml exist")
    assert "--force" in result.stderr and "Traceback" not in result.stderr
    assert tree(empty) == before and not (empty / "rubrics").exists()
    assert not (empty / "exports").exists()


def test_init_names_a_few_of_the_files_in_the_way_and_counts_the_rest(empty):
    assert run("init").exit_code == 0
    result = run("init")
    assert result.exit_code == 1
    assert (f"rubrics/default.yaml, rubrics/default.schema.json, projects/akash.yaml and "
            f"{len(BUNDLED) - 3} more exist already") in result.stderr


def test_force_replaces_the_workspaces_files_and_nothing_else(empty):
    (empty / "projects").mkdir()
    (empty / "projects" / "flux.yaml").write_text("id: flux\nname: Mine\n", "utf-8")
    (empty / "projects" / "mine.yaml").write_text("id: mine\nname: Mine\n", "utf-8")
    result = run("init", "--force")
    assert result.exit_code == 0, result.output
    assert (empty / "projects" / "flux.yaml").read_bytes() == (PROJECTS / "flux.yaml").read_bytes()
    assert (empty / "projects" / "mine.yaml").read_text("utf-8") == "id: mine\nname: Mine\n"


def test_a_file_where_a_folder_goes_stops_init_before_it_writes(empty):
    (empty / "exports").write_text("not a folder", "utf-8")
    result = run("init")
    assert result.exit_code == 1
    assert result.stderr.startswith("exports: error: is in the way of the workspace's exports/")
    assert tree(empty) == {"exports": b"not a folder"}


def test_a_failed_write_leaves_no_half_workspace(empty):
    (empty / "projects").mkdir()
    (empty / "projects").chmod(stat.S_IRUSR | stat.S_IXUSR)  # read-only: the dossiers fail
    try:
        result = run("init")
    finally:
        (empty / "projects").chmod(stat.S_IRWXU)
    assert result.exit_code == 1
    assert "projects/akash.yaml" in result.stderr and "read-only" in result.stderr
    assert not (empty / "rubrics").exists()  # written first, then taken back
    assert list((empty / "projects").iterdir()) == [] and not (empty / "exports").exists()


def test_a_dir_that_is_a_file_is_a_usage_error(empty):
    (empty / "taken").write_text("", "utf-8")
    result = run("init", "taken")
    assert result.exit_code == 2 and "is a file" in result.stderr
