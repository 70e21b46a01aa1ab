"""Start-up stays light: help and compare never import what they do not use, and the garbage
collector does not trace what start-up imports."""

from __future__ import annotations

import ast
import gc
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROBE = """
import sys
from scorer.cli import main
sys.argv = ["scorer", *{args!r}]
try:
    main()
except SystemExit:
    pass
loaded = sorted(m for m in ("openpyxl", "pandas", "pydantic", "numpy", "rich", "tabulate")
                if m in sys.modules)
print("LOADED", ",".join(loaded), file=sys.stderr)
print("COMMANDS", ",".join(sorted(m.rpartition(".")[2] for m in sys.modules
                                  if m.startswith("scorer.cli.commands."))), file=sys.stderr)
"""


def probe(*args: str, line: str = "LOADED") -> set[str]:
    """What a fresh process running `scorer ARGS` imported: heavy libraries (LOADED) or
    command modules (COMMANDS)."""
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    found = next(x for x in result.stderr.splitlines() if x.startswith(line))
    return set(filter(None, found.removeprefix(f"{line} ").split(",")))


def loaded_modules(*args: str) -> set[str]:
    return probe(*args)


def test_help_imports_no_heavy_library():
    assert loaded_modules("--help") == set()


def test_compare_does_not_import_openpyxl():
    loaded = loaded_modules("compare", "--format", "json")
    assert "pandas" in loaded and "openpyxl" not in loaded


@pytest.mark.parametrize("args", [
    ["rubric"], ["rubric", "--format", "json"], ["validate"], ["validate", "--format", "json"],
    ["schema"], ["compare", "--help"], ["sensitivity", "--help"],
], ids=" ".join)
def test_commands_without_tables_import_neither_pandas_nor_numpy(args):
    loaded = loaded_modules(*args)
    assert not loaded & {"pandas", "numpy", "openpyxl"}, loaded


def test_new_imports_neither_pandas_nor_numpy(tmp_path):
    loaded = loaded_modules("new", "probe", "--projects", str(tmp_path))
    assert (tmp_path / "probe.yaml").is_file()  # it did its work
    assert not loaded & {"pandas", "numpy", "openpyxl"}, loaded


def test_tabulate_loads_only_for_its_formats():
    assert "tabulate" not in loaded_modules("rubric")
    assert "tabulate" not in loaded_modules("compare", "--format", "csv")
    assert "tabulate" in loaded_modules("rubric", "--format", "markdown")


COLLECTIONS = """
import gc, sys
from scorer.cli import main
seen = []
gc.callbacks.append(lambda phase, info: phase == "start" and seen.append(
    ("pandas" in sys.modules, gc.get_freeze_count() > 0)))
sys.argv = ["scorer", "compare", "--format", "json"]
try:
    main()
except SystemExit:
    pass
print("COLLECTIONS", repr((seen, gc.isenabled())), file=sys.stderr)
"""


def test_compare_starts_with_the_collector_paused_and_resumes_it_once_loaded():
    result = subprocess.run([sys.executable, "-c", COLLECTIONS], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    line = next(x for x in result.stderr.splitlines() if x.startswith("COLLECTIONS"))
    seen, enabled = ast.literal_eval(line.removeprefix("COLLECTIONS "))
    # none while pandas was imported and the workspace loaded (before `gc.freeze`) …
    assert not [c for c in seen if c == (True, False)], seen
    # … and the collector ran again once they were done, and is left running
    assert (True, True) in seen and enabled


@pytest.mark.parametrize("args", [["compare", "--format", "json"], ["rubric"],
                                  ["explain", "no-such-project"]], ids=" ".join)
def test_a_command_leaves_the_collector_running(run, args):
    result = run(*args)
    assert result.exit_code == (1 if "no-such-project" in args else 0), result.output
    assert gc.isenabled()


def test_a_callers_paused_collector_stays_paused(run):
    gc.disable()
    try:
        assert run("compare", "--format", "json").exit_code == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(("args", "built"), [
    (["compare", "--format", "json"], {"compare"}),
    (["rubric", "--format", "json"], {"rubric"}),
    (["--help"], {"init", "compare", "explain", "history", "diff", "validate", "rubric",
                  "sensitivity", "export", "schema", "new"}),
], ids=["compare", "rubric", "help"])
def test_a_command_builds_only_its_own_options(args, built):
    assert probe(*args, line="COMMANDS") == built
