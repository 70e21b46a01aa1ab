"""The rules engine: facts as of a date, criteria outcomes, axis aggregation, overrides."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer import engine
from scorer.analysis import analyse
from scorer.errors import ScorerError
from scorer.loading import load_dossier
from scorer.rulebook import Rule, Rulebook, compile_rubric
from scorer.rules import compile_expression


def test_criteria_outcomes_points_and_missing_facts(demo, mini_rubric):
    result = analyse(mini_rubric, [demo], as_of=date(2025, 8, 26))
    rows = result.criteria.set_index("criterion")
    assert (rows.loc["flag", "outcome"], rows.loc["flag", "points"]) == ("pass", 2)
    assert (rows.loc["count", "outcome"], rows.loc["count", "points"]) == ("pass", 2)  # 500 ≥ 100
    assert (rows.loc["ratio", "outcome"], rows.loc["ratio", "points"]) == ("fail", 0)  # 0.25
    assert (rows.loc["kind", "outcome"], rows.loc["kind", "points"]) == ("fail", -1)  # else
    assert rows.loc["age", "outcome"] == "unknown" and rows.loc["age", "points"] == 0
    assert rows.loc["age", "missing"] == ("b.since",)


def test_axis_score_is_base_plus_points_clamped_to_the_scale(demo, mini_rubric):
    result = analyse(mini_rubric, [demo], as_of=date(2025, 8, 26))
    axes = result.axes.set_index("axis")
    assert axes.loc["alpha", "raw"] == 1 + 2 + 2 + 0
    assert axes.loc["alpha", "computed"] == 5  # 5 stays 5
    assert axes.loc["beta", "raw"] == 3 - 1
    assert axes.loc["beta", "coverage"] == 0.5  # age is unknown
    assert result.ranking.loc["demo", "coverage"] == pytest.approx(4 / 5)


def test_raw_points_above_the_scale_are_clamped(write, mini_rubric):
    alpha = mini_rubric.axes["alpha"].model_copy(update={"base": 4.0})
    rubric = mini_rubric.model_copy(update={"axes": {**mini_rubric.axes, "alpha": alpha}})
    path = write("d.yaml", "id: d\nname: D\nfacts: {a.flag: true, a.count: 1000}\n")
    result = analyse(rubric, [load_dossier(path, rubric)], as_of=date(2025, 1, 1))
    alpha = result.axes.set_index("axis").loc["alpha"]
    assert (alpha["raw"], alpha["computed"]) == (8, 5)


def test_same_dossier_scores_differently_as_of_two_dates(demo, mini_rubric):
    before = analyse(mini_rubric, [demo], as_of=date(2021, 1, 1)).criteria.set_index("criterion")
    after = analyse(mini_rubric, [demo], as_of=date(2025, 8, 26)).criteria.set_index("criterion")
    assert before.loc["count", "points"] == 1 and after.loc["count", "points"] == 2


def test_the_default_date_is_today_not_the_latest_date_the_dossiers_know(demo, mini_rubric,
                                                                          monkeypatch):
    monkeypatch.setenv("SCORER_TODAY", "2027-03-04")
    assert analyse(mini_rubric, [demo]).as_of == date(2027, 3, 4)
    monkeypatch.delenv("SCORER_TODAY")
    assert analyse(mini_rubric, [demo]).as_of == date.today()


def test_override_replaces_the_score_and_keeps_the_computed_one(write, mini_rubric):
    path = write("o.yaml", """\
id: o
name: O
facts: {a.flag: true}
overrides:
  alpha: {score: 2, reason: The flag is disputed.}
""")
    result = analyse(mini_rubric, [load_dossier(path, mini_rubric)], as_of=date(2025, 1, 1))
    alpha = result.axes.set_index("axis").loc["alpha"]
    assert (alpha["score"], alpha["computed"], alpha["override"]) == (2, 3, True)
    assert alpha["reason"] == "The flag is disputed."
    assert result.scores.loc["o", "alpha"] == 2


def test_division_by_zero_leaves_the_criterion_unknown_with_a_note(write, mini_rubric):
    path = write("z.yaml", "id: z\nname: Z\nfacts: {a.top: 1, a.bottom: 0}\n")
    result = analyse(mini_rubric, [load_dossier(path, mini_rubric)], as_of=date(2025, 1, 1))
    ratio = result.criteria.set_index("criterion").loc["ratio"]
    assert ratio["outcome"] == "unknown" and ratio["note"] == "undefined: division by zero"


def test_a_check_that_is_not_a_condition_is_a_user_error(write, mini_rubric):
    count = compile_expression("a.count", mini_rubric.facts)
    rules = tuple(Rule(r.axis, r.criterion, count if r.id == "flag" else r.expression)
                  for r in compile_rubric(mini_rubric))
    path = write("c.yaml", "id: c\nname: C\nfacts: {a.count: 3}\n")
    with pytest.raises(ScorerError, match="not true or false"):
        analyse(Rulebook(mini_rubric, rules), [load_dossier(path, mini_rubric)],
                as_of=date(2025, 1, 1))


def test_unknown_project_suggests(demo, mini_rubric):
    with pytest.raises(ScorerError, match=r"unknown project 'dmo' \(did you mean 'demo'\?\)"):
        analyse(mini_rubric, [demo]).dossier("dmo")


def test_coverage_counts_known_criteria():
    criteria = pd.DataFrame({"project": ["p", "p", "q"], "outcome": ["pass", "unknown", "fail"]})
    assert engine.coverage(criteria).to_dict() == {"p": 0.5, "q": 1.0}


# ---------------------------------------------------------------- vectorised, against references


def aggregate_row_by_row(rubric, criteria: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    """The reference: each group summed in Python, each override looked up row by row."""
    rows = []
    for (project, axis), group in criteria.groupby(["project", "axis"], sort=False):
        raw = rubric.axes[axis].base + sum(group["points"])
        known = sum(1 for outcome in group["outcome"] if outcome != "unknown")
        given = overrides[(overrides["project"] == project) & (overrides["axis"] == axis)]
        computed = rubric.scale.snap(raw)
        rows.append({
            "project": project, "axis": axis,
            "score": float(given["score"].iloc[-1]) if len(given) else computed,
            "computed": computed, "raw": raw, "override": bool(len(given)),
            "reason": given["reason"].iloc[-1] if len(given) else None, "known": known,
            "criteria": len(group), "coverage": known / len(group)})  # fmt: skip
    return pd.DataFrame(rows, columns=engine.AXES_COLUMNS)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_aggregate_and_coverage_equal_summing_group_by_group(mini_rubric, data):
    projects = data.draw(st.lists(st.sampled_from(["p", "q", "r", "s"]), min_size=1,
                                  max_size=4, unique=True))
    rows = [{"project": p, "axis": axis, "criterion": c.id,
             "outcome": data.draw(st.sampled_from(["pass", "fail", "unknown", "uncertain"])),
             "points": float(data.draw(st.integers(-2, 3)))}
            for p in projects for axis, c in mini_rubric.criteria()]
    rows = data.draw(st.permutations(rows)) if data.draw(st.booleans()) else rows
    criteria = pd.DataFrame(rows)  # rows of a project side by side, or in any order
    text = criteria
    if data.draw(st.booleans()):  # as `evaluate` makes them
        criteria = criteria.astype({"axis": "category", "outcome": "category"})
    chosen = data.draw(st.lists(st.tuples(st.sampled_from(projects),
                                          st.sampled_from(list(mini_rubric.axes)),
                                          st.integers(1, 5)), max_size=4,
                                unique_by=lambda x: x[:2]))
    overrides = pd.DataFrame([{"project": p, "axis": a, "score": s, "reason": f"why {p} {a}"}
                              for p, a, s in chosen], columns=["project", "axis", "score",
                                                                "reason"])
    got = engine.aggregate(mini_rubric, criteria, overrides)
    expected = aggregate_row_by_row(mini_rubric, text, overrides)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert got["override"].dtype == bool and got["score"].dtype == float
    assert got["reason"].dtype == expected["reason"].dtype  # as pandas types the list
    assert got["axis"].dtype == text["axis"].dtype  # text, whatever the criteria hold
    by_lambda = text.groupby("project", sort=False)["outcome"].apply(
        lambda outcomes: sum(o != "unknown" for o in outcomes) / len(outcomes))
    pd.testing.assert_series_equal(engine.coverage(criteria), by_lambda, check_names=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", None]), max_size=12), st.booleans())
def test_first_seen_numbers_values_as_factorize_does(values, runs):
    """From runs when equal values sit side by side, by hashing when they do not."""
    if runs:
        values = sorted(values, key=lambda v: (v is None, v or ""))
    for column in (pd.Series(values, dtype=object).astype(str if None not in values else
                                                          object),
                   pd.Series([ord(v or "z") for v in values], dtype="int64").to_numpy()):
        codes, uniques = engine.first_seen(column)
        expected_codes, expected = pd.factorize(column)
        assert codes.tolist() == expected_codes.tolist()
        assert list(uniques) == list(expected)


def test_the_criteria_table_holds_its_repeated_text_as_categories(demo, mini_rubric):
    """Axis, criterion, kind, outcome and note are a small code per row (the values are the
    same texts); project stays text, as in every other table."""
    criteria = analyse(mini_rubric, [demo], as_of=date(2025, 1, 1)).criteria
    assert engine.CATEGORY_COLUMNS == ("axis", "criterion", "kind", "outcome", "note")
    for name in engine.CATEGORY_COLUMNS:
        column = criteria[name]
        assert isinstance(column.dtype, pd.CategoricalDtype), name
        assert column.cat.codes.dtype.itemsize <= 2
        assert list(column.cat.categories) == sorted(column.dropna().unique())  # text order
    assert criteria["project"].dtype == pd.Series(["demo"]).dtype
    assert criteria["criterion"].tolist() == [rule.id for rule in compile_rubric(mini_rubric)]
    assert criteria["note"].isna().any() and criteria["note"].notna().any()


def test_the_criteria_table_is_each_rule_judged_on_its_own(default_rubric):
    import scorer
    from tests.conftest import PROJECTS

    for as_of, floor in ((date(2025, 8, 26), "low"), (date(2026, 11, 26), "primary")):
        a = scorer.load(PROJECTS, default_rubric.file).analyse(as_of, min_reliability=floor)
        values, candidates = engine.evidence_values(a.evidence, list(a.scores.index))
        one_by_one = pd.DataFrame([
            engine.criterion_row(rule, p, values[p], candidates[p], as_of, a.histories[p])
            for p in a.scores.index for rule in a.rulebook],
            columns=engine.CRITERIA_COLUMNS).astype({"value": object})  # fmt: skip
        pd.testing.assert_frame_equal(a.criteria, one_by_one.astype(CRITERIA_DTYPES))
        assert set(a.criteria["outcome"]) == {"pass", "fail", "unknown", "uncertain"}


CRITERIA_DTYPES = dict.fromkeys(engine.CATEGORY_COLUMNS, "category")
"""The criteria table's repeated text, as categories (README, "Use it from Python")."""


# ---------------------------------------------------------------- many dates, and sharing


def test_snapped_is_the_scale_s_snap_of_each_value():
    from scorer.models import Scale

    values = [-3.0, 0.0, -0.0, 0.5, 1.0, 1.49, 1.5, 2.5, 2.75, 4.5, 5.0, 9.0, 1.5, 2.5]
    for scale in (Scale(min=1, max=5, step=1), Scale(min=0, max=10, step=0.5)):
        expected = pd.Series([scale.snap(v) for v in values])  # as `Series.map` types it
        got = engine.snapped(scale, values)
        assert got.tolist() == expected.tolist() and got.dtype == expected.dtype
    assert engine.snapped(Scale(min=1, max=5, step=1), []).tolist() == []


def test_rows_share_equal_points_but_keep_the_sign_of_zero(write, mini_rubric):
    beta = mini_rubric.axes["beta"]
    kind = beta.criteria[0].model_copy(update={"else_": -0.0})  # 'kind': -0.0 when not x
    rubric = mini_rubric.model_copy(update={"axes": {**mini_rubric.axes, "beta": beta.model_copy(
        update={"criteria": [kind, *beta.criteria[1:]]})}})
    dossiers = [load_dossier(write(f"{p}.yaml", f"id: {p}\nname: {p}\nfacts: {{a.flag: true, "
                                   "a.top: 1, a.bottom: 4, a.kind: y}\n"), rubric)
                for p in ("p", "q")]
    rows = analyse(rubric, dossiers, as_of=date(2025, 1, 1)).criteria.set_index(
        ["project", "criterion"])
    assert math.copysign(1, rows.at[("p", "kind"), "points"]) == -1  # shown as -0
    assert math.copysign(1, rows.at[("p", "ratio"), "points"]) == 1  # fails: its else, +0
    assert rows.at[("p", "flag"), "possible"] is rows.at[("q", "flag"), "possible"]
    assert rows.at[("p", "age"), "missing"] is rows.at[("q", "age"), "missing"]


def test_equal_facts_give_equal_rows_and_values_of_other_types_stay_apart(write,
                                                                          mini_rubric):
    """`evaluate` judges a rule once for projects whose candidates are the same objects:
    their rows differ only in the project; 1, 1.0 and True, or 0.0 and -0.0, are other
    values to a rule, and keep their own rows."""
    from scorer.models import Criterion

    top = Criterion.model_validate({"id": "top", "value": "a.top", "why": "Tops matter.",
                                    "bands": [{"at_least": -1, "points": 1}]})
    alpha = mini_rubric.axes["alpha"]
    rubric = mini_rubric.model_copy(update={"axes": {**mini_rubric.axes, "alpha": alpha.model_copy(
        update={"criteria": [*alpha.criteria, top]})}})
    tops = {"p": "1", "q": "1", "r": "1.0", "s": "0.0", "t": "-0.0"}
    dossiers = [load_dossier(write(f"{p}.yaml", f"id: {p}\nname: {p}\nsources: {{a: {{title: "
                                   f"A}}}}\nfacts: {{a.flag: {{value: true, source: a}}, a.top: "
                                   f"{{value: {top}, source: a}}, a.bottom: 2, a.kind: y}}\n"),
                             rubric) for p, top in tops.items()]
    criteria = analyse(rubric, dossiers, as_of=date(2025, 1, 1)).criteria
    rows = {p: criteria[criteria["project"] == p].drop(columns="project").reset_index(drop=True)
            for p in tops}
    pd.testing.assert_frame_equal(rows["p"], rows["q"])
    value = {p: rows[p].set_index("criterion").at["top", "value"] for p in tops}
    assert (type(value["p"]), type(value["r"])) == (int, float)
    assert [math.copysign(1, value[p]) for p in "st"] == [1, -1]
    assert rows["p"].set_index("criterion").at["flag", "outcome"] == "pass"


def test_reached_is_what_ago_reads():
    from scorer.rules import value_at

    series = {"n": [(date(2023, 1, 31), 100), (date(2023, 2, 28), 80)]}
    for as_of in (date(2023, 2, 27), date(2023, 2, 28), date(2024, 1, 1)):
        count = engine.reached(series, "n", as_of, 0)
        assert series["n"][count - 1][1] == value_at(series, "n", as_of)
    assert engine.reached(series, "n", date(2023, 1, 30), 0) == ("before", date(2023, 1, 30))
    assert engine.reached(series, "other", date(2023, 3, 1), 1) == ("before", date(2023, 2, 28))
    assert engine.reached(series, "n", date(1, 1, 5), 10) == ("overflow", date(1, 1, 5))


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory) -> list:
    """The bundled dossiers, and twelve copies with new ids and a third of their
    true/false values flipped (the scale benchmark's), so that scores differ."""
    import scorer
    from bench.bench_scale import make_workspace
    from tests.conftest import PROJECTS

    folder = tmp_path_factory.mktemp("copies")
    make_workspace(folder, 12)
    return [scorer.load(PROJECTS, folder / "rubrics/default.yaml", today="2026-11-26"),
            scorer.load(folder / "projects", folder / "rubrics/default.yaml",
                        today="2026-11-26")]


@pytest.mark.parametrize("floor", ["low", "primary"])
def test_a_memo_gives_each_date_the_rows_judging_afresh_gives(workspaces, floor):
    from scorer import evidence, timeline

    for workspace in workspaces:
        observations = evidence.at_least_as_reliable(
            evidence.observations_table(workspace.dossiers), floor)
        ids = workspace.projects
        histories = engine.history(workspace.rulebook, observations, ids)
        in_force, memo = evidence.InForce(observations, share=True), {}
        days = timeline.sampled_dates(workspace.rulebook, workspace.dossiers,
                                      date(2018, 1, 1), date(2026, 11, 26), "change",
                                      observations=observations)
        reused = 0
        previous = None
        for day in [*days, date(2025, 8, 26)]:  # and one out of order
            remembered = engine.evaluate(workspace.rulebook, in_force.at(day), ids, day,
                                         histories, memo)
            afresh = engine.evaluate(workspace.rulebook, evidence.evidence_at(observations, day),
                                     ids, day, histories)
            pd.testing.assert_frame_equal(remembered, afresh)
            if previous is not None:  # rows judged once and kept: their very tuples
                reused += sum(a is b for a, b in zip(previous, remembered["possible"],
                                                     strict=True))
            previous = remembered["possible"].tolist()
        assert reused > len(days) * len(ids)
