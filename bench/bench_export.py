"""Benchmark `scorer export` at scale; prints one markdown table.

    python bench/bench_export.py                 # 100, 500 and 1,000 dossiers
    python bench/bench_export.py --sizes 100     # any sizes
    python bench/bench_export.py --samples 2000  # fewer Monte Carlo samples (default 10,000)

Inputs: copies of the bundled dossiers (`projects/*.yaml`), each with a new id (its file
name) and name, and with one `value: true|false` in three flipped (seeded), so that scores
differ as they would among real projects. Each size runs in a fresh process, which does what
`scorer export` does — load, analyse, the sensitivity analysis, the History sheet's analyses
(every quarter), then the workbook — and reports the wall time of each step, the size of the
file and its own peak resident set size (`getrusage(RUSAGE_SELF).ru_maxrss`, read in the child
as it ends, and just before the workbook is written). The workbook column is the writing of
the workbook alone (build and save), the part this benchmark watches; "total" is the whole
export. Not a test: timings depend on the machine (and on what else runs on it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

try:  # run as a script, python bench/<name>.py: bench/ is on the path
    from machine import cpu_model
except ImportError:  # imported as bench.<name>, as tests do
    from bench.machine import cpu_model

ROOT = Path(__file__).resolve().parent.parent
FLIP = re.compile(r"(?<=\bvalue: )(true|false)\b")

EXPORT = """
import json, resource, sys, time
from pathlib import Path
steps = {}
start = time.perf_counter()
import scorer
from scorer.writers.excel import generation_time, write_workbook
ws = scorer.load(sys.argv[1], sys.argv[2], today="2026-11-26")
steps["load"] = time.perf_counter() - start
mark = time.perf_counter()
a = ws.analyse(as_of="2026-11-26")
steps["analyse"] = time.perf_counter() - mark
mark = time.perf_counter()
s = a.sensitivity(samples=int(sys.argv[4]), seed=0)
steps["sensitivity"] = time.perf_counter() - mark
mark = time.perf_counter()
h = ws.history(end=a.as_of, every="quarter")
steps["history"] = time.perf_counter() - mark
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
mark = time.perf_counter()
write_workbook(Path(sys.argv[3]), a, s, generated_at=generation_time({"SOURCE_DATE_EPOCH": "0"}),
               history=h)
steps["workbook"] = time.perf_counter() - mark
steps["total"] = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"steps": steps, "peak_kb": peak, "before_kb": before, "dates": len(h.analyses),
                  "bytes": Path(sys.argv[3]).stat().st_size}))
"""


def make_dossiers(folder: Path, count: int, seed: int = 0) -> None:
    """`count` dossiers in `folder`: the bundled ones copied round-robin with new ids and
    names, and about a third of their boolean values flipped."""
    rng = random.Random(seed)
    sources = sorted((ROOT / "projects").glob("*.yaml"))
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sources]
    for i in range(count):
        stem, text = texts[i % len(texts)]
        new = f"{stem}-{i:05d}"
        text = re.sub(rf"(?m)^id: {re.escape(stem)}$", f"id: {new}", text, count=1)
        text = re.sub(r"(?m)^name: (.*)$", rf"name: \1 {i:05d}", text, count=1)
        text = FLIP.sub(lambda m: m[1] if rng.random() >= 1 / 3
                        else {"true": "false", "false": "true"}[m[1]], text)
        (folder / f"{new}.yaml").write_text(text, encoding="utf-8")


def child(count: int, samples: int) -> dict:
    """Export `count` synthetic dossiers in a fresh interpreter; its JSON record."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "projects"
        folder.mkdir()
        make_dossiers(folder, count)
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        env.pop("SOURCE_DATE_EPOCH", None)
        out = subprocess.run([sys.executable, "-c", EXPORT, str(folder),
                              str(ROOT / "rubrics" / "default.yaml"), str(Path(tmp) / "x.xlsx"),
                              str(samples)], env=env, capture_output=True, text=True,
                             check=False)
        if out.returncode:
            raise SystemExit(f"{count} dossiers failed:\n{out.stderr}")
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1_000],
                        help="numbers of dossiers (default: 100 500 1000)")
    parser.add_argument("--samples", type=int, default=10_000,
                        help="Monte Carlo samples, as `scorer export --samples` (default 10,000)")
    args = parser.parse_args()
    import openpyxl

    print(f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.machine()}, "
          f"Python {platform.python_version()}, openpyxl {openpyxl.__version__}")
    print(f"Inputs: the bundled dossiers copied with new ids, a third of their booleans "
          f"flipped (seed 0); as of 2026-11-26, {args.samples:,} Monte Carlo samples, History "
          f"every quarter. Seconds are wall time in a fresh process; peak RSS is that "
          f"process's ru_maxrss.\n")
    rows = []
    for count in args.sizes:
        run = child(count, args.samples)
        rows.append((count, run))
        print(f"  done: {count:,} dossiers in {run['steps']['total']:.1f} s", file=sys.stderr)
    print("| dossiers | total s | workbook s | load s | analyse s | sensitivity s "
          "| history s (dates) | peak RSS MB (before the workbook) | file size MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count, run in rows:
        s = run["steps"]
        print(f"| {count:,} | {s['total']:.1f} | {s['workbook']:.1f} | {s['load']:.1f} "
              f"| {s['analyse']:.1f} | {s['sensitivity']:.1f} "
              f"| {s['history']:.1f} ({run['dates']}) | {run['peak_kb'] / 1024:,.0f} "
              f"({run['before_kb'] / 1024:,.0f}) | {run['bytes'] / 1e6:.1f} |")


if __name__ == "__main__":
    main()
