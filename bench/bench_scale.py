"""Benchmark scorer at scale, from 3 to 10,000 dossiers; prints one markdown table.

    python bench/bench_scale.py                        # 3, 100, 2,000 and 10,000 dossiers
    python bench/bench_scale.py --sizes 3,100 --quick  # a quick look: fewer sizes, one run each

Inputs: synthetic workspaces, written to a temporary folder: the bundled rubric, and N
dossiers copied from the bundled ones in turn, each with a new id (its file name) and
about 30 % of its true/false values flipped (seeded), so that scores differ. At each size,
each command runs in a fresh process with SCORER_TODAY=2026-11-26: `scorer compare
--format json`, `scorer explain <first project> --format json`, `scorer sensitivity
--format json` and the bounded sensitivity core (`Analysis.bounded_sensitivity`, the
library call the sensitivity views move to next), each beside its floor, measured in the
same run on the same files:

- startup: `python -c "import yaml, pydantic, click, rich, pandas"` (the stack `compare`
  imports);
- loading: the same imports, then every file of the workspace read by PyYAML's C loader
  (`yaml.load(…, CSafeLoader)`): what parsing alone costs, with no checks.

CPU time is user + system of the finished child (`os.wait4`), peak RSS the child's own
`ru_maxrss`, output the bytes it wrote to standard output; each figure is the median of
`--repeat` runs. A run is stopped after `--timeout` seconds and held to `--memory` GB of
address space; it is then reported as stopped. Not a test: timings depend on the machine,
and on what else runs on it — compare ratios measured in the same run, not seconds across
runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:  # run as a script, python bench/<name>.py: bench/ is on the path
    from machine import cpu_model
except ImportError:  # imported as bench.<name>, as tests do
    from bench.machine import cpu_model

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-26"
FLIP = 0.3
"""Share of the true/false values of each copied dossier that are flipped."""

STARTUP = "import yaml, pydantic, click, rich, pandas"
LOADING = STARTUP + """
import sys
from pathlib import Path
from yaml import CSafeLoader
for path in sorted(Path(sys.argv[1]).glob("projects/*.yaml")) + [
        Path(sys.argv[1]) / "rubrics/default.yaml"]:
    yaml.load(path.read_bytes(), Loader=CSafeLoader)
"""
BOUNDED = """
import json, sys
import scorer
workspace = scorer.load("projects", "rubrics/default.yaml")
result = workspace.analyse().bounded_sensitivity(samples=int(sys.argv[1]))
report = result.report
print(json.dumps({"crossings": int(report.crossings.counts.sum()),
                  "crossings_shown": len(report.crossings.table),
                  "one_point_off_shown": len(report.one_point_off.table),
                  "critical_shown": len(result.critical.table)}))
"""


def make_workspace(folder: Path, size: int, seed: int = 0) -> list[str]:
    """`size` dossiers copied from the bundled ones in turn, new ids, booleans flipped;
    returns the project ids."""
    rng = random.Random(seed)
    (folder / "projects").mkdir(parents=True)
    (folder / "rubrics").mkdir()
    shutil.copy(ROOT / "rubrics/default.yaml", folder / "rubrics/default.yaml")
    bundled = sorted((ROOT / "projects").glob("*.yaml"))
    texts = [path.read_text(encoding="utf-8") for path in bundled]

    def flip(match: re.Match[str]) -> str:
        value = match.group(1)
        if rng.random() < FLIP:
            value = "false" if value == "true" else "true"
        return f"value: {value}"

    ids = []
    for i in range(size):
        k = i % len(bundled)
        stem = f"{bundled[k].stem}-{i:05d}"
        text = re.sub(r"^id: .*$", f"id: {stem}", texts[k], count=1, flags=re.MULTILINE)
        text = re.sub(r"value: (true|false)\b", flip, text)
        (folder / "projects" / f"{stem}.yaml").write_text(text, encoding="utf-8")
        ids.append(stem)
    return ids


def run(command: list[str], cwd: Path, timeout: float, memory_gb: float) -> dict:
    """Run `command` once in `cwd`; its CPU seconds, peak RSS (MB), output bytes, status."""
    limit = int(memory_gb * 2**30)

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = dict(os.environ, SCORER_TODAY=TODAY, PYTHONPATH=str(ROOT), COLUMNS="100")
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out,
                                 stderr=subprocess.DEVNULL, preexec_fn=limits)
        start = time.monotonic()
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        child.returncode = os.waitstatus_to_exitcode(status)
        size = out.tell()
    return {"cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024,
            "bytes": size, "ok": child.returncode == 0,
            "wall": time.monotonic() - start}


def measure(command: list[str], cwd: Path, args: argparse.Namespace) -> dict:
    """The median of `args.repeat` runs (a run that fails stops the repeats)."""
    runs = []
    for _ in range(args.repeat):
        runs.append(run(command, cwd, args.timeout, args.memory))
        if not runs[-1]["ok"]:
            return runs[-1]
    return {key: statistics.median(r[key] for r in runs) for key in ("cpu", "rss", "bytes",
                                                                      "wall")} | {"ok": True}


def size_text(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "B" else f"{count:,.1f} {unit}"
        count /= 1024
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3,100,2000,10000",
                        help="numbers of dossiers, comma-separated (default 3,100,2000,10000)")
    parser.add_argument("--quick", action="store_true",
                        help="one run of each command (else the median of --repeat)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--samples", type=int, default=10_000,
                        help="Monte Carlo samples of the sensitivity runs (default 10,000)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds before a run is stopped (default 900)")
    parser.add_argument("--memory", type=float, default=4,
                        help="GB of address space a run may take (default 4)")
    args = parser.parse_args()
    if args.quick:
        args.repeat = 1
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    python = sys.executable
    scorer = [python, "-m", "scorer"]
    print(f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.machine()}, "
          f"Python {platform.python_version()}; medians of {args.repeat} run(s); "
          f"sensitivity with {args.samples:,} samples; SCORER_TODAY={TODAY}.")
    print("CPU = user + system seconds of the child process; peak RSS its own ru_maxrss; "
          "floors: startup = `python -c \"import yaml, pydantic, click, rich, pandas\"`, "
          "loading = the same, then every file read by PyYAML's C loader.\n")
    rows = []
    with tempfile.TemporaryDirectory(prefix="scorer-bench-") as tmp:
        for size in sizes:
            folder = Path(tmp) / f"w{size}"
            ids = make_workspace(folder, size)
            startup = measure([python, "-c", STARTUP], folder, args)
            loading = measure([python, "-c", LOADING, str(folder)], folder, args)
            commands = [
                ("compare --format json", [*scorer, "compare", "--format", "json"]),
                (f"explain {ids[0]} --format json",
                 [*scorer, "explain", ids[0], "--format", "json"]),
                ("sensitivity --format json",
                 [*scorer, "sensitivity", "--format", "json", "--samples", str(args.samples)]),
                ("sensitivity core, bounded (library)",
                 [python, "-c", BOUNDED, str(args.samples)]),
            ]
            rows.append((size, "floor: startup", startup, None))
            rows.append((size, "floor: loading", loading, None))
            for label, command in commands:
                result = measure(command, folder, args)
                rows.append((size, label, result, loading))
                print(f"  {size:,} dossiers: {label}: {result['cpu']:.2f} s CPU, "
                      f"{result['rss']:,.0f} MB{'' if result['ok'] else ' (stopped)'}",
                      file=sys.stderr)
            shutil.rmtree(folder)

    print("| dossiers | run | CPU | × loading floor | peak RSS | output |")
    print("|---:|---|---:|---:|---:|---:|")
    for size, label, result, floor in rows:
        if not result["ok"]:
            print(f"| {size:,} | {label} | stopped after {result['wall']:.0f} s | | "
                  f"{result['rss']:,.0f} MB | |")
            continue
        ratio = f"{result['cpu'] / floor['cpu']:.2f}×" if floor else ""
        output = size_text(result["bytes"]) if floor and "library" not in label else ""
        print(f"| {size:,} | {label} | {result['cpu']:.2f} s | {ratio} | "
              f"{result['rss']:,.0f} MB | {output} |")


if __name__ == "__main__":
    main()
