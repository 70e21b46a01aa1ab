"""Benchmark the Monte Carlo (SMAA-2) sensitivity analysis; prints a markdown table.

    python bench/bench_sensitivity.py            # 10⁴, 10⁵, 10⁶ samples × 3, 100, 1,000 projects
    python bench/bench_sensitivity.py --quick    # 10⁴ and 10⁵ only

Each configuration runs in a fresh subprocess, so its peak resident memory (ru_maxrss) is
its own; the table shows it, and how much of it is above the interpreter with numpy and
pandas loaded. In the same run, the way a user of an MCDA library would do it — a Python
loop that ranks each weight sample with scikit-criteria's weighted sum (or, when
scikit-criteria is not installed, a plain numpy loop) — is timed on fewer samples, and the
speed-up per sample is reported. Not a test: timings depend on the machine.
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
n, samples = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(42)
axes = [f"axis{j}" for j in range(6)]
scores = pd.DataFrame(rng.integers(1, 6, (n, 6)).astype(float), columns=axes,
                      index=[f"p{i}" for i in range(n)])
weights = pd.Series(1 / 6, index=axes)
"""

VECTORISED = SETUP + """
from scorer.sensitivity import monte_carlo
monte_carlo(scores.iloc[:2], weights, samples=10)  # warm up imports
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
monte_carlo(scores, weights, samples=samples, seed=0)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "before_kb": before, "peak_kb": peak}))
"""

LOOP = SETUP + """
draws = rng.standard_exponential((samples, 6))
sampled = draws / draws.sum(axis=1, keepdims=True)
counts = np.zeros((n, n), dtype=np.int64)
try:
    import skcriteria as skc
    from skcriteria.agg.simple import WeightedSumModel
    model, how = WeightedSumModel(), "scikit-criteria " + skc.VERSION
except ImportError:
    model, how = None, "numpy loop"
start = time.perf_counter()
for w in sampled:
    if model is not None:
        ranks = model.evaluate(skc.mkdm(scores.to_numpy(), [max] * 6, weights=w)).rank_
    else:
        values = scores.to_numpy() @ w
        ranks = np.empty(n, dtype=int)
        ranks[np.argsort(-values, kind="stable")] = np.arange(1, n + 1)
    counts[np.arange(n), ranks - 1] += 1
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "how": how}))
"""


def child(code: str, n: int, samples: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, str(n), str(samples)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 10⁶-sample runs")
    args = parser.parse_args()
    import numpy

    sample_counts = [10_000, 100_000] + ([] if args.quick else [1_000_000])
    loop_samples = {3: 20_000, 100: 5_000, 1_000: 1_000}
    print(f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, Python "
          f"{platform.python_version()}, numpy {numpy.__version__}\n")
    rows = []
    for n in (3, 100, 1_000):
        loop = child(LOOP, n, loop_samples[n])
        loop_per_sample = loop["seconds"] / loop_samples[n]
        for samples in sample_counts:
            run = child(VECTORISED, n, samples)
            per_sample = run["seconds"] / samples
            rows.append((n, samples, run, loop, loop_per_sample / per_sample))
            print(f"  done: {n} projects × {samples:,} samples in {run['seconds']:.2f} s",
                  file=sys.stderr)
    print("| projects | samples | time | samples/s | peak RSS | above interpreter + numpy/pandas "
          "| per-sample loop | speed-up |")
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    for n, samples, run, loop, speedup in rows:
        peak, before = run["peak_kb"] / 1024, run["before_kb"] / 1024
        per_loop = loop["seconds"] / loop_samples[n] * 1e6
        print(f"| {n:,} | {samples:,} | {run['seconds']:.2f} s | {samples / run['seconds']:,.0f} "
              f"| {peak:,.0f} MB | {peak - before:,.0f} MB | {per_loop:,.0f} µs/sample "
              f"({loop['how']}, {loop_samples[n]:,} samples) | {speedup:,.0f}× |")


if __name__ == "__main__":
    main()
