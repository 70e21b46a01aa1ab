"""Warnings: valid input that is weak — untraceable, stale, or never satisfiable."""

from __future__ import annotations

from datetime import date

from scorer.loading import load_dossier
from scorer.rulebook import compile_rubric
from scorer.validation import dossier_warnings, rubric_warnings

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
