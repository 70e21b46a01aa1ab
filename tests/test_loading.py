"""Rubric and dossier loading: what is accepted, and each problem named with its location."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scorer.errors import ScorerError
from scorer.loading import (
    dossier_paths,
    load_dossier,
    load_projects,
    load_rubric,
    read_dossier,
    read_rubric,
)
from tests.conftest import MINI_RUBRIC

HEADER = """\
id: demo
name: Demo
sources:
  s1: {title: Source one, url: "https://example.com/1", date: 2025-01-01}
  s2: {title: Source two}
"""


def dossier_error(write, rubric, text: str, name: str = "demo.yaml") -> ScorerError:
    path = write(name, text)
    with pytest.raises(ScorerError) as caught:
        load_dossier(path, rubric)
    return caught.value


def rubric_error(write, text: str) -> ScorerError:
    path = write("rubric.yaml", text)
    with pytest.raises(ScorerError) as caught:
        load_rubric(path)
    return caught.value


# ---------------------------------------------------------------- dossiers: what loads


def test_fact_forms_bare_single_and_dated_list(write, mini_rubric):
    path = write("demo.yaml", HEADER + """\
        facts:
          a:
            flag: true
            count: {value: 42, source: s1, note: counted}
            top:
              - {value: 1.5, source: s2, as_of: 2024-06-01}
              - {value: 2.5, source: s1, as_of: 2025-06-01}
          b.tags: [x, y]
        """.replace("        ", ""))
    dossier = load_dossier(path, mini_rubric)
    assert dossier.facts["a.flag"][0].value is True
    assert dossier.facts["a.flag"][0].date is None  # bare value, no source: undated
    count = dossier.facts["a.count"][0]
    assert (count.value, count.source, count.note) == (42, "s1", "counted")
    assert count.date == date(2025, 1, 1)  # inherits the source's date
    assert [o.value for o in dossier.facts["a.top"]] == [1.5, 2.5]
    assert dossier.facts["b.tags"][0].value == ("x", "y")


def test_observations_are_sorted_by_date_whatever_the_file_order(write, mini_rubric):
    path = write("demo.yaml", HEADER + """facts:
  a.count:
    - {value: 3, as_of: 2025-03-01}
    - {value: 1, as_of: 2024-01-01}
""")
    assert [o.value for o in load_dossier(path, mini_rubric).facts["a.count"]] == [1, 3]


# ---------------------------------------------------------------- dossiers: problems


def test_unknown_fact_names_line_and_suggests(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + "facts:\n  a:\n    flga: true\n")
    assert (err.file.endswith("demo.yaml"), err.line, err.column) == (True, 8, 5)
    assert "unknown fact 'a.flga' (did you mean 'a.flag'?)" in str(err)


@pytest.mark.parametrize(("value", "message"), [
    ("true", "a.count: expected an integer, found true (a boolean)"),
    ("'12'", "a.count: expected an integer, found '12' (text)"),
    ("12.0", "a.count: expected an integer, found 12.0 (a number)"),
    ("-1", "a.count: -1 is below the minimum 0"),
])  # fmt: skip
def test_wrong_types_are_never_coerced(write, mini_rubric, value, message):
    err = dossier_error(write, mini_rubric, HEADER + f"facts:\n  a.count: {value}\n")
    assert message in str(err) and err.line == 7


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_nan_and_infinity_are_rejected(write, mini_rubric, value):
    err = dossier_error(write, mini_rubric, HEADER + f"facts:\n  a.top: {value}\n")
    assert "not a finite number" in str(err) and err.line == 7


def test_numbers_where_text_is_expected_are_rejected(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + "facts:\n  b.label: 42\n")
    assert "b.label: expected text, found 42 (a number)" in str(err)


def test_enum_value_outside_the_list_suggests(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + "facts:\n  a.kind: X\n")
    assert "'X' is not one of x, y (did you mean 'x'?)" in str(err)


def test_missing_source_names_the_line_of_the_source(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + """facts:
  a.count:
    value: 3
    source: s3
""")
    assert err.line == 9
    assert "source 's3' is not in this dossier's sources (sources: s1, s2)" in str(err)


def test_two_observations_on_one_date_are_ambiguous(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + """facts:
  a.count:
    - {value: 1, as_of: 2025-01-01}
    - {value: 2, source: s1}
""")
    assert "two observations with the same date (2025-01-01)" in str(err)
    assert err.line == 9


def test_observation_typo_and_missing_value(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + """facts:
  a.count: {valeu: 3}
  a.top: {source: s1}
""")
    messages = [p.message for p in err.problems]
    assert any("unknown field 'valeu' in an observation (did you mean 'value'?)" in m
               for m in messages)
    assert any("a.top: an observation needs a 'value'" in m for m in messages)


def test_null_value_is_an_error_that_says_to_leave_the_fact_out(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + "facts:\n  a.flag: null\n")
    assert "leave a fact out when it is not known" in str(err)


def test_a_fact_stated_twice_through_group_and_dotted_key(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + "facts:\n  a:\n    flag: true\n"
                        "  a.flag: false\n")
    assert "fact 'a.flag' is stated twice" in str(err) and err.line == 9


def test_every_problem_of_a_file_is_reported_in_line_order(write, mini_rubric):
    err = dossier_error(write, mini_rubric, """\
id: Not A Slug
facts:
  a.flag: 3
  a.nope: 1
""")
    lines = [p.line for p in err.problems]
    assert lines == sorted(lines)
    text = str(err)
    assert "is not a simple id" in text
    assert "missing field 'name'" in text
    assert "a.flag: expected true or false" in text
    assert "unknown fact 'a.nope'" in text


def test_unknown_top_level_field_suggests(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + "factz: {}\n")
    assert "unknown field 'factz' (did you mean 'facts'?)" in str(err) and err.line == 6


def test_top_level_list_is_an_error(write, mini_rubric):
    err = dossier_error(write, mini_rubric, "- id: demo\n")
    assert "does not look like a dossier: expected a YAML mapping of id, name" in str(err)
    assert "found a list" in str(err)


def test_override_needs_a_reason_a_known_axis_and_a_score_on_the_scale(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + """overrides:
  alpha: {score: 3}
  gamma: {score: 2, reason: x}
  beta: {score: 3.5, reason: judgement}
""")
    text = str(err)
    assert "missing field 'reason'" in text
    assert "override of unknown axis 'gamma'" in text
    assert "score 3.5 is not on the scale 1–5 in steps of 1" in text


def test_duplicate_project_ids_name_both_files(write, mini_rubric, tmp_path):
    write("projects/one.yaml", "id: same\nname: One\n")
    write("projects/two.yaml", "id: same\nname: Two\n")
    with pytest.raises(ScorerError) as caught:
        load_projects(tmp_path / "projects", mini_rubric)
    err = caught.value
    assert err.file.endswith("two.yaml") and err.line == 1
    assert "project id 'same' is also used by" in str(err) and "one.yaml" in str(err)


def test_problems_of_all_files_are_reported_together(write, mini_rubric, tmp_path):
    write("projects/a.yaml", "id: a\nname: A\nfacts: {a.flag: 1}\n")
    write("projects/b.yaml", "id: b\nname: B\nfacts: {a.cnt: 1}\n")
    write("projects/c.yaml", "id: c\nname: C\n")
    with pytest.raises(ScorerError) as caught:
        load_projects(tmp_path / "projects", mini_rubric)
    files = {Path(p.file).name for p in caught.value.problems}
    assert files == {"a.yaml", "b.yaml"}


def test_empty_projects_folder_says_how_to_start(tmp_path, mini_rubric):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ScorerError, match=r"no dossiers.*scorer new"):
        load_projects(tmp_path / "empty", mini_rubric)


# ---------------------------------------------------------------- rubrics


def test_the_mini_rubric_loads_and_compiles_every_rule(mini_rubric):
    assert [c.id for _, c in mini_rubric.criteria()] == ["flag", "count", "ratio", "kind", "age"]
    rubric, rulebook = read_rubric(MINI_RUBRIC)
    assert rubric == mini_rubric
    assert [(r.axis, r.id, r.facts) for r in rulebook] == [
        ("alpha", "flag", ("a.flag",)), ("alpha", "count", ("a.count",)),
        ("alpha", "ratio", ("a.top", "a.bottom")), ("beta", "kind", ("a.kind",)),
        ("beta", "age", ("b.since",))]
    assert mini_rubric.profile_name == "even"


def mutate(old: str, new: str) -> str:
    text = MINI_RUBRIC.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new", "message", "line"), [
    ("when: a.flag,", "when: a.flgg,", "unknown fact 'a.flgg' (did you mean 'a.flag'?)", 26),
    ("when: a.flag,", "when: a.flag and,", "syntax error in 'a.flag and'", 26),
    ("- {id: age,", "- {id: flag,", "criterion id 'flag' is used twice", 37),
    ("alpha_heavy: {alpha: 3, beta: 1}", "alpha_heavy: {alpha: 3, beat: 1}",
     "profile 'alpha_heavy' names unknown axis 'beat' (did you mean 'beta'?)", 40),
    ("alpha_heavy: {alpha: 3, beta: 1}", "alpha_heavy: {alpha: 3}",
     "profile 'alpha_heavy' gives no weight to beta", 40),
    ("even: {alpha: 1, beta: 1}", "even: {alpha: 0, beta: 0}", "weights must not all be zero",
     39),
    ("scale: {min: 1, max: 5, step: 1}", "scale: {min: 5, max: 1, step: 1}",
     "min (5) must be below max (1)", 5),
    ("default_profile: even", "default_profile: evn",
     "default_profile 'evn' is not a profile (did you mean 'even'?)", 41),
    ("a.kind == \"x\"", "a.kind == \"z\"", "'z' is not a value of a.kind", 36),
])  # fmt: skip
def test_rubric_problems_are_named_with_their_line(write, old, new, message, line):
    err = rubric_error(write, mutate(old, new))
    assert message in str(err)
    assert line in [p.line for p in err.problems]


def test_axis_without_criteria_is_an_error(write):
    text = MINI_RUBRIC.read_text(encoding="utf-8")
    head, _, rest = text.partition("  beta:\n")
    beta = "  beta:\n    label: Beta\n    base: 3\n    criteria: []\n"
    err = rubric_error(write, head + beta + rest[rest.index("profiles:"):])
    assert "axes.beta.criteria: List should have at least 1 item" in str(err)
    assert err.line == 35  # the `criteria: []` line


def test_check_without_points_and_unordered_bands_are_errors(write):
    err = rubric_error(write, mutate("points: 2, why: Flags", "why: Flags"))
    assert "a check needs 'points'" in str(err)
    err = rubric_error(write, mutate("{at_least: 100, points: 2}", "{at_least: 5, points: 2}"))
    assert "strictly ascending" in str(err)


# ---------------------------------------------------------------- uncertain values


def test_ranges_floors_ceilings_and_alternatives_load(write, mini_rubric):
    path = write("demo.yaml", HEADER + """facts:
  a.count: {value: {low: 3, high: 8}, source: s1}
  a.top: {value: {low: 1, high: 2, estimate: 1.9}}
  a.bottom: {value: {at_most: 4.5}}
  b.since:
    value: 2017
    source: s1
    alternatives:
      - {value: 2018, source: s2, note: another year}
      - {value: {at_least: 2016}}
""")
    facts = load_dossier(path, mini_rubric).facts
    count = facts["a.count"][0]
    assert (count.value, count.bounds.low, count.bounds.high, count.bounds.kind) == (
        5, 3, 8, "range")  # the midpoint, rounded down for whole numbers
    assert facts["a.top"][0].value == 1.9
    bottom = facts["a.bottom"][0].bounds
    assert (facts["a.bottom"][0].value, bottom.low, bottom.high) == (4.5, float("-inf"), 4.5)
    since = facts["b.since"][0]
    assert [c.value for c in since.candidates] == [2017, 2018, 2016]
    assert [c.source for c in since.candidates] == ["s1", "s2", None]
    assert since.alternatives[1].bounds.high == float("inf")  # a year fact has no max
    assert since.uncertain and not count.alternatives


@pytest.mark.parametrize(("fact", "line", "message"), [
    ("a.count: {value: {low: 8, high: 3}}", 7, "a.count: low (8) is above high (3)"),
    ("a.count: {value: {low: -2, high: 3}}", 7, "a.count: low: -2 is below the minimum 0"),
    ("a.count: {value: {at_least: 1.5}}", 7, "expected an integer, found 1.5"),
    ("a.flag: {value: {low: 0, high: 1}}", 7, "a range or a floor is only for number, "
                                              "integer and year facts; this is a boolean"),
    ("a.top: {value: {low: 1, high: 2, estimate: 3}}", 7, "estimate (3) is outside the range"),
    ("a.top: {value: {between: [1, 2]}}", 7, "a range is {low: X, high: Y}"),
    ("a.top: {low: 1, high: 2}", 7, "a range is a value: write {value: {low: X, high: Y}}"),
    ("a.top: {value: 1, alternatives: 2}", 7, "alternatives must be a list of mappings"),
    ("a.top:\n    value: 1\n    alternatives:\n      - {value: 2, as_of: 2024-01-01}", 10,
     "unknown field 'as_of' in an alternative (an alternative has the date of its "
     "observation)"),
    ("a.top:\n    value: 1\n    alternatives:\n      - {value: 2, source: s9}", 10,
     "source 's9' is not in this dossier's sources"),
])  # fmt: skip
def test_bad_ranges_and_alternatives_are_located(write, mini_rubric, fact, line, message):
    err = dossier_error(write, mini_rubric, HEADER + f"facts:\n  {fact}\n")
    assert message in str(err), str(err)
    assert err.line == line, str(err)


def test_did_you_mean_draws_on_the_fields_of_the_model_where_the_key_stands(write, mini_rubric):
    top = dossier_error(write, mini_rubric, HEADER + "titel: Demo\n")
    assert "unknown field 'titel'" in str(top) and "did you mean" not in str(top)
    source = dossier_error(write, mini_rubric, HEADER.replace(
        "s2: {title: Source two}", "s2: {titel: Source two}"))
    assert "unknown field 'titel' (did you mean 'title'?)" in str(source)
    name = dossier_error(write, mini_rubric, HEADER + "nme: Demo\n")
    assert "unknown field 'nme' (did you mean 'name'?)" in str(name)


@pytest.mark.parametrize(("source", "found"), [
    ("{titel: X}", [(5, 3, "missing field 'title'"),
                    (5, 8, "unknown field 'titel' (did you mean 'title'?)")]),
    ("{title: X, file: f}", [(5, 18, "unknown field 'file' (did you mean 'title'?)")]),
    ("text", [(5, 7, "sources.s2: Input should be a valid dictionary or instance of Source")]),
    ("[a, b]", [(5, 7, "sources.s2: Input should be a valid dictionary or instance of Source")]),
    ("{title: '  '}", [(5, 15, "sources.s2.title: must not be blank")]),
    ("{title: 3}", [(5, 15, "sources.s2.title: Input should be a valid string")]),
    ("{title: X, url: 'ftp://x'}", [(5, 23, "sources.s2.url: String should match pattern "
                                             "'^https?://\\S+$'")]),
    ("{title: X, url: 5}", [(5, 23, "sources.s2.url: Input should be a valid string")]),
    ("{title: X, date: hello}", [(5, 24, "sources.s2.date: 'hello' is not a date (YYYY-MM-DD, "
                                         "YYYY-MM (a month), YYYY-Qn (a quarter) or YYYY (a "
                                         "year))")]),
    ("{title: X, date: true}", [(5, 24, "sources.s2.date: Input should be a valid date")]),
    ("{title: X, date: 20240101}", [(5, 24, "sources.s2.date: Input should be a valid date")]),
    ("{title: X, reliability: 1}", [(5, 31, "sources.s2.reliability: expected one of primary, "
                                             "secondary, low, found 1 (a number)")]),
    ("{title: X, publisher: [a]}", [(5, 29, "sources.s2.publisher: Input should be a valid "
                                             "string")]),
    ("{title: X, note: 1.5}", [(5, 24, "sources.s2.note: Input should be a valid string")]),
])  # fmt: skip
def test_each_problem_of_a_source_is_worded_and_placed_as_its_model_says(write, mini_rubric,
                                                                          source, found):
    """A source is checked by its model (`scorer.models.Source`), whatever record a loaded
    dossier keeps it in: these messages are the model's, in the house style."""
    err = dossier_error(write, mini_rubric, HEADER.replace("{title: Source two}", source))
    assert [(p.line, p.column, p.message) for p in err.problems] == found


def test_fields_the_loader_fills_in_cannot_be_written_in_a_file(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + "file: elsewhere.yaml\n")
    assert "unknown field 'file'" in str(err) and err.line == 6


# ---------------------------------------------------------------- dates as sources give them


def test_months_quarters_and_years_count_from_their_last_day(write, mini_rubric):
    path = write("demo.yaml", HEADER.replace("s2: {title: Source two}",
                                             "s2: {title: Source two, date: 2024-Q3}") + """facts:
  a.count:
    - {value: 1, as_of: 2025-10}
    - {value: 2, as_of: 2026}
  a.top: {value: 1.5, source: s2}
""")
    facts = load_dossier(path, mini_rubric).facts
    assert [(o.date, o.precision) for o in facts["a.count"]] == [
        (date(2025, 10, 31), "month"), (date(2026, 12, 31), "year")]
    assert (facts["a.top"][0].date, facts["a.top"][0].precision) == (date(2024, 9, 30),
                                                                      "quarter")


@pytest.mark.parametrize(("text", "message"), [
    ("  a.count: {value: 1, as_of: 2024-06-31}\n", "a.count: as_of: '2024-06-31' is not a "
                                                   "calendar date"),
    ("  a.count: {value: 1, as_of: 2024-13}\n", "'2024-13' is not a calendar month"),
    ("  a.count: {value: 1, as_of: soon}\n", "as_of must be a date (YYYY-MM-DD, YYYY-MM"),
    ("  b.when: 2024-02-30\n", "b.when: '2024-02-30' is not a calendar date"),
])  # fmt: skip
def test_dates_not_in_the_calendar_are_located_and_named(write, mini_rubric, text, message):
    err = dossier_error(write, mini_rubric, HEADER + "facts:\n" + text)
    assert message in str(err) and err.line == 7, str(err)


def test_a_source_date_not_in_the_calendar_names_its_field(write, mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER.replace(
        "date: 2025-01-01", "date: 2025-02-29"))
    assert "sources.s1.date: '2025-02-29' is not a calendar date" in str(err)
    assert err.line == 4


def test_a_date_fact_may_say_no_such_event_is_known(write, mini_rubric):
    from scorer.facttypes import NEVER

    path = write("demo.yaml", HEADER + "facts:\n  b.when: none\n")
    assert load_dossier(path, mini_rubric).facts["b.when"][0].value is NEVER


# ---------------------------------------------------------------- dates that move the world

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(("facts", "message"), [
    ("  a.count: {value: 1, as_of: 2126-11-27, forecast: true}\n",
     "a.count: a forecast dated 2126-11-27, more than 100 years after today (2026-11-26)"),
    ("  a.count: {value: 1, as_of: 9999, forecast: true}\n", "a forecast dated 9999, more"),
    ("  a.count: {value: 1, as_of: 1899-12}\n", "a.count: as_of 1899-12 is before 1900"),
    ("  b.when: 1899-12-31\n", "b.when: 1899-12-31 is before 1900: is the year right?"),
    ("  b.when: 2126-11-27\n", "b.when: 2126-11-27 is more than 100 years after today"),
    ("  b.since: 1899\n", "b.since: 1899 is before 1900"),
    ("  b.since: 2127\n", "b.since: 2127 is more than 100 years after today"),
])  # fmt: skip
def test_absurd_dates_are_refused_at_their_line(write, mini_rubric, facts, message):
    path = write("demo.yaml", HEADER + "facts:\n" + facts)
    with pytest.raises(ScorerError) as caught:
        load_dossier(path, mini_rubric, TODAY)
    assert message in str(caught.value) and caught.value.line == 7, str(caught.value)


def test_dates_within_the_bounds_load(write, mini_rubric):
    path = write("demo.yaml", HEADER + "facts:\n"
                 "  a.count: {value: 1, as_of: 2126-11-26, forecast: true}\n"
                 "  b.when: 1900-01-01\n  b.since: 2126\n")
    facts = load_dossier(path, mini_rubric, TODAY).facts
    assert facts["a.count"][0].date == date(2126, 11, 26) and facts["b.since"][0].value == 2126


@pytest.mark.parametrize(("as_of", "message"), [
    ("2026-11-27", "as_of: reviewed 2026-11-27, after today (2026-11-26)"),
    ("1899-12-31", "as_of: reviewed 1899-12-31, before 1900"),
])  # fmt: skip
def test_a_dossier_cannot_be_reviewed_in_the_future_or_before_1900(write, mini_rubric, as_of,
                                                                   message):
    path = write("demo.yaml", HEADER + f"as_of: {as_of}\n")
    with pytest.raises(ScorerError) as caught:
        load_dossier(path, mini_rubric, TODAY)
    assert message in str(caught.value) and caught.value.line == 6


# ---------------------------------------------------------------- hostile files


def test_a_folder_lists_every_dossier_entry_even_those_it_cannot_read(tmp_path):
    (tmp_path / "a.yaml").write_text("id: a\n")
    (tmp_path / "b.yaml").mkdir()
    (tmp_path / "c.yml").symlink_to("nowhere")
    (tmp_path / ".hidden.yaml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    assert [p.name for p in dossier_paths([tmp_path])] == ["a.yaml", "b.yaml", "c.yml"]
    assert dossier_paths([tmp_path / "c.yml"]) == [tmp_path / "c.yml"]  # refused when read
    with pytest.raises(ScorerError, match="no such file or folder"):
        dossier_paths([tmp_path / "absent.yaml"])


def test_text_of_the_file_is_quoted_as_a_short_printable_excerpt(write, mini_rubric):
    secret = "root\u202e:x:0:0:" + "s" * 200
    err = dossier_error(write, mini_rubric, HEADER + f"'{secret}': 1\nfacts:\n  '{secret}': 2\n"
                        f"  a.count: {{value: 1, '{secret}': 3}}\n"
                        f"  a.top: {{value: 1, source: '{secret}'}}\n")
    text = str(err)
    assert "\u202e" not in text and "s" * 50 not in text
    assert text.count("root\\u202e:x:0:0:") == 4, text
    bad_id = dossier_error(write, mini_rubric, f"id: '{secret}'\nname: X\n")
    assert "s" * 50 not in str(bad_id) and "is not a simple id" in str(bad_id)


@pytest.mark.parametrize(("content", "found"), [
    ("root:x:0:0:root:/root:/bin/bash\nbin:x:1:1::/:/sbin/nologin\n", "found text"),
    ("- secret one\n- secret two\n", "found a list"), ("42\n", "found a number"),
    ("2025-01-01\n", "found a date"), ("true\n", "found true or false"),
])  # fmt: skip
def test_a_file_that_is_not_a_mapping_does_not_look_like_a_dossier(write, mini_rubric,
                                                                   content, found):
    err = dossier_error(write, mini_rubric, content)
    assert str(err).endswith("demo.yaml:1:1: does not look like a dossier: expected a YAML "
                             f"mapping of id, name, sources, facts… at the top level, {found}")
    assert "root" not in str(err).split("demo.yaml")[-1] and "secret" not in str(err)
    assert "does not look like a rubric" in str(rubric_error(write, content))


def test_a_value_yaml_versions_read_differently_is_one_problem_among_the_others(write,
                                                                               mini_rubric):
    err = dossier_error(write, mini_rubric, HEADER + "facts:\n  a.flag: yes\n  a.kind: 3\n")
    assert [(p.line, p.message.split(";")[0]) for p in err.problems] == [
        (7, "'yes' is true or false in YAML 1.1 but text in YAML 1.2"),
        (8, "a.kind: expected text, found 3 (a number)")]


def test_problems_of_one_kind_and_of_one_file_are_bounded_and_counted(write, mini_rubric):
    from scorer.loading.problems import MAX_PER_KIND, MAX_PROBLEMS

    unknown = "".join(f"  z.fact{i}: 1\n" for i in range(MAX_PER_KIND + 5))
    problems = dossier_error(write, mini_rubric, HEADER + "facts:\n" + unknown).problems
    assert len(problems) == MAX_PER_KIND + 1
    assert all("did you mean" in p.message or "unknown fact 'z.fact" in p.message
               for p in problems[:-1])
    assert (problems[-1].message, problems[-1].line) == ("… and 5 more unknown facts",
                                                          7 + MAX_PER_KIND)
    wrong = "".join(f"    - {{value: x, as_of: {1950 + i}}}\n" for i in range(MAX_PROBLEMS + 7))
    problems = dossier_error(write, mini_rubric, HEADER + "facts:\n  a.count:\n" + wrong).problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == "… and 7 more problems in this file"


# ---------------------------------------------------------------- slips said plainly


@pytest.mark.parametrize(("source", "line", "message"), [
    ("{title: S, reliability: primray}", 6, "sources.s3.reliability: 'primray' is not one of "
                                            "primary, secondary, low (did you mean 'primary'?)"),
    ("{title: S, reliability: Secondary}", 6, "sources.s3.reliability: 'Secondary' is not one "
                                              "of primary, secondary, low (did you mean "
                                              "'secondary'?)"),
    ("{title: S, reliability: trusted}", 6, "sources.s3.reliability: 'trusted' is not one of "
                                            "primary, secondary, low"),
    ("{title: S, reliability: [primary]}", 6, "sources.s3.reliability: expected one of primary, "
                                              "secondary, low, found a list"),
])  # fmt: skip
def test_a_reliability_outside_the_list_is_said_in_the_house_style(write, mini_rubric, source,
                                                                   line, message):
    err = dossier_error(write, mini_rubric, HEADER.replace(
        "  s2: {title: Source two}\n", f"  s2: {{title: Source two}}\n  s3: {source}\n"))
    assert [(p.line, p.message) for p in err.problems] == [(line, message)]
    assert err.column == 31 and "Input should be" not in str(err)


@pytest.mark.parametrize(("facts", "where", "message"), [
    ("  a.count: 1,000\n", (7, 12), "a.count: 1,000: write numbers without thousands "
                                    "separators: 1000 (YAML reads '1,000' as text; 1_000 is "
                                    "refused too)"),
    ("  a.top:\n    value:\n      low: 1,500.5\n      high: 2000\n", (9, 12),
     "a.top: low: 1,500.5: write numbers without thousands separators: 1500.5"),
    ("  a.count: {value: 12,000, source: s1}\n", (7, 20), "12,000: write numbers without "
                                                          "thousands separators: 12000 (inside "
                                                          "{…} each comma"),
])  # fmt: skip
def test_thousands_separators_are_one_problem_at_the_number(write, mini_rubric, facts, where,
                                                            message):
    err = dossier_error(write, mini_rubric, HEADER + "facts:\n" + facts)
    assert [(p.line, p.column) for p in err.problems] == [where], str(err)
    assert message in err.first.message and err.first.kind == "yaml-value"


def test_a_comma_in_text_is_text(write, mini_rubric):
    path = write("demo.yaml", HEADER + "facts:\n  b.label: 1,000 nodes\n  a.kind: {value: x, "
                                       "note: 'about 1,000'}\n")
    facts = load_dossier(path, mini_rubric).facts
    assert facts["b.label"][0].value == "1,000 nodes" and facts["a.kind"][0].note == "about 1,000"


def test_a_dossier_is_read_from_text_named_as_given(mini_rubric):
    dossier = read_dossier(HEADER + "facts:\n  a.count: {value: 3, source: s1}\n", mini_rubric)
    assert dossier.file == "<stdin>" and dossier.facts["a.count"][0].where == (7, 12)
    with pytest.raises(ScorerError) as caught:
        read_dossier(HEADER + "facts:\n  a.count:\n    3\n    source: s1\n", mini_rubric,
                     file="draft")
    assert str(caught.value) == ("draft:8:5: invalid YAML: '3' stands without a key, and "
                                 "'source:' follows it at the same indentation (line 9): did "
                                 "you forget `value:` before it?")


def test_problems_carry_their_kind(write, mini_rubric, tmp_path):
    err = dossier_error(write, mini_rubric, HEADER + "facts:\n  a.cuont: 1\n  a.flag: on\n"
                        "  a.kind: 3\n  a.top: {valeu: 1}\n  a.count: {value: 1, source: s9}\n")
    assert [(p.line, p.kind) for p in err.problems] == [
        (7, "unknown-name"), (8, "yaml-value"), (9, "invalid"), (10, "invalid"),
        (10, "unknown-name"), (11, "unknown-name")]
    missing = tmp_path / "absent"
    with pytest.raises(ScorerError) as caught:
        load_projects([missing], mini_rubric)
    assert caught.value.first.kind == "file"
    assert rubric_error(write, "id: [x\n").first.kind == "yaml"


# ---------------------------------------------------------------- issue 14: the composed reader


def test_every_bundled_file_loads_alike_with_the_composed_and_the_event_reader(monkeypatch,
                                                                               default_rubric):
    from scorer import safeyaml
    from tests.conftest import DEFAULT_RUBRIC, PROJECTS

    paths = sorted(PROJECTS.glob("*.yaml"))
    today = date(2026, 11, 26)

    def loaded() -> str:
        models = [load_dossier(p, default_rubric, today) for p in paths]
        models.append(load_rubric(DEFAULT_RUBRIC))
        assert all(model.locations for model in models)  # what this test compares
        return repr([(model.model_dump(), model.locations) for model in models])

    composed = loaded()
    assert all(safeyaml.parse(p.read_text(encoding="utf-8")).tree is not None for p in paths)
    monkeypatch.setattr(safeyaml, "parse", safeyaml._parse_events)
    assert composed == loaded()


@pytest.mark.parametrize("broken", [False, True])
def test_the_garbage_collector_is_paused_while_a_dossier_is_read_and_checked(
        write, mini_rubric, monkeypatch, broken):
    import gc

    from scorer.loading import dossier

    seen: list[bool] = []
    check = dossier._dossier

    def spied(*args, **kwargs):
        seen.append(gc.isenabled())
        return check(*args, **kwargs)

    monkeypatch.setattr(dossier, "_dossier", spied)
    path = write("demo.yaml", HEADER + ("facts: [\n" if broken else ""))
    assert gc.isenabled()
    if broken:
        with pytest.raises(ScorerError):
            read_dossier(path.read_text(), mini_rubric)
    else:
        load_dossier(path, mini_rubric)
        assert seen == [False]
    assert gc.isenabled()  # on again after the file, read or refused


def test_the_collector_is_paused_once_for_all_the_files_of_a_folder(write, mini_rubric,
                                                                       monkeypatch):
    import gc

    from scorer.loading import dossier

    between: list[bool] = []
    load = dossier.load_dossier

    def spied(*args, **kwargs):
        between.append(gc.isenabled())  # before each file: paused since the first
        return load(*args, **kwargs)

    monkeypatch.setattr("scorer.loading.load_dossier", spied)
    for name in ("a", "b", "c"):
        write(f"projects/{name}.yaml", HEADER.replace("id: demo", f"id: {name}"))
    write("projects/d.yaml", HEADER + "facts: [\n")  # a broken file does not end the pause
    with pytest.raises(ScorerError):
        load_projects(write("projects/a.yaml", HEADER).parent, mini_rubric)
    assert between == [False] * 4 and gc.isenabled()


# ---------------------------------------------------------------- issue 14: lean dossiers


def test_observations_are_frozen_records_without_a_dict_of_their_own(write, mini_rubric):
    import dataclasses

    from scorer.models import Alternative, Bounds, Observation

    facts = ("facts:\n  a.count: {value: {low: 1, high: 5}, source: s1, alternatives: "
             "[{value: 2}]}\n")
    dossier = load_dossier(write("demo.yaml", HEADER + facts), mini_rubric)
    obs = dossier.facts["a.count"][0]
    assert obs == Observation(3, Bounds(1.0, 5.0, "range"), (Alternative(2),), "s1",
                              date=date(2025, 1, 1), where=(7, 12))
    assert obs.candidates == (Alternative(3, Bounds(1.0, 5.0, "range"), "s1"), Alternative(2))
    for record, field in ((obs, "note"), (obs.bounds, "low"), (obs.alternatives[0], "value")):
        assert not hasattr(record, "__dict__")
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, field, 0)
    assert hash(obs) == hash(dataclasses.replace(obs))


def test_models_given_the_same_fields_share_one_set_of_them(write, mini_rubric):
    from scorer.models import Source

    one, two = Source(title="One", url="https://a.example"), Source(title="Two", url="https://b")
    assert one.model_fields_set == {"title", "url"}
    assert one.__pydantic_fields_set__ is two.__pydantic_fields_set__
    copy = one.model_copy(update={"note": "n"})
    assert copy.model_fields_set == {"title", "url", "note"}
    assert one.model_fields_set == two.model_fields_set == {"title", "url"}  # unchanged
    assert one.model_dump(exclude_unset=True) == {"title": "One", "url": "https://a.example"}
    first = load_dossier(write("demo.yaml", HEADER), mini_rubric)
    second = load_dossier(write("other.yaml", HEADER.replace("demo", "other")), mini_rubric)
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__  # copies, shared
    assert {"facts", "file", "locations"} <= first.model_fields_set


def test_a_loaded_dossier_holds_its_sources_as_frozen_records_dumped_as_models(write,
                                                                             mini_rubric):
    """Sources are checked by their model, then kept as records with slots (issue 14: a
    quarter of a million of them at ten thousand dossiers); dumped, they read as before."""
    import dataclasses

    from scorer.models import Dossier, Source, SourceRecord

    assert SourceRecord.__slots__ == tuple(Source.model_fields)  # one field list, in order

    text = HEADER.replace("s2: {title: Source two}", "s2: {title: Source two, reliability: low, "
                          "publisher: P, note: N, date: 2024-Q3}")
    dossier = load_dossier(write("demo.yaml", text), mini_rubric)
    one, two = dossier.sources["s1"], dossier.sources["s2"]
    assert one == SourceRecord("Source one", "https://example.com/1", date(2025, 1, 1))
    assert two == SourceRecord("Source two", None, date(2024, 9, 30), "P", "low", "N")
    assert not hasattr(one, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.title = "changed"  # type: ignore[misc]
    declared = {"s1": Source(title="Source one", url="https://example.com/1", date="2025-01-01"),
                "s2": Source(title="Source two", reliability="low", publisher="P", note="N",
                             date="2024-Q3")}
    for mode in ("python", "json"):
        for options in ({}, {"exclude_none": True}, {"exclude_unset": True}):
            assert dossier.model_dump(mode=mode, **options)["sources"] == {
                k: v.model_dump(mode=mode, **options) for k, v in declared.items()}
    again = Dossier.model_validate(dossier.model_dump(exclude={"facts"}))
    assert again.sources == dossier.sources


def test_dossiers_share_the_text_of_ids_titles_and_fact_paths(write, mini_rubric):
    facts = "facts:\n  a.count: {value: 3, source: s1, note: Seen on the page.}\n"
    first = load_dossier(write("one.yaml", HEADER + facts), mini_rubric)
    second = load_dossier(write("two.yaml", HEADER.replace("demo", "other") + facts),
                          mini_rubric)
    [(path_1, [obs_1])], [(path_2, [obs_2])] = first.facts.items(), second.facts.items()
    assert path_1 is path_2 == "a.count" and obs_1.source is obs_2.source == "s1"
    key_1, key_2 = next(iter(first.sources)), next(iter(second.sources))
    assert key_1 is key_2 and first.sources["s1"].title is second.sources["s1"].title
    assert first.sources["s1"].url is second.sources["s1"].url
    assert next(iter(first.locations.keys() - {"id", "as_of"})) in second.locations
    assert obs_1.note == obs_2.note == "Seen on the page."


def test_dossiers_share_the_publishers_of_their_sources_but_not_their_notes(write,
                                                                           mini_rubric):
    """A source's title, address, publisher and reliability recur across dossiers and are
    held once; its note is the dossier's own, never shared, even when two notes read alike."""
    text = HEADER.replace("s2: {title: Source two}", "s2: {title: Source two, publisher: "
                          "The Publisher, reliability: low, note: Read on the day.}")
    first = load_dossier(write("one.yaml", text), mini_rubric)
    second = load_dossier(write("two.yaml", text.replace("demo", "other")), mini_rubric)
    one, two = first.sources["s2"], second.sources["s2"]
    assert one == two and one.publisher == "The Publisher" and one.note == "Read on the day."
    assert one.title is two.title and one.publisher is two.publisher
    assert one.reliability is two.reliability
    assert one.note is not two.note


def test_each_file_that_dates_by_a_day_not_in_the_calendar_is_told_so(write, mini_rubric):
    """Dates are read once for all the files (`scorer.loading.facts.parse_when`): a day that
    is wrong is wrong in every file that writes it, and one that is right reads alike."""
    text = ("id: {0}\nname: {0}\nsources: {{s: {{title: S, date: 2025-01-02}}}}\n"
            "facts:\n  a.flag: {{value: true, source: s, as_of: {1}}}\n")
    paths = {name: write(f"projects/{name}.yaml", text.format(name, day)) for name, day in (
        ("p", "2024-06-31"), ("q", "2024-06-31"), ("r", "2024-06-30"), ("s", "2024-06-30"))}
    with pytest.raises(ScorerError) as err:
        load_projects(paths["p"].parent, mini_rubric, today=date(2025, 6, 1))
    wrong = [(Path(p.file).name, p.line, p.message) for p in err.value.problems]
    assert wrong == [(f"{name}.yaml", 5, "a.flag: as_of: '2024-06-31' is not a calendar date")
                     for name in "pq"]
    right = [load_dossier(paths[name], mini_rubric, today=date(2025, 6, 1)) for name in "rs"]
    assert [d.facts["a.flag"][0].as_of for d in right] == [date(2024, 6, 30)] * 2
