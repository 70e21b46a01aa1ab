"""The rules engine, as pure functions from tables to tables.

    evidence ─► criteria ─► axes ─► score matrix

Every number a report shows is a row of one of these tables: an axis score is its base
plus the points of its criteria; a criterion's points come from the facts it read, each
with its source and date (`scorer.evidence`).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from operator import is_, itemgetter
from typing import Any

import numpy as np
import pandas as pd

from scorer.evidence import Categories, object_array
from scorer.models import Dossier, Rubric, Scale
from scorer.rulebook import Rule, Rulebook
from scorer.rules import FactSeries, Undefined

CRITERIA_COLUMNS = [
    "project", "axis", "criterion", "kind", "outcome", "points", "value", "facts", "missing",
    "uncertain", "possible", "note",
]  # fmt: skip
"""`outcome` is pass, fail, unknown (a fact is not stated) or uncertain (the facts' ranges or
alternatives allow more than one outcome); `points` is the point estimate (unknown: 0; the
point values of the facts otherwise); `possible` every number of points the criterion could
give, lowest first; `uncertain` the facts whose sources leave more than one value."""
OBJECT_COLUMNS = ("value", "facts", "missing", "uncertain", "possible")
"""Columns of Python values (tuples, or any value a rule gives), never converted."""
CATEGORY_COLUMNS = ("axis", "criterion", "kind", "outcome", "note")
"""Columns of repeated text, held as categories (a small code per row); project is text."""
AXES_COLUMNS = [
    "project", "axis", "score", "computed", "raw", "override", "reason", "known", "criteria",
    "coverage",
]  # fmt: skip


def projects_table(dossiers: Sequence[Dossier]) -> pd.DataFrame:
    """One row per project, indexed by id, in the order given."""
    rows = [{"id": d.id, "name": d.name, "ticker": d.ticker, "file": d.file} for d in dossiers]
    return pd.DataFrame(rows, columns=["id", "name", "ticker", "file"]).set_index("id")


def overrides_table(dossiers: Sequence[Dossier]) -> pd.DataFrame:
    """One row per analyst override: project, axis, score, reason."""
    rows = [{"project": d.id, "axis": axis, "score": o.score, "reason": o.reason}
            for d in dossiers for axis, o in d.overrides.items()]
    return pd.DataFrame(rows, columns=["project", "axis", "score", "reason"])


def evaluate(rulebook: Rulebook, evidence: pd.DataFrame, projects: Sequence[str],
             as_of: date, histories: Mapping[str, FactSeries] | None = None,
             memo: dict[str, list[Any]] | None = None) -> pd.DataFrame:
    """One row per project × criterion: outcome, points, what it could give, facts read.

    `histories` (`history`, per project) are what the rule functions `change` and `ago`
    read. `memo`, a dict kept between calls with the same rulebook and histories (a
    history's dates), keeps each row judged: a rule that does not read the date itself
    gives the same row while the candidates of its facts are the same objects
    (`scorer.evidence.InForce` shares them between dates) and its look-backs reach the same
    observations, so it is judged again only when one of those changes."""
    histories = histories or {}
    facts_of, values, candidates = (evidence[name].tolist() for name in (
        "fact", "value", "candidates"))
    rows_of = _rows_of(evidence["project"], projects)
    rules = [(rule, rule.all_points(), rule.facts, rule.expression.trends,
              memo is not None and not rule.expression.clock,  # kept from date to date
              not (rule.expression.trends or rule.expression.clock))  # alike for alike facts
             for rule in rulebook]
    shared: dict[Any, Any] = {}
    judged_on: dict[tuple[int, ...], tuple[Any, ...]] = {}
    """The row of each rule that reads neither the date nor a history, by the rule and the
    `id`s of the candidates it read: projects whose facts are the same objects (an exact
    value `scorer.evidence.InForce` shares, from a source of the same name) are judged
    once. The candidates live as long as this call, so their ids are not reused."""
    at = 0  # rows moved into `columns` so far
    columns = {name: np.empty(len(projects) * len(rules), dtype=(
        float if name == "points" else np.int32 if name in CODED else object))
        for name in PER_ROW}
    coded = {name: Categories() for name in CODED}
    rows: list[tuple[Any, ...]] = []  # a few thousand at a time, then into `columns`
    for project in projects:  # one project's facts at a time (`evidence_values`'s dicts)
        mine = rows_of(project)
        names = [facts_of[row] for row in mine]
        standing = [candidates[row] for row in mine]
        known = {facts_of[row]: values[row] for row in mine}
        options = dict(zip(names, standing, strict=True))
        past = histories.get(project, {})
        kept: list[Any] = [] if memo is None else memo.setdefault(project, [None] * (
            len(rules) + 1))  # a row per rule, then the facts and candidates last read
        same = bool(kept) and kept[-1] is not None and kept[-1][0] == names and all(
            map(is_, kept[-1][1], standing))  # no fact of the project changed
        if kept:
            kept[-1] = None  # until every rule is judged (a rule may fail: a rubric error)
        for i, (rule, every, facts, trends, remembered, alike) in enumerate(rules):
            if not remembered:
                read = tuple(map(options.get, facts)) if alike else (None,)
                if None in read:  # a fact not stated (cheap), or a rule that reads the date
                    row = judged(rule, project, known, options, as_of, past, every, shared)
                else:
                    key = (i, *map(id, read))
                    row = judged_on.get(key)  # its project column is never read
                    if row is None:
                        if len(judged_on) >= JUDGED_AT_ONCE:
                            judged_on.clear()  # facts of their own: rows that do not recur
                        row = judged_on[key] = judged(rule, project, known, options, as_of,
                                                      past, every, shared)
            elif same and not trends:
                row = kept[i][2]
            else:
                read = tuple(map(options.get, facts))
                back = () if None in read else tuple(  # a fact not stated: never evaluated
                    reached(past, path, as_of, days) for path, days in trends)
                found = kept[i]
                if found is None or found[1] != back or not all(map(is_, found[0], read)):
                    found = kept[i] = (read, back, judged(rule, project, known, options,
                                                          as_of, past, every, shared))
                row = found[2]
            rows.append(row)
        if kept:
            kept[-1] = (names, standing)
        if len(rows) >= ROWS_AT_ONCE:
            at = _into_columns(rows, columns, coded, at)
    _into_columns(rows, columns, coded, at)
    del facts_of, values, candidates, rows_of  # read: let go before the table is made
    return _criteria_table(rulebook, projects, columns, coded)


PER_ROW = {"outcome": 4, "points": 5, "value": 6, "missing": 8, "uncertain": 9,
           "possible": 10, "note": 11}
"""The columns of the criteria table that differ from row to row, and where `judged` puts
them; the others are the project's (one per row of a project) or the rule's (one per
rule, repeated for every project)."""
CODED = ("outcome", "note")
"""Those of them that are categories, coded as their rows come."""


def _criteria_table(rulebook: Rulebook, projects: Sequence[str],
                    columns: dict[str, np.ndarray], coded: dict[str, Categories]
                    ) -> pd.DataFrame:
    """The criteria table from its per-row columns: a row per project and rule, in that
    order. Its repeated text (axis, criterion, kind, outcome, note) is categories, each value
    once and a small code per row; `project` stays text."""
    rules = list(rulebook)
    ids = np.repeat(object_array(list(projects)), len(rules))
    table = {
        "project": pd.Series(ids, dtype=str, copy=False),  # text, as from a list
        "axis": _repeated([rule.axis for rule in rules], len(projects)),
        "criterion": _repeated([rule.id for rule in rules], len(projects)),
        "kind": _repeated([rule.kind for rule in rules], len(projects)),
        "outcome": coded["outcome"].column(columns.pop("outcome")),
        "points": pd.Series(columns.pop("points"), copy=False),
        "value": pd.Series(columns.pop("value"), dtype=object, copy=False),
        "facts": pd.Series(np.tile(object_array([rule.facts for rule in rules]), len(projects)),
                           dtype=object, copy=False),
        "missing": pd.Series(columns.pop("missing"), dtype=object, copy=False),
        "uncertain": pd.Series(columns.pop("uncertain"), dtype=object, copy=False),
        "possible": pd.Series(columns.pop("possible"), dtype=object, copy=False),
        "note": coded["note"].column(columns.pop("note")),
    }  # fmt: skip
    return pd.DataFrame(table, columns=CRITERIA_COLUMNS, copy=False)


def _repeated(values: list[str], times: int) -> pd.Categorical:
    """A category column of `values` repeated `times` times over (one per project)."""
    found = pd.Categorical(values)
    return pd.Categorical.from_codes(np.tile(found.codes, times), dtype=found.dtype)


def _rows_of(column: pd.Series, projects: Sequence[str]) -> Callable[[str], list[int]]:
    """A function giving the positions of a project's rows in `column` (in table order),
    from one sort of the column rather than a list of positions per project held at once."""
    unique = list(dict.fromkeys(projects))
    where = pd.Index(unique).get_indexer(column)  # −1: a project not asked for
    order = np.argsort(where, kind="stable")  # those first, then project by project
    ends = np.count_nonzero(where < 0) + np.cumsum(
        np.bincount(where[where >= 0], minlength=len(unique)))
    starts = [np.count_nonzero(where < 0), *ends[:-1].tolist()]
    bounds = dict(zip(unique, zip(starts, ends.tolist(), strict=False), strict=True))
    return lambda project: order[slice(*bounds[project])].tolist()


JUDGED_AT_ONCE = 8192
"""Most rows `evaluate` keeps to give projects with the same facts (a MB or two): workspaces
whose facts are all their own cannot make it hold a row per project and criterion. (At
10,000 copies of five dossiers, 8,192 judge 0.1 % more rows than 65,536, and hold 13 MB
less.)"""
ROWS_AT_ONCE = 4096
"""Rows `evaluate` holds before it moves them into its columns: all of them, as tuples,
would take half as much again as the table."""


def _into_columns(rows: list[tuple[Any, ...]], columns: dict[str, np.ndarray],
                  coded: dict[str, Categories], at: int) -> int:
    """Move `rows` (tuples of `judged`) into the per-row `columns` from row `at`, the
    categories as their codes; returns where the next rows go."""
    if not rows:
        return at
    cells, count = list(zip(*rows, strict=True)), len(rows)
    for name, column in columns.items():
        found = cells[PER_ROW[name]]
        if name in coded:
            codes = coded[name].codes
            found = list(map(codes.get, found))  # None: a value not seen yet
            if None in found:
                found = list(map(coded[name].code, cells[PER_ROW[name]]))
        column[at:at + count] = found
    rows.clear()
    return at + count


def reached(history: FactSeries, path: str, as_of: date, days: int) -> Any:
    """What `ago(path, days)` reads on `as_of`: how many of the fact's dated observations it
    reaches back over (it reads the last); when none, the day it looks back to, or the
    analysis date when that is before the calendar's first day (its note names them)."""
    try:
        day = as_of - timedelta(days=days)
    except OverflowError:
        return "overflow", as_of
    return bisect_right(history.get(path, ()), day, key=itemgetter(0)) or ("before", day)


def evidence_values(evidence: pd.DataFrame, projects: Sequence[str]
                    ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, tuple[Any, ...]]]]:
    """Per project and fact, the value in force and its standing candidates."""
    values: dict[str, dict[str, Any]] = {p: {} for p in projects}
    candidates: dict[str, dict[str, tuple[Any, ...]]] = {p: {} for p in projects}
    for project, fact, value, options in zip(*(evidence[name].tolist() for name in (
            "project", "fact", "value", "candidates")), strict=True):
        if project in values:
            values[project][fact] = value
            candidates[project][fact] = options
    return values, candidates


def criterion_row(rule: Rule, project: str, known: Mapping[str, Any],
                  candidates: Mapping[str, tuple[Any, ...]], as_of: date,
                  history: FactSeries) -> dict[str, Any]:
    """One row of the criteria table: `rule` judged on one project's facts."""
    return dict(zip(CRITERIA_COLUMNS, judged(rule, project, known, candidates, as_of, history),
                    strict=True))


def judged(rule: Rule, project: str, known: Mapping[str, Any],
           candidates: Mapping[str, tuple[Any, ...]], as_of: date, history: FactSeries,
           every: tuple[float, ...] | None = None, shared: dict[Any, Any] | None = None
           ) -> tuple[Any, ...]:
    """`criterion_row` as a tuple in the order of CRITERIA_COLUMNS (`every`: the rule's
    `all_points()`, when the caller has it): what `evaluate` builds its table from. With
    `shared`, a dict kept over many rows, equal parts of rows (the facts missing and the
    note saying so, the points it could give, the facts that leave it uncertain) are one
    object, not one per row."""
    facts = rule.facts
    every = rule.all_points() if every is None else every
    missing = tuple(f for f in facts if f not in known)
    if missing:
        said = None if shared is None else shared.get(("missing", missing))
        if said is None:
            said = missing, "not stated: " + ", ".join(missing)
            if shared is not None:
                shared["missing", missing] = said
        missing, note = said
        return (project, rule.axis, rule.id, rule.kind, "unknown", 0.0, None, facts, missing,
                (), every, note)
    try:
        result = rule.evaluate(known, as_of, history=history, project=project)
    except Undefined as exc:
        return (project, rule.axis, rule.id, rule.kind, "unknown", 0.0, None, facts, (), (),
                every, f"undefined: {exc}")
    outcome, points = rule.judge(result)
    possible: tuple[float, ...] = (points,)
    if shared is not None:  # one tuple per number of points (-0.0 is not 0.0 in a report)
        possible = shared.setdefault(("points", points, math.copysign(1.0, points)), possible)
        points = possible[0]
    uncertain = tuple(f for f in facts
                      if len(candidates[f]) > 1 or candidates[f][0][3] is not None)
    if uncertain:
        others = rule.possible_points(candidates, as_of, history, project=project)
        possible = tuple(sorted({*others, points}))
        if len(possible) > 1:
            outcome = "uncertain"
        if shared is not None:  # as above: equal tuples are one object
            uncertain = shared.setdefault(("uncertain", uncertain), uncertain)
            possible = shared.setdefault(("possible", *(
                (p, math.copysign(1.0, p)) for p in possible)), possible)
    return (project, rule.axis, rule.id, rule.kind, outcome, points, result, facts, (),
            uncertain, possible, None)


def history(rulebook: Rulebook, observations: pd.DataFrame | None,
            projects: Sequence[str]) -> dict[str, FactSeries]:
    """Per project, the dated history of each fact a rule reads with `change` or `ago`: the
    value of each dated observation (its own, not its alternatives), oldest first."""
    wanted = {path for rule in rulebook for path, _ in rule.expression.trends}
    found: dict[str, dict[str, list[tuple[date, Any]]]] = {p: {} for p in projects}
    if not wanted or observations is None or observations.empty:
        return found  # type: ignore[return-value]
    rows = observations["fact"].isin(wanted).to_numpy() & ~observations["alternative"].to_numpy()
    columns = (observations[name][rows].tolist() for name in ("project", "fact", "date", "value"))
    for project, fact, day, value in zip(*columns, strict=True):
        if project in found and day is not None and day == day:  # NaN: undated
            found[project].setdefault(fact, []).append((day, value))
    for facts in found.values():
        for series in facts.values():
            series.sort(key=lambda item: item[0])
    return found  # type: ignore[return-value]


def aggregate(rubric: Rubric, criteria: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    """One row per project × axis: base + Σ points, clamped and rounded to the scale,
    replaced by the dossier's override where there is one (the computed score stays)."""
    bases = pd.Series({axis_id: axis.base for axis_id, axis in rubric.axes.items()})
    group, table = axis_groups(criteria)
    kept = group[group >= 0]
    table["points"] = summed(group, criteria["points"].to_numpy(), len(table))
    table["known"] = np.bincount(group[(criteria["outcome"] != "unknown").to_numpy()
                                       & (group >= 0)], minlength=len(table))
    table["criteria"] = np.bincount(kept, minlength=len(table))
    table["raw"] = table["axis"].map(bases).to_numpy(dtype=float) + table["points"]
    table["computed"] = snapped(rubric.scale, table["raw"])
    table["coverage"] = table["known"] / table["criteria"]
    keys = pd.MultiIndex.from_frame(table[["project", "axis"]])
    given = overrides.drop_duplicates(["project", "axis"], keep="last").set_index(
        ["project", "axis"]).reindex(keys)
    overridden = given["score"].notna().to_numpy()
    table["score"] = np.where(overridden, given["score"].to_numpy(dtype=float, na_value=np.nan),
                              table["computed"].to_numpy(dtype=float))
    table["override"] = overridden
    table["reason"] = [reason if flag else None  # a list, typed by pandas as it always was
                       for reason, flag in zip(given["reason"].tolist(), overridden.tolist(),
                                               strict=True)]
    return table[AXES_COLUMNS]


def axis_groups(criteria: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Per row of `criteria`, the number of its (project, axis), counted in order of first
    appearance as a groupby with sort=False counts them (−1: a row without one); and those
    pairs, as text. Integer keys: each text is hashed once, not once per row and groupby."""
    project, projects = first_seen(criteria["project"])
    column = criteria["axis"]
    axis, axes = ((column.cat.codes.to_numpy(), column.cat.categories)  # codes as they are
                  if isinstance(column.dtype, pd.CategoricalDtype) else first_seen(column))
    width = max(len(axes), 1)
    pair = project * width + axis
    valid = (project >= 0) & (axis >= 0)
    if valid.all():
        group, pairs = first_seen(pair)
    else:
        group = np.full(len(pair), -1, dtype=np.int64)
        group[valid], pairs = first_seen(pair[valid])
    pairs = np.asarray(pairs)
    keys = pd.DataFrame({"project": _text(projects).take(pairs // width),
                         "axis": _text(axes).take(pairs % width)})
    return group, keys


def first_seen(values: pd.Series | np.ndarray) -> tuple[np.ndarray, Any]:
    """`pandas.factorize(values)`: codes numbered in order of first appearance (−1: missing),
    and the values so numbered. When equal values sit side by side (a criteria table's
    projects), from their runs: neighbours compared, not every row hashed into a table as
    long as the column (whose memory a large analysis would keep)."""
    array = values if isinstance(values, np.ndarray) else (
        None if isinstance(values.dtype, pd.CategoricalDtype) else values.to_numpy())
    if array is not None and len(array) > 1:
        starts = np.flatnonzero(np.append(True, array[1:] != array[:-1]))
        firsts = pd.Index(array[starts] if isinstance(values, np.ndarray)
                          else values.iloc[starts], name=None)
        if firsts.is_unique and not firsts.hasnans:
            return np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(array)))
                             ), firsts
    return pd.factorize(values)


def _text(index: pd.Index) -> pd.Index:
    """An index of categories as text, as every table but criteria has them."""
    return index.astype(str) if isinstance(index.dtype, pd.CategoricalDtype) else index


def summed(group: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """Per group numbered 0 … count − 1, the sum of its `values` as a pandas groupby sums
    them (compensated, in row order; −1: no group)."""
    key = pd.Categorical.from_codes(group, categories=pd.RangeIndex(count))  # not hashed
    found = pd.Series(values, copy=False).groupby(key, observed=False).sum()
    return found.to_numpy(dtype=float)


def snapped(scale: Scale, values: Any) -> np.ndarray:
    """`scale.snap` of each value (as floats), made once per distinct value: a table of
    thousands of scores holds a few dozen. Whole numbers when the scale's are."""
    distinct, where = np.unique(np.asarray(values, dtype=float), return_inverse=True)
    snaps = [scale.snap(value) for value in distinct.tolist()]
    return np.array(snaps, dtype=None if snaps else float)[where]


def score_matrix(axes: pd.DataFrame, rubric: Rubric, projects: Sequence[str]) -> pd.DataFrame:
    """Final axis scores as a project × axis matrix (the decision matrix of MCDA)."""
    return axis_matrix(axes, "score", projects, list(rubric.axes))


def axis_matrix(axes: pd.DataFrame, column: str, projects: Sequence[str],
                names: Sequence[str]) -> pd.DataFrame:
    """A column of the axes table (one row per project and axis) as a project × axis
    matrix of floats, rows `projects` and columns `names` in that order, NaN where the
    table has no row: `axes.pivot(…).reindex(…)`, placed by position (a pivot costs more
    than a small analysis' scoring)."""
    index = pd.Index(list(projects), name="project")
    columns = pd.Index(list(names), name="axis")
    rows, cols = index.get_indexer(axes["project"]), columns.get_indexer(axes["axis"])
    kept = (rows >= 0) & (cols >= 0)
    matrix = np.full((len(index), len(columns)), np.nan)
    matrix[rows[kept], cols[kept]] = axes[column].to_numpy(dtype=float)[kept]
    return pd.DataFrame(matrix, index=index, columns=columns, copy=False)


def coverage(criteria: pd.DataFrame) -> pd.Series:
    """Per project, the share of criteria whose facts are all stated."""
    project, projects = first_seen(criteria["project"])
    kept = project >= 0
    known = (criteria["outcome"] != "unknown").to_numpy()[kept]
    counts = np.bincount(project[kept], minlength=len(projects))
    share = np.bincount(project[kept], weights=known, minlength=len(projects)) / counts
    return pd.Series(share, index=pd.Index(projects, name="project"), name="outcome")
