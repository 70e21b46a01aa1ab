"""The Excel workbook, read back with openpyxl and pandas and checked against `scorer compare`.

Every workbook here is written from the bundled rubric and dossiers (or a copy of them with
one more dossier), with the real sensitivity module.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl.chart import BarChart, LineChart, RadarChart, ScatterChart
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

import scorer
from scorer.analysis import Analysis, analyse
from scorer.cli import cli
from scorer.errors import ScorerError
from scorer.loading import load_projects, load_rubric
from scorer.views.common import outcome_text
from scorer.views.explanation import explain_record
from scorer.views.sensitivity import Sensitivity
from scorer.writers.excel import (
    AXIS_ROW,
    FIRST_AXIS_COLUMN,
    HEADER_ROW,
    MESSAGE_ROW,
    NORMALISED_ROW,
    WEIGHT_ROW,
    WHATIF_HEADER_ROW,
    build_workbook,
    generation_time,
    weight_name,
    write_workbook,
)
from scorer.writers.excel.cells import display_width
from tests.conftest import DEFAULT_RUBRIC, PROJECTS, ROOT

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
SAMPLES, SEED = 4000, 7

HOSTILE_NAME = '=HYPERLINK("http://x","y")'
HOSTILE_NOTE = "+cmd|' /C calc'!A0"
HOSTILE_TITLE = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_REASON = "-2+3 because =SUM(A1)"
HOSTILE_DOSSIER = """\
id: hostile
name: '=HYPERLINK("http://x","y")'
sources:
  evil:
    title: '@SUM(1+1)*cmd|'' /C calc''!A0'
    url: https://example.com/evil
    date: 2025-01-01
facts:
  token.max_supply: {value: 1000, source: evil, note: "+cmd|' /C calc'!A0"}
  tech.gpu_compute: {value: true, source: evil, note: "=1+1\\a bell"}
overrides:
  risk: {score: 4, reason: "-2+3 because =SUM(A1)"}
"""


@dataclass(frozen=True)
class Inputs:
    """A rubric and a folder of dossiers, read by the library and by the CLI alike."""

    rubric: Path
    projects: Path

    def analyse(self, **options: Any) -> Analysis:
        rubric = load_rubric(self.rubric)
        return analyse(rubric, load_projects(self.projects, rubric), **options)

    def compare(self, *args: str) -> dict[str, Any]:
        """`scorer compare --format json` through click, as a user would run it."""
        result = CliRunner().invoke(cli, ["compare", "--format", "json", "--rubric",
                                          str(self.rubric), "--projects", str(self.projects),
                                          *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


def snapshot(folder: Path) -> Inputs:
    """A copy of the bundled rubric and dossiers, so edits made meanwhile change nothing."""
    shutil.copy(DEFAULT_RUBRIC, folder / "rubric.yaml")
    shutil.copytree(PROJECTS, folder / "projects")
    return Inputs(folder / "rubric.yaml", folder / "projects")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Inputs:
    return snapshot(tmp_path_factory.mktemp("bundled"))


@pytest.fixture(scope="module")
def analysis(bundled: Inputs) -> Analysis:
    return bundled.analyse()


@pytest.fixture(scope="module")
def sensitivity(analysis: Analysis) -> Sensitivity:
    return analysis.sensitivity(samples=SAMPLES, seed=SEED)


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory, analysis, sensitivity) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "scores.xlsx"
    write_workbook(path, analysis, sensitivity, generated_at=WHEN)
    return path


@pytest.fixture(scope="module")
def wb(workbook_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(workbook_path)


def column_of(ws, row: int, header: str, start: int = 1) -> int:
    for cell in ws[row]:
        if cell.value == header and cell.column >= start:
            return cell.column
    raise AssertionError(f"no header {header!r} in row {row} of {ws.title}")


def find_row(ws, column: int, value: Any) -> int:
    for (cell,) in ws.iter_rows(min_col=column, max_col=column):
        if cell.value == value:
            return cell.row
    raise AssertionError(f"{value!r} not found in column {column} of {ws.title}")


# ---------------------------------------------------------------- Summary


OPTIONS = [
    ([], {}),
    (["--as-of", "2025-08-26"], {"as_of": date(2025, 8, 26)}),
    (["--profile", "token_holder"], {"profile": "token_holder"}),
    (["--weights", "risk=3,technology=0.5"], {"weights": {"risk": 3, "technology": 0.5}}),
]


@pytest.mark.parametrize(("args", "options"), OPTIONS, ids=["default", "as-of", "profile",
                                                              "weights"])
def test_summary_matches_compare_json(tmp_path, bundled, args, options):
    a = bundled.analyse(**options)
    path = tmp_path / "scores.xlsx"
    write_workbook(path, a, None, generated_at=WHEN)
    expected = bundled.compare(*args)
    table = pd.read_excel(path, sheet_name="Summary", header=HEADER_ROW - 1)
    assert list(table["Id"]) == [p["id"] for p in expected["projects"]]
    for (_, row), project in zip(table.iterrows(), expected["projects"], strict=True):
        assert row["Rank"] == project["rank"]
        assert row["Project"] == project["name"]
        assert row["Score"] == pytest.approx(project["score"], abs=1e-6)
        assert row["Total /30"] == pytest.approx(project["total"], abs=1e-6)
        assert row["Grade"] == project["grade"] + (" (provisional)" if project["provisional"]
                                                   else "")
        assert row["Coverage"] == pytest.approx(project["coverage"], abs=1e-6)
        assert [row["Total, lowest"], row["Total, highest"]] == pytest.approx(
            project["total_range"], abs=1e-6)
        assert [row["Best rank"], row["Worst rank"]] == project["rank_range"]
        assert (row["Provisional"] is True) == project["provisional"]  # else blank, not FALSE
        for axis_id, score in project["axes"].items():
            assert row[a.rubric.axes[axis_id].short_label()] == score
    title = openpyxl.load_workbook(path)["Summary"]["A2"].value
    assert f"as of {expected['as_of']}" in title and f"profile {expected['profile']}" in title


def test_summary_formats_colours_and_frozen_header(wb, analysis):
    ws = wb["Summary"]
    first = HEADER_ROW + 1
    formats = {ws.cell(row=HEADER_ROW, column=c).value: ws.cell(row=first, column=c).number_format
               for c in range(1, ws.max_column + 1)}
    assert formats["Score"] == "0.00" and formats["Total /30"] == "0.0"
    assert formats["Coverage"] == "0%"
    assert ws.freeze_panes == f"C{first}"
    scales = [(str(rng.sqref), rule) for rng in ws.conditional_formatting for rule in rng.rules
              if rule.type == "colorScale"]
    first_axis = column_of(ws, HEADER_ROW, analysis.rubric.axes["technology"].short_label())
    last_axis = column_of(ws, HEADER_ROW, analysis.rubric.axes["risk"].short_label())
    ref = (f"{get_column_letter(first_axis)}{first}:{get_column_letter(last_axis)}"
           f"{HEADER_ROW + len(analysis.ranking)}")
    assert [r for r, _ in scales] == [ref]
    values = [float(v.val) for v in scales[0][1].colorScale.cfvo]
    assert values == [analysis.rubric.scale.min, 3, analysis.rubric.scale.max]
    assert ws.column_dimensions["B"].width >= len("Render")


def test_overrides_are_marked_with_their_reason(tmp_path):
    inputs = snapshot(tmp_path)
    flux = inputs.projects / "flux.yaml"
    text = flux.read_text(encoding="utf-8")
    assert "overrides: {}" in text
    reason = "Emergency keys reviewed by the analyst"
    flux.write_text(text.replace("overrides: {}", f"overrides:\n  risk: {{score: 4, reason: "
                                                  f"{reason}}}"), encoding="utf-8")
    a = inputs.analyse()
    path = tmp_path / "scores.xlsx"
    write_workbook(path, a, None, generated_at=WHEN)
    assert next(p for p in inputs.compare()["projects"]
                if p["id"] == "flux")["overrides"] == ["risk"]
    book = openpyxl.load_workbook(path)
    ws = book["Summary"]
    row = find_row(ws, 3, "flux")
    risk = ws.cell(row=row, column=column_of(ws, HEADER_ROW, "Risk"))
    assert risk.value == 4 and risk.font.b and risk.font.i
    assert reason in risk.comment.text and "computed score: 2" in risk.comment.text
    tech = ws.cell(row=row, column=column_of(ws, HEADER_ROW, "Tech"))
    assert not tech.font.b and tech.comment is None
    axes = pd.read_excel(path, sheet_name="Axes", header=HEADER_ROW - 1)
    flagged = axes[axes["Override"].notna()]
    assert flagged[["Id", "Axis id", "Score", "Computed", "Override", "Override reason"]
                   ].values.tolist() == [["flux", "risk", 4, 2, True, reason]]
    assert len(axes) > 1 and axes["Override"].isna().sum() == len(axes) - 1  # no FALSE


# ---------------------------------------------------------------- What-if


def test_weights_are_named_validated_input_cells(wb, analysis):
    ws = wb["What-if"]
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    dv = validations[0]
    assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert dv.showInputMessage and dv.prompt and dv.showErrorMessage
    for axis_id in analysis.rubric.axis_ids:
        name = f"weight_{axis_id}"
        assert name in wb.defined_names, name
        [(sheet, ref)] = list(wb.defined_names[name].destinations)
        cell = wb[sheet][ref.replace("$", "")]
        assert sheet == "What-if" and cell.row == WEIGHT_ROW
        # the weight sits under its axis's label, and above that axis's scores
        label = analysis.rubric.axes[axis_id].short_label()
        assert ws.cell(row=AXIS_ROW, column=cell.column).value == label
        assert ws.cell(row=WHATIF_HEADER_ROW, column=cell.column).value == label
        assert cell.value == 1  # the balanced profile, as written in the rubric
        assert cell.coordinate in dv.sqref
        assert cell.fill.fgColor.rgb.endswith("FFF2CC")
    assert "yellow" in ws["A3"].value and "non-negative" in ws["A3"].value


def test_what_if_scores_totals_grades_and_ranks_are_live_formulas(wb, analysis):
    ws = wb["What-if"]
    headers = [c.value for c in ws[WHATIF_HEADER_ROW][:FIRST_AXIS_COLUMN - 1]]
    assert headers == ["Project", "Score", "Total /30", "Grade", "Rank"]
    n, axes = len(analysis.ranking), analysis.rubric.axis_ids
    first = get_column_letter(FIRST_AXIS_COLUMN)
    last = get_column_letter(FIRST_AXIS_COLUMN + len(axes) - 1)
    given = f"${first}${WEIGHT_ROW}:${last}${WEIGHT_ROW}"
    counts = f"MAX({given})>0"
    for i, axis_id in enumerate(axes):
        cell = ws.cell(row=NORMALISED_ROW, column=FIRST_AXIS_COLUMN + i)
        assert cell.data_type == "f"
        assert cell.value == (f"=IF({counts},weight_{axis_id}/MAX({given})/"
                              f'SUMPRODUCT({given}/MAX({given})),"")')
    assert ws.cell(row=MESSAGE_ROW, column=1).value == (
        f'=IF({counts},"","Every weight is 0: give at least one axis a weight above 0 to '
        f'score the projects.")')
    # the grade bands the grade formulas look up, lowest first, right of the table
    band_header = find_row(ws, FIRST_AXIS_COLUMN + len(axes) + 1, "Grade from (total)")
    assert band_header == WHATIF_HEADER_ROW
    bands = sorted(analysis.rubric.grades, key=lambda g: g.at_least)
    low = get_column_letter(FIRST_AXIS_COLUMN + len(axes) + 1)  # one empty column between
    label = get_column_letter(FIRST_AXIS_COLUMN + len(axes) + 2)
    top, bottom = WHATIF_HEADER_ROW + 1, WHATIF_HEADER_ROW + n
    assert [(ws[f"{low}{r}"].value, ws[f"{label}{r}"].value) for r in range(
        top, top + len(bands))] == [(b.at_least, b.label()) for b in bands]
    lookup = f"${low}${top}:${low}${top + len(bands) - 1},${label}${top}:${label}$" \
             f"{top + len(bands) - 1}"
    for row, (project, rec) in zip(range(top, bottom + 1), analysis.ranking.iterrows(),
                                   strict=True):
        assert ws.cell(row=row, column=1).value == rec["name"]
        score, total, grade, rank = (ws.cell(row=row, column=c) for c in (2, 3, 4, 5))
        assert score.data_type == total.data_type == grade.data_type == rank.data_type == "f"
        weighted = (f"SUMPRODUCT(${first}${NORMALISED_ROW}:${last}${NORMALISED_ROW},"
                    f"{first}{row}:{last}{row})")
        assert score.value == f'=IF({counts},ROUND({weighted},9),"")'
        assert total.value == f'=IF({counts},ROUND({weighted}*{len(axes)},9),"")'
        mark = '&" (provisional)"' if rec["provisional"] else ""
        assert grade.value == (f'=IF(ISNUMBER(C{row}),IFERROR(LOOKUP(C{row},{lookup}),""){mark},'
                               f'"")')
        assert grade.alignment.indent >= 1  # never "21.0Upper group" beside the total
        assert rank.value == f'=IF(ISNUMBER(B{row}),RANK(B{row},$B${top}:$B${bottom},0),"")'
        scores = [ws.cell(row=row, column=FIRST_AXIS_COLUMN + i).value for i in range(len(axes))]
        assert scores == list(analysis.scores.loc[project, axes])
    assert wb.calculation.fullCalcOnLoad


def test_formula_cells_carry_the_values_scorer_computed(workbook_path, analysis):
    """pandas and openpyxl's data_only read what a spreadsheet would show, not blanks."""
    values = openpyxl.load_workbook(workbook_path, data_only=True)["What-if"]
    formulas = openpyxl.load_workbook(workbook_path)["What-if"]
    n, axes = len(analysis.ranking), analysis.rubric.axis_ids
    for i, axis_id in enumerate(axes):
        cell = values.cell(row=NORMALISED_ROW, column=FIRST_AXIS_COLUMN + i)
        assert cell.value == pytest.approx(analysis.weights[axis_id], rel=1e-12)
    assert values.cell(row=MESSAGE_ROW, column=1).value in ("", None)
    table = pd.read_excel(workbook_path, sheet_name="What-if", header=WHATIF_HEADER_ROW - 1,
                          nrows=n)
    expected = analysis.comparison()
    assert list(table["Project"]) == list(analysis.ranking["name"])
    assert list(table["Score"]) == pytest.approx(list(analysis.ranking["score"]), abs=1e-9)
    assert list(table["Total /30"]) == pytest.approx(list(analysis.ranking["total"]), abs=1e-9)
    assert list(table["Grade"]) == [expected.text("grade", p) for p in expected.projects]
    assert list(table["Rank"]) == list(analysis.ranking["rank"])
    message = f"A{MESSAGE_ROW}"
    blank = [c.coordinate for row in values.iter_rows() for c in row
             if formulas[c.coordinate].data_type == "f" and c.value is None]
    assert blank == [message]  # every other formula has its value
    with zipfile.ZipFile(workbook_path) as archive:
        xml = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<v />" not in xml and "<v/>" not in xml
    # typed as Excel types them: text results t="str" (the message's empty), numbers bare
    assert re.search(rf'<c r="{message}"[^>]* t="str"><f>[^<]+</f><v></v></c>', xml)
    assert re.search(r'<c r="D10"[^>]* t="str"><f>[^<]+</f><v>[^<]+</v></c>', xml)
    assert re.search(r'<c r="E10"[^>t]*><f>[^<]+</f><v>1</v></c>', xml)


def test_what_if_grades_are_in_the_workbooks_language(tmp_path, analysis):
    path = tmp_path / "ja.xlsx"
    write_workbook(path, analysis, None, lang="ja", generated_at=WHEN)
    table = pd.read_excel(path, sheet_name="試算", header=WHATIF_HEADER_ROW - 1,
                          nrows=len(analysis.ranking))
    assert list(table["評価"]) == [analysis.rubric.grade(total, "ja")
                                 for total in analysis.ranking["total"]]
    assert list(table.columns[:FIRST_AXIS_COLUMN - 1]) == ["プロジェクト", "加重スコア",
                                                        "総合点 /30", "評価", "順位"]


def test_what_if_starts_from_the_profile_as_written(tmp_path):
    a = snapshot(tmp_path).analyse(profile="token_holder")
    book = build_workbook(a, None, generated_at=WHEN)
    raw = a.rubric.profiles["token_holder"]
    for axis_id in a.rubric.axis_ids:
        [(sheet, ref)] = list(book.defined_names[f"weight_{axis_id}"].destinations)
        assert book[sheet][ref.replace("$", "")].value == raw[axis_id]


def test_weight_names_are_valid_excel_names():
    assert weight_name("technology") == "weight_technology"
    assert weight_name("token-economy") == "weight_token_economy"


# ---------------------------------------------------------------- Axes, Evidence


def test_axes_sheet_has_every_project_and_axis(workbook_path, analysis):
    table = pd.read_excel(workbook_path, sheet_name="Axes", header=HEADER_ROW - 1)
    assert len(table) == len(analysis.axes)
    merged = table.merge(analysis.axes, left_on=["Id", "Axis id"], right_on=["project", "axis"])
    assert len(merged) == len(analysis.axes)
    assert (merged["Score"] == merged["score"]).all()
    assert (merged["Computed"] == merged["computed"]).all()
    assert (merged["Override"].notna() == merged["override"]).all()  # TRUE or blank
    assert merged["Coverage"].to_numpy() == pytest.approx(merged["coverage"].to_numpy())


def test_evidence_traces_every_criterion_to_its_facts_and_sources(wb, workbook_path, analysis):
    table = pd.read_excel(workbook_path, sheet_name="Evidence", header=HEADER_ROW - 1)
    expected_rows = sum(max(1, len(f)) for f in analysis.criteria["facts"])
    assert len(table) == expected_rows
    ws = wb["Evidence"]
    links = {(ws.cell(row=c.row, column=2).value, ws.cell(row=c.row, column=9).value):
             (c.value, c.hyperlink.target if c.hyperlink else None)
             for (c,) in ws.iter_rows(min_row=HEADER_ROW + 1, min_col=13, max_col=13)}
    seen_missing = seen_link = 0
    for project in analysis.ranking.index:
        record = explain_record(analysis, project)
        rows = table[table["Id"] == project]
        for axis in record["axes"].values():
            for crit in axis["criteria"]:
                mine = rows[rows["Criterion"] == crit["id"]]
                assert set(mine["Outcome"]) == {outcome_text(crit["kind"], crit["outcome"])}
                assert set(mine["Points"]) == {crit["points"]}
                assert set(mine["Why"]) == {crit["why"]}
                for path, fact in crit["facts"].items():
                    assert (mine[mine["Fact"] == path]["Fact status"] == "stated").all()
                    title, target = links[project, path]
                    assert title == fact["source_title"]
                    assert target == fact["url"]
                    seen_link += fact["url"] is not None
                for path in crit["missing"]:
                    assert (mine[mine["Fact"] == path]["Fact status"] == "not stated").all()
                    seen_missing += 1
    assert seen_link and seen_missing  # the bundled dossiers have both


def test_fact_values_keep_their_type(wb, analysis):
    ws = wb["Evidence"]
    ev = analysis.evidence.set_index(["project", "fact"])
    checked = 0
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        key = (row[1].value, row[8].value)
        if row[9].value == "stated":
            value = ev.loc[key, "value"]
            if isinstance(value, (bool, int, float)):
                assert row[10].value == value and type(row[10].value) is type(value)
                checked += 1
            if isinstance(ev.loc[key, "date"], date):
                assert row[13].value.date() == ev.loc[key, "date"]
    assert checked > 10


def wrapped_lines(text: str, room: float) -> int:
    """The lines a spreadsheet wraps text into, `room` characters to a line: at spaces, long
    words broken; text with wide (Japanese) characters, at least its width over the room."""
    if display_width(text) != len(text):
        return sum(max(1, math.ceil(display_width(part) / room)) for part in text.split("\n"))
    return sum(max(1, len(textwrap.wrap(part, width=int(room), break_on_hyphens=False)))
               for part in text.split("\n"))


def test_rows_of_wrapped_text_are_tall_enough(wb):
    """Row heights are computed from what was written: they must fit what the sheet holds,
    in every column that wraps (headers included)."""
    checked = 0
    for sheet in ("Evidence", "Axes", "About"):
        ws = wb[sheet]
        wrapping = sorted({c.column for row in ws.iter_rows(min_row=HEADER_ROW + 1)
                           for c in row if c.value is not None and c.alignment.wrap_text})
        assert wrapping or sheet == "Axes"  # no override, no reason to wrap
        for row in range(HEADER_ROW, ws.max_row + 1):
            columns = range(1, ws.max_column + 1) if row == HEADER_ROW else wrapping
            lines = 1
            for column in columns:
                value = ws.cell(row=row, column=column).value
                width = ws.column_dimensions[get_column_letter(column)].width
                if value is not None:  # two characters of the width are padding
                    room = (width - 2) / (1.15 if row == HEADER_ROW else 1)  # headers: bold
                    lines = max(lines, wrapped_lines(str(value), room))
            height = ws.row_dimensions[row].height
            if lines == 1:
                assert height is None, (sheet, row)
                continue
            # tall enough; a word too long for a line may start a line of its own
            assert min(409.5, 15 * lines) <= height <= 15 * (lines + lines // 4 + 1), (
                sheet, row, lines)  # 409.5 points: the tallest a row can be
            if row > HEADER_ROW:
                assert all(c.alignment.vertical == "top" for c in ws[row] if c.value is not None)
            checked += 1
    assert checked > 10


# ---------------------------------------------------------------- Sensitivity, charts


def test_sensitivity_sheet_shows_the_sensitivity_results(wb, analysis, sensitivity):
    ws = wb["Sensitivity"]
    names = analysis.ranking["name"]
    mc = sensitivity.monte_carlo
    assert mc.samples == SAMPLES and mc.seed == SEED
    header = find_row(ws, 2, "Rank 1")
    for project in analysis.ranking.index:
        row = find_row(ws, 1, names[project])  # the first table naming projects
        assert row == header + 1 + list(analysis.ranking.index).index(project)
        shares = [ws.cell(row=row, column=1 + k).value for k in mc.rank_acceptability.columns]
        assert shares == pytest.approx(list(mc.rank_acceptability.loc[project]))
        assert sum(shares) == pytest.approx(1)
    stability = sensitivity.report.stability
    for axis_id in analysis.rubric.axis_ids:
        row = find_row(ws, 2, axis_id)
        got = [ws.cell(row=row, column=c).value for c in range(3, 8)]
        want = stability.loc[axis_id, ["weight", "winner_low", "winner_high", "ranking_low",
                                       "ranking_high"]].tolist()
        assert got == pytest.approx(want, nan_ok=True)
    pair_header = next(r for r in range(header, ws.max_row)
                       if str(ws.cell(row=r, column=1).value).startswith("Pairwise"))
    for i, project in enumerate(analysis.ranking.index):
        row = pair_header + 2 + i
        for j, other in enumerate(analysis.ranking.index):
            value = ws.cell(row=row, column=2 + j).value
            if project == other:
                assert value is None
            else:
                assert value == pytest.approx(mc.pairwise_win.loc[project, other])


def test_charts_are_native(wb, analysis):
    charts = wb["Sensitivity"]._charts
    bars = [c for c in charts if isinstance(c, BarChart)]
    sweeps = [c for c in charts if isinstance(c, ScatterChart)]
    assert len(bars) == 1 and bars[0].grouping == "percentStacked" and bars[0].overlap == 100
    assert len(bars[0].series) == len(analysis.ranking)  # one series per rank
    assert len(sweeps) == len(analysis.rubric.axes)
    # one line per project, the current weight, and the crossings when lines cross
    assert all(len(c.series) - len(analysis.ranking) in (1, 2) for c in sweeps)
    [radar] = wb["Profiles"]._charts
    assert isinstance(radar, RadarChart) and len(radar.series) == len(analysis.ranking)
    for sheet in ("Summary", "What-if", "Axes", "Evidence", "About"):
        assert not wb[sheet]._charts and not wb[sheet]._images


def _chart_series(path: Path, sheet: str) -> list[tuple[str, str, str]]:
    """(name cell, categories range, values range) of every chart series that reads
    `sheet`, straight from the chart XML a spreadsheet program reads."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart")):
            xml = archive.read(name).decode()
            for series in re.findall(r"<ser>(.*?)</ser>", xml, re.S):
                refs = re.findall(r"<f>(.*?)</f>", series)
                if refs and refs[0].startswith(f"'{sheet}'!"):
                    found.append((refs[0], refs[1], refs[2]))
    return found


def _cells(wb: openpyxl.Workbook, ref: str) -> list[Any]:
    sheet, _, cells = ref.partition("!")
    block = wb[sheet.strip("'")][cells.replace("$", "")]
    if not isinstance(block, tuple):
        return [block.value]
    return [cell.value for row in block for cell in row]


@pytest.mark.parametrize("every", ["year", "change"])
def test_history_chart_series_match_history_json(tmp_path, bundled, every):
    path = tmp_path / "history.xlsx"
    common = ["--rubric", str(bundled.rubric), "--projects", str(bundled.projects),
              "--as-of", "2026-06-30"]
    runner = CliRunner()
    exported = runner.invoke(cli, ["export", *common, "--samples", "200", "--history-every",
                                   every, "--out", str(path)], catch_exceptions=False)
    assert exported.exit_code == 0, exported.output
    shown = runner.invoke(cli, ["history", *common[:4], "--to", "2026-06-30", "--every", every,
                                "--format", "json"], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    expected = json.loads(shown.stdout)
    wb = openpyxl.load_workbook(path)
    series = _chart_series(path, "History")
    assert len(series) == len(expected["projects"]) >= 2
    for (title, categories, values), project in zip(series, expected["projects"], strict=True):
        assert _cells(wb, title) == [project["name"]]
        assert [d.date().isoformat() for d in _cells(wb, categories)] == expected["dates"]
        assert _cells(wb, values) == pytest.approx([p["total"] for p in project["series"]])
    [chart] = wb["History"]._charts
    assert isinstance(chart, LineChart)


def test_no_history_no_sheet(wb):
    assert "History" not in wb.sheetnames


def test_no_sensitivity_no_sheet(tmp_path, analysis):
    book = build_workbook(analysis, None, generated_at=WHEN)
    assert book.sheetnames == ["Summary", "What-if", "Axes", "Evidence", "Profiles", "About"]


def test_about_says_what_made_the_workbook(wb, analysis):
    ws = wb["About"]
    about = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value
             for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    assert about["Rubric"] == analysis.rubric.id
    assert about["Rubric version"] == analysis.rubric.version
    assert about["Weight profile"] == "balanced"
    assert about["scorer version"] == scorer.__version__
    assert about["Generated at (UTC)"] == "2026-01-02 03:04:05"
    assert about["Monte Carlo samples"] == SAMPLES and about["Monte Carlo seed"] == SEED
    assert about["Weight: Token economy health"] == pytest.approx(1 / 6, abs=1e-6)
    method = " ".join(str(ws.cell(row=r, column=2).value) for r in range(1, ws.max_row + 1))
    assert "Σ w·s" in method and "unknown" in method and analysis.as_of.isoformat() in method


# ---------------------------------------------------------------- safety


def test_hostile_dossier_text_is_never_a_formula(tmp_path):
    inputs = snapshot(tmp_path)
    (inputs.projects / "hostile.yaml").write_text(HOSTILE_DOSSIER, encoding="utf-8")
    a = inputs.analyse()
    path = tmp_path / "scores.xlsx"
    write_workbook(path, a, a.sensitivity(samples=500), generated_at=WHEN)

    book = openpyxl.load_workbook(path)
    n, axes = len(a.ranking), len(a.rubric.axes)
    own = {("What-if", f"{get_column_letter(FIRST_AXIS_COLUMN + i)}{NORMALISED_ROW}")
           for i in range(axes)}
    own |= {("What-if", f"{col}{row}") for col in "BCDE"  # score, total, grade, rank
            for row in range(WHATIF_HEADER_ROW + 1, WHATIF_HEADER_ROW + n + 1)}
    own.add(("What-if", f"A{MESSAGE_ROW}"))
    formulas = {(ws.title, c.coordinate) for ws in book for row in ws.iter_rows() for c in row
                if c.data_type == "f"}
    assert formulas == own

    # the same at the XML level: <f> elements only in the What-if sheet's own cells
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        counts = {n: len(re.findall(rb"<f>", archive.read(n))) for n in sheets}
    assert sorted(counts.values()) == [0] * (len(sheets) - 1) + [len(own)]

    def cells_with(text: str) -> list:
        return [c for ws in book for row in ws.iter_rows() for c in row if c.value == text]

    for text, least in ((HOSTILE_NAME, 5), (HOSTILE_NOTE, 1), (HOSTILE_TITLE, 2),
                        (HOSTILE_REASON, 1), ("=1+1\\x07 bell", 1)):
        found = cells_with(text)
        assert len(found) >= least, text
        assert all(c.data_type == "s" and c.quotePrefix for c in found), text
    links = [c.hyperlink.target for c in cells_with(HOSTILE_TITLE) if c.hyperlink]
    assert links and set(links) == {"https://example.com/evil"}
    summary = pd.read_excel(path, sheet_name="Summary", header=HEADER_ROW - 1)
    assert HOSTILE_NAME in set(summary["Project"])
    reason_cell = book["Summary"].cell(row=find_row(book["Summary"], 3, "hostile"),
                                       column=column_of(book["Summary"], HEADER_ROW, "Risk"))
    assert HOSTILE_REASON in reason_cell.comment.text


def test_only_the_excel_writer_imports_openpyxl():
    importers = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "scorer").rglob("*.py")
                       if re.search(r"^\s*(from|import) openpyxl", p.read_text(encoding="utf-8"),
                                    re.MULTILINE))
    assert importers and all(p.startswith("scorer/writers/excel/") for p in importers)


def test_sheets_place_cells_by_column_name():
    """No sheet writes to a column number: positions come from its named columns."""
    package = ROOT / "scorer" / "writers" / "excel"
    for module in package.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        literal = re.findall(r"\.(?:put|formula|cell)\(\s*[\w+ -]+,\s*\d+\s*[,)]", text)
        assert not literal, f"{module.name}: {literal}"


# ---------------------------------------------------------------- atomicity, reproducibility


@pytest.mark.parametrize("failure", ["openpyxl", "archive"])
def test_failed_export_leaves_the_earlier_file_and_no_partial_file(tmp_path, monkeypatch,
                                                                   analysis, failure):
    path = tmp_path / "exports" / "scores.xlsx"
    write_workbook(path, analysis, None, generated_at=datetime(2025, 1, 1, tzinfo=UTC))
    before = path.read_bytes()
    if failure == "openpyxl":  # fails after openpyxl has written the sheets
        def broken(self: ExcelWriter) -> None:
            raise RuntimeError("charts could not be written")

        monkeypatch.setattr(ExcelWriter, "_write_charts", broken)
    else:  # fails while the final archive is being written to the temporary file
        original = zipfile.ZipFile.writestr
        written: list[str] = []

        def flaky(self, info, data, *args, **kwargs):
            if isinstance(info, zipfile.ZipInfo):
                written.append(info.filename)
                if len(written) == 6:
                    raise OSError(28, "No space left on device")
            return original(self, info, data, *args, **kwargs)

        monkeypatch.setattr(zipfile.ZipFile, "writestr", flaky)
    expected = RuntimeError if failure == "openpyxl" else ScorerError  # a full disk: a message
    with pytest.raises(expected):
        write_workbook(path, analysis, None, generated_at=WHEN)
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["scores.xlsx"]


def test_same_inputs_give_the_same_bytes(tmp_path, analysis, sensitivity):
    first, second, later = tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "c.xlsx"
    write_workbook(first, analysis, sensitivity, generated_at=WHEN)
    write_workbook(second, analysis, sensitivity, generated_at=WHEN)
    assert first.read_bytes() == second.read_bytes()
    write_workbook(later, analysis, sensitivity, generated_at=datetime(2026, 2, 3, tzinfo=UTC))
    assert later.read_bytes() != first.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
        core = archive.read("docProps/core.xml").decode()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2026, 1, 2, 3, 4, 4)}  # zip keeps even seconds
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert core.count("2026-01-02T03:04:05Z") == 2  # created and modified
    props = openpyxl.load_workbook(first).properties
    assert props.created == props.modified == datetime(2026, 1, 2, 3, 4, 5)


EXPORT = """
import sys
from pathlib import Path
from scorer.loading import load_projects, load_rubric
from scorer.analysis import analyse
from scorer.writers.excel import generation_time, write_workbook
rubric = load_rubric(sys.argv[2])
a = analyse(rubric, load_projects(sys.argv[3], rubric))
write_workbook(Path(sys.argv[1]), a, a.sensitivity(samples=500, seed=3),
               generated_at=generation_time())
"""


def test_source_date_epoch_exports_are_byte_identical_across_processes(tmp_path, bundled,
                                                                      analysis):
    epoch = int(WHEN.timestamp())
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"run{hash_seed}.xlsx"
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", EXPORT, str(out), str(bundled.rubric),
                        str(bundled.projects)], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=120)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    here = tmp_path / "here.xlsx"
    write_workbook(here, analysis, analysis.sensitivity(samples=500, seed=3),
                   generated_at=WHEN)
    assert here.read_bytes() == outputs[0]


def test_generation_time_follows_source_date_epoch():
    assert generation_time({"SOURCE_DATE_EPOCH": str(int(WHEN.timestamp()))}) == WHEN
    now = generation_time({})
    assert now.tzinfo is not None
    assert abs((datetime.now(tz=UTC) - now).total_seconds()) < 5
    with pytest.raises(ScorerError, match="SOURCE_DATE_EPOCH"):
        generation_time({"SOURCE_DATE_EPOCH": "yesterday"})


# ---------------------------------------------------------------- Japanese


def test_japanese_sheets_and_headers(tmp_path, bundled, analysis, sensitivity):
    path = tmp_path / "ja.xlsx"
    write_workbook(path, analysis, sensitivity, lang="ja", generated_at=WHEN)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["概要", "試算", "評価項目別", "根拠", "感度分析", "プロファイル",
                               "この資料について"]
    expected = bundled.compare("--lang", "ja")
    table = pd.read_excel(path, sheet_name="概要", header=HEADER_ROW - 1)
    assert list(table.columns) == ["順位", "プロジェクト", "ID", "加重スコア", "総合点 /30", "評価",
                                   "データ充足率", "技術", "実需", "トークン", "チーム", "成長戦略",
                                   "リスク", "総合点の下限", "総合点の上限", "最高順位", "最低順位",
                                   "暫定"]
    assert list(table["評価"]) == [p["grade"] for p in expected["projects"]]
    assert list(table["加重スコア"]) == pytest.approx([p["score"] for p in expected["projects"]],
                                                  abs=1e-6)
    whatif = book["試算"]
    headers = [c.value for c in whatif[WHATIF_HEADER_ROW][:FIRST_AXIS_COLUMN - 1]]
    assert headers == ["プロジェクト", "加重スコア", "総合点 /30", "評価", "順位"]
    assert whatif.cell(row=MESSAGE_ROW, column=1).value == (  # shown only if every weight is 0
        '=IF(MAX($F$6:$K$6)>0,"","すべての重みが0です。スコアを計算するには、少なくとも1つの'
        '評価項目に0より大きい重みを入力してください。")')
    assert whatif.cell(row=WEIGHT_ROW, column=1).value == "重み（入力）"
    for axis_id in analysis.rubric.axis_ids:
        [(sheet, _)] = list(book.defined_names[f"weight_{axis_id}"].destinations)
        assert sheet == "試算"
    evidence = pd.read_excel(path, sheet_name="根拠", header=HEADER_ROW - 1)
    assert set(evidence["判定"]) <= {"該当", "非該当", "不明", "不確定"}
    assert {"該当", "非該当", "不明"} <= set(evidence["判定"])
    assert {"記載あり", "未記載"} == set(evidence["記載状況"].dropna())
    about = " ".join(str(c.value) for row in book["この資料について"].iter_rows() for c in row)
    assert "加重スコア = Σ 重み×スコア" in about and "モンテカルロのシード" in about


# ---------------------------------------------------------------- what the evidence leaves open


@pytest.fixture(scope="module")
def article(bundled, tmp_path_factory) -> tuple[Analysis, openpyxl.Workbook]:
    """The bundled projects as of the source analysis, when much is unknown or uncertain."""
    a = bundled.analyse(as_of=date(2025, 8, 26))
    path = tmp_path_factory.mktemp("article") / "article.xlsx"
    write_workbook(path, a, a.sensitivity(samples=SAMPLES, seed=SEED), generated_at=WHEN)
    return a, openpyxl.load_workbook(path)


def test_evidence_says_what_each_open_criterion_could_give_and_what_would_settle_it(article):
    a, book = article
    table = pd.DataFrame(book["Evidence"].iter_rows(min_row=HEADER_ROW + 1, values_only=True),
                         columns=[c.value for c in book["Evidence"][HEADER_ROW]])
    akash = table[(table["Id"] == "akash") & (table["Criterion"] == "high-inflation")].iloc[0]
    assert akash["Outcome"] == "uncertain" and akash["Could give"] == "-1, +0"
    assert "token.inflation_pct = 8 (4–8)" in akash["Settled by"]
    assert akash["All values"] == "8 (4–8)"
    missing = table[(table["Id"] == "akash") & (table["Criterion"] == "enterprise-adoption")]
    assert missing.iloc[0]["Settled by"] == "a source stating usage.enterprise_customers"
    settled = table[(table["Id"] == "flux") & (table["Criterion"] == "fair-launch")].iloc[0]
    assert pd.isna(settled["Settled by"]) and pd.isna(settled["Could give"])
    open_rows = a.criteria[a.criteria["possible"].map(len) > 1]
    flagged = table.dropna(subset=["Settled by"]).drop_duplicates(["Id", "Criterion"])
    assert len(flagged) == len(open_rows)


def test_sensitivity_sheet_carries_the_joint_analysis_and_the_critical_evidence(article):
    a, book = article
    ws = book["Sensitivity"]
    mc = a.sensitivity(samples=SAMPLES, seed=SEED).monte_carlo
    header = find_row(ws, 2, "Rank 1")
    confidence = column_of(ws, header, "Confidence")
    for project in a.ranking.index:
        row = find_row(ws, 1, a.ranking.at[project, "name"])
        value = ws.cell(row=row, column=confidence).value
        if pd.isna(mc.confidence[project]):
            assert value is None  # never first: no central weights to be sure at
        else:
            assert value == pytest.approx(mc.confidence[project])
    title = find_row(ws, 1, "Critical evidence: single unknown or uncertain criteria that, "
                            "settled one way, change the ranking")
    assert [c.value for c in ws[title + 1][:4]] == ["Project", "Criterion", "If", "Then"]
    critical = a.sensitivity(samples=SAMPLES, seed=SEED).to_dict()["critical_evidence"]
    rows = [[c.value for c in ws[title + 2 + i][:4]] for i in range(len(critical))]
    assert [r[2:] for r in rows] == [[c["if"], c["effect"]] for c in critical]
    assert "with the unknown and uncertain evidence drawn too" in ws["A3"].value
