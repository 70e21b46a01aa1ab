"""The library's front door, as a notebook user meets it: `import scorer` and four lines."""

from __future__ import annotations

import json
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import scorer
from scorer.cli import cli
from tests.conftest import DEFAULT_RUBRIC, PROJECTS, ROOT


@pytest.fixture(scope="module")
def workspace() -> scorer.Workspace:
    return scorer.load(PROJECTS, DEFAULT_RUBRIC)


@pytest.fixture(scope="module")
def analysis(workspace) -> scorer.Analysis:
    return workspace.analyse(as_of="2025-08-26")


def cli_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, [*args, "--projects", str(PROJECTS), "--rubric",
                                      str(DEFAULT_RUBRIC), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_public_name_is_listed_and_importable():
    assert set(scorer.__all__) <= set(dir(scorer))
    for name in scorer.__all__:
        assert getattr(scorer, name) is not None
    with pytest.raises(AttributeError):
        scorer.no_such_name  # noqa: B018


def test_the_package_is_typed_and_knows_its_version():
    assert (Path(scorer.__file__).parent / "py.typed").is_file()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert scorer.__version__ == project["project"]["version"]
    assert "scorer = [\"py.typed\"]" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_table_is_what_compare_shows(analysis):
    table = analysis.table()
    expected = cli_json("compare", "--as-of", "2025-08-26")
    assert list(table.index) == [p["id"] for p in expected["projects"]]
    assert list(table.columns) == ["Rank", "Project", "Tech", "Market", "Token", "Team",
                                   "Growth", "Risk", "Score", "Total /30", "Range", "Coverage",
                                   "Grade"]
    low, high = analysis.ranking.loc["flux", ["total_low", "total_high"]]
    assert table.loc["flux", "Range"] == f"{low:g}–{high:g}"
    assert table.loc["flux", ["Tech", "Market", "Token", "Team", "Growth", "Risk"]].tolist() \
        == [4, 3, 4, 4, 3, 3]
    assert all(pd.api.types.is_integer_dtype(table[c]) for c in ("Rank", "Tech", "Risk"))
    for project in expected["projects"]:
        row = table.loc[project["id"]]
        assert (row["Rank"], row["Total /30"], row["Grade"]) == (
            project["rank"], pytest.approx(project["total"]), project["grade"])


def test_japanese_table_has_japanese_headers(workspace):
    table = workspace.analyse(as_of="2025-08-26", lang="ja").table()
    assert "順位" in table.columns and "技術" in table.columns


def test_to_dict_and_explain_are_the_json_of_the_commands(analysis):
    assert analysis.to_dict() == cli_json("compare", "--as-of", "2025-08-26")
    assert analysis.explain("flux").to_dict() == cli_json("explain", "flux", "--as-of",
                                                          "2025-08-26")
    criteria = analysis.explain("flux").table()
    assert len(criteria) == len(analysis.rulebook)


def test_compare_streams_the_json_of_to_dict_one_project_at_a_time(analysis):
    from collections.abc import Iterator

    from scorer.writers.text import to_json

    result = CliRunner().invoke(cli, ["compare", "--as-of", "2025-08-26", "--projects",
                                      str(PROJECTS), "--rubric", str(DEFAULT_RUBRIC),
                                      "--format", "json"])
    view = analysis.comparison()
    assert result.stdout == to_json(view.to_dict())  # the text, not only the data
    record = view.record()
    assert isinstance(record["projects"], Iterator)  # made as the text is written
    assert next(record["projects"]) == view.to_dict()["projects"][0]


def test_weights_are_kept_as_given_and_normalised(workspace):
    a = workspace.analyse(weights={"risk": 3})
    assert a.weights_given["risk"] == 3 and a.weights_given["technology"] == 1
    assert a.weights.sum() == pytest.approx(1) and a.weights["risk"] == pytest.approx(3 / 8)


def test_library_errors_name_the_argument(workspace):
    with pytest.raises(scorer.ArgumentError, match=r"^weights: unknown axis 'teck'"):
        workspace.analyse(weights={"teck": 2})
    with pytest.raises(scorer.ArgumentError, match=r"^as_of: '26/08/2025' is not a date"):
        workspace.analyse(as_of="26/08/2025")
    with pytest.raises(scorer.ArgumentError, match=r"^project: unknown project 'flx'"):
        workspace.analyse().explain("flx")


def test_sensitivity_takes_the_scale_from_the_rubric(write):
    text = (ROOT / "tests/data/mini_rubric.yaml").read_text(encoding="utf-8")
    rubric = write("ten.yaml", text.replace("scale: {min: 1, max: 5, step: 1}",
                                            "scale: {min: 0, max: 10, step: 2}"))
    write("p/one.yaml", "id: one\nname: One\nfacts: {a.flag: true}\n")
    write("p/two.yaml", "id: two\nname: Two\nfacts: {a.count: 500}\n")
    a = scorer.load(rubric.parent / "p", rubric).analyse()
    moves = pd.DataFrame(a.sensitivity(samples=100).report.one_point_off.rows(full=True))
    assert set(moves["delta"].abs()) == {2.0}
    moved = a.scores.stack().reindex(list(zip(moves["project"], moves["axis"], strict=True)))
    assert ((moved.to_numpy() + moves["delta"].to_numpy()) >= 0).all()
    assert ((moved.to_numpy() + moves["delta"].to_numpy()) <= 10).all()


def test_sensitivity_verdict_is_the_commands(analysis):
    result = analysis.sensitivity(samples=500, seed=3)
    assert result.verdict() == cli_json("sensitivity", "--as-of", "2025-08-26", "--samples",
                                        "500", "--seed", "3")["verdict"]


def test_to_excel_writes_a_workbook_pandas_reads(analysis, tmp_path):
    path = analysis.to_excel(tmp_path / "book.xlsx", samples=200)
    summary = pd.read_excel(path, sheet_name="Summary", header=3)
    assert summary["Id"].tolist() == list(analysis.ranking.index)


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.section = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr" and self.section == "tbody":
            self.rows.append([])

    def handle_data(self, data: str) -> None:
        if self.section == "tbody" and self.rows and data.strip():
            self.rows[-1].append(data.strip())


def test_notebook_html_is_one_row_per_project_and_escapes_text(workspace, analysis):
    parser = _Rows()
    parser.feed(analysis._repr_html_())
    assert [row[1] for row in parser.rows] == analysis.ranking["name"].tolist()
    assert len(parser.rows) == len(analysis.ranking)
    assert "background:#" in analysis._repr_html_()
    assert len(repr(analysis)) < 200 and "Flux 21.0" in repr(analysis)
    assert "<Workspace rubric default v2" in repr(workspace)


def test_overrides_are_marked_in_the_notebook_table(write, mini_rubric):
    write("p/o.yaml", "id: o\nname: '<b>O</b>'\noverrides:\n  alpha: {score: 5, reason: "
                      "Known better & sourced}\n")
    a = scorer.load(write("p/x.yaml", "id: x\nname: X\n").parent,
                    ROOT / "tests/data/mini_rubric.yaml").analyse()
    html = a._repr_html_()
    assert "&lt;b&gt;O&lt;/b&gt;" in html and "<b>O</b>" not in html
    assert "font-style:italic" in html and "Known better &amp; sourced" in html


def test_diff_compares_analyses_whose_outcomes_differ_in_kind(workspace):
    """Criteria hold their outcomes as categories, and an analysis in which no criterion is
    uncertain has no such category: `diff` compares them as the texts they are."""
    from dataclasses import replace

    from scorer.diff import diff

    a, b = workspace.analyse(as_of="2025-08-26"), workspace.analyse(as_of="2026-11-26")
    settled = a.criteria.assign(outcome=a.criteria["outcome"].astype(str).replace(
        "uncertain", "pass").astype("category"))  # no criterion uncertain
    assert "uncertain" not in settled["outcome"].cat.categories
    d = diff(replace(a, criteria=settled), b)
    was = a.criteria.set_index(["project", "criterion"])["outcome"]
    expected = {(p, c) for p, c, old, new in zip(b.criteria["project"], b.criteria["criterion"],
                                                 was.reindex(pd.MultiIndex.from_frame(
                                                     b.criteria[["project", "criterion"]])),
                                                 b.criteria["outcome"], strict=True)
                if (old if old != "uncertain" else "pass") != new}
    assert expected <= set(zip(d.changes["project"], d.changes["criterion"], strict=True))
    assert d.changes["outcome_a"].dtype == pd.Series(["x"]).dtype  # text, as it always was
