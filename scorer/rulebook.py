"""A rubric compiled: each criterion with its rule expression parsed and checked, ready to judge.

Compiling is an explicit step from the rubric model (plain data, as written) to a `Rulebook`
(what the engine runs). It checks every expression against the fact vocabulary and reports
every broken rule at once, each at its line in the rubric file. Each rule keeps that line, so
that a rule that fails on a dossier's facts is reported there too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import product
from typing import Any, Literal

from scorer.errors import Problem, ScorerError
from scorer.models import Criterion, Rubric
from scorer.rules import (
    EvaluationError,
    Expression,
    ExpressionError,
    FactSeries,
    Undefined,
    compile_expression,
    excerpt,
)

Outcome = Literal["pass", "fail", "unknown", "uncertain"]
Candidate = tuple[Any, Any, Any, Any, Any]
"""A value a source gives for a fact: (value, low, high, bounds, source), as in the evidence
table's `candidates`; `bounds` None means the value is exact, else low–high holds it."""
MAX_CORNERS = 4096
"""Most evaluations spent on one criterion's possible outcomes; beyond, all are possible."""


@dataclass(frozen=True)
class Rule:
    """One criterion of one axis, with its compiled expression."""

    axis: str
    criterion: Criterion
    expression: Expression
    file: str | None = None
    """The rubric file, and the line and column of the rule's expression in it."""
    line: int | None = None
    column: int | None = None

    @property
    def id(self) -> str:
        return self.criterion.id

    @property
    def kind(self) -> Literal["check", "bands"]:
        return self.criterion.kind

    @property
    def facts(self) -> tuple[str, ...]:
        """The facts the rule reads, in order of appearance."""
        return self.expression.facts

    def error(self, message: str) -> ScorerError:
        """A rubric error in this rule, at the line of its expression in the rubric file."""
        return ScorerError(f"criterion '{self.id}': {message}", self.file, self.line,
                           self.column)

    def evaluate(self, values: Mapping[str, Any], as_of: date, unbounded: bool = False,
                 history: FactSeries | None = None, project: str | None = None) -> Any:
        """The expression's value for these facts (see `Expression.evaluate`); `Undefined`,
        or a `ScorerError` at the rule when it has no meaning for them (for `project`)."""
        try:
            return self.expression.evaluate(values, as_of, unbounded, history)
        except EvaluationError as exc:
            of = f" for project '{project}'" if project else ""
            raise self.error(f"cannot be evaluated{of}: {exc}") from None

    def judge(self, value: Any) -> tuple[Outcome, float]:
        """The outcome and points for the expression's value.

        A check passes when its condition is true (`points`, else `else`); bands pass when
        the value reaches the lowest band (the points of the highest band reached, else
        `below`). A value of the wrong kind is a rubric error."""
        c = self.criterion
        if c.kind == "check":
            if not isinstance(value, bool):
                raise self.error(f"{self._gave(value)}, not true or false; a check needs a "
                                 "condition")
            return ("pass", float(c.points or 0)) if value else ("fail", float(c.else_))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(f"{self._gave(value)}, not a number; bands need a numeric value")
        reached = [band for band in c.bands or [] if value >= band.at_least]
        return ("pass", float(reached[-1].points)) if reached else ("fail", float(c.below))

    def _gave(self, value: Any) -> str:
        return f"'{excerpt(self.expression.text)}' gave {excerpt(repr(value))}"

    def all_points(self) -> tuple[float, ...]:
        """Every number of points the rule can give, lowest first: what an unknown fact could
        turn out to give (a check: its points or its else; bands: each band's, or below)."""
        c = self.criterion
        if c.kind == "check":
            return tuple(sorted({float(c.points or 0), float(c.else_)}))
        return tuple(sorted({float(c.below), *(float(b.points) for b in c.bands or [])}))

    def possible_points(self, candidates: Mapping[str, Sequence[Candidate]], as_of: date,
                        history: FactSeries | None = None, project: str | None = None
                        ) -> tuple[float, ...]:
        """The points the rule could give over every combination of the facts' candidate
        values, each range taken whole, lowest first.

        Each combination is a box (a range per fact, exact values as points); the rule is
        evaluated at the box's corners, and assumed monotone inside it (true of thresholds,
        sums, ratios): a check may give both outcomes when its corners disagree, bands
        every band between the lowest and highest value. A corner where the rule has no
        value (division by zero, an open end in a ratio) makes every outcome possible.
        """
        c = self.criterion
        facts = self.facts
        boxes = list(product(*(candidates[f] for f in facts)))
        corners_per_box = [list(product(*(_ends(candidate) for candidate in box)))
                           for box in boxes]
        if sum(map(len, corners_per_box)) > MAX_CORNERS:
            return self.all_points()
        points: set[float] = set()
        for corners in corners_per_box:
            values = []
            for corner in corners:
                try:
                    values.append(self.evaluate(dict(zip(facts, corner, strict=True)), as_of,
                                                unbounded=True, history=history,
                                                project=project))
                except Undefined:
                    return self.all_points()
            if c.kind == "check":
                points.update(self.judge(value)[1] for value in values)
                continue
            for value in values:
                self.judge(value)  # a wrong type is a rubric error, as for one value
            low, high = min(values), max(values)
            limits = [b.at_least for b in c.bands or []]
            if low < limits[0]:
                points.add(float(c.below))
            for i, band in enumerate(c.bands or []):
                top = limits[i + 1] if i + 1 < len(limits) else float("inf")
                if high >= band.at_least and low < top:
                    points.add(float(band.points))
        return tuple(sorted(points))


def _ends(candidate: Candidate) -> tuple[Any, ...]:
    """The values at which a candidate is tried: itself, or the two ends of its range."""
    value, low, high, bounds, _ = candidate
    if bounds is None:
        return (value,)
    return (low,) if low == high else (low, high)


@dataclass(frozen=True)
class Rulebook:
    """Every rule of a rubric, in rubric order."""

    rubric: Rubric
    rules: tuple[Rule, ...]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def rule(self, criterion_id: str) -> Rule:
        return next(r for r in self.rules if r.id == criterion_id)

    def reachable(self) -> dict[str, tuple[float, float]]:
        """Per axis, the lowest and highest score its criteria can give between them (each
        at its lowest, then each at its highest), clamped and rounded to the scale."""
        scale = self.rubric.scale
        ends: dict[str, tuple[float, float]] = {}
        for axis_id, axis in self.rubric.axes.items():
            rules = [r for r in self.rules if r.axis == axis_id]
            low = axis.base + sum(min(r.all_points()) for r in rules)
            high = axis.base + sum(max(r.all_points()) for r in rules)
            ends[axis_id] = (scale.snap(low), scale.snap(high))
        return ends


def compile_rubric(rubric: Rubric) -> Rulebook:
    """Compile every criterion's expression; a `ScorerError` lists every one that fails,
    at the line of its rule in the rubric file (when the rubric came from a file)."""
    rules: list[Rule] = []
    problems: list[Problem] = []
    for axis_id, axis in rubric.axes.items():
        for criterion in axis.criteria:
            line, column = rubric.where(f"rule:{criterion.id}")
            try:
                expression = compile_expression(criterion.expression, rubric.facts)
            except ExpressionError as exc:
                problems.append(Problem(f"criterion '{criterion.id}': {exc}", rubric.file,
                                        line, column))
                continue
            rules.append(Rule(axis_id, criterion, expression, rubric.file, line, column))
    if problems:
        raise ScorerError(problems)
    return Rulebook(rubric, tuple(rules))
