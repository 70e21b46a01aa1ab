"""Real client: LibreOffice recalculates the What-if sheet after its weights are edited.

The workbook is written by scorer, its weight cells are edited with openpyxl (as a user would
type new weights), LibreOffice opens it headless and saves it again (recalculating every
formula), and the scores and ranks it computed must equal `scorer compare --weights`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
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
    MESSAGE_ROW,
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
# Their sum overflows a double (1e308 + 1e308 = inf): normalised by the largest first, they
# must still give scores, never #NUM!
HUGE = {"technology": 1e308, "market_fit": 1e308, "token_economy": 5e307,
        "team_community": 1e308, "growth_strategy": 1e308, "risk": 1.5e308}
CASES = {"risk heavy": ("en", RISK_HEAVY), "tie": ("en", TIE),
         "japanese sheet names": ("ja", RISK_HEAVY), "huge weights": ("en", HUGE)}


def recalculate(source: Path, out_dir: Path, profile: Path, to: str = "xlsx") -> Path:
    """Open `source` in LibreOffice and save it again as xlsx (or `to`, e.g. pdf); return the
    new file."""
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--calc",
         "--convert-to", to, "--outdir", str(out_dir), str(source)],
        capture_output=True, text=True, timeout=300, check=False)
    converted = out_dir / source.with_suffix(f".{to}").name
    assert result.returncode == 0 and converted.exists(), (result.stdout, result.stderr)
    return converted


def without_values(source: Path, target: Path) -> Path:
    """`source` saved again by openpyxl, which keeps the formulas and drops their saved
    values: LibreOffice must compute every one itself."""
    target.parent.mkdir(parents=True, exist_ok=True)
    openpyxl.load_workbook(source).save(target)
    with zipfile.ZipFile(target) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(re.search(rb"</f><v>[^<]", xml) for xml in sheets)
    return target


def set_weights(source: Path, target: Path, weights: dict[str, float]) -> Path:
    """`source` with new weights typed into its weight cells (by their names)."""
    book = openpyxl.load_workbook(source)
    for axis, weight in weights.items():
        [(sheet, ref)] = list(book.defined_names[weight_name(axis)].destinations)
        book[sheet][ref.replace("$", "")].value = weight
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


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
    edited = set_weights(workbooks[lang], tmp_path / "in" / "scores.xlsx", weights)

    converted = recalculate(edited, tmp_path / "out", tmp_path / "lo-profile")

    spec = ",".join(f"{axis}={w:g}" for axis, w in weights.items())
    result = CliRunner().invoke(cli, ["compare", "--format", "json", "--weights", spec,
                                      "--rubric", str(inputs[0]), "--projects",
                                      str(inputs[1]), "--lang", lang],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    expected = {p["name"]: p for p in json.loads(result.stdout)["projects"]}

    values = openpyxl.load_workbook(converted, data_only=True)
    formulas = openpyxl.load_workbook(converted)
    sheet = "What-if" if lang == "en" else "試算"
    ws, live = values[sheet], formulas[sheet]
    header = [c.value for c in ws[WHATIF_HEADER_ROW]]
    at = {word: header.index(t(word, lang)) + 1 for word in ("project", "score", "grade",
                                                              "rank")}
    at["total"] = header.index(f"{t('total', lang)} /30") + 1
    seen = {}
    for row in range(WHATIF_HEADER_ROW + 1, WHATIF_HEADER_ROW + 1 + len(expected)):
        name, score, total, grade, rank = (ws.cell(row=row, column=at[word]).value for word in
                                           ("project", "score", "total", "grade", "rank"))
        assert isinstance(score, float | int) and isinstance(rank, int), (name, score, rank)
        seen[name] = (score, total, grade, rank)
        # still formulas after the round trip, so the sheet stays live
        for word in ("score", "total", "grade", "rank"):
            assert live.cell(row=row, column=at[word]).data_type == "f", word
    assert set(seen) == set(expected)
    for name, (score, total, grade, rank) in seen.items():
        assert score == pytest.approx(expected[name]["score"], abs=1e-6), name
        assert total == pytest.approx(expected[name]["total"], abs=1e-6), name
        assert grade == expected[name]["grade"] + (f" ({t('provisional', lang)})"
                                                   if expected[name]["provisional"] else "")
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


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_saved_values_are_what_libreoffice_computes(tmp_path, workbooks, lang):
    """The values saved with the formulas (what pandas and previewers show) equal those
    LibreOffice computes from the formulas alone."""
    source = workbooks[lang]
    stripped = without_values(source, tmp_path / "in" / "scores.xlsx")
    converted = recalculate(stripped, tmp_path / "out", tmp_path / "lo-profile")
    formulas = openpyxl.load_workbook(source)
    saved = openpyxl.load_workbook(source, data_only=True)
    computed = openpyxl.load_workbook(converted, data_only=True)
    compared = 0
    for ws in formulas:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                mine = saved[ws.title][cell.coordinate].value
                theirs = computed[ws.title][cell.coordinate].value
                if isinstance(theirs, float | int) and not isinstance(theirs, bool):
                    assert mine == pytest.approx(theirs, rel=1e-12, abs=1e-12), cell.coordinate
                else:
                    assert (mine or "") == (theirs or ""), cell.coordinate
                compared += 1
    assert compared >= 6 + 4 * 5 + 1  # normalised weights, 4 formulas × 5 projects, message


def test_every_weight_zero_says_so_instead_of_errors(tmp_path, workbooks):
    axes = list(RISK_HEAVY)
    edited = set_weights(workbooks["en"], tmp_path / "in" / "scores.xlsx",
                         dict.fromkeys(axes, 0))
    converted = recalculate(edited, tmp_path / "out", tmp_path / "lo-profile")
    ws = openpyxl.load_workbook(converted, data_only=True)["What-if"]
    assert ws.cell(row=MESSAGE_ROW, column=1).value == t("whatif.all_zero")
    shown = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in shown if v.startswith("#")]  # no #DIV/0!, #VALUE!, #NUM!
    for row in range(WHATIF_HEADER_ROW + 1, WHATIF_HEADER_ROW + 6):
        assert [ws.cell(row=row, column=c).value for c in range(2, 6)] == [None] * 4


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of every page of a PDF that LibreOffice wrote (each page object
    names its MediaBox)."""
    pages = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+"
                       rb"([\d.]+)\s+([\d.]+)\s*\]", pdf, re.S)
    if not pages:  # the MediaBox before the type
        pages = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+"
                           rb"([\d.]+)\s*\][^>]*?/Type\s*/Page\b(?!s)", pdf, re.S)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in pages]


def test_the_workbook_prints_landscape_on_a_sane_number_of_pages(tmp_path, inputs):
    """A PDF of the whole workbook, as a reader would print it: every page landscape A4,
    each sheet fitted to the width, so few pages."""
    out = tmp_path / "in" / "scores.xlsx"
    result = CliRunner().invoke(cli, ["export", "--rubric", str(inputs[0]), "--projects",
                                      str(inputs[1]), "--samples", "300", "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    sheets = len(openpyxl.load_workbook(out).sheetnames)
    pdf = recalculate(out, tmp_path / "out", tmp_path / "lo-profile", to="pdf")
    pages = pdf_pages(pdf.read_bytes())
    assert sheets <= len(pages) <= 40, len(pages)
    assert all(width > height for width, height in pages)  # landscape
    assert all(abs(width - 842) < 2 and abs(height - 595) < 2 for width, height in pages)  # A4
