"""How the workbook reads and prints: number formats, flags, typefaces, Japanese throughout,
print setup, the Sensitivity sheet's headers and charts, and what it does with more projects
than a chart can show. Read back with openpyxl and pandas, from workbooks written from the
bundled rubric and dossiers (or copies of them)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import yaml
from openpyxl.chart import LineChart, RadarChart, ScatterChart
from openpyxl.utils import get_column_letter

from scorer.analysis import Analysis
from scorer.i18n import t
from scorer.views.history import History
from scorer.workspace import load
from scorer.writers.excel import (
    HEADER_ROW,
    WEIGHT_ROW,
    WHATIF_HEADER_ROW,
    build_workbook,
    write_workbook,
)
from scorer.writers.excel.charts import MOST_RADAR, MOST_SERIES
from tests.conftest import DEFAULT_RUBRIC
from tests.test_docs import english_fragments, leaks, whole_texts
from tests.test_excel import WHEN, Inputs, column_of, find_row, snapshot, wrapped_lines

SAMPLES = 1000
TABLE_SHEETS = ("Summary", "Axes", "Evidence", "History", "Profiles", "About")
"""The sheets that hold one table, its header in `HEADER_ROW`."""


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Inputs:
    return snapshot(tmp_path_factory.mktemp("bundled"))


@pytest.fixture(scope="module")
def analysis(bundled: Inputs) -> Analysis:
    return bundled.analyse()


def history_of(inputs: Inputs, a: Analysis, lang: str = "en") -> History:
    return load(inputs.projects, inputs.rubric).history(end=a.as_of, every="year", lang=lang)


@pytest.fixture(scope="module")
def books(tmp_path_factory, bundled, analysis) -> dict[str, Path]:
    """The whole workbook, History sheet included, in each language."""
    sensitivity = analysis.sensitivity(samples=SAMPLES)
    paths = {}
    for lang in ("en", "ja"):
        paths[lang] = tmp_path_factory.mktemp(lang) / "scores.xlsx"
        write_workbook(paths[lang], analysis, sensitivity, lang=lang, generated_at=WHEN,
                       history=history_of(bundled, analysis, lang))
    return paths


@pytest.fixture(scope="module")
def wb(books) -> openpyxl.Workbook:
    return openpyxl.load_workbook(books["en"])


def cells(book: openpyxl.Workbook) -> list[Any]:
    """Every cell of the workbook that holds something."""
    return [c for ws in book for c in sheet_cells(ws)]


def sheet_cells(ws: Any) -> list[Any]:
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


# ---------------------------------------------------------------- number formats, flags


def shows_bare_point(number_format: str) -> bool:
    """Whether a format shows a whole number with a trailing decimal point ("1."): a point
    followed by optional digits only (`0.##`), in any of its sections."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", number_format)
    return any(re.search(r"\.(?!0)", section) for section in unquoted.split(";"))


def test_the_format_check_itself():
    assert shows_bare_point("0.###") and shows_bare_point("+0.##;-0.##;0")
    assert not any(map(shows_bare_point, ["General", "0.0#", "#,##0", "0.0%", "+0;-0;0",
                                          "yyyy-mm-dd", "#,##0.000"]))


def test_no_number_shows_a_bare_decimal_point(wb):
    numbers = [c for c in cells(wb) if isinstance(c.value, int | float)
               and not isinstance(c.value, bool)]
    assert len(numbers) > 500
    wrong = {(c.parent.title, c.number_format) for c in numbers
             if shows_bare_point(c.number_format)}
    assert not wrong


def test_weights_and_points_show_whole_numbers_whole(wb, analysis):
    whatif = wb["What-if"]
    weights = [c for c in whatif[WEIGHT_ROW] if isinstance(c.value, int | float)]
    assert len(weights) == len(analysis.rubric.axes)
    assert {c.number_format for c in weights} == {"General"}  # 1 → "1", 1e308 → "1E+308"
    evidence = wb["Evidence"]
    points = column_of(evidence, HEADER_ROW, "Points")
    formats = {evidence.cell(row=r, column=points).number_format
               for r in range(HEADER_ROW + 1, evidence.max_row + 1)}
    assert all(float(p).is_integer() for p in analysis.criteria["points"])
    assert formats == {"+0;-0;0"}  # whole points: "+1", "-1", "0"


def test_evidence_numbers_have_thousands_separators(wb, analysis):
    ws = wb["Evidence"]
    value, fact = (column_of(ws, HEADER_ROW, h) for h in ("Value", "Fact"))
    checked = set()
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        cell = ws.cell(row=row, column=value)
        path = ws.cell(row=row, column=fact).value
        if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
            continue
        kind = analysis.rubric.facts[path].type
        if kind == "year":
            assert cell.number_format == "0", path  # 2025, not 2,025
        elif float(cell.value).is_integer():
            assert cell.number_format == "#,##0", path
        else:  # as many decimals as the value has: 8.5 → "#,##0.0"
            decimals = cell.number_format.partition(".")[2]
            assert cell.number_format.startswith("#,##0.") and set(decimals) == {"0"}
            assert float(f"{cell.value:.{len(decimals)}f}") == cell.value, path
        checked.add(kind if kind == "year" else cell.number_format)
    assert {"#,##0"} <= checked and len(checked) >= 2


def test_flags_are_marked_where_they_hold_and_blank_elsewhere(wb, analysis):
    for sheet, header in (("Summary", "Provisional"), ("Axes", "Override")):
        ws = wb[sheet]
        column = column_of(ws, HEADER_ROW, header)
        values = [ws.cell(row=r, column=column).value for r in range(HEADER_ROW + 1,
                                                                     ws.max_row + 1)]
        assert False not in values and set(values) <= {True, None}
    summary = wb["Summary"]
    provisional = column_of(summary, HEADER_ROW, "Provisional")
    marked = {summary.cell(row=r, column=3).value for r in range(HEADER_ROW + 1,
                                                                 summary.max_row + 1)
              if summary.cell(row=r, column=provisional).value}
    assert marked == set(analysis.ranking.index[analysis.ranking["provisional"]])


def test_a_grade_beside_its_total_keeps_a_space(wb):
    for sheet, row in (("Summary", HEADER_ROW), ("What-if", WHATIF_HEADER_ROW)):
        ws = wb[sheet]
        grade = column_of(ws, row, "Grade")
        assert ws.cell(row=row, column=grade - 1).value == "Total /30"
        # Excel and LibreOffice indent only a cell aligned left: without it "22.0Upper…"
        for r in range(row + 1, row + 6):
            alignment = ws.cell(row=r, column=grade).alignment
            assert alignment.indent >= 1 and alignment.horizontal == "left", (sheet, r)
    ws = wb["What-if"]  # the grade bands: a least total, then its grade
    band = column_of(ws, WHATIF_HEADER_ROW, "Grade", start=grade + 1)
    for r in range(WHATIF_HEADER_ROW + 1, WHATIF_HEADER_ROW + 5):
        alignment = ws.cell(row=r, column=band).alignment
        assert isinstance(ws.cell(row=r, column=band - 1).value, (int, float))
        assert alignment.indent >= 1 and alignment.horizontal == "left", r


# ---------------------------------------------------------------- typefaces, Japanese


def test_english_cells_are_calibri_and_japanese_cells_meiryo(books):
    for lang, face in (("en", "Calibri"), ("ja", "Meiryo")):
        book = openpyxl.load_workbook(books[lang])
        assert {c.font.name for c in cells(book)} == {face}, lang
        with zipfile.ZipFile(books[lang]) as archive:
            styles = archive.read("xl/styles.xml").decode()
        # the default font, which cells without one and the Normal style use
        first = re.search(r"<fonts[^>]*><font>(.*?)</font>", styles, re.S)[1]
        assert f'<name val="{face}"' in first, lang


def rubric_texts() -> set[str]:
    """Every string of the rubric, in its own words (why, rules, labels)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(yaml.safe_load(DEFAULT_RUBRIC.read_text(encoding="utf-8")))
    return found


def test_a_japanese_workbook_holds_no_english_of_the_catalogue(books, bundled):
    """Every text cell the workbook writes itself (not the dossiers' and rubric's own words,
    nor their ids) is free of the English catalogue: headers, notes, labels, messages."""
    book = openpyxl.load_workbook(books["ja"])
    theirs = rubric_texts()
    for path in bundled.projects.glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        theirs |= {s for s in _strings(document)}
    fragments, wholes = english_fragments(), whole_texts()
    found = []
    written = 0
    for ws in book:
        for cell in sheet_cells(ws):
            text = cell.value
            if not isinstance(text, str) or text in theirs or cell.data_type == "f":
                continue
            written += 1
            found += [f"{ws.title}!{cell.coordinate}: {leak}" for leak in leaks(text, fragments)]
            if text.strip() in wholes:
                found.append(f"{ws.title}!{cell.coordinate}: {text!r}")
    formulas = [c.value for c in cells(book) if c.data_type == "f"]
    found += [f"formula {f!r}: {leak}" for f in formulas for leak in leaks(f, fragments)]
    assert written > 500 and not found, "\n".join(found)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_japanese_rows_are_as_tall_as_meiryo_needs(books):
    ws = openpyxl.load_workbook(books["ja"])["根拠"]
    heights = {ws.row_dimensions[r].height for r in range(HEADER_ROW, ws.max_row + 1)}
    heights -= {None, 409.5}  # no height: one line; 409.5: the most a row can be
    assert heights and all((h / 18.75).is_integer() for h in heights)


# ---------------------------------------------------------------- print setup


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_on_each_page(wb):
    for ws in wb:
        setup = ws.page_setup
        assert (setup.orientation, str(setup.paperSize)) == ("landscape", ws.PAPERSIZE_A4)
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    for sheet in TABLE_SHEETS:
        assert wb[sheet].print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", sheet
    assert wb["What-if"].print_title_rows == "$5:$9"  # axes, weights and the table's header
    assert wb["Sensitivity"].print_title_rows is None  # many tables: no one header


def test_evidence_wraps_long_text_in_narrow_columns(wb):
    ws = wb["Evidence"]
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in
              range(1, ws.max_column + 1)]
    assert max(widths) <= 26 and sum(widths) <= 320  # prints at about half size or larger
    for header in ("Why", "Rule", "Source", "Note", "Settled by"):
        column = column_of(ws, HEADER_ROW, header)
        texts = [ws.cell(row=r, column=column) for r in range(HEADER_ROW + 1, ws.max_row + 1)]
        assert all(c.alignment.wrap_text for c in texts if c.value is not None), header


# ---------------------------------------------------------------- the Sensitivity sheet


def header_rows(ws) -> list[int]:
    """The rows of the sheet's table headers (bold cells on the header fill)."""
    return sorted({c.row for row in ws.iter_rows() for c in row
                   if c.value is not None and c.fill.fgColor.rgb.endswith("DDE4EE")})


def test_sensitivity_headers_are_as_tall_as_their_wrapped_text(wb):
    ws = wb["Sensitivity"]
    rows = header_rows(ws)
    assert len(rows) >= 8
    tall = 0
    for row in rows:
        needed = max(wrapped_lines(str(c.value), (ws.column_dimensions[c.column_letter].width
                                                   - 2) / 1.15)
                     for c in ws[row] if c.value is not None)
        height = ws.row_dimensions[row].height
        assert (height or 15) >= 15 * needed, (row, needed, height)
        tall += needed > 1
    assert tall >= 1  # "Ranking stays from" does not fit 14 characters on one line


def test_central_weights_say_never_first(analysis):
    # weights alone: some of the bundled projects then never rank first
    sensitivity = analysis.sensitivity(samples=SAMPLES, evidence=False)
    central = sensitivity.monte_carlo.central_weights
    ws = build_workbook(analysis, sensitivity, generated_at=WHEN)["Sensitivity"]
    title = find_row(ws, 1, t("section.central"))
    names = analysis.ranking["name"]
    never = 0
    for i, project in enumerate(analysis.ranking.index):
        row = title + 2 + i
        assert ws.cell(row=row, column=1).value == names[project]
        shown = [ws.cell(row=row, column=2 + j).value for j in range(len(analysis.rubric.axes))]
        weights = central.reindex(index=[project], columns=analysis.rubric.axis_ids).iloc[0]
        if weights.isna().all():
            assert shown == ["never first"] + [None] * (len(shown) - 1)
            never += 1
        else:
            assert shown == pytest.approx(list(weights))
    assert never >= 1  # the bundled projects include some that never rank first


def chart_series(path: Path, sheet_index: int) -> list[list[tuple[str, str | None, str]]]:
    """For each scatter chart drawn on the sheet, its series as (title, x range, y range):
    the title is a literal or a cell reference, straight from the chart XML."""
    charts = []
    with zipfile.ZipFile(path) as archive:
        drawing_rels = archive.read(f"xl/worksheets/_rels/sheet{sheet_index}.xml.rels").decode()
        drawing = re.search(r'Target="/?(?:\.\./)?(xl/)?drawings/(drawing\d+\.xml)"',
                            drawing_rels)[2]
        rels = archive.read(f"xl/drawings/_rels/{drawing}.rels").decode()
        for name in re.findall(r'Target="/?(?:\.\./)?(?:xl/)?charts/(chart\d+\.xml)"', rels):
            xml = archive.read(f"xl/charts/{name}").decode()
            if "<c:scatterChart>" not in xml and "<scatterChart>" not in xml:
                continue
            series = []
            for ser in re.findall(r"<(?:c:)?ser>(.*?)</(?:c:)?ser>", xml, re.S):
                title = re.search(r"<(?:c:)?tx>.*?<(?:c:)?(?:f|v)>(.*?)</", ser, re.S)[1]
                x = re.search(r"<(?:c:)?xVal>.*?<(?:c:)?f>(.*?)</", ser, re.S)[1]
                y = re.search(r"<(?:c:)?yVal>.*?<(?:c:)?f>(.*?)</", ser, re.S)[1]
                series.append((title, x, y))
            charts.append(series)
    return charts


def values_at(book: openpyxl.Workbook, ref: str) -> list[Any]:
    sheet, _, area = ref.partition("!")
    block = book[sheet.strip("'")][area.replace("$", "")]
    if not isinstance(block, tuple):
        return [block.value]
    return [c.value for row in block for c in (row if isinstance(row, tuple) else (row,))]


def test_sweep_charts_mark_the_current_weight_and_every_crossing(books, wb, analysis):
    sheet_index = wb.sheetnames.index("Sensitivity") + 1
    charts = chart_series(books["en"], sheet_index)
    scale = analysis.rubric.scale
    assert len(charts) == len(analysis.rubric.axes)
    names = list(analysis.ranking["name"])
    crossings_seen = 0
    for axis, series in zip(analysis.rubric.axis_ids, charts, strict=True):
        lines = {values_at(wb, title)[0]: (values_at(wb, x), values_at(wb, y))
                 for title, x, y in series if "!" in title}
        assert list(lines) == names  # one line per project, in rank order
        marks = {title: (values_at(wb, x), values_at(wb, y)) for title, x, y in series
                 if "!" not in title}
        xs, ys = marks["Current weight"]
        assert xs == pytest.approx([analysis.weights[axis]] * 2)
        assert ys == [scale.min, scale.max]  # a vertical line over the whole scale
        # every pair of lines whose order differs between t = 0 and t = 1 crosses once
        ends = {n: (ys_[0], ys_[-1]) for n, (_, ys_) in lines.items()}
        expected = sum((ends[a][0] - ends[b][0]) * (ends[a][1] - ends[b][1]) < -1e-12
                       for i, a in enumerate(names) for b in names[i + 1:])
        found = list(zip(*marks["Crossings"], strict=True)) if "Crossings" in marks else []
        assert len(found) == expected
        for x, y in found:  # strictly inside the sweep, on two of the lines
            assert 0 < x < 1
            on = [n for n, (ts, ys_) in lines.items()
                  if abs(ys_[0] + (ys_[-1] - ys_[0]) * (x - ts[0]) / (ts[-1] - ts[0]) - y)
                  < 1e-9]
            assert len(on) >= 2, (axis, x, y)
        crossings_seen += len(found)
    assert crossings_seen >= 1


# ---------------------------------------------------------------- more projects than a chart


def copies(folder: Path, n: int) -> Inputs:
    """The bundled dossiers and `n - 1` more copies of each, with new ids and names."""
    inputs = snapshot(folder)
    for path in sorted(inputs.projects.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for i in range(1, n):
            new = f"{path.stem}{i}"
            copy = re.sub(rf"(?m)^id: {path.stem}$", f"id: {new}", text, count=1)
            copy = re.sub(r"(?m)^name: (.*)$", rf"name: \1 {i}", copy, count=1)
            (inputs.projects / f"{new}.yaml").write_text(copy, encoding="utf-8")
    return inputs


@pytest.fixture(scope="module")
def crowded(tmp_path_factory) -> tuple[Analysis, Path]:
    """Fifteen projects: more than any chart draws."""
    inputs = copies(tmp_path_factory.mktemp("crowded"), 3)
    a = inputs.analyse()
    path = tmp_path_factory.mktemp("xlsx") / "crowded.xlsx"
    write_workbook(path, a, a.sensitivity(samples=SAMPLES), generated_at=WHEN,
                   history=history_of(inputs, a))
    return a, path


def test_charts_draw_the_best_ranked_and_say_so(crowded):
    a, path = crowded
    n = len(a.ranking)
    assert n == 15 > MOST_SERIES > MOST_RADAR
    book = openpyxl.load_workbook(path)
    [radar] = book["Profiles"]._charts
    assert isinstance(radar, RadarChart) and len(radar.series) == MOST_RADAR
    note = t("chart.top", n=MOST_RADAR, total=n)
    assert book["Profiles"].cell(row=HEADER_ROW - 1, column=1).value == note
    [history] = book["History"]._charts
    assert isinstance(history, LineChart) and len(history.series) == MOST_SERIES
    assert t("chart.top", n=MOST_SERIES, total=n) in [c.value for c in
                                                      sheet_cells(book["History"])]
    sweeps = [c for c in book["Sensitivity"]._charts if isinstance(c, ScatterChart)]
    assert all(len(c.series) - MOST_SERIES in (1, 2) for c in sweeps)
    # the tables keep every project
    summary = pd.read_excel(path, sheet_name="Summary", header=HEADER_ROW - 1)
    assert len(summary) == n
    profiles = book["Profiles"]
    assert [c.value for c in profiles[HEADER_ROW]][1:] == list(a.ranking["name"])


def test_sensitivity_tables_stay_narrow_and_acceptability_rows_sum_to_one(crowded):
    a, path = crowded
    ws = openpyxl.load_workbook(path)["Sensitivity"]
    header = find_row(ws, 2, "Rank 1")
    shown = [c.value for c in ws[header] if c.value is not None]
    worse = f"Rank {MOST_SERIES + 1} or worse"
    assert shown[:MOST_SERIES + 2] == ["Project", *(f"Rank {k}" for k in
                                                    range(1, MOST_SERIES + 1)), worse]
    for row in range(header + 1, header + 1 + len(a.ranking)):
        shares = [ws.cell(row=row, column=c).value for c in range(2, MOST_SERIES + 3)]
        assert sum(shares) == pytest.approx(1)
    sweep = find_row(ws, 1, t("section.sweep") + " " + t("sens.pairwise_top", n=MOST_SERIES))
    assert sweep > header
    tables_end = max(c.column for row in ws.iter_rows() for c in row if c.value is not None)
    assert tables_end <= 1 + MOST_SERIES + 4  # labels, ten projects or ranks, a few more
    pairwise = find_row(ws, 1, t("section.pairwise") + " " + t("sens.pairwise_top",
                                                               n=MOST_SERIES))
    assert [c.value for c in ws[pairwise + 1]][1:MOST_SERIES + 2] == [
        *a.ranking["name"][:MOST_SERIES], None]


def test_what_if_and_evidence_keep_every_project(crowded):
    a, path = crowded
    whatif = pd.read_excel(path, sheet_name="What-if", header=WHATIF_HEADER_ROW - 1,
                           nrows=len(a.ranking))
    assert list(whatif["Project"]) == list(a.ranking["name"])
    assert list(whatif["Rank"]) == list(a.ranking["rank"])
    evidence = pd.read_excel(path, sheet_name="Evidence", header=HEADER_ROW - 1)
    assert set(evidence["Id"]) == set(a.ranking.index)
    assert len(evidence) == sum(max(1, len(f)) for f in a.criteria["facts"])
