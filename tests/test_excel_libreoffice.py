"""Real client: LibreOffice recalculates the What-if sheet after its weights are edited.

The workbook is written by scorer, its weight cells are edited with openpyxl (as a user would
type new weights), LibreOffice opens it headless and saves it again (recalculating every
formula), and the scores and ranks it computed must equal `scorer compare --weights`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from scorer.analysis import analyse
from scorer.cli import cli
from scorer.i18n import t
from scorer.loading import load_projects, load_rubric
from scorer.writers.excel import (
    WHATIF_HEADER_ROW,
    weight_name,
    write_workbook,
)
from tests.conftest import DEFAULT_RUBRIC, PROJECTS

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if SOFFICE is None:
    pytest.skip("LibreOffice (soffice) is not installed: the What-if round trip needs a real "
                "spreadsheet to recalculate the formulas (Debian/Ubuntu: apt-get install -y "
                "--no-install-recommends libreoffice-calc-nogui)", allow_module_level=True)

RISK_HEAVY = {"technology": 0.5, "market_fit": 1, "token_economy": 1, "team_community": 1,
              "growth_strategy": 1, "risk": 3}
# Akash and Flux tie at 3.5 here: both must get rank 1, and Render rank 3
TIE = {"technology": 1, "market_fit": 1, "token_economy": 0, "team_community": 0,
       "growth_strategy": 0, "risk": 0}
CASES = {"risk heavy": ("en", RISK_HEAVY), "tie": ("en", TIE),
         "japanese sheet names": ("ja", RISK_HEAVY)}


def recalculate(source: Path, out_dir: Path, profile: Path) -> Path:
    """Open `source` in LibreOffice and save it again as xlsx; return the new file."""
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--calc",
         "--convert-to", "xlsx", "--outdir", str(out_dir), str(source)],
        capture_output=True, text=True, timeout=120, check=False)
    converted = out_dir / source.name
    assert result.returncode == 0 and converted.exists(), (result.stdout, result.stderr)
    return converted


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the bundled rubric and dossiers, so edits made meanwhile change nothing."""
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copy(DEFAULT_RUBRIC, folder / "rubric.yaml")
    shutil.copytree(PROJECTS, folder / "projects")
    return folder / "rubric.yaml", folder / "projects"


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory, inputs) -> dict[str, Path]:
    """The workbook as `scorer export` writes it, in each language (with every sheet)."""
    rubric = load_rubric(inputs[0])
    a = analyse(rubric, load_projects(inputs[1], rubric))
    sensitivity = a.sensitivity(samples=1000)
    paths = {}
    for lang in ("en", "ja"):
        paths[lang] = tmp_path_factory.mktemp(lang) / "scores.xlsx"
        write_workbook(paths[lang], a, sensitivity, lang=lang, generated_at=datetime.now(UTC))
    return paths


@pytest.mark.parametrize(("lang", "weights"), CASES.values(), ids=CASES.keys())
def test_libreoffice_recalculates_what_if_like_scorer(tmp_path, inputs, workbooks, lang,
                                                      weights):
    book = openpyxl.load_workbook(workbooks[lang])
    for axis, weight in weights.items():
        [(sheet, ref)] = list(book.defined_names[weight_name(axis)].destinations)
        book[sheet][ref.replace("$", "")].value = weight
    edited = tmp_path / "in" / "scores.xlsx"
    edited.parent.mkdir()
    book.save(edited)

    converted = recalculate(edited, tmp_path / "out", tmp_path / "lo-profile")

    spec = ",".join(f"{axis}={w:g}" for axis, w in weights.items())
    result = CliRunner().invoke(cli, ["compare", "--format", "json", "--weights", spec,
                                      "--rubric", str(inputs[0]), "--projects",
                                      str(inputs[1])], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    expected = {p["name"]: p for p in json.loads(result.stdout)["projects"]}

    values = openpyxl.load_workbook(converted, data_only=True)
    formulas = openpyxl.load_workbook(converted)
    sheet = "What-if" if lang == "en" else "試算"
    ws, live = values[sheet], formulas[sheet]
    assert [c.value for c in ws[WHATIF_HEADER_ROW][:3]] == [t(word, lang) for word in
                                                              ("project", "score", "rank")]
    seen = {}
    for row in range(WHATIF_HEADER_ROW + 1, WHATIF_HEADER_ROW + 1 + len(expected)):
        name, score, rank = (ws.cell(row=row, column=c).value for c in (1, 2, 3))
        assert isinstance(score, float | int) and isinstance(rank, int), (name, score, rank)
        seen[name] = (score, rank)
        # still formulas after the round trip, so the sheet stays live
        assert live.cell(row=row, column=2).data_type == "f"
        assert live.cell(row=row, column=3).data_type == "f"
    assert set(seen) == set(expected)
    for name, (score, rank) in seen.items():
        assert score == pytest.approx(expected[name]["score"], abs=1e-6), name
        assert rank == expected[name]["rank"], name
    for axis in weights:  # the names survive LibreOffice and still point at the weights
        assert weight_name(axis) in formulas.defined_names


def test_libreoffice_keeps_every_project_whatever_its_text(tmp_path):
    """Characters XML forbids once made LibreOffice drop a project's row without a word."""
    import pandas as pd

    from scorer.untrusted import printable
    from tests.hostile.test_outputs import ATTACKS, hostile_workspace

    text = "".join(ATTACKS[k] for k in ("XML non-characters", "NUL and controls",
                                        "bidi override", "formula", "YAML line breaks"))
    folder = hostile_workspace(tmp_path / "workspace", text)
    rubric = load_rubric(folder / "rubrics" / "default.yaml")
    a = analyse(rubric, load_projects(folder / "projects", rubric))
    source = tmp_path / "in" / "hostile.xlsx"
    source.parent.mkdir()
    write_workbook(source, a, a.sensitivity(samples=100), generated_at=datetime.now(UTC))

    converted = recalculate(source, tmp_path / "out", tmp_path / "lo-profile")

    summary = pd.read_excel(converted, sheet_name="Summary", header=3)
    assert sorted(summary["Project"]) == sorted([printable(text, newlines=True), "Plain"])
