"""SMAA over weights and evidence, against the weight-only analysis and an independent
per-sample simulation."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scorer
import scorer.models
from scorer import joint, uncertainty
from scorer.analysis import Analysis, analyse
from scorer.loading import load_dossier
from scorer.ranking import competition_rank
from scorer.sensitivity import monte_carlo
from tests.conftest import DEFAULT_RUBRIC, PROJECTS

AS_OF = date(2025, 8, 26)


def run(a: Analysis, samples: int, seed: int = 0, **options) -> joint.JointMonteCarlo:
    chances = uncertainty.distributions(a.rulebook, a.criteria, a.evidence, a.as_of, a.histories)
    drawn = joint.Evidence.of(a.rubric, a.axes, a.criteria, chances, list(a.scores.index))
    return joint.joint_monte_carlo(a.rubric, drawn, list(a.scores.index), a.weights,
                                   samples, seed, point_scores=a.scores, **options)


@pytest.fixture
def settled(write, mini_rubric) -> Analysis:
    """Four projects whose every fact is stated exactly: nothing to draw but weights."""
    dossiers = []
    for i, (flag, count, kind, since) in enumerate([("true", 5, "x", 2010),
                                                    ("false", 150, "y", 2024),
                                                    ("true", 50, "y", 2015),
                                                    ("false", 20, "x", 2012)]):
        path = write(f"p{i}.yaml", f"id: p{i}\nname: P{i}\nfacts: {{a.flag: {flag}, "
                                   f"a.count: {count}, a.top: {i + 1}, a.bottom: 3, "
                                   f"a.kind: {kind}, b.since: {since}}}\n")
        dossiers.append(load_dossier(path, mini_rubric))
    a = analyse(mini_rubric, dossiers, as_of=AS_OF)
    assert (a.criteria["possible"].map(len) == 1).all()
    return a


@pytest.fixture(scope="module")
def bundled() -> Analysis:
    return scorer.load(PROJECTS, DEFAULT_RUBRIC).analyse(as_of=AS_OF)


@pytest.mark.parametrize("concentration", [None, 30.0])
def test_without_uncertainty_it_is_the_weight_only_analysis(settled, concentration):
    both = run(settled, 5_000, seed=7, concentration=concentration)
    alone = monte_carlo(settled.scores, settled.weights, 5_000, seed=7,
                        concentration=concentration)
    assert not both.evidence
    pd.testing.assert_frame_equal(both.rank_acceptability, alone.rank_acceptability)
    pd.testing.assert_frame_equal(both.central_weights, alone.central_weights, atol=1e-9)
    pd.testing.assert_frame_equal(both.pairwise_win, alone.pairwise_win)


def test_without_uncertainty_a_project_is_sure_to_be_first_at_its_central_weights(settled):
    result = run(settled, 3_000)
    ever_first = result.first[result.first > 0].index
    assert len(ever_first) >= 2
    assert (result.confidence[ever_first] == 1).all()
    assert result.confidence.drop(ever_first).isna().all()


def independent(a: Analysis, samples: int, seed: int) -> pd.DataFrame:
    """Rank acceptability the slow, obvious way: one sample at a time, its own generator."""
    rng = np.random.default_rng(seed)
    chances = uncertainty.distributions(a.rulebook, a.criteria, a.evidence, a.as_of, a.histories)
    drawn_keys = set(zip(chances["project"], chances["criterion"], strict=True))
    axes = a.axes.set_index(["project", "axis"])
    projects, names = list(a.scores.index), list(a.rubric.axes)
    counts = np.zeros((len(projects), len(projects)))
    for _ in range(samples):
        w = rng.dirichlet(np.ones(len(names)))
        raw = {(p, x): a.rubric.axes[x].base for p in projects for x in names}
        for c in a.criteria.itertuples(index=False):
            if (c.project, c.criterion) not in drawn_keys:
                raw[(c.project, c.axis)] += c.points
        for c in chances.itertuples(index=False):
            raw[(c.project, c.axis)] += rng.choice(c.points, p=c.chances)
        scores = np.array([[axes.at[(p, x), "score"] if axes.at[(p, x), "override"]
                            else a.rubric.scale.snap(raw[(p, x)]) for x in names]
                           for p in projects])
        for i, r in enumerate(competition_rank(scores @ w)):
            counts[i, r - 1] += 1
    return pd.DataFrame(counts / samples, index=projects, columns=range(1, len(projects) + 1))


def test_with_uncertainty_it_agrees_with_an_independent_simulation(bundled):
    fast = run(bundled, 40_000, seed=3)
    slow = independent(bundled, 4_000, seed=11)
    assert fast.evidence
    p = fast.rank_acceptability.to_numpy()
    q = slow.to_numpy()
    sigma = np.sqrt(np.maximum(p * (1 - p), 1e-4) * (1 / 40_000 + 1 / 4_000))
    assert (np.abs(p - q) <= 4.5 * sigma).all(), (fast.rank_acceptability, slow)
    alone = monte_carlo(bundled.scores, bundled.weights, 40_000, seed=3)
    assert fast.first["flux"] < alone.first["flux"] - 0.1  # the evidence costs Flux too


def test_same_seed_same_numbers_whatever_the_chunk(bundled, monkeypatch):
    first = run(bundled, 3_000, seed=5)
    monkeypatch.setattr(joint, "_CHUNK_VALUES", 7 * 18)  # 7 samples a chunk
    again = run(bundled, 3_000, seed=5)
    pd.testing.assert_frame_equal(first.rank_acceptability, again.rank_acceptability)
    pd.testing.assert_series_equal(first.confidence, again.confidence)
    other = run(bundled, 3_000, seed=6)
    assert not first.rank_acceptability.equals(other.rank_acceptability)


def test_acceptability_rows_and_columns_sum_to_one(bundled):
    result = run(bundled, 2_000)
    assert result.rank_acceptability.sum(axis=1).to_numpy() == pytest.approx(1)
    assert result.expected_rank.to_numpy() == pytest.approx(
        result.rank_acceptability.to_numpy() @ np.arange(1, len(result.expected_rank) + 1))


# ---------------------------------------------------------------- drawing fast, the same numbers


def draw_by_bincount(evidence: joint.Evidence, rng: np.random.Generator, count: int,
                     scale) -> np.ndarray:
    """The reference: each criterion's option is the number of its thresholds
    ⌈cumulative chance · 2³²⌉ its word reaches (compared as 64-bit integers: a threshold of
    2³² is never reached), every criterion's points added to its cell by one `np.bincount`,
    every cell clamped and rounded, then the overrides put back."""
    n, m = evidence.fixed.shape
    raw = np.broadcast_to(evidence.fixed.ravel(), (count, n * m)).copy()
    if len(evidence.cell):
        words = evidence.words(rng, count).astype(np.uint64)
        least = np.minimum(np.ceil(evidence.cumulative[:, :-1] * 2.0**32), 2.0**32)
        option = (words[:, :, None] >= least.astype(np.uint64)[None, :, :]).sum(axis=2)
        drawn = evidence.points[np.arange(len(evidence.cell))[None, :], option]
        cells = (np.arange(count)[:, None] * (n * m) + evidence.cell[None, :]).ravel()
        raw += np.bincount(cells, weights=drawn.ravel(),
                           minlength=count * n * m).reshape(count, n * m)
    scores = np.clip(raw, scale.min, scale.max)
    scores = scale.min + scale.step * np.floor((scores - scale.min) / scale.step + 0.5)
    scores = scores.reshape(count, n, m)
    return np.where(evidence.overridden[None], evidence.override[None], scores)


@st.composite
def evidence_drawn(draw):
    """Random evidence: whole or fractional points, two to four options, cells in any order,
    some overridden."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, m = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    width = draw(st.integers(2, 4))
    count = draw(st.integers(0, 25))
    whole = draw(st.booleans())
    points = rng.integers(-2, 3, (count, width)).astype(float)
    if not whole:
        points += rng.choice([0.0, 0.1, 0.25, 0.3], (count, width))
    chances = rng.dirichlet(np.ones(width), count)
    if draw(st.booleans()):  # options with no chance, as an unknown_pass of 0 or 1 gives
        chances[rng.random((count, width)) < 0.3] = 0.0
        chances[chances.sum(axis=1) == 0, 0] = 1.0
        chances /= chances.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(chances, axis=1).reshape(count, width)
    cumulative[:, -1] = 1.0
    cell = rng.integers(0, n * m, count)
    if draw(st.booleans()):
        cell = np.sort(cell)
    overridden = rng.random((n, m)) < 0.2
    return joint.Evidence(fixed=rng.integers(1, 4, (n, m)).astype(float) + (
        0 if whole else 0.5), overridden=overridden, override=np.where(overridden, 2.0, 0.0),
        cell=cell.astype(np.int64), points=points, cumulative=cumulative)


@settings(max_examples=80, deadline=None)
@given(evidence_drawn(), st.integers(1, 40), st.integers(0, 2**16))
def test_draw_gives_what_one_bincount_gave_sample_for_sample(evidence, count, seed):
    scale = scorer.models.Scale(min=1, max=5, step=0.5 if seed % 2 else 1)
    expected = draw_by_bincount(evidence, np.random.default_rng(seed), count, scale)
    assert (evidence.draw(np.random.default_rng(seed), count, scale) == expected).all()
    general = joint.Evidence(evidence.fixed, evidence.overridden, evidence.override,
                             evidence.cell, evidence.points, evidence.cumulative)
    general.__dict__["_exact"] = None  # the path for sums that depend on their order
    assert (general.draw(np.random.default_rng(seed), count, scale) == expected).all()


def test_words_drawn_in_chunks_are_the_words_drawn_at_once():
    evidence = joint.Evidence(fixed=np.zeros((1, 1)), overridden=np.zeros((1, 1), bool),
                              override=np.zeros((1, 1)), cell=np.zeros(5, np.int64),
                              points=np.zeros((5, 2)), cumulative=np.full((5, 2), 1.0))
    rng = np.random.default_rng(9)  # five criteria: an odd number of words a sample
    chunks = np.concatenate([evidence.words(rng, 3), evidence.words(rng, 1),
                             evidence.words(rng, 4)])
    at_once = evidence.words(np.random.default_rng(9), 8)
    assert at_once.dtype == np.uint32 and at_once.shape == (8, 5)
    assert (chunks == at_once).all()
    assert len(np.unique(at_once)) == at_once.size  # no word repeated, none skipped to zero


def test_a_stream_draws_any_chunk_in_any_thread_as_drawn_in_turn():
    evidence = joint.Evidence(fixed=np.zeros((1, 1)), overridden=np.zeros((1, 1), bool),
                              override=np.zeros((1, 1)), cell=np.zeros(5, np.int64),
                              points=np.zeros((5, 2)), cumulative=np.full((5, 2), 1.0))
    rng = np.random.default_rng([4, 1])
    at = evidence.stream(rng)
    in_turn = evidence.words(np.random.default_rng([4, 1]), 10)
    with ThreadPoolExecutor(2) as pool:  # out of order, two threads, a chunk drawn twice
        parts = dict(pool.map(lambda span: (span, at(*span)), [(6, 4), (0, 2), (2, 4), (0, 2)]))
    assert (np.concatenate([parts[0, 2], parts[2, 4], parts[6, 4]]) == in_turn).all()
    assert (evidence.words(rng, 10) == in_turn).all()  # the stream left `rng` where it was


@pytest.mark.parametrize("exact", [True, False])
def test_an_option_without_chance_is_never_drawn_and_a_sure_one_always(exact):
    """Each criterion adds to its own cell; chances (left to right over points 0, 1, 2):
    sure of 0 · sure of 2 · half 0, half 2 (1 has none) · sure of 1, with 2 impossible."""
    chances = np.array([[1, 0, 0], [0, 0, 1], [0.5, 0, 0.5], [0, 1, 0]], dtype=float)
    cumulative = np.cumsum(chances, axis=1)
    cumulative[:, -1] = 1.0
    evidence = joint.Evidence(fixed=np.ones((1, 4)), overridden=np.zeros((1, 4), bool),
                              override=np.zeros((1, 4)), cell=np.arange(4, dtype=np.int64),
                              points=np.tile([0.0, 1.0, 2.0], (4, 1)), cumulative=cumulative)
    if not exact:
        evidence.__dict__["_exact"] = None
    scale = scorer.models.Scale(min=0, max=9, step=1)
    words = np.array([[0] * 4, [2**31 - 1] * 4, [2**31] * 4, [2**32 - 1] * 4], dtype=np.uint32)
    assert evidence.scores(words, scale)[:, 0, :].tolist() == [
        [1, 3, 1, 2], [1, 3, 1, 2], [1, 3, 3, 2], [1, 3, 3, 2]]


def test_workers_and_ranks_change_no_number(bundled):
    one = run(bundled, 3_000, seed=4, workers=1)
    for other in (run(bundled, 3_000, seed=4, workers=3), run(bundled, 3_000, seed=4)):
        for table in ("rank_acceptability", "expected_rank", "pairwise_win",
                      "central_weights", "confidence"):
            assert getattr(one, table).equals(getattr(other, table)), table
    bounded = run(bundled, 3_000, seed=4, ranks=2)
    pd.testing.assert_frame_equal(bounded.rank_acceptability,
                                  one.rank_acceptability.iloc[:, :2])
    pd.testing.assert_series_equal(bounded.expected_rank, one.expected_rank, atol=1e-12)
    firsts = one.first.sort_values(ascending=False, kind="stable").index[:2]
    assert set(bounded.confidence.dropna().index) == set(firsts)
    pd.testing.assert_series_equal(bounded.confidence[firsts], one.confidence[firsts])


def test_ties_across_the_last_rank_kept_are_counted_as_every_rank_counts_them(write,
                                                                            mini_rubric):
    """Projects written twice, every fact stated, tie in every sample, so ties straddle
    each cut-off of ranks."""
    dossiers = []
    for i, (flag, count, kind, since) in enumerate([("true", 5, "x", 2010),
                                                    ("false", 150, "y", 2024),
                                                    ("true", 50, "y", 2015)] * 2):
        path = write(f"p{i}.yaml", f"id: p{i}\nname: P{i}\nfacts: {{a.flag: {flag}, "
                                   f"a.count: {count}, a.top: {i % 3 + 1}, a.bottom: 3, "
                                   f"a.kind: {kind}, b.since: {since}}}\n")
        dossiers.append(load_dossier(path, mini_rubric))
    a = analyse(mini_rubric, dossiers, as_of=AS_OF)
    every = run(a, 2_000, seed=2)
    assert (every.rank_acceptability[[2, 4, 6]] == 0).all().all()  # pairs tie: 1, 1, 3, 3, …
    for ranks in (1, 2, 3, 4, 5):
        kept = run(a, 2_000, seed=2, ranks=ranks)
        pd.testing.assert_frame_equal(kept.rank_acceptability,
                                      every.rank_acceptability.iloc[:, :ranks])
        pd.testing.assert_series_equal(kept.expected_rank, every.expected_rank, atol=1e-12)
        pd.testing.assert_frame_equal(kept.central_weights, every.central_weights)


@settings(max_examples=60, deadline=None)
@given(evidence_drawn(), st.integers(0, 2**16))
def test_every_draw_lies_within_the_bounds(evidence, seed):
    scale = scorer.models.Scale(min=1, max=5, step=0.5 if seed % 2 else 1)
    low, high = evidence.bounds(scale)
    drawn = evidence.draw(np.random.default_rng(seed), 50, scale)
    assert (drawn >= low).all() and (drawn <= high).all()
    cells = np.unique(evidence.cell)
    if len(cells) == len(evidence.cell) and not evidence.overridden.ravel()[cells].any():
        # one criterion a cell: its fewest and most points, snapped, give bounds at most a
        # step wider (a sum on a rounding edge is rounded away from the draws)
        fixed = evidence.fixed.ravel()[evidence.cell]
        least = [scale.snap(f + p) for f, p in zip(fixed, evidence.points.min(axis=1),
                                                   strict=True)]
        most = [scale.snap(f + p) for f, p in zip(fixed, evidence.points.max(axis=1),
                                                  strict=True)]
        assert (least - low.ravel()[evidence.cell] <= scale.step).all()
        assert (high.ravel()[evidence.cell] - most <= scale.step).all()


def weighing_every_project(a: Analysis, samples: int, seed: int) -> joint.JointMonteCarlo:
    """Run the Monte Carlo and check each confidence factor against its definition: every
    project weighed at the central weights, in the same evidence samples."""
    result = run(a, samples, seed=seed)
    chances = uncertainty.distributions(a.rulebook, a.criteria, a.evidence, a.as_of, a.histories)
    drawn = joint.Evidence.of(a.rubric, a.axes, a.criteria, chances, list(a.scores.index))
    words = drawn.words(np.random.default_rng([seed, 2]), samples)
    scores = drawn.scores(words, a.rubric.scale)  # samples × projects × axes
    for project, share in result.confidence.dropna().items():
        weights = result.central_weights.loc[project].to_numpy()
        values = np.round(scores @ weights, 9)  # every project weighed
        own = values[:, a.scores.index.get_loc(project)]
        assert share == pytest.approx((own >= values.max(axis=1)).mean(), abs=1e-12), project
    return result


@pytest.mark.parametrize("day", [AS_OF, date(2026, 11, 26)])
def test_confidence_is_what_weighing_every_project_gives(day):
    a = scorer.load(PROJECTS, DEFAULT_RUBRIC).analyse(as_of=day)
    result = weighing_every_project(a, 3_000, seed=5)
    assert result.confidence.notna().sum() >= 2


def test_confidence_among_many_projects_that_cannot_be_first_weighs_only_the_rest(
        write, mini_rubric):
    """Three strong projects whose age is unknown, thirty weak ones stated in full: only the
    strong can be first, so each factor weighs a copy of their three scores."""
    dossiers = []
    for i in range(33):
        facts = ("a.flag: true, a.count: 150, a.kind: x" if i < 3 else
                 "a.flag: false, a.count: 0, a.top: 0, a.bottom: 1, a.kind: y, b.since: 2025")
        path = write(f"p{i:02}.yaml", f"id: p{i:02}\nname: P{i}\nfacts: {{{facts}}}\n")
        dossiers.append(load_dossier(path, mini_rubric))
    a = analyse(mini_rubric, dossiers, as_of=AS_OF)
    result = weighing_every_project(a, 2_000, seed=8)
    assert set(result.confidence.dropna().index) == {"p00", "p01", "p02"}
    assert (result.confidence.dropna() < 1).all()  # the unknown age decides
