"""Settings from anywhere: discovery, environment, [tool.scorer]; and the output settings
--no-color, --bom and --format tsv."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import select
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import scorer
from scorer import config
from scorer.cli import cli
from scorer.cli.options import Progress
from scorer.writers.text import BOM, to_tsv
from tests.conftest import PROJECTS, ROOT

IDS = sorted(p.stem for p in PROJECTS.glob("*.yaml"))
COLOUR = re.compile(r"\x1b\[[0-9;]*?(3[0-7]|9[0-7]|38;[0-9;]+)m")
"""An SGR sequence that sets a foreground colour (bold or italic alone is not one)."""


@pytest.fixture
def home(folder, monkeypatch):
    """A copy of the bundled workspace (tests.cli.conftest's `folder`) that is also the home
    folder, with no setting in the environment."""
    monkeypatch.setenv("HOME", str(folder))
    for name in (*config.ENVIRONMENT.values(), "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    (folder / "exports").mkdir()
    return folder


def run(*args: str, **env: str | None):
    return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


def ranked(*args: str, **env: str | None) -> list[str]:
    result = run("compare", "--format", "json", *args, **env)
    assert result.exit_code == 0, result.output
    return [p["id"] for p in json.loads(result.stdout)["projects"]]


def headers(*args: str, **env: str | None) -> str:
    """The header row of `compare --format markdown`: in the language of the run."""
    result = run("compare", "--format", "markdown", *args, **env)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[0]


def pyproject(folder: Path, table: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(f'[project]\nname = "analysis"\n\n[tool.scorer]\n{table}', "utf-8")
    return path


# ---------------------------------------------------------------- discovery

def test_the_search_goes_up_to_the_home_folder_or_else_the_root(tmp_path):
    deep = tmp_path / "a" / "b"
    assert config.folders(deep, home=tmp_path) == [deep, deep.parent, tmp_path]
    assert config.folders(deep, home=deep / "elsewhere")[-1] == Path("/")


def test_the_nearest_workspace_wins_and_paths_are_relative_to_the_start(tmp_path):
    (tmp_path / "projects").mkdir()
    (tmp_path / "a" / "rubrics").mkdir(parents=True)
    (tmp_path / "a" / "rubrics" / "default.yaml").write_text("", "utf-8")
    start = tmp_path / "a" / "b"
    start.mkdir()
    found = config.discover(start, home=Path("/nowhere"))
    assert found == config.Settings(projects=Path("../projects"),
                                    rubric=Path("../rubrics/default.yaml"))
    assert config.discover(tmp_path, home=Path("/nowhere")).projects == Path("projects")


def test_the_home_folder_counts_only_with_a_rubric(tmp_path):
    (tmp_path / "projects").mkdir()  # ~/projects: seldom a folder of dossiers
    (tmp_path / "work").mkdir()
    assert config.discover(tmp_path / "work", home=tmp_path) == config.Settings()
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "default.yaml").symlink_to("missing.yaml")  # anything counts
    assert config.discover(tmp_path / "work", home=tmp_path).rubric == Path(
        "../rubrics/default.yaml")


def test_any_folder_below_a_workspace_finds_it(home, monkeypatch):
    at_root = ranked()
    below = home / "exports" / "deeper"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    assert ranked() == at_root and sorted(at_root) == IDS


def test_errors_name_files_as_seen_from_the_working_folder(home, monkeypatch):
    (home / "projects" / "broken.yaml").write_text("id: broken\nname: B\nfacts:\n  x.y: 1\n",
                                                   "utf-8")
    monkeypatch.chdir(home / "exports")
    result = run("compare")
    assert result.exit_code == 1
    assert result.stderr.startswith("../projects/broken.yaml:4:")


def test_no_workspace_says_to_run_init_or_pass_the_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in config.ENVIRONMENT.values():
        monkeypatch.delenv(name, raising=False)
    for args in (["compare"], ["explain", "flux"], ["rubric"], ["new", "x"], ["validate"]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert "run `scorer init`" in result.stderr and "--rubric" in result.stderr, args
        assert "Traceback" not in result.stderr
    assert "--projects" in run("compare").stderr
    (tmp_path / "projects").mkdir()  # the home folder's: not a workspace, but here it is
    message = run("compare").stderr
    assert message.startswith("error: no rubrics/default.yaml in this folder or any parent")


# ---------------------------------------------------------------- environment

def test_environment_variables_set_projects_rubric_and_language(home, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(home / "projects", other / "dossiers")
    (other / "dossiers" / "golem.yaml").unlink()
    shutil.copy(home / "rubrics" / "default.yaml", other / "rubric.yaml")
    shutil.rmtree(home / "rubrics")
    env = {"SCORER_PROJECTS": str(other / "dossiers"), "SCORER_RUBRIC": str(other / "rubric.yaml")}
    assert sorted(ranked(**env)) == [i for i in IDS if i != "golem"]
    assert "順位" in headers(SCORER_LANG="ja", **env)
    assert "Rank" in headers("--lang", "en", SCORER_LANG="ja", **env)  # the option first
    assert sorted(ranked("--projects", "projects", **env)) == IDS


def test_a_bad_language_in_the_environment_is_a_usage_error(home):
    result = run("compare", SCORER_LANG="fr")
    assert result.exit_code == 2 and "SCORER_LANG" in result.stderr


# ---------------------------------------------------------------- [tool.scorer]

def test_tool_scorer_sets_defaults_relative_to_its_folder(home, monkeypatch):
    (home / "projects").rename(home / "dossiers")
    pyproject(home, 'projects = "dossiers"\nprofile = "adoption"\n'
                    'min_reliability = "primary"\nlang = "ja"\n')
    monkeypatch.chdir(home / "exports")
    result = run("compare", "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert sorted(p["id"] for p in record["projects"]) == IDS
    assert (record["profile"], record["min_reliability"]) == ("adoption", "primary")
    assert "順位" in headers()


def test_option_beats_environment_beats_pyproject_beats_discovery(home):
    pyproject(home, 'lang = "ja"\n')
    assert "順位" in headers()  # pyproject over the built-in default
    assert "Rank" in headers(SCORER_LANG="en")  # environment over pyproject
    assert "順位" in headers("--lang", "ja", SCORER_LANG="en")  # option over environment
    shutil.copytree(home / "projects", home / "configured")
    (home / "configured" / "flux.yaml").unlink()
    pyproject(home, 'projects = "configured"\n')
    assert "flux" not in ranked()  # pyproject over discovery (./projects)
    assert "flux" in ranked(SCORER_PROJECTS="projects")


def test_the_nearest_pyproject_with_a_scorer_table_counts(home, monkeypatch):
    pyproject(home, 'profile = "adoption"\n')
    (home / "exports" / "pyproject.toml").write_text('[project]\nname = "scorer-free"\n', "utf-8")
    monkeypatch.chdir(home / "exports")
    result = run("compare", "--format", "json")
    assert json.loads(result.stdout)["profile"] == "adoption"


@pytest.mark.parametrize(("table", "message"), [
    ('profle = "adoption"\n', "pyproject.toml:5: error: [tool.scorer]: unknown key 'profle' "
                              "(did you mean 'profile'?)"),
    ('lang = "jp"\n', "pyproject.toml:5: error: [tool.scorer] lang: 'jp' is not one of en, ja"),
    ('projects = 3\n', "pyproject.toml:5: error: [tool.scorer] projects: expected a non-empty "
                       "string, not a number"),
    ('min_reliability = "primry"\n', "pyproject.toml:5: error: [tool.scorer] min_reliability: "
                                     "'primry' is not one of primary, secondary, low (did you "
                                     "mean 'primary'?)"),
    ('lang = "ja"\nlang = "en"\n', "pyproject.toml:6:12: error: invalid TOML: Cannot "
                                   "overwrite a value"),
])
def test_a_bad_tool_scorer_is_one_located_error(home, table, message):
    pyproject(home, table)
    result = run("compare")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr
    assert run("--help").exit_code == 0  # help still helps


def test_every_bad_key_is_reported_at_once(home):
    pyproject(home, 'lang = 1\nfoo = "x"\n')
    lines = run("compare").stderr.splitlines()
    assert [line.split(": error")[0] for line in lines] == ["pyproject.toml:5", "pyproject.toml:6"]


def test_tool_scorer_must_be_a_table(home):
    (home / "pyproject.toml").write_text('[tool]\nscorer = "ja"\n', "utf-8")
    result = run("compare")
    assert result.exit_code == 1
    assert "[tool.scorer] must be a table of settings: projects, rubric" in result.stderr


def test_the_library_finds_the_workspace_as_the_command_line_does(home, monkeypatch):
    monkeypatch.chdir(home / "exports")
    workspace = scorer.load()
    assert sorted(workspace.projects) == IDS
    assert workspace.rubric.id == "default"


# ---------------------------------------------------------------- --no-color

def test_no_color_turns_colours_off_for_the_run_only(home):
    coloured = run("compare", FORCE_COLOR="1")
    assert COLOUR.search(coloured.stdout)
    plain = run("compare", "--no-color", FORCE_COLOR="1")
    assert plain.exit_code == 0 and not COLOUR.search(plain.stdout)
    assert "Render" in plain.stdout and "\x1b[1m" in plain.stdout  # bold stays
    error = run("explain", "nope", "--no-color", FORCE_COLOR="1")
    assert error.exit_code == 1 and "unknown project" in error.stderr
    assert not COLOUR.search(error.stderr) and COLOUR.search(
        run("explain", "nope", FORCE_COLOR="1").stderr)
    assert "NO_COLOR" not in os.environ


# ---------------------------------------------------------------- CSV, TSV, BOM

def test_a_bom_starts_csv_in_japanese_and_when_asked(home):
    def first(*args: str, **env: str | None) -> str:
        result = run(*args, **env)
        assert result.exit_code == 0, result.output
        return result.stdout[:1]

    assert first("compare", "--format", "csv") == "r"
    assert first("compare", "--format", "csv", "--lang", "ja") == BOM
    assert first("compare", "--format", "csv", "--lang", "ja", "--no-bom") == "r"
    assert first("compare", "--format", "csv", "--bom") == BOM
    assert first("history", "--format", "tsv", "--lang", "ja") == BOM
    assert first("rubric", "--format", "csv", "--lang", "ja") == BOM
    assert first("compare", "--format", "csv", SCORER_LANG="ja") == BOM
    assert first("compare", "--format", "json", "--lang", "ja", "--bom") == "{"


@pytest.mark.parametrize("command", [["compare"], ["history", "--every", "year"], ["rubric"]])
def test_tsv_is_the_csv_table_with_tabs_and_no_padding(home, command):
    as_csv = list(csv.reader(io.StringIO(run(*command, "--format", "csv").stdout)))
    tsv = run(*command, "--format", "tsv").stdout
    rows = [line.split("\t") for line in tsv.splitlines()]
    assert rows == as_csv
    assert not any(cell != cell.strip() for row in rows for cell in row)


def test_tsv_numbers_are_numbers(home):
    rows = [line.split("\t") for line in run("compare", "--format", "tsv").stdout.splitlines()]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["id"], record["score"], record["total"]) == ("render", "3.666667", "22")


def test_tsv_keeps_a_row_one_line_and_guards_formulas():
    headers, rows = ["name", "note", "n"], [["a\tb", "=1+1\nnext \\ done", 2.5], [None, "-3", 1]]
    assert to_tsv(headers, rows) == ("name\tnote\tn\n"
                                     "a\\tb\t'=1+1\\nnext \\\\ done\t2.5\n"
                                     "\t-3\t1\n")
    assert to_tsv(headers, rows, raw=True).splitlines()[1] == "a\\tb\t=1+1\\nnext \\\\ done\t2.5"
    assert to_tsv(["x"], [["\x1b[31mred"]]).splitlines()[1] == "\\x1b[31mred"


# ---------------------------------------------------------------- progress

@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("lang", "label"), [("ja", "モンテカルロ"), ("en", "Monte Carlo")])
def test_the_progress_bar_speaks_the_language_of_the_run(monkeypatch, lang, label):
    leader, follower = os.openpty()
    terminal = open(follower, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("COLUMNS", "100")
    try:
        progress = Progress(lang)
        progress.start -= 2  # a run that has taken two seconds already: the bar shows
        for done in range(1, 10):
            progress(done, 10)
        progress.close()
        terminal.flush()
        shown = b""
        while select.select([leader], [], [], 0.5)[0]:
            chunk = os.read(leader, 65536)
            if not chunk:
                break
            shown += chunk
    finally:
        terminal.close()
        os.close(leader)
    assert label in shown.decode("utf-8", "replace")


def test_the_repositorys_own_pyproject_sets_nothing():
    assert config.pyproject(ROOT, home=Path("/nowhere")) == config.Settings()
