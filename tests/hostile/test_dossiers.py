"""Hostile dossiers end in one clear, located error, and change nothing.

Each case is dropped into a copy of the projects folder and run through `scorer compare`:
exit status 1, the message and file:line on stderr, no traceback, every file unchanged.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer.cli import cli
from scorer.errors import ScorerError
from scorer.loading import load_dossier, load_rubric
from scorer.safeyaml import MAX_BYTES
from tests.conftest import DEFAULT_RUBRIC, PROJECTS

BILLION_LAUGHS = "\n".join([
    "id: lol", "name: Lol", "facts:", "  tech.gpu_compute: true",
    "  a: &a [x, x, x, x, x, x, x, x, x, x]",
    *(f"  {c}: &{c} [{', '.join(['*' + p] * 10)}]" for p, c in zip("abcdefgh", "bcdefghi",
                                                                  strict=True)),
]) + "\n"  # fmt: skip

CASES = {
    # name: (file content as bytes, expected line or None, message fragment)
    "object tag": (b"id: x\nname: X\nfacts: !!python/object/apply:os.system ['touch PWNED']\n",
                   3, "YAML tag !!python/object/apply:os.system is not allowed"),
    "object tag in a fact": (b"id: x\nname: X\nfacts:\n  tech.gpu_compute: "
                             b"!!python/name:os.system\n", 4, "is not allowed"),
    "alias bomb in facts": (BILLION_LAUGHS.encode(), None, "expands to more than"),
    "duplicate key in facts": (b"id: x\nname: X\nfacts:\n  token:\n    max_supply: 1\n"
                               b"    max_supply: 2\n", 6, "duplicate key 'max_supply'"),
    "duplicate top-level key": (b"id: x\nname: X\nid: y\n", 3, "duplicate key 'id'"),
    "deep nesting": (b"id: x\nname: X\nfacts: " + b"[" * 30_000 + b"]" * 30_000 + b"\n", 3,
                     "nesting"),
    "oversized file": (b"id: x\nname: X\nnote: '" + b"x" * (MAX_BYTES + 10) + b"'\n", None,
                       "file is larger than 4 MiB"),
    "non-UTF-8": (b"id: x\nname: Caf\xe9\n", 2, "not valid UTF-8"),
    "empty file": (b"", 1, "file is empty"),
    "top-level list": (b"- id: x\n  name: X\n", 1, "found a list"),
    "tabs": (b"id: x\nname: X\nfacts:\n\ttech.gpu_compute: true\n", 4, "tab character"),
    "unclosed bracket": (b"id: x\nname: X\nfacts: {tech.gpu_compute: [true\n", None,
                         "invalid YAML"),
    "NaN": (b"id: x\nname: X\nfacts:\n  token.max_supply: .nan\n", 4, "not a finite number"),
    "infinity": (b"id: x\nname: X\nfacts:\n  token.max_supply: -.inf\n", 4,
                 "not a finite number"),
    "boolean for a number": (b"id: x\nname: X\nfacts:\n  token.max_supply: true\n", 4,
                             "expected a number, found true (a boolean)"),
    "number for text": (b"id: x\nname: 42\n", 2, "name: Input should be a valid string"),
    "same id as another dossier": (b"id: flux\nname: Copy\n", 1,
                                   "project id 'flux' is also used by"),
    "id that is not a slug": (b"id: ../../etc\nname: X\n", 1, "is not a simple id"),
    # 6. dates that move the world
    "fact dated 9999-12-31": (b"id: x\nname: X\nfacts:\n  token.max_supply: "
                              b"{value: 5, as_of: 9999-12-31}\n", 4,
                              "dated 9999-12-31, after today"),
    "forecast dated 9999-12-31": (b"id: x\nname: X\nfacts:\n  token.max_supply: "
                                  b"{value: 5, as_of: 9999-12-31, forecast: true}\n", 4,
                                  "a forecast dated 9999-12-31, more than 100 years after today"),
    "fact dated year 1": (b"id: x\nname: X\nfacts:\n  token.max_supply: {value: 5, as_of: 1}\n",
                          4, "as_of 1 is before 1900"),
    "date value in year 1": (b"id: x\nname: X\nfacts:\n  risk.last_major_incident: 0001-01-01\n",
                             4, "0001-01-01 is before 1900"),
    "year value 9999": (b"id: x\nname: X\nfacts:\n  team.development_start: 9999\n", 4,
                        "9999 is more than 100 years after today"),
    "reviewed in 9999": (b"id: x\nname: X\nas_of: 9999-12-31\n", 3,
                         "as_of: reviewed 9999-12-31, after today"),
    # 12. content leaks through errors
    "not a mapping (a system file)": (b"root:x:0:0:root:/root:/bin/bash\n"
                                      b"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", 1,
                                      "does not look like a dossier: expected a YAML mapping"),
    # 14. smaller
    "control character": ("id: x\nname: X\nnote: caf\u00e9 \x1b[2J\n".encode(), 3,
                          "character U+001B that YAML does not allow"),
    "tag on a key": (b"id: x\nname: X\n!!python/name:os.system facts: {}\n", 3,
                     "YAML tag !!python/name:os.system is not allowed on a key"),
    "sexagesimal": (b"id: x\nname: X\nfacts:\n  token.max_supply: 190:20:30\n", 4,
                    "is a base-60 number in YAML 1.1 (685230)"),
    "yes for true": (b"id: x\nname: X\nfacts:\n  tech.gpu_compute: yes\n", 4,
                     "write true or false, or quote it"),
    "off for false": (b"id: x\nname: X\nfacts:\n  tech.gpu_compute: Off\n", 4,
                      "'Off' is true or false in YAML 1.1"),
    "octal": (b"id: x\nname: X\nfacts:\n  token.max_supply: 010\n", 4, "is octal in YAML 1.1 (8)"),
    "binary": (b"id: x\nname: X\nfacts:\n  token.max_supply: 0b101\n", 4,
               "is a binary number in YAML 1.1"),
    "underscores": (b"id: x\nname: X\nfacts:\n  token.max_supply: 1_000\n", 4,
                    "'1_000' is a number in YAML 1.1 (1000) but text in YAML 1.2"),
    "200,001 plain values": (b"id: x\nname: X\nfacts: [" + b"1, " * 200_001 + b"]\n", 3,
                             "more than 200,000 values; a rubric or dossier holds a few hundred"),
    # issue 13: slips that must not pass silently, nor be misnamed
    "thousands separators in braces": (b"id: x\nname: X\nfacts:\n  token.max_supply: "
                                       b"{value: 800,000,000}\n", 4,
                                       "800,000,000: write numbers without thousands "
                                       "separators: 800000000"),
    "separators in a number of 100,000 groups": (b"id: x\nname: X\nfacts:\n  token.max_supply:"
                                                 b" {value: 1" + b",000" * 100_000 + b"}\n", 4,
                                                 "duplicate key '000'"),  # read in bounded time
    "exponent without a dot": (b"id: x\nname: X\nfacts:\n  token.max_supply: 8e8\n", 4,
                               "write 8.0e+8 (or 800000000 for a whole number)"),
    "a value without its key": (b"id: x\nname: X\nfacts:\n  token.max_supply:\n    5\n"
                                b"    source: s\n", 5, "did you forget `value:` before it?"),
    "reliability typo": (b"id: x\nname: X\nsources:\n  s: {title: S, reliability: primray}\n",
                         4, "'primray' is not one of primary, secondary, low (did you mean "
                            "'primary'?)"),
}  # fmt: skip


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("case", CASES)
def test_hostile_dossier_is_one_located_error_and_changes_nothing(case, tmp_path, monkeypatch):
    content, line, fragment = CASES[case]
    projects = tmp_path / "projects"
    shutil.copytree(PROJECTS, projects)
    (projects / "zz-hostile.yaml").write_bytes(content)
    before = fingerprint(projects)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["compare", "--rubric", str(DEFAULT_RUBRIC)],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    hostile = next(x for x in result.stderr.splitlines() if "zz-hostile.yaml" in x)
    if line is not None:
        assert f"zz-hostile.yaml:{line}:" in hostile
    assert fingerprint(projects) == before
    assert not (tmp_path / "PWNED").exists()


ALONE = {case: CASES[case] for case in CASES if case != "same id as another dossier"}
"""The cases that need no other dossier: each one on standard input, alone."""


@pytest.mark.parametrize("case", ALONE)
def test_hostile_dossier_on_standard_input_is_one_located_error(case, tmp_path, monkeypatch):
    content, line, fragment = ALONE[case]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "-", "--rubric", str(DEFAULT_RUBRIC)],
                                input=content, catch_exceptions=False)
    assert result.exit_code == 1 and result.stdout == ""
    assert fragment in result.stderr and "Traceback" not in result.stderr
    hostile = next(x for x in result.stderr.splitlines() if x.startswith("<stdin>"))
    assert hostile.startswith(f"<stdin>:{line}:" if line is not None else "<stdin>")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# ---------------------------------------------------------------- property-based

YAML_ALPHABET = st.sampled_from([
    *"abcdefghijklmnopqrstuvwxyz0123456789 :-_.,[]{}\n\t&*!#'\"|>?%@`~\\",
    "id: ", "name: ", "facts:\n  ", "token.", "max_supply", "value: ", "source: ",
    "!!python/object:os.system ", "&a ", "*a ", "\n  - ", ".nan", "2025-02-30", "yes",
    "\x01", "\x85", "\u2028", "\u202e", "\ufffe", "190:20:30", "010", "0b1", "1_0", "off",
    "!!python/name:x key: ", "9999-12-31", "as_of: ", "forecast: true", "1899",
    ",000", "8e8", "0o7", "\n    5\n    source: s", ": ", "reliability: primray",
])  # fmt: skip
RUBRIC = load_rubric(DEFAULT_RUBRIC)  # module level: hypothesis prints its arguments


def assert_loads_or_located_error(path: Path, rubric) -> None:
    try:
        load_dossier(path, rubric)
    except ScorerError as exc:
        for problem in exc.problems:
            assert problem.file and problem.file.endswith(path.name)
            assert problem.line is not None or "larger than" in problem.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_ALPHABET, max_size=80).map("".join))
def test_arbitrary_text_loads_or_raises_a_located_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    assert_loads_or_located_error(path, RUBRIC)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.dates().map(str),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "name", "facts", "sources", "overrides", "as_of",
                                        "ticker", "x"]), yaml_values, max_size=6))
def test_arbitrary_documents_load_or_raise_a_located_error(tmp_path_factory, document):
    import yaml

    path = tmp_path_factory.mktemp("doc") / "doc.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert_loads_or_located_error(path, RUBRIC)


BUNDLED = sorted(PROJECTS.glob("*.yaml"))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(BUNDLED), st.integers(min_value=0, max_value=2**32 - 1),
       st.integers(min_value=1, max_value=6))
def test_mutated_bundled_dossiers_load_or_raise_a_located_error(tmp_path_factory, source, seed,
                                                                edits):
    rng = random.Random(seed)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(edits):
        i = rng.randrange(len(lines))
        kind = rng.choice(["delete", "duplicate", "swap", "truncate", "indent", "inject"])
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "truncate":
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)] + "\n"
        elif kind == "indent":
            lines[i] = " " * rng.choice([1, 2, 3]) + lines[i]
        else:
            lines[i] = lines[i].rstrip("\n") + rng.choice([" &x", " *x", ": [", " !!str", "\t",
                                                           " #", ": .inf", " yes"]) + "\n"
        if not lines:
            break
    path = tmp_path_factory.mktemp("mut") / source.name
    path.write_text("".join(lines), encoding="utf-8")
    assert_loads_or_located_error(path, RUBRIC)
