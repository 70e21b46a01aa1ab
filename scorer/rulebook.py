"""A rubric compiled: each criterion with its rule expression parsed and checked, ready to judge.

Compiling is an explicit step from the rubric model (plain data, as written) to a `Rulebook`
(what the engine runs). It checks every expression against the fact vocabulary and reports
every broken rule at once, each at its line in the rubric file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from scorer.errors import Problem, ScorerError
from scorer.models import Criterion, Rubric
from scorer.rules import Expression, ExpressionError, compile_expression

Outcome = Literal["pass", "fail", "unknown"]


@dataclass(frozen=True)
class Rule:
    """One criterion of one axis, with its compiled expression."""

    axis: str
    criterion: Criterion
    expression: Expression

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

    def evaluate(self, values: Mapping[str, Any], as_of: date) -> Any:
        """The expression's value for these facts (see `Expression.evaluate`)."""
        return self.expression.evaluate(values, as_of)

    def judge(self, value: Any) -> tuple[Outcome, float]:
        """The outcome and points for the expression's value.

        A check passes when its condition is true (`points`, else `else`); bands pass when
        the value reaches the lowest band (the points of the highest band reached, else
        `below`). A value of the wrong kind is a rubric error."""
        c = self.criterion
        if c.kind == "check":
            if not isinstance(value, bool):
                raise ScorerError(f"criterion '{c.id}': '{c.when}' gave {value!r}, not true or "
                                  "false; a check needs a condition")
            return ("pass", float(c.points or 0)) if value else ("fail", float(c.else_))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScorerError(f"criterion '{c.id}': '{c.value}' gave {value!r}, not a number; "
                              "bands need a numeric value")
        reached = [band for band in c.bands or [] if value >= band.at_least]
        return ("pass", float(reached[-1].points)) if reached else ("fail", float(c.below))


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


def compile_rubric(rubric: Rubric) -> Rulebook:
    """Compile every criterion's expression; a `ScorerError` lists every one that fails,
    at the line of its rule in the rubric file (when the rubric came from a file)."""
    rules: list[Rule] = []
    problems: list[Problem] = []
    for axis_id, axis in rubric.axes.items():
        for criterion in axis.criteria:
            try:
                expression = compile_expression(criterion.expression, rubric.facts)
            except ExpressionError as exc:
                line, column = rubric.where(f"rule:{criterion.id}")
                problems.append(Problem(f"criterion '{criterion.id}': {exc}", rubric.file,
                                        line, column))
                continue
            rules.append(Rule(axis_id, criterion, expression))
    if problems:
        raise ScorerError(problems)
    return Rulebook(rubric, tuple(rules))
