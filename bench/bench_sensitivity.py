"""Benchmark the Monte Carlo (SMAA-2) sensitivity analysis; prints one markdown table.

    python bench/bench_sensitivity.py            # 10⁴, 10⁵, 10⁶ samples × 3, 100, 1,000 projects
    python bench/bench_sensitivity.py --quick    # 10⁴ and 10⁵ samples only

Inputs: random integer scores 1–5 on 6 axes (seeded), equal weights, uniform sampling. Each
configuration runs in a fresh subprocess, which reports its wall time for `monte_carlo` and
its own peak resident set size (`getrusage(RUSAGE_SELF).ru_maxrss`, read in the child as it
ends) and its RSS just before the call. In the same run, what a user of an MCDA library would
write — a Python loop ranking one weight sample at a time with scikit-criteria's weighted
sum (or, if scikit-criteria is not importable, a per-sample numpy loop) — is timed on fewer
samples, and the speed-up per sample is reported. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

try:  # run as a script, python bench/<name>.py: bench/ is on the path
    from machine import cpu_model
except ImportError:  # imported as bench.<name>, as tests do
    from bench.machine import cpu_model

ROOT = Path(__file__).resolve().parent.parent
AXES = 6

BASELINE = """
import json, resource, sys
bare = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import numpy, pandas, scorer.sensitivity
loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"bare_kb": bare, "loaded_kb": loaded}))
"""

SETUP = f"""
import json, resource, sys, time
import numpy as np, pandas as pd
n, samples, workers = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) or None
rng = np.random.default_rng(42)
axes = [f"axis{{j}}" for j in range({AXES})]
scores = pd.DataFrame(rng.integers(1, 6, (n, {AXES})).astype(float), columns=axes,
                      index=[f"p{{i}}" for i in range(n)])
weights = pd.Series(1 / {AXES}, index=axes)
"""

VECTORISED = SETUP + """
from scorer.sensitivity import monte_carlo
monte_carlo(scores.iloc[:3], weights, samples=100)  # load everything the call needs
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
monte_carlo(scores, weights, samples=samples, seed=0, workers=workers)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "before_kb": before, "peak_kb": peak}))
"""

LOOP = SETUP + """
draws = rng.standard_exponential((samples, len(axes)))
sampled = draws / draws.sum(axis=1, keepdims=True)
counts = np.zeros((n, n), dtype=np.int64)
matrix = scores.to_numpy()
try:
    import skcriteria as skc
    from skcriteria.agg.simple import WeightedSumModel
    model, how = WeightedSumModel(), f"scikit-criteria {skc.VERSION} WeightedSumModel"
except ImportError:
    model, how = None, "numpy (one matrix-vector product and argsort per sample)"
start = time.perf_counter()
for w in sampled:
    if model is not None:
        ranks = model.evaluate(skc.mkdm(matrix, [max] * len(axes), weights=w)).rank_
    else:
        values = matrix @ w
        ranks = np.empty(n, dtype=int)
        ranks[np.argsort(-values, kind="stable")] = np.arange(1, n + 1)
    counts[np.arange(n), ranks - 1] += 1
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "how": how}))
"""


def child(code: str, *args: int) -> dict:
    """Run `code` in a fresh interpreter; its last output line is a JSON record."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 10⁶-sample runs")
    args = parser.parse_args()
    import numpy

    sample_counts = [10_000, 100_000] + ([] if args.quick else [1_000_000])
    loop_samples = {3: 5_000, 100: 3_000, 1_000: 1_000}
    base = child(BASELINE)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(cpus or 1, 4)  # monte_carlo's default
    print(f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.machine()}, "
          f"Python {platform.python_version()}, numpy {numpy.__version__}; "
          f"monte_carlo used {workers} worker threads (its default here)")
    print(f"Memory: peak RSS = ru_maxrss of the fresh child process that ran the "
          f"configuration (getrusage(RUSAGE_SELF), read in the child). Baseline RSS: bare "
          f"interpreter {base['bare_kb'] / 1024:.0f} MB; with numpy, pandas and "
          f"scorer.sensitivity imported {base['loaded_kb'] / 1024:.0f} MB.")
    print(f"Inputs: random integer scores 1–5 on {AXES} axes (seed 42), equal weights, "
          f"uniform weights on the simplex, seed 0, pairwise wins among the best 50.\n")

    loops = {}
    for n in (3, 100, 1_000):
        loops[n] = child(LOOP, n, loop_samples[n], 0)
        print(f"  loop: {n} projects × {loop_samples[n]:,} samples in "
              f"{loops[n]['seconds']:.2f} s", file=sys.stderr)
    rows = []
    for n in (3, 100, 1_000):
        for samples in sample_counts:
            run = child(VECTORISED, n, samples, 0)
            rows.append((f"{n:,} projects × {samples:,} samples", n, samples, run))
            print(f"  done: {n} projects × {samples:,} samples in {run['seconds']:.2f} s",
                  file=sys.stderr)
    if not args.quick:
        run = child(VECTORISED, 100, 1_000_000, 1)
        rows.append(("100 projects × 1,000,000 samples, 1 thread", 100, 1_000_000, run))

    print("| configuration | time | peak RSS (above RSS before the call) | samples/s "
          "| speed-up vs loop |")
    print("|---|---:|---:|---:|---:|")
    for label, n, samples, run in rows:
        peak, before = run["peak_kb"] / 1024, run["before_kb"] / 1024
        loop_per_sample = loops[n]["seconds"] / loop_samples[n]
        speedup = loop_per_sample / (run["seconds"] / samples)
        print(f"| {label} | {run['seconds']:.2f} s | {peak:,.0f} MB (+{peak - before:,.0f} MB) "
              f"| {samples / run['seconds']:,.0f} | {speedup:,.0f}× |")
    print("\nPer-sample loop (the comparison): " + loops[3]["how"])
    for n in (3, 100, 1_000):
        per = loops[n]["seconds"] / loop_samples[n]
        print(f"- {n:,} projects: {per * 1e6:,.0f} µs/sample ({loop_samples[n]:,} samples "
              f"in {loops[n]['seconds']:.2f} s)")


if __name__ == "__main__":
    main()
