"""Start-up stays light: help and compare never import what they do not use."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import sys
from scorer.cli import main
sys.argv = ["scorer", *{args!r}]
try:
    main()
except SystemExit:
    pass
loaded = sorted(m for m in ("openpyxl", "pandas", "pydantic", "numpy", "rich")
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
