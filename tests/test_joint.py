"""SMAA over weights and evidence, against the weight-only analysis and an independent
per-sample simulation."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

import scorer
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
