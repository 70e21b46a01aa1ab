"""What a user sees before running a command: --help at 80 columns, and shell completion."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from scorer.cli import cli
from tests.conftest import PROJECTS, ROOT

COMMANDS = ["", *cli.commands]
"""The group ('') and every command."""


def help_text(command: str, **width: int) -> str:
    args = [command, "--help"] if command else ["--help"]
    result = CliRunner(env={"COLUMNS": "80"}).invoke(cli, args, prog_name="scorer", **width)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help_fits_80_columns_without_breaking_a_word(command, in_repo):
    narrow = help_text(command)
    wide = help_text(command, terminal_width=1000, max_content_width=1000)
    too_wide = [line for line in narrow.splitlines() if len(line) > 80]
    assert not too_wide, "wider than 80 columns:\n" + "\n".join(too_wide)
    # A word cut short by click's "..." (a command's summary in a list) is not broken.
    def words(text: str) -> set[str]:
        return {word.removesuffix("...") for word in text.split()}

    broken = words(narrow) - words(wide)
    assert not broken, f"words broken at 80 columns: {sorted(broken)}"


def test_the_group_help_starts_with_init_and_names_the_settings(in_repo):
    text = help_text("")
    start = text.split("Start with:", 1)[1]
    assert start.split()[:2] == ["scorer", "init"]
    for name in ("SCORER_PROJECTS", "SCORER_RUBRIC", "SCORER_LANG", "[tool.scorer]",
                 "--no-color", "_SCORER_COMPLETE=bash_source", "zsh_source", "fish_source"):
        assert name in text, name


def test_every_command_takes_no_color(in_repo):
    for name in cli.commands:
        assert "--no-color" in help_text(name), name


@pytest.mark.parametrize(("command", "variables"), [
    ("compare", ("SCORER_PROJECTS", "SCORER_RUBRIC", "SCORER_LANG")),
    ("rubric", ("SCORER_RUBRIC", "SCORER_LANG")),
    ("new", ("SCORER_PROJECTS", "SCORER_RUBRIC")),
    ("schema", ("SCORER_RUBRIC",)),
])
def test_help_shows_the_environment_variables(command, variables, in_repo):
    text = " ".join(help_text(command).split())
    for variable in variables:
        assert f"env var: {variable}" in text, (command, variable)


# ---------------------------------------------------------------- completion

def completions(args: list[str], incomplete: str) -> list[str]:
    complete = ShellComplete(cli, {}, "scorer", "_SCORER_COMPLETE")
    return [item.value for item in complete.get_completions(args, incomplete)]


IDS = sorted(path.stem for path in PROJECTS.glob("*.yaml"))


def test_explain_completes_the_project_ids(in_repo):
    assert completions(["explain"], "") == IDS
    assert completions(["explain"], "f") == [i for i in IDS if i.startswith("f")] == ["flux"]
    assert completions(["diff", "today", "--project"], "") == IDS


def test_project_ids_come_from_the_projects_folder_given(tmp_path, in_repo):
    (tmp_path / "iexec.yaml").write_text("id: iexec\n", "utf-8")
    (tmp_path / "notes.md").write_text("not a dossier\n", "utf-8")
    assert completions(["explain", "--projects", str(tmp_path)], "") == ["iexec"]
    assert completions(["explain", "--projects", str(tmp_path / "missing")], "") == []


def test_profile_completes_the_rubrics_profiles(in_repo, default_rubric):
    assert completions(["compare", "--profile"], "") == list(default_rubric.profiles)
    assert completions(["sensitivity", "--profile"], "tok") == ["token_holder"]


def test_profile_completion_reads_the_rubric_given(write, in_repo):
    rubric = write("r.yaml", "profiles:\n  cautious: {}\n  bold: {}\n")
    assert completions(["compare", "--rubric", str(rubric), "--profile"], "") == [
        "cautious", "bold"]
    broken = write("broken.yaml", "profiles: [\n")
    assert completions(["compare", "--rubric", str(broken), "--profile"], "") == []
    forged = write("forged.yaml", 'profiles:\n  "a\\nplain,evil": {}\n  "b c": {}\n  ok: {}\n')
    assert completions(["compare", "--rubric", str(forged), "--profile"], "") == ["ok"]


def test_completion_through_the_shell_protocol(in_repo):
    env = {"_SCORER_COMPLETE": "bash_complete", "COMP_WORDS": "scorer explain fl",
           "COMP_CWORD": "2"}
    result = CliRunner(env=env).invoke(cli, [], prog_name="scorer")
    assert result.exit_code == 0 and result.output.split() == ["plain,flux"]


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "complete -o nosort -F"), ("zsh", "#compdef scorer"), ("fish", "complete")])
def test_each_shell_gets_its_completion_script(shell, marker, in_repo):
    result = CliRunner(env={"_SCORER_COMPLETE": f"{shell}_source"}).invoke(
        cli, [], prog_name="scorer")
    assert result.exit_code == 0
    assert marker in result.output and "_SCORER_COMPLETE" in result.output


def test_completing_a_project_loads_no_dossier_and_no_pandas():
    probe = ("import sys\nfrom scorer.cli import main\ntry:\n    main()\nexcept SystemExit:\n"
             "    pass\nprint('LOADED', 'pandas' in sys.modules, 'numpy' in sys.modules,"
             " file=sys.stderr)\n")
    env = {**os.environ, "_SCORER_COMPLETE": "bash_complete",
           "COMP_WORDS": "scorer explain ", "COMP_CWORD": "2"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    assert [line.partition(",")[2] for line in result.stdout.split()] == IDS
    assert "LOADED False False" in result.stderr
