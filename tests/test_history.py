"""Scores over time: a history's analyses are those of its dates made one at a time, with
forecasts and trust floors too, and the history view reads them as cell lookups would."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

import scorer
from bench.bench_scale import make_workspace
from scorer.analysis import Analysis, analyse
from scorer.views.common import clean
from scorer.views.history import BARS, History
from tests.conftest import DEFAULT_RUBRIC, PROJECTS

FUTURE = """\
id: future
name: Future
sources:
  plan: {title: Roadmap, url: "https://example.com/plan", reliability: low}
  audit: {title: Audit, url: "https://example.com/audit", reliability: primary}
facts:
  network:
    active_nodes:
      - {value: 1000, source: audit, as_of: 2024-01-01}
      - {value: 700, source: audit, as_of: 2025-03-01}
      - {value: 5000, source: plan, as_of: 2027-06-30, forecast: true}
  team:
    development_start: {value: 2022, source: plan}
"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> scorer.Workspace:
    """Copies of the bundled dossiers with a third of their true/false values flipped,
    and a dossier with a forecast and sources of unequal trust."""
    folder = tmp_path_factory.mktemp("synthetic")
    make_workspace(folder, 15)
    (folder / "projects/future.yaml").write_text(FUTURE, encoding="utf-8")
    return scorer.load(folder / "projects", folder / "rubrics/default.yaml",
                       today="2026-11-26")


def assert_same_analysis(one: Analysis, other: Analysis) -> None:
    for name in ("projects", "observations", "evidence", "criteria", "axes", "scores",
                 "ranking"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name), obj=name)
    for name in ("weights", "weights_given"):
        pd.testing.assert_series_equal(getattr(one, name), getattr(other, name), obj=name)
    assert one.histories == other.histories
    assert (one.as_of, one.profile, one.lang, one.min_reliability, one.include_forecasts,
            one.dossiers) == (other.as_of, other.profile, other.lang, other.min_reliability,
                              other.include_forecasts, other.dossiers)


@pytest.mark.parametrize(("floor", "forecasts"), [("low", True), ("primary", True),
                                                  ("secondary", False)])
def test_a_history_with_forecasts_and_a_floor_is_its_dates_one_at_a_time(synthetic, floor,
                                                                         forecasts):
    history = synthetic.history(start=date(2023, 6, 1), end=date(2028, 3, 31), every="change",
                                min_reliability=floor, include_forecasts=forecasts)
    assert len(history.analyses) > 10
    # the forecast takes effect when forecasts count and its source is trusted
    assert (date(2027, 6, 30) in history.dates) == (forecasts and floor == "low")
    for a in history.analyses:
        assert_same_analysis(a, analyse(synthetic.rulebook, synthetic.dossiers, as_of=a.as_of,
                                        min_reliability=floor, include_forecasts=forecasts))


# ---------------------------------------------------------------- the view


def cell(a: Analysis, project: str, column: str) -> Any:
    return a.ranking.at[project, column]


def to_dict_cell_by_cell(view: History) -> dict[str, Any]:
    """`History.to_dict` the plain way: every number looked up in its analysis's tables."""
    first, last = view.analyses[0], view.analyses[-1]
    projects = [{"id": p, "name": str(cell(last, p, "name")), "series": [
        {"date": a.as_of, "total": cell(a, p, "total"), "rank": int(cell(a, p, "rank")),
         **({"axes": a.scores.loc[p].to_dict()} if view.axes else {})}
        for a in view.analyses]} for p in last.ranking.index]
    return clean({"rubric": {"id": first.rubric.id, "version": first.rubric.version},
                  "profile": first.profile, "weights": first.weights.to_dict(),
                  "min_reliability": first.min_reliability, "dates": view.dates,
                  "projects": projects})


def frame_cell_by_cell(view: History) -> pd.DataFrame:
    last = view.analyses[-1]
    return pd.DataFrame([
        {"date": a.as_of, "id": p, "name": str(cell(last, p, "name")),
         "total": float(cell(a, p, "total")), "rank": int(cell(a, p, "rank")),
         **({x: float(a.scores.at[p, x]) for x in a.scores} if view.axes else {})}
        for a in view.analyses for p in last.ranking.index])


@pytest.mark.parametrize("axes", [False, True])
@pytest.mark.parametrize("where", ["bundled", "synthetic"])
def test_the_history_view_reads_each_analysis_as_cell_lookups_do(synthetic, where, axes):
    workspace = synthetic if where == "synthetic" else scorer.load(PROJECTS, DEFAULT_RUBRIC)
    view = workspace.history(start=date(2020, 1, 1), end=date(2026, 11, 26), axes=axes)
    assert view.to_dict() == to_dict_cell_by_cell(view)
    pd.testing.assert_frame_equal(view.frame(), frame_cell_by_cell(view))
    rubric = view.analyses[-1].rubric
    low, high = rubric.scale.min * len(rubric.axes), rubric.total_max
    for project in view.projects:
        totals = [float(cell(a, project, "total")) for a in view.analyses]
        assert view.totals(project) == totals
        assert view.sparkline(project) == "".join(
            BARS[min(int((x - low) / (high - low) * len(BARS)), len(BARS) - 1)]
            for x in totals)
        assert view.name(project) == str(cell(view.analyses[-1], project, "name"))
    machine = view.rows(machine=True)
    assert [row[:5] for row in machine] == [
        [clean(v) for v in row[:5]] for row in frame_cell_by_cell(view).itertuples(index=False)]


def test_a_history_of_no_dates_has_no_rows():
    view = History(())
    assert view.projects == [] and view.frame().empty
