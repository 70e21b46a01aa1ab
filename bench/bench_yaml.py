"""Benchmark the safe YAML reader against PyYAML's C loader; prints one markdown table.

    python bench/bench_yaml.py                      # 100 and 2,000 dossiers, 5 rounds
    python bench/bench_yaml.py --sizes 500 --rounds 3
    python bench/bench_yaml.py --only composed --sizes 2000   # one reader, once: for timing
                                                              # whole processes side by side
    python bench/bench_yaml.py --only none --sizes 2000       # the same process, no reading

Inputs: copies of the bundled dossiers (`projects/*.yaml`), round-robin, each with its `id:`
set to its new file name. The texts are read from disk first, untimed; then each round times,
in turn, every reader over all the texts, and the whole load of the folder with each reader.
Figures are CPU time (`time.process_time`) per dossier, the median of the rounds; running
the readers in turn within each round keeps their ratios fair on a busy machine. Readers:

- floor: `yaml.load(text, Loader=yaml.CSafeLoader)` — libyaml parses and composes, PyYAML's
  Python constructor builds the data; no location, no check;
- events: the reader as it was before issue 14, values built in Python from libyaml's parser
  events (`scorer.safeyaml._parse_events`, still the reader of any file with a problem);
- composed: `scorer.safeyaml.parse` — libyaml composes, one walk builds the data, locations
  are read from the node tree when asked.

"load" is `scorer.loading.load_projects` (read, parse, validate every fact against the
default rubric) as it was before (the events reader, the garbage collector running) and as it
is now (composed; the collector paused while each file is read and checked). Not a test:
timings depend on the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import yaml

try:  # run as a script, python bench/<name>.py: bench/ is on the path
    from machine import cpu_model
except ImportError:  # imported as bench.<name>, as tests do
    from bench.machine import cpu_model

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from scorer import safeyaml  # noqa: E402
from scorer.loading import dossier, load_projects, load_rubric  # noqa: E402

TODAY = date(2026, 11, 26)
READERS: dict[str, Callable[[str], object]] = {
    "floor": lambda text: yaml.load(text, Loader=yaml.CSafeLoader),
    "events": lambda text: safeyaml._parse_events(text),
    "composed": lambda text: safeyaml.parse(text),
}


def make_dossiers(folder: Path, count: int) -> list[Path]:
    """`count` dossiers in `folder`: the bundled ones copied round-robin, each with its id
    and name made its own."""
    sources = sorted((ROOT / "projects").glob("*.yaml"))
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sources]
    paths = []
    for i in range(count):
        stem, text = texts[i % len(texts)]
        new = f"{stem}-{i:05d}"
        text = re.sub(rf"(?m)^id: {re.escape(stem)}$", f"id: {new}", text, count=1)
        text = re.sub(r"(?m)^name: (.*)$", rf"name: \1 {i:05d}", text, count=1)
        path = folder / f"{new}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@contextlib.contextmanager
def reader(name: str) -> Iterator[None]:
    """The loader reads as it did before issue 14 while inside, for `name` "events": with the
    event reader, the garbage collector running while each file is checked."""
    composed, paused = safeyaml.parse, dossier.collector_paused
    if name == "events":
        safeyaml.parse = safeyaml._parse_events  # type: ignore[assignment]
        dossier.collector_paused = contextlib.nullcontext  # type: ignore[assignment]
    try:
        yield
    finally:
        safeyaml.parse, dossier.collector_paused = composed, paused  # type: ignore[assignment]


def all_of(read: Callable[[str], object], texts: list[str]) -> None:
    """Read every text, keeping none: a loader keeps what it validates, not what it parsed."""
    for text in texts:
        read(text)


def cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def measure(count: int, rounds: int) -> dict[str, float]:
    """Median CPU milliseconds per dossier of each reader and of each whole load."""
    rubric = load_rubric(ROOT / "rubrics" / "default.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = make_dossiers(folder, count)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        for text in texts:  # the readers must agree before their times mean anything
            if safeyaml.parse(text).data != safeyaml._parse_events(text).data:
                raise SystemExit("the composed and event readers disagree")
        times: dict[str, list[float]] = {}
        for _ in range(rounds):
            for name, read in READERS.items():
                times.setdefault(name, []).append(cpu(lambda read=read: all_of(read, texts)))
            for name in ("events", "composed"):
                with reader(name):
                    times.setdefault(f"load {name}", []).append(
                        cpu(lambda: load_projects(folder, rubric, TODAY)))
    return {name: statistics.median(values) * 1000 / count for name, values in times.items()}


def once(name: str, count: int) -> None:
    """Read `count` dossiers once with one reader (`--only`; "none" reads none: the cost of
    the process around the reading), for timing whole processes."""
    with tempfile.TemporaryDirectory() as tmp:
        texts = [p.read_text(encoding="utf-8") for p in make_dossiers(Path(tmp), count)]
    if name != "none":
        all_of(READERS[name], texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 2_000],
                        help="numbers of dossiers (default: 100 2000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each reader in turn "
                        "(default 5); the median is shown")
    parser.add_argument("--only", choices=[*READERS, "none"],
                        help="read the dossiers once with this reader and print nothing")
    args = parser.parse_args()
    if args.only:
        for count in args.sizes:
            once(args.only, count)
        return
    print(f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.machine()}, "
          f"Python {platform.python_version()}, PyYAML {yaml.__version__}, libyaml "
          f"{yaml._yaml.get_version_string() if yaml.__with_libyaml__ else 'absent'}")
    print(f"Inputs: the bundled dossiers copied with new ids. CPU ms per dossier, median of "
          f"{args.rounds} rounds; in brackets, the ratio to the floor.\n")
    print("| dossiers | floor: C load | events reader (before) | composed reader (now) "
          "| load, events reader | load, composed reader |")
    print("|---:|---:|---:|---:|---:|---:|")
    for count in args.sizes:
        ms = measure(count, args.rounds)
        floor = ms["floor"]
        print(f"| {count:,} | {floor:.2f} | {ms['events']:.2f} ({ms['events'] / floor:.2f}×) "
              f"| {ms['composed']:.2f} ({ms['composed'] / floor:.2f}×) "
              f"| {ms['load events']:.2f} | {ms['load composed']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
