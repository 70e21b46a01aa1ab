"""Warnings: valid input that is weak — untraceable, stale, or never satisfiable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scorer.errors import KINDS
from scorer.loading import load_dossier, read_dossier
from scorer.rulebook import compile_rubric
from scorer.validation import check, dossier_warnings, rubric_warnings
from tests.conftest import MINI_RUBRIC

DOSSIER = """\
id: demo
name: Demo
sources:
  web: {title: A web page, url: "https://example.com", date: 2024-01-01}
  book: {title: A book, date: 2020-06-01}
facts:
  a.flag: true
  a.count: {value: 3, source: web}
  a.top: {value: 1.5, source: book}
  b.since: {value: 2001, source: book}
"""


def warnings_of(write, rubric, as_of):
    dossier = load_dossier(write("demo.yaml", DOSSIER), rubric)
    return [(p.line, p.message) for p in dossier_warnings(rubric, dossier, as_of)]


def test_fact_without_source_is_named_with_its_line(write, mini_rubric):
    found = warnings_of(write, mini_rubric, date(2024, 6, 1))
    assert (7, "a.flag: no source; name one of the dossier's sources so the fact can be "
               "checked") in found


def test_undated_fact_cannot_be_judged_fresh(write, mini_rubric):
    found = warnings_of(write, mini_rubric, date(2024, 6, 1))
    assert any(line == 7 and "a.flag: undated" in m for line, m in found)


def test_stale_facts_are_measured_against_the_as_of_date(write, mini_rubric):
    early = warnings_of(write, mini_rubric, date(2021, 1, 1))
    late = warnings_of(write, mini_rubric, date(2024, 6, 1))
    assert not any("a.top: latest observation" in m for _, m in early)
    assert (9, "a.top: latest observation is from 2020-06-01, 1,461 days before 2024-06-01 "
               "(the rubric's freshness limit is 365 days)") in late
    assert not any("a.count: latest observation" in m for _, m in late)


def test_source_without_url(write, mini_rubric):
    found = warnings_of(write, mini_rubric, date(2024, 6, 1))
    assert (5, "source 'book' has no url; readers cannot check it") in found


def test_timeless_facts_never_go_stale(write, default_rubric):
    path = write("t.yaml", """\
id: t
name: T
sources: {s: {title: S, url: "https://example.com", date: 2001-01-01}}
facts:
  team.development_start: {value: 2001, source: s}
  network.active_nodes: {value: 10, source: s}
""")
    found = dossier_warnings(default_rubric, load_dossier(path, default_rubric), date(2025, 1, 1))
    assert [p.message.split(":")[0] for p in found] == ["network.active_nodes"]


def test_criteria_no_dossier_can_satisfy_point_at_the_rubric(write, mini_rubric):
    dossier = load_dossier(write("demo.yaml", DOSSIER), mini_rubric)
    found = [p for p in rubric_warnings(compile_rubric(mini_rubric), [dossier])
             if "unknown for every project" in p.message]
    assert [(p.file.endswith("mini_rubric.yaml"), p.line) for p in found] == [(True, 31),
                                                                              (True, 36)]
    assert "criterion 'ratio' is unknown for every project: no dossier states a.bottom" in \
        found[0].message
    assert all(p.severity == "warning" for p in found)


# ---------------------------------------------------------------- kinds, and the report


def test_every_warning_has_its_kind(write, mini_rubric):
    dossier = load_dossier(write("demo.yaml", DOSSIER.replace("id: demo", "id: other")
                                 + "as_of: 2020-01-01\n"), mini_rubric)
    found = dossier_warnings(mini_rubric, dossier, date(2024, 6, 1))
    assert sorted({(p.kind, p.line) for p in found}) == [
        ("id-mismatch", 1), ("no-url", 5), ("review-due", 11), ("stale", 9), ("stale", 10),
        ("undated", 7), ("unsourced", 7)]
    assert set(KINDS) >= {p.kind for p in found}
    rubric_wide = rubric_warnings(compile_rubric(mini_rubric), [dossier])
    assert {p.kind for p in rubric_wide} == {"never-known", "axis-range"}


def test_a_dossier_from_standard_input_has_no_file_name_to_match(mini_rubric):
    dossier = read_dossier(DOSSIER, mini_rubric)
    found = dossier_warnings(mini_rubric, dossier, date(2024, 6, 1))
    assert dossier.file == "<stdin>" and found
    assert all(p.file == "<stdin>" and p.kind != "id-mismatch" for p in found)


def test_check_returns_errors_instead_of_raising_them(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: bad\nname: Bad\nfacts: {a.cuont: 1}\n")
    report = check(MINI_RUBRIC, [tmp_path / "bad.yaml"], date(2024, 6, 1))
    assert report.rubric is not None and report.dossiers == () and not report.warnings
    assert [(p.line, p.kind) for p in report.errors] == [(3, "unknown-name")]
    assert report.to_dict()["valid"] is False
    missing = check(tmp_path / "none.yaml", [tmp_path])
    assert missing.rubric is None and [p.kind for p in missing.problems] == ["file"]


def test_the_report_groups_by_file_then_kind_and_counts(write, tmp_path):
    write("p/demo.yaml", DOSSIER)
    write("p/late.yaml", "id: late\nname: Late\nfacts:\n  a.count: {value: 1, as_of: 2020-01-01}"
                         "\n  a.flag: {value: true, as_of: 2020-01-01}\n")
    report = check(MINI_RUBRIC, [tmp_path / "p"], date(2024, 6, 1))
    files = [Path(f or "").name for f in report.files()]
    assert files == ["mini_rubric.yaml", "demo.yaml", "late.yaml"]  # the rubric first
    demo = dict(report.grouped())[report.files()[1]]
    assert [(p.kind, p.line) for p in demo] == [
        ("stale", 9), ("stale", 10), ("undated", 7), ("unsourced", 7), ("no-url", 5)]
    assert [(p.line, p.column) for p in report.ordered() if p.file == report.files()[1]] == [
        (5, 3), (7, 11), (7, 11), (9, 10), (10, 12)]
    assert report.kinds() == {"stale": 4, "undated": 1, "unsourced": 3, "no-url": 1,
                              "axis-range": 1, "never-known": 2}
    assert report.kind_files() == {"stale": 2, "undated": 1, "unsourced": 2, "no-url": 1,
                                   "axis-range": 1, "never-known": 1}
    record = report.to_dict()
    assert record["summary"]["warnings"] == len(record["problems"]) == len(report.problems)
    assert sum(record["summary"]["kinds"].values()) == len(report.problems)
    assert [f["warnings"] for f in record["summary"]["files"].values()] == [
        len(found) for _, found in report.grouped()]


def test_an_axis_short_of_both_ends_says_both_in_either_language(write):
    from scorer.loading import read_rubric

    text = MINI_RUBRIC.read_text(encoding="utf-8").replace(
        "      - {id: age, when: years_since(b.since) >= 5, points: 1, why: Age matters.}\n", "")
    _, rulebook = read_rubric(write("r.yaml", text))
    en = [p.message for p in rubric_warnings(rulebook, []) if p.kind == "axis-range"]
    ja = [p.message for p in rubric_warnings(rulebook, [], "ja") if p.kind == "axis-range"]
    assert en == ["axis 'beta' can only score 2–4, not the whole scale 1–5: its base and "
                  "criteria cannot reach the lowest or the highest score"]
    assert ja == ["評価項目 'beta' は2〜4点しか取れず、尺度1〜5の全体に届きません。基礎点と基準では"
                  "最低点・最高点に届きません"]
