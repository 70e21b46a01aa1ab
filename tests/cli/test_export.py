"""`scorer export`: the workbook from the command line, in a fresh folder."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scorer.cli import cli
from scorer.writers.excel import HEADER_ROW
from tests.conftest import ROOT


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "projects", tmp_path / "projects")
    shutil.copytree(ROOT / "rubrics", tmp_path / "rubrics")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args, env=None):
    return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


def summary(path):
    return pd.read_excel(path, sheet_name=0, header=HEADER_ROW - 1)


def test_default_export_matches_compare(workspace):
    result = run("export", "--samples", "500")
    assert result.exit_code == 0, result.output
    path = workspace / "exports" / "comparison.xlsx"
    assert f"wrote {path.relative_to(workspace)}" in result.stdout
    table = summary(path)
    ranked = json.loads(run("compare", "--format", "json").stdout)["projects"]
    assert table["Id"].tolist() == [p["id"] for p in ranked]
    assert table["Total /30"].tolist() == pytest.approx([p["total"] for p in ranked])
    names = load_workbook(path).sheetnames
    assert names == ["Summary", "What-if", "Axes", "Evidence", "Sensitivity", "History",
                     "Profiles", "About"]


def test_options_reach_the_workbook(workspace):
    out = workspace / "custom" / "risk.xlsx"
    args = ("--weights", "risk=3", "--as-of", "2025-08-26")
    assert run("export", *args, "--samples", "300", "--seed", "4", "--out", str(out)
               ).exit_code == 0
    ranked = json.loads(run("compare", *args, "--format", "json").stdout)["projects"]
    assert summary(out)["Score"].tolist() == pytest.approx([p["score"] for p in ranked])
    about = {row[0]: row[1] for row in load_workbook(out)["About"].iter_rows(values_only=True)
             if row[0]}
    assert (about["Monte Carlo samples"], about["Monte Carlo seed"]) == (300, 4)
    assert about["Weight: Overall risk (higher = safer)"] == pytest.approx(3 / 8)


def test_japanese_sheet_names(workspace):
    assert run("export", "--samples", "200", "--lang", "ja", "--out", "ja.xlsx").exit_code == 0
    assert load_workbook(workspace / "ja.xlsx").sheetnames[0] == "概要"


def test_same_inputs_and_source_date_epoch_give_identical_bytes(workspace):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    run("export", "--samples", "300", "--out", "a.xlsx", env=env)
    run("export", "--samples", "300", "--out", "b.xlsx", env=env)
    assert (workspace / "a.xlsx").read_bytes() == (workspace / "b.xlsx").read_bytes()


def test_a_failed_export_leaves_the_earlier_workbook(workspace):
    path = workspace / "exports" / "comparison.xlsx"
    assert run("export", "--samples", "200").exit_code == 0
    before = path.read_bytes()
    (workspace / "projects" / "broken.yaml").write_text("id: broken\nname: [\n", "utf-8")
    result = run("export", "--samples", "200")
    assert result.exit_code == 1 and "broken.yaml:" in result.stderr
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["comparison.xlsx"]


def test_a_new_competitor_reaches_the_workbook(workspace):
    assert run("new", "iexec", "--name", "iExec").exit_code == 0
    assert run("export", "--samples", "200").exit_code == 0
    table = summary(workspace / "exports" / "comparison.xlsx")
    iexec = table[table["Id"] == "iexec"].iloc[0]
    assert iexec["Project"] == "iExec" and iexec["Coverage"] == 0


def test_bad_source_date_epoch_is_a_user_error(workspace):
    result = run("export", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.exit_code == 1
    assert "SOURCE_DATE_EPOCH='yesterday' is not a Unix time in seconds" in result.stderr


def test_compare_points_to_export_for_excel(workspace):
    result = run("compare", "--format", "xlsx")
    assert result.exit_code == 2 and "use `scorer export`" in result.stderr
