"""Uncertain evidence on the command line: ranges, provisional grades, a trust floor."""

from __future__ import annotations

import json

from scorer.i18n import t


def compare_json(run, *args: str) -> dict:
    result = run("compare", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_compare_shows_total_and_rank_ranges_in_every_format(run):
    data = compare_json(run, "--as-of", "2025-08-26")
    flux = next(p for p in data["projects"] if p["id"] == "flux")
    low, high = flux["total_range"]
    assert flux["total"] == 21 and low < 21 < high
    best, worst = flux["rank_range"]
    assert best <= flux["rank"] <= worst
    for axis, (lo, hi) in flux["axes_range"].items():
        assert lo <= flux["axes"][axis] <= hi
    assert data["min_reliability"] == "low"
    shown = f"21.0 ({low:g}–{high:g})"
    table = run("compare", "--as-of", "2025-08-26").stdout
    assert shown in table and f"{flux['rank']} ({best}–{worst})" in table
    markdown = run("compare", "--as-of", "2025-08-26", "--format", "markdown").stdout
    assert f"| {shown}" in markdown
    csv = run("compare", "--as-of", "2025-08-26", "--format", "csv").stdout.splitlines()
    assert csv[0].endswith("total_low,total_high,rank_best,rank_worst,provisional")


def test_grades_from_too_few_known_criteria_are_provisional_in_both_languages(run):
    args = ("--as-of", "2025-08-26", "--min-reliability", "primary")
    data = compare_json(run, *args)
    provisional = {p["id"]: p["provisional"] for p in data["projects"]}
    assert provisional == {p["id"]: p["coverage"] < 0.6 for p in data["projects"]}
    assert provisional["flux"] and not all(provisional.values())
    for lang in ("en", "ja"):
        out = run("compare", *args, "--lang", lang).stdout
        assert f"({t('provisional', lang)})" in out
        assert t("provisional_note", lang, share=0.6, names="").split("（")[0][:10] in out
    flux = next(p for p in data["projects"] if p["id"] == "flux")
    explained = run("explain", "flux", *args).stdout
    assert f"provisional: {flux['coverage']:.0%} of criteria known" in explained
    assert "(provisional)" not in run("compare").stdout  # today every grade stands


def test_explain_says_what_each_criterion_could_give_and_what_would_settle_it(run):
    data = json.loads(run("explain", "akash", "--as-of", "2025-08-26", "--format",
                          "json").stdout)
    criteria = {c["id"]: c for axis in data["axes"].values() for c in axis["criteria"]}
    inflation = criteria["high-inflation"]
    assert inflation["outcome"] == "uncertain" and inflation["possible_points"] == [-1, 0]
    assert "token.inflation_pct = 8 (4–8)" in inflation["settled_by"]
    assert inflation["facts"]["token.inflation_pct"]["candidates"][0]["bounds"] == "range"
    assert criteria["enterprise-adoption"]["settled_by"] == ("a source stating "
                                                             "usage.enterprise_customers")
    assert criteria["production-use"]["settled_by"] is None
    assert criteria["production-use"]["possible_points"] == [1]
    text = run("explain", "akash", "--as-of", "2025-08-26").stdout
    assert "could give -1, +0 · settled by: narrowing token.inflation_pct" in text


def test_primary_sources_only_leave_flux_on_the_article_s_date_mostly_unknown(run):
    everything = compare_json(run, "--as-of", "2025-08-26")
    primary = compare_json(run, "--as-of", "2025-08-26", "--min-reliability", "primary")
    flux = {d: next(p for p in doc["projects"] if p["id"] == "flux")
            for d, doc in (("all", everything), ("primary", primary))}
    assert flux["all"]["total"] == 21
    assert flux["primary"]["total"] < 15 and flux["primary"]["coverage"] < 0.5
    assert primary["min_reliability"] == "primary"
    assert "sources: primary only" in run("compare", "--as-of", "2025-08-26",
                                          "--min-reliability", "primary").stdout


def test_a_bad_range_is_a_located_error(run, tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "x.yaml").write_text(
        "id: x\nname: X\nfacts:\n  token:\n    inflation_pct: {value: {low: 9, high: 4}}\n",
        encoding="utf-8")
    result = run("validate", "--projects", str(tmp_path / "p"))
    assert result.exit_code == 1
    assert "x.yaml:5:28: error: token.inflation_pct: low (9) is above high (4)" in result.stderr
    assert "Traceback" not in result.stderr
