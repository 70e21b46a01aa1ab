"""Benchmark the joint Monte Carlo (SMAA over weights and evidence); prints a markdown table.

    python bench/bench_joint.py            # 10⁴ and 10⁵ joint samples × 100 projects × 30 criteria
    python bench/bench_joint.py --quick    # 10⁴ only

Inputs (seeded): 100 projects, 6 axes of 5 criteria each (30 criteria), every criterion
giving 0 or +1 point (or −1 for one criterion in five, a penalty), half of them unknown or
uncertain in each project, with a chance of passing drawn from 0.2–0.8; axis base 1, scale
1–5 in steps of 1. Beside it, what a user of an MCDA library would write: a Python loop
that draws one sample at a time (the evidence with numpy, then ranks the decision matrix
under one uniform weight vector with scikit-criteria's weighted sum, or a numpy
matrix-vector product when scikit-criteria is not installed). Each configuration runs in a
fresh process, which reports its wall time and its own peak RSS. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
import json, resource, sys, time
import numpy as np, pandas as pd
from scorer.models import Rubric
samples = int(sys.argv[1])
n, axes, per_axis = 100, 6, 5
rng = np.random.default_rng(42)
rubric = Rubric.model_validate({
    "id": "bench", "version": "1", "title": "bench", "facts": {"x": {"type": "boolean"}},
    "axes": {f"a{j}": {"label": f"A{j}", "base": 1, "criteria": [
        {"id": f"c{j}{k}", "why": "bench", "when": "x", "points": -1 if k == 0 else 1}
        for k in range(per_axis)]} for j in range(axes)},
    "profiles": {"even": {f"a{j}": 1 for j in range(axes)}}})
projects = [f"p{i}" for i in range(n)]
rows, chances = [], []
for p in projects:
    for j in range(axes):
        for k in range(per_axis):
            points = -1.0 if k == 0 else 1.0
            if rng.random() < 0.5:
                chance = float(rng.uniform(0.2, 0.8))
                pair = (min(0.0, points), max(0.0, points))
                odds = (1 - chance, chance) if points > 0 else (chance, 1 - chance)
                chances.append({"project": p, "criterion": f"c{j}{k}", "axis": f"a{j}",
                                "points": pair, "chances": odds})
                rows.append({"project": p, "criterion": f"c{j}{k}", "axis": f"a{j}",
                             "points": 0.0})
            else:
                rows.append({"project": p, "criterion": f"c{j}{k}", "axis": f"a{j}",
                             "points": points * float(rng.random() < 0.5)})
criteria = pd.DataFrame(rows)
chances = pd.DataFrame(chances)
axes_table = pd.DataFrame({"project": np.repeat(projects, axes),
                           "axis": [f"a{j}" for j in range(axes)] * n,
                           "override": False, "score": 0.0})
weights = pd.Series(1 / axes, index=[f"a{j}" for j in range(axes)])
"""

JOINT = SETUP + """
from scorer.joint import Evidence, joint_monte_carlo
evidence = Evidence.of(rubric, axes_table, criteria, chances, projects)
joint_monte_carlo(rubric, evidence, projects, weights, samples=100)  # load what it needs
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
joint_monte_carlo(rubric, evidence, projects, weights, samples=samples, seed=0)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "before_kb": before, "peak_kb": peak,
                  "uncertain": len(chances)}))
"""

LOOP = SETUP + """
from scorer.joint import Evidence
evidence = Evidence.of(rubric, axes_table, criteria, chances, projects)
try:
    import skcriteria as skc
    from skcriteria.agg.simple import WeightedSumModel
    model, how = WeightedSumModel(), f"scikit-criteria {skc.VERSION} WeightedSumModel"
except ImportError:
    model, how = None, "numpy (one matrix-vector product and argsort per sample)"
counts = np.zeros((n, n), dtype=np.int64)
loop_rng = np.random.default_rng(1)
start = time.perf_counter()
for _ in range(samples):
    matrix = evidence.draw(loop_rng, 1, rubric.scale)[0]
    w = loop_rng.dirichlet(np.ones(axes))
    if model is not None:
        ranks = model.evaluate(skc.mkdm(matrix + 1e-12, [max] * axes, weights=w)).rank_
    else:
        values = matrix @ w
        ranks = np.empty(n, dtype=int)
        ranks[np.argsort(-values, kind="stable")] = np.arange(1, n + 1)
    counts[np.arange(n), ranks - 1] += 1
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "how": how}))
"""


def child(code: str, samples: int) -> dict:
    """Run `code` in a fresh interpreter; its last output line is a JSON record."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, str(samples)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 10⁵-sample run")
    args = parser.parse_args()
    import numpy

    counts = [10_000] + ([] if args.quick else [100_000])
    loop_samples = 1_000
    loop = child(LOOP, loop_samples)
    per_loop = loop["seconds"] / loop_samples
    print(f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, Python "
          f"{platform.python_version()}, numpy {numpy.__version__}")
    print(f"Per-sample loop ({loop['how']}): {per_loop * 1e6:,.0f} µs/sample "
          f"({loop_samples:,} samples in {loop['seconds']:.2f} s)\n")
    print("| joint samples | projects × criteria (uncertain) | time | peak RSS (above before) "
          "| samples/s | speed-up vs loop |")
    print("|---:|---|---:|---:|---:|---:|")
    for samples in counts:
        run = child(JOINT, samples)
        peak, before = run["peak_kb"] / 1024, run["before_kb"] / 1024
        speed = per_loop / (run["seconds"] / samples)
        print(f"| {samples:,} | 100 × 30 ({run['uncertain']:,}) | {run['seconds']:.2f} s "
              f"| {peak:,.0f} MB (+{peak - before:,.0f} MB) | {samples / run['seconds']:,.0f} "
              f"| {speed:,.0f}× |")


if __name__ == "__main__":
    main()
