"""Scale: a workspace of many dossiers (the scale benchmark's own), its bounded sensitivity
against the whole one, and messages that stay short however many projects there are."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import scorer
from bench.bench_scale import make_workspace
from scorer import engine, sensitivity, uncertainty
from scorer.analysis import LISTED, Analysis
from scorer.errors import ArgumentError

AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Analysis:
    """45 dossiers copied from the bundled ones, ids renamed, booleans flipped."""
    folder = tmp_path_factory.mktemp("many")
    make_workspace(folder, 45)
    workspace = scorer.load(folder / "projects", folder / "rubrics/default.yaml", today=AS_OF)
    return workspace.analyse(AS_OF)


def test_the_synthetic_workspace_is_valid_and_its_scores_differ(many):
    assert len(many.ranking) == 45
    assert {"akash-00000", "flux-00001", "render-00044"} <= set(many.projects.index)
    assert all(Path(row.file).stem == project for project, row in many.projects.iterrows())
    copies = many.scores.loc[[p for p in many.scores.index if p.startswith("akash-")]]
    assert len(copies.drop_duplicates()) > 1  # flipped facts give copies their own scores


def test_a_workspace_like_one_dossier_copies_only_that_one(tmp_path):
    ids = make_workspace(tmp_path, 4, like="flux")
    assert ids == ["flux-00000", "flux-00001", "flux-00002", "flux-00003"]
    workspace = scorer.load(tmp_path / "projects", tmp_path / "rubrics/default.yaml",
                            today=AS_OF)
    assert {d.name for d in workspace.dossiers} == {"Flux"}
    with pytest.raises(SystemExit, match=r"projects/fluxx\.yaml"):
        make_workspace(tmp_path / "other", 1, like="fluxx")


def test_copies_judged_once_give_the_rows_each_project_judged_alone_gives(many):
    """`engine.evaluate` judges a rule once for projects whose facts are the same objects
    (here most of them: copies of five dossiers): the table is what judging every project
    on its own makes."""
    projects = list(many.scores.index)
    values, candidates = engine.evidence_values(many.evidence, projects)
    one_by_one = pd.DataFrame([
        engine.criterion_row(rule, p, values[p], candidates[p], AS_OF, many.histories[p])
        for p in projects for rule in many.rulebook],
        columns=engine.CRITERIA_COLUMNS).astype({"value": object})  # fmt: skip
    pd.testing.assert_frame_equal(many.criteria, one_by_one.astype(
        dict.fromkeys(engine.CATEGORY_COLUMNS, "category")))


def test_bounded_sensitivity_is_the_whole_one_cut_to_the_top(many):
    top = 3
    full = many.sensitivity(samples=1_000, seed=2, full=True)
    bounded = many.sensitivity(samples=1_000, seed=2, top=top)
    report = bounded.report
    breakpoints = sensitivity.oat_breakpoints(many.scores, many.weights)
    assert report.crossings.counts.to_dict() == {
        axis: int((breakpoints["axis"] == axis).sum()) for axis in many.rubric.axes}
    assert (report.crossings.table["rank"] <= top).all()
    pd.testing.assert_frame_equal(pd.DataFrame(list(report.crossings.rows(full=True))),
                                  breakpoints)
    whole = sensitivity.perturbation(many.scores, many.weights)
    pd.testing.assert_frame_equal(pd.DataFrame(list(report.one_point_off.rows(full=True))),
                                  whole)
    assert report.one_point_off.changing == sum(1 for changes in whole["changes"] if changes)
    assert pd.DataFrame(list(full.one_off_rows())).equals(
        whole[whole["changes"].map(len) > 0].reset_index(drop=True))
    critical = pd.DataFrame(list(full.critical_rows()), columns=uncertainty.CRITICAL_COLUMNS)
    pd.testing.assert_frame_equal(critical, uncertainty.critical_evidence(
        many.rubric, many.criteria, many.axes, many.scores, many.weights), check_dtype=False)
    mc, every = report.monte_carlo, full.monte_carlo
    assert every.rank_acceptability.shape[1] == len(many.ranking)
    pd.testing.assert_frame_equal(mc.rank_acceptability, every.rank_acceptability.iloc[:, :top])
    pd.testing.assert_series_equal(mc.expected_rank, every.expected_rank, atol=1e-12)
    pd.testing.assert_frame_equal(mc.central_weights, every.central_weights)
    assert mc.confidence.notna().sum() <= top
    pd.testing.assert_frame_equal(report.stability, sensitivity.stability(many.scores,
                                                                          many.weights))
    assert report.critical == sensitivity.critical_change(many.scores, many.weights)


def test_the_bounded_json_lists_the_top_and_counts_the_rest(many):
    top = 3
    record = many.sensitivity(samples=500, seed=2, top=top).to_dict()
    full = many.sensitivity(samples=500, seed=2, full=True).to_dict()
    bounded = record["bounded"]
    assert (bounded["top"], bounded["full"]) == (top, False)
    assert bounded["rank_acceptability"] == {"ranks": top}
    assert full["bounded"]["rank_acceptability"] == {"ranks": len(many.ranking)}
    for axis, counts in bounded["breakpoints"].items():
        assert counts["listed"] == len(record["oat"][axis]["breakpoints"])
        assert counts["all"] == len(full["oat"][axis]["breakpoints"]) > counts["listed"]
    off = bounded["one_point_off"]
    assert off["listed"] == len(record["perturbation"]) < off["changing"]
    assert off["changing"] == len(full["perturbation"])
    assert all(change["to"] <= top or change["from"] <= top
               for move in record["perturbation"] for change in move["changes"])
    settled = bounded["critical_evidence"]
    assert settled["listed"] == len(record["critical_evidence"]) <= settled["changing"]
    assert settled["changing"] == len(full["critical_evidence"])
    assert all(len(ranks) == top for ranks in record["monte_carlo"]["rank_acceptability"]
               .values())


def test_bounded_sensitivity_refuses_a_top_below_one(many):
    with pytest.raises(ArgumentError, match=r"^top: must be a whole number, at least 1"):
        many.sensitivity(samples=10, top=0)


def test_an_unknown_project_lists_a_few_ids_and_counts_them_all(many):
    with pytest.raises(ArgumentError) as raised:
        many.explain("akash-0000")
    message = str(raised.value)
    assert "unknown project 'akash-0000' (did you mean 'akash-" in message
    assert message.count(", ") == LISTED  # LISTED ids, then how many there are
    assert message.endswith(f", … ({len(many.ranking)} in all)")


def test_explaining_one_project_among_many_ranks_it_among_them_all(many):
    record = many.explain("flux-00001").to_dict()
    row = many.ranking.loc["flux-00001"]
    assert (record["rank"], record["of"]) == (row["rank"], 45)
    assert record["rank_range"] == [row["rank_best"], row["rank_worst"]]


def test_crossings_among_many_identical_projects_are_counted_not_listed(many):
    once = sensitivity.crossings(many.scores, many.weights, top=2)
    scores = pd.concat([many.scores] * 20, ignore_index=True)
    scores.index = [f"p{i}" for i in range(len(scores))]
    twenty = sensitivity.crossings(scores, many.weights, top=21)  # 20 copies share a rank
    pd.testing.assert_series_equal(twenty.counts, 400 * once.counts)  # every pair of copies
    assert len(twenty.table) == len(once.table)  # one row per pair of lines
    assert (twenty.table["rank"] == 1 + 20 * (once.table["rank"] - 1)).all()
    assert (twenty.table[["tied_a", "tied_b"]].to_numpy()
            == 20 * once.table[["tied_a", "tied_b"]].to_numpy()).all()


def test_diff_looks_facts_up_as_the_evidence_tables_hold_them(many):
    from scorer.diff import diff

    earlier = scorer.load(Path(many.dossiers[0].file).parent, many.rubric.file,
                          today=AS_OF).analyse(date(2025, 8, 26))
    found = diff(earlier, many)
    for side, table in (("a", earlier.evidence), ("b", many.evidence)):
        for row in table.sample(60, random_state=1).itertuples(index=False):
            observed = found.observation(side, row.project, row.fact)
            assert observed["value"] is row.value
            assert observed["source"] == row.source or pd.isna(observed["source"]) == pd.isna(
                row.source) is True
            assert observed["as_of"] == (None if pd.isna(row.date) else row.date)
    assert found.observation("a", "akash-00000", "no.such_fact") is None
    assert found.observation("b", "nobody", "token.max_supply") is None


# ---------------------------------------------------------------- issue 14: lean loading


def held_and_passing(paths: list[Path], rubric) -> tuple[int, int]:
    """Bytes the dossiers of `paths` hold once loaded, and the most that loading them held
    beyond that at any moment (tracemalloc: what Python allocated, whatever the machine)."""
    import gc
    import tracemalloc

    from scorer.loading import load_projects

    gc.collect()
    tracemalloc.start()
    try:
        dossiers = load_projects(paths, rubric, AS_OF)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(dossiers) == len(paths)
    return held, peak - held


def test_a_loaded_dossier_holds_under_50_kb_and_no_file_outlives_its_reading(tmp_path):
    from scorer.loading import read_rubric

    make_workspace(tmp_path, 80)
    rubric, _ = read_rubric(tmp_path / "rubrics/default.yaml")
    paths = sorted((tmp_path / "projects").glob("*.yaml"))
    held_and_passing(paths[:5], rubric)  # positions and days met once are shared after
    held_40, passing_40 = held_and_passing(paths[:40], rubric)
    held_80, passing_80 = held_and_passing(paths, rubric)
    assert held_80 / 80 < 50 * 1024  # the bundled dossiers took 200 KB each before issue 14
    assert 1.8 < held_80 / held_40 < 2.2  # linear in dossiers
    assert max(passing_40, passing_80) < 1024 * 1024  # one file read and composed at a time
