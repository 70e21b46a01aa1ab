"""Start-up stays light: help and compare never import what they do not use."""

from __future__ import annotations

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
"""


def loaded_modules(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    line = next(x for x in result.stderr.splitlines() if x.startswith("LOADED"))
    return set(filter(None, line.removeprefix("LOADED ").split(",")))


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
