"""How the workbook's XML is written: rows as openpyxl writes them, formulas with their values.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from scorer.writers.excel import build_workbook
from scorer.writers.excel.cached import fill
from scorer.writers.excel.rows import BookWriter
from tests.test_excel import HOSTILE_DOSSIER, WHEN, snapshot


def entries(wb: openpyxl.Workbook, writer: type[ExcelWriter]) -> dict[str, bytes]:
    """Every entry of the archive `writer` makes of `wb`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        writer(wb, archive).write_data()
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def edge_cases() -> openpyxl.Workbook:
    """Cells of every kind the fast path writes or hands back to openpyxl."""
    wb = openpyxl.Workbook()
    ws = wb.active
    values = [" leading", "trailing ", "  ", "a & b < c > d \"q\" 'a'", "line\nbreak", "",
              "=not a formula", "日本語", 0, -1, 1e-300, 1.5e308, 12345678901234, 3.14159,
              True, False, date(2025, 1, 2), datetime(2025, 1, 2, 3, 4, 5)]
    for row, value in enumerate(values, start=1):
        ws.cell(row=row, column=1).value = value
        styled = ws.cell(row=row, column=2)
        styled.value = value
        styled.font = Font(bold=True)
    ws.cell(row=1, column=3).value = "=A1&B1"  # a formula: openpyxl's own writer
    ws.cell(row=2, column=3).font = Font(italic=True)  # styled, empty
    ws.cell(row=3, column=3).value = "link"
    ws.cell(row=3, column=3).hyperlink = "https://example.com/?a=1&b=2"
    for row in range(1, len(values) + 1):
        if isinstance(ws.cell(row=row, column=2).value, str):
            ws.cell(row=row, column=2).data_type = "s"  # text, never a formula
    return wb


def test_rows_are_written_byte_for_byte_as_openpyxl_writes_them(tmp_path):
    assert entries(edge_cases(), BookWriter) == entries(edge_cases(), ExcelWriter)
    inputs = snapshot(tmp_path)
    (inputs.projects / "hostile.yaml").write_text(HOSTILE_DOSSIER, encoding="utf-8")
    a = inputs.analyse()
    s = a.sensitivity(samples=200)
    for lang in ("en", "ja"):
        ours = entries(build_workbook(a, s, lang=lang, generated_at=WHEN), BookWriter)
        theirs = entries(build_workbook(a, s, lang=lang, generated_at=WHEN), ExcelWriter)
        assert ours.keys() == theirs.keys()
        differ = [name for name in ours if ours[name] != theirs[name]]
        assert differ == [], lang


def test_formula_values_are_typed_as_excel_types_them():
    xml = (b'<row r="1"><c r="A1" s="2"><f>1+1</f><v /></c><c r="B1"><f>A1&amp;"x"</f>'
           b'<v></v></c><c r="C1"><f>A1&gt;1</f><v/></c><c r="D1"><f>1/3</f><v /></c>'
           b'<c r="E1" t="inlineStr"><is><t>text</t></is></c></row>')
    out = fill(xml, {"A1": 2, "B1": '2x & <"y">', "C1": True, "D1": 1 / 3})
    assert out == (b'<row r="1"><c r="A1" s="2"><f>1+1</f><v>2</v></c><c r="B1" t="str">'
                   b'<f>A1&amp;"x"</f><v>2x &amp; &lt;"y"&gt;</v></c><c r="C1" t="b">'
                   b'<f>A1&gt;1</f><v>1</v></c><c r="D1"><f>1/3</f><v>0.3333333333333333</v>'
                   b'</c><c r="E1" t="inlineStr"><is><t>text</t></is></c></row>')
    assert fill(xml, {}) == xml


def test_a_formula_value_with_nowhere_to_go_is_a_bug_not_a_silent_blank():
    with pytest.raises(RuntimeError, match="found 0 of the 1"):
        fill(b'<c r="A1" t="inlineStr"><is><t>text</t></is></c>', {"A1": 1})
    with pytest.raises(ValueError, match="finite"):
        fill(b'<c r="A1"><f>1/0</f><v /></c>', {"A1": float("inf")})
