"""`scorer history` and `scorer diff`, run as a user runs them, on a copy of the bundled data."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from click.testing import CliRunner

from scorer.cli import cli
from tests.cli.conftest import TODAY

ARTICLE = "2025-08-26"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def ok(*args: str):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def as_json(*args: str) -> dict:
    return json.loads(ok(*args, "--format", "json").stdout)


# ---------------------------------------------------------------- history


def test_history_json_follows_the_contract(folder):
    data = as_json("history", "--from", "2025-01-01", "--every", "quarter", "--axes")
    assert set(data) >= {"rubric", "profile", "weights", "dates", "projects"}
    assert data["dates"] == ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31",
                             "2026-03-31", "2026-06-30", "2026-09-30", TODAY]
    compare = {p["id"]: p for p in as_json("compare")["projects"]}
    assert [p["id"] for p in data["projects"]] == list(compare)  # today's rank order
    for project in data["projects"]:
        assert set(project) == {"id", "name", "series"}
        assert [point["date"] for point in project["series"]] == data["dates"]
        last = project["series"][-1]
        assert set(last) == {"date", "total", "rank", "axes"}
        assert last["total"] == compare[project["id"]]["total"]
        assert last["axes"] == compare[project["id"]]["axes"]


def test_history_table_has_a_row_per_date_and_a_sparkline_per_project(folder):
    out = ok("history", "--every", "year", "--from", "2023-06-01").stdout
    for day in ("2023-12-31", "2024-12-31", "2025-12-31", TODAY):
        assert day in out
    names = {p["name"]: p for p in as_json("compare")["projects"]}
    for name, project in names.items():
        [spark] = [line for line in out.splitlines() if line.startswith(name + " ")
                   and "→" in line]
        assert spark.rstrip().endswith(f"→ {project['total']:.1f}")
        assert sum(ch in "▁▂▃▄▅▆▇█" for ch in spark) == 4  # one bar per date
    assert "4 dates" in out and "profile balanced" in out


def test_history_csv_is_one_row_per_date_and_project(folder):
    out = ok("history", "--every", "year", "--from", "2024-01-01", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["date", "id", "name", "total", "rank"]
    assert len(rows) == 3 * 5  # 2024-12-31, 2025-12-31, today × five projects
    with_axes = ok("history", "--every", "year", "--from", "2024-01-01", "--axes", "--format",
                   "csv").stdout.splitlines()[0]
    assert with_axes.endswith("technology,market_fit,token_economy,team_community,"
                              "growth_strategy,risk")


def test_history_markdown_and_japanese(folder):
    markdown = ok("history", "--every", "year", "--from", "2025-01-01", "--format",
                  "markdown").stdout
    assert markdown.splitlines()[0].startswith("| Date ")
    japanese = ok("history", "--every", "year", "--from", "2025-01-01", "--lang", "ja").stdout
    assert "日付" in japanese and "Date" not in japanese


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2027-01-01"], "--from: 2027-01-01 is after the last date, 2026-11-26"),
    (["--from", "2026-02-30"], "'2026-02-30' is not a date: YYYY-MM-DD or today"),
    (["--every", "week"], "'week' is not one of 'month', 'quarter', 'year', 'change'"),
])  # fmt: skip
def test_history_bad_options_are_one_clear_error(folder, args, message):
    result = run("history", *args)
    assert result.exit_code in (1, 2) and message in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- diff


def _explained(day: str) -> dict[tuple[str, str], tuple[float, str]]:
    """(project, criterion) → (points, outcome), as `scorer explain --as-of day` shows it."""
    found = {}
    for project in ("akash", "flux", "golem", "nosana", "render"):
        record = as_json("explain", project, "--as-of", day)
        for axis in record["axes"].values():
            for c in axis["criteria"]:
                found[(project, c["id"])] = (c["points"], c["outcome"])
    return found


@pytest.mark.parametrize(("a", "b"), [(ARTICLE, TODAY), ("2024-06-30", "2025-06-30")])
def test_diff_lists_a_criterion_iff_explain_differs(folder, a, b):
    data = as_json("diff", a, b)
    listed = {(p["id"], c["criterion"]): (tuple(c["points"]), tuple(c["outcome"]))
              for p in data["projects"] for c in p["changes"]}
    before, after = _explained(a), _explained(b)
    differ = {key: ((before[key][0], after[key][0]), (before[key][1], after[key][1]))
              for key in before if before[key] != after[key]}
    assert listed == differ
    assert listed  # the bundled dossiers do change over these spans


def test_diff_json_follows_the_contract(folder):
    data = as_json("diff", ARTICLE, "today", "--project", "flux")
    assert data["a"]["as_of"] == ARTICLE and data["b"]["as_of"] == TODAY
    assert data["a"]["rubric"] == {"id": "default", "version": "2"}
    [flux] = data["projects"]
    assert flux["id"] == "flux" and flux["total"] == [21, 18] and flux["rank"][0] == 1
    [change] = [c for c in flux["changes"] if c["criterion"] == "energy-exposure"]
    assert change == {
        "axis": "risk", "criterion": "energy-exposure", "points": [-1, 0],
        "outcome": ["pass", "fail"],
        "facts": {"tech.proof_of_work": {
            "a": {"value": True, "source": "article", "as_of": ARTICLE},
            "b": {"value": False, "source": "fluxd-v9", "as_of": "2025-10-26"}}},
    }  # fmt: skip
    [usage] = [c for c in flux["changes"] if c["criterion"] == "usage-burn"]
    assert usage["facts"]["token.burn_mechanism"]["a"] is None  # not stated yet: null


def test_diff_table_names_both_sides_and_every_change(folder):
    out = ok("diff", ARTICLE, "today", "--project", "flux").stdout
    assert out.startswith(f"{ARTICLE} → {TODAY}")
    assert "Flux  21.0 → 18.0   #1 → #4" in out
    assert "tech.proof_of_work: true [article 2025-08-26] → false [fluxd-v9 2025-10-26]" in out
    assert "token.burn_mechanism: not stated → false" in out


def test_diff_between_two_rubrics_on_one_date(folder):
    rubric = yaml.safe_load((folder / "rubrics" / "default.yaml").read_text(encoding="utf-8"))
    rubric["version"] = 3
    [criterion] = [c for c in rubric["axes"]["risk"]["criteria"]
                   if c["id"] == "energy-exposure"]
    criterion["points"] = -2
    (folder / "next.yaml").write_text(yaml.safe_dump(rubric, allow_unicode=True),
                                      encoding="utf-8")
    data = as_json("diff", ARTICLE, "--rubric-b", "next.yaml")
    assert data["a"]["as_of"] == data["b"]["as_of"] == ARTICLE
    assert data["b"]["rubric"]["version"] == "3"
    changed = {(p["id"], c["criterion"]) for p in data["projects"] for c in p["changes"]}
    passing = {p for (p, c), (points, outcome) in _explained(ARTICLE).items()
               if c == "energy-exposure" and outcome == "pass"}
    assert passing and changed == {(p, "energy-exposure") for p in passing}
    out = ok("diff", ARTICLE, "--rubric-b", "next.yaml").stdout
    assert out.startswith("rubric default v2 → rubric default v3")


def test_diff_between_two_trust_floors(folder):
    data = as_json("diff", ARTICLE, "--min-reliability-b", "primary")
    assert data["b"]["min_reliability"] == "primary" and data["a"]["min_reliability"] == "low"
    primary = {p["id"]: p for p in as_json("compare", "--as-of", ARTICLE,
                                           "--min-reliability", "primary")["projects"]}
    for project in data["projects"]:
        assert project["total"][1] == primary[project["id"]]["total"]
    [flux] = [p for p in data["projects"] if p["id"] == "flux"]
    # The article's own claims are not primary: what Flux's code says takes their place.
    assert any("article" in str(c["facts"]) for c in flux["changes"])
    assert ok("diff", ARTICLE, "--min-reliability-b", "primary").stdout.startswith(
        "sources: all → sources: primary only")


def test_diff_lists_projects_that_appear(folder):
    (folder / "projects" / "late.yaml").write_text(
        "id: late\nname: Late\nsources:\n  s: {title: S, url: https://example.com/s}\n"
        "facts:\n  tech.open_source: {value: true, source: s, as_of: 2026-01-01}\n",
        encoding="utf-8")
    data = as_json("diff", ARTICLE, "today")
    assert data["appeared"] == ["late"] and data["vanished"] == []
    back = as_json("diff", "today", ARTICLE)
    assert back["vanished"] == ["late"] and back["appeared"] == []
    assert "Late" in ok("diff", ARTICLE, "today").stdout


@pytest.mark.parametrize(("args", "message", "status"), [
    ([], "give a date A (and B), or --rubric-b, or --min-reliability-b", 2),
    ([ARTICLE, "--project", "flx"], "did you mean 'flux'", 1),
    (["yesterday"], "'yesterday' is not a date: YYYY-MM-DD or today", 2),
    ([ARTICLE, "--rubric-b", "missing.yaml"], "missing.yaml: error: no such file", 1),
])  # fmt: skip
def test_diff_bad_arguments_are_one_clear_error(folder, args, message, status):
    result = run("diff", *args)
    assert result.exit_code == status and message in result.output
    assert "Traceback" not in result.output
