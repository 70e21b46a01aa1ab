"""An analysis at many dates (`prepare(...).at`, what `Workspace.history` runs) equals the
analysis made afresh on each date, table for table."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import scorer
from bench.bench_scale import make_workspace
from scorer.analysis import analyse
from scorer.timeline import change_dates
from tests.conftest import DEFAULT_RUBRIC, PROJECTS

TABLES = ("observations", "evidence", "criteria", "axes", "scores", "ranking")


def same_tables(one, other) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name), obj=name)
    assert one.as_of == other.as_of and one.histories.keys() == other.histories.keys()


@pytest.fixture(scope="module", params=["bundled", "synthetic"])
def workspace(request, tmp_path_factory):
    if request.param == "bundled":
        return scorer.load(PROJECTS, DEFAULT_RUBRIC)
    folder = tmp_path_factory.mktemp("many")
    make_workspace(folder, 40)
    return scorer.load(folder / "projects", folder / "rubrics/default.yaml")


def test_a_history_is_the_analyses_of_its_dates_made_one_at_a_time(workspace):
    start, end = date(2024, 1, 1), date(2026, 11, 26)
    days = change_dates(workspace.rulebook, workspace.dossiers, start, end)
    history = workspace.history(start=start, end=end, every="change")
    assert set(days) <= {a.as_of for a in history.analyses} and len(days) > 10
    for a in history.analyses:
        same_tables(a, analyse(workspace.rulebook, workspace.dossiers, as_of=a.as_of))


@pytest.mark.parametrize("options", [{"min_reliability": "primary"},
                                     {"include_forecasts": True},
                                     {"profile": "token_holder", "lang": "ja"}])
def test_a_history_keeps_the_options_of_each_analysis(options):
    ws = scorer.load(PROJECTS, DEFAULT_RUBRIC)
    history = ws.history(start=date(2025, 1, 1), end=date(2026, 11, 26), every="quarter",
                         **options)
    for a in history.analyses:
        same_tables(a, analyse(ws.rulebook, ws.dossiers, as_of=a.as_of, **options))
