"""Resource exhaustion from one file: a dossier of 99,000 mistakes costs a bounded number of
suggestions and a bounded number of lines, and says how many more there are."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from scorer import errors
from scorer.cli import cli
from scorer.loading import dossier, facts, problems
from scorer.loading.problems import MAX_PER_KIND, MAX_PROBLEMS
from scorer.safeyaml import MAX_REFUSED
from tests.conftest import PROJECTS, ROOT

MANY = 99_000
"""Mistakes in the file of the issue (unknown facts); the other kinds take `SOME`."""
SOME = 20_000


def unknown_facts() -> str:  # the file of the issue: 2.6 MB of names close to none
    return "id: zz\nname: ZZ\nfacts:\n" + "".join(f"  tok{i}.q{i * 7919 % 10007:x}: {i}\n"
                                                  for i in range(MANY))


def unknown_fields() -> str:
    return "id: zz\nname: ZZ\n" + "".join(f"field{i}: {i}\n" for i in range(SOME))


def unknown_observation_fields() -> str:
    return ("id: zz\nname: ZZ\nfacts:\n  token.max_supply:\n    value: 1\n"
            + "".join(f"    field{i}: {i}\n" for i in range(SOME)))


def unknown_sources() -> str:
    return ("id: zz\nname: ZZ\nsources:\n" + "".join(f"  s{i}: {{title: S}}\n" for i in range(
        20_000)) + "facts:\n  network.active_nodes:\n" + "".join(
        f"    - {{value: {i}, source: q{i}, as_of: {1950 + i}}}\n" for i in range(3_000)))


def unknown_axes() -> str:
    return "id: zz\nname: ZZ\noverrides:\n" + "".join(f"  axis{i}: {{}}\n" for i in range(SOME))


def wrong_values() -> str:
    return ("id: zz\nname: ZZ\nfacts:\n  network.active_nodes:\n"
            + "".join(f"    - {{value: text, as_of: {1950 + i}}}\n" for i in range(3_000)))


def yaml_1_1_values() -> str:
    return "id: zz\nname: ZZ\nfacts:\n  tech.gpu_compute:\n" + "    - yes\n" * 190_000


CASES = {
    "unknown facts": (unknown_facts, f"… and {MANY - MAX_PER_KIND:,} more unknown facts"),
    "unknown fields": (unknown_fields, f"… and {SOME - MAX_PER_KIND:,} more unknown fields"),
    "unknown observation fields": (unknown_observation_fields,
                                   f"… and {SOME - MAX_PER_KIND:,} more unknown fields"),
    "unknown sources": (unknown_sources, f"… and {3_000 - MAX_PER_KIND:,} more unknown sources"),
    "unknown axes": (unknown_axes, f"… and {SOME - MAX_PER_KIND:,} more unknown axes"),
    "wrong values": (wrong_values, f"… and {3_000 - MAX_PROBLEMS:,} more problems in this file"),
    "values YAML 1.1 reads otherwise": (yaml_1_1_values, f"… and {190_000 - MAX_REFUSED:,} more "
                                        "values that YAML 1.1 and 1.2 read differently"),
}


@pytest.fixture
def folder(tmp_path, monkeypatch):
    shutil.copytree(PROJECTS, tmp_path / "projects")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCORER_TODAY", "2026-11-26")
    return tmp_path


@pytest.fixture
def suggestions(monkeypatch) -> list[str]:
    """Every did-you-mean the loader computes (each costs a comparison with every name)."""
    asked: list[str] = []

    def counted(name, choices):
        asked.append(name)
        return errors.did_you_mean(name, choices)

    for module in (facts, dossier, problems):
        monkeypatch.setattr(module, "did_you_mean", counted)
    return asked


@pytest.mark.parametrize("case", CASES)
def test_a_file_of_mistakes_costs_bounded_work_and_lines(folder, suggestions, case):
    make, last = CASES[case]
    (folder / "projects" / "zz.yaml").write_text(make(), "utf-8")
    result = CliRunner().invoke(cli, ["compare", "--rubric", str(ROOT / "rubrics" /
                                                                 "default.yaml")],
                                catch_exceptions=False)
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) <= MAX_PROBLEMS + 2, len(lines)
    assert all(line.startswith("projects/zz.yaml:") for line in lines)
    assert lines[-1].split(": error: ")[1] == last
    assert len(suggestions) <= MAX_PER_KIND
