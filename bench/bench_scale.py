"""Benchmark scorer at scale, from 3 to 10,000 dossiers; prints one markdown table.

    python bench/bench_scale.py                          # 3, 100, 1,000, 2,000, 10,000
    python bench/bench_scale.py --sizes 3,100 --quick    # a quick look: one run each
    python bench/bench_scale.py --sizes 10000 --like flux  # dossiers of one kind only

Inputs: synthetic workspaces, written to a temporary folder: the bundled rubric, and N
dossiers copied from the bundled ones in turn, each with a new id (its file name) and
about 30 % of its true/false values flipped (seeded), so that scores differ. At each size,
each command runs in a fresh process with SCORER_TODAY=2026-11-26: `scorer compare
--format json`, `scorer explain <first project> --format json`, `scorer sensitivity
--format json` (10⁵ samples up to 1,000 dossiers, 10⁴ above: the sizes of issue 14's
goals) and, up to `--export-up-to` dossiers, `scorer export` (10⁴ samples, its default).
Each is shown beside its floor, measured in the same run on the same files:

- startup: `python -c "import yaml, pydantic, click, rich, pandas"` (the stack `compare`
  imports);
- loading: the same imports, then every file of the workspace read by PyYAML's C loader
  (`yaml.load(…, CSafeLoader)`): what parsing alone costs, with no checks.

and beside its goal (`GOALS`), marked met (✓) or not (✗).

Every run finds scorer compiled (bytecode in a cache of its own, as an installed package
has it). CPU time is user + system of the finished child (`os.wait4`); wall, the time from
its start to its end (to 20 ms: less than the CPU time where the Monte Carlo tallies on
two threads); peak RSS, the child's own `ru_maxrss`; output, the bytes it wrote to
standard output (for `export`, the workbook's size); each figure is the median of
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
from dataclasses import dataclass
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
@dataclass(frozen=True)
class Goal:
    """What a run should stay within (None: no bound); `floor` names the floor a ratio is
    to (startup or loading)."""

    text: str
    cpu: float | None = None
    ratio: float | None = None
    floor: str = "loading"
    rss: float | None = None
    output: float | None = None

    def met(self, result: dict, floors: dict[str, dict]) -> bool:
        ratio = result["cpu"] / floors[self.floor]["cpu"]
        return result["ok"] and all((
            self.cpu is None or result["cpu"] <= self.cpu,
            self.ratio is None or ratio <= self.ratio,
            self.rss is None or result["rss"] <= self.rss,
            self.output is None or result["bytes"] <= self.output))


GOALS = {
    (3, "compare"): Goal("≤ 1.15× startup", ratio=1.15, floor="startup"),
    (2000, "compare"): Goal("≤ 1.5× loading", ratio=1.5),
    (10000, "compare"): Goal("≤ 25 s, ≤ 600 MB", cpu=25, rss=600),
    (1000, "sensitivity"): Goal("≤ 15 s, ≤ 600 MB, ≤ 20 MB out", cpu=15, rss=600,
                                output=20 * 2**20),
    (10000, "sensitivity"): Goal("≤ 2 GB", rss=2048),
    (1000, "export"): Goal("≤ 30 s", cpu=30),
}
"""Issue 14's goals, by (dossiers, command)."""


CACHE = os.path.join(tempfile.gettempdir(), "scorer-bench-pycache")
"""Where the runs keep compiled bytecode, made before the first run (`compile_once`), as
an installed package has it: no run pays for compiling scorer, nor for a cold first read of
the stack's files."""


def compile_once() -> None:
    env = dict(os.environ, PYTHONPYCACHEPREFIX=CACHE)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "scorer")], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-c", STARTUP], check=True)  # files read once: warm


def samples_for(size: int) -> int:
    """The sensitivity's samples at a size: 10⁵ up to 1,000 dossiers, 10⁴ above."""
    return 100_000 if size <= 1000 else 10_000




def make_workspace(folder: Path, size: int, seed: int = 0, like: str | None = None
                   ) -> list[str]:
    """`size` dossiers copied from the bundled ones in turn (only `like`'s, if given), new
    ids, booleans flipped; returns the project ids."""
    rng = random.Random(seed)
    (folder / "projects").mkdir(parents=True)
    (folder / "rubrics").mkdir()
    shutil.copy(ROOT / "rubrics/default.yaml", folder / "rubrics/default.yaml")
    bundled = sorted((ROOT / "projects").glob(f"{like or '*'}.yaml"))
    if not bundled:
        raise SystemExit(f"no bundled dossier projects/{like}.yaml")
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

    env = dict(os.environ, SCORER_TODAY=TODAY, PYTHONPATH=str(ROOT), COLUMNS="100",
               PYTHONPYCACHEPREFIX=CACHE)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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
    parser.add_argument("--sizes", default="3,100,1000,2000,10000",
                        help="numbers of dossiers, comma-separated (default "
                             "3,100,1000,2000,10000)")
    parser.add_argument("--quick", action="store_true",
                        help="one run of each command (else the median of --repeat)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--samples", type=int,
                        help="Monte Carlo samples of the sensitivity runs (default 100,000 "
                             "up to 1,000 dossiers, 10,000 above)")
    parser.add_argument("--export-up-to", type=int, default=1000,
                        help="largest workspace `export` runs on (default 1,000)")
    parser.add_argument("--like", metavar="ID",
                        help="copy only this bundled dossier (e.g. flux, 14 KB: the nearest "
                             "to the 12 KB the goals were set at; default: all in turn, "
                             "25 KB on average)")
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
          f"SCORER_TODAY={TODAY}; dossiers copied from "
          f"{f'projects/{args.like}.yaml' if args.like else 'the bundled ones in turn'}.")
    print("CPU = user + system seconds of the child process (goals and ratios are in CPU "
          "seconds); wall = its elapsed seconds; peak RSS its own ru_maxrss; "
          "floors: startup = `python -c \"import yaml, pydantic, click, rich, pandas\"`, "
          "loading = the same, then every file read by PyYAML's C loader.\n")
    compile_once()
    rows = []
    with tempfile.TemporaryDirectory(prefix="scorer-bench-") as tmp:
        for size in sizes:
            folder = Path(tmp) / f"w{size}"
            ids = make_workspace(folder, size, like=args.like)
            floors = {"startup": measure([python, "-c", STARTUP], folder, args),
                      "loading": measure([python, "-c", LOADING, str(folder)], folder, args)}
            samples = args.samples or samples_for(size)
            book = folder / "exports/comparison.xlsx"
            commands = [
                ("compare", "compare --format json", [*scorer, "compare", "--format", "json"],
                 None),
                ("explain", f"explain {ids[0]} --format json",
                 [*scorer, "explain", ids[0], "--format", "json"], None),
                ("sensitivity", f"sensitivity --format json --samples {samples:,}",
                 [*scorer, "sensitivity", "--format", "json", "--samples", str(samples)],
                 None),
            ]
            if size <= args.export_up_to:
                commands.append(("export", "export", [*scorer, "export", "--out", str(book)],
                                 book))
            rows.append((size, "floor: startup", floors["startup"], None, None))
            rows.append((size, "floor: loading", floors["loading"], None, None))
            for key, label, command, written in commands:
                result = measure(command, folder, args)
                if written is not None and written.exists():
                    result["bytes"] = written.stat().st_size
                goal = GOALS.get((size, key))
                met = goal.met(result, floors) if goal else None
                rows.append((size, label, result, floors, (goal, met) if goal else None))
                print(f"  {size:,} dossiers: {label}: {result['cpu']:.2f} s CPU, "
                      f"{result['rss']:,.0f} MB{'' if result['ok'] else ' (stopped)'}",
                      file=sys.stderr)
            shutil.rmtree(folder)

    print("| dossiers | run | CPU | wall | × loading floor | peak RSS | output | goal |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    for size, label, result, floors, goal in rows:
        target = f"{goal[0].text} {'✓' if goal[1] else '✗'}" if goal else ""
        if not result["ok"]:
            print(f"| {size:,} | {label} | stopped | after {result['wall']:.0f} s | | "
                  f"{result['rss']:,.0f} MB | | {target} |")
            continue
        ratio = f"{result['cpu'] / floors['loading']['cpu']:.2f}×" if floors else ""
        output = size_text(result["bytes"]) if floors else ""
        print(f"| {size:,} | {label} | {result['cpu']:.2f} s | {result['wall']:.2f} s | {ratio} | "
              f"{result['rss']:,.0f} MB | {output} | {target} |")


if __name__ == "__main__":
    main()
