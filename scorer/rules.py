"""The rule language: small, safe expressions over dotted fact names.

An expression is parsed once, when the rubric loads: its syntax is checked against a short
whitelist (literals, arithmetic, comparisons, `and`/`or`/`not`, `in`, `x if c else y`, calls
to the functions below), its dotted names are resolved against the fact vocabulary (a typo
is a load error with a did-you-mean), and each fact is replaced by a plain variable. It is
then evaluated by simpleeval, with attribute access switched off: nothing reaches Python's
`eval`, and nothing but the facts and these functions is in scope.

Two functions read a numeric fact's history, its dated observations:

- `ago(fact, days=365)` — the value in force that many days before the analysis date;
- `change(fact, days=365)` — the relative change since then, (now − then) / then.

Both are undefined (the criterion is unknown, never guessed) when no dated observation is
in force that long ago, and `change` when the old value is 0.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from simpleeval import EvalWithCompoundTypes, InvalidExpression

from scorer.errors import did_you_mean
from scorer.facttypes import NEVER
from scorer.models import FUNCTION_NAMES, FactSpec

_ALLOWED = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.BinOp, ast.Add, ast.Sub, ast.Mult,
    ast.Div, ast.FloorDiv, ast.Mod, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.Compare,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.IfExp,
    ast.Call, ast.Constant, ast.List, ast.Tuple, ast.Name, ast.Attribute, ast.Load,
    ast.keyword,  # only `days=` of change and ago survives compiling
)  # fmt: skip


class ExpressionError(ValueError):
    """A rubric expression that cannot be compiled; the loader adds file and line."""


class Undefined(ArithmeticError):
    """The expression has no value for these facts (division by zero, no history)."""


TRENDS = frozenset({"change", "ago"})
"""Functions of a fact's history: their first argument is a fact, then `days` (default 365)."""
DEFAULT_DAYS = 365
FactSeries = Mapping[str, Sequence[tuple[date, Any]]]
"""Per fact, its dated observations' values, oldest first."""


def value_at(history: FactSeries, path: str, day: date) -> Any:
    """The value of `path` in force on `day` (its latest dated observation on or before it)."""
    earlier = [value for when, value in history.get(path, ()) if when <= day]
    if not earlier:
        raise Undefined(f"no observation of {path} as old as {day}")
    return earlier[-1]


def _trends(as_of: date, history: FactSeries) -> dict[str, Callable[..., Any]]:
    def ago(current: Any, path: str, days: int) -> Any:
        return value_at(history, path, as_of - timedelta(days=days))

    def change(current: Any, path: str, days: int) -> float:
        then = ago(current, path, days)
        if then == 0:
            raise Undefined(f"{path} was 0 {days} days earlier: no relative change")
        return (current - then) / then

    return {"ago": ago, "change": change}


def _years_since(as_of: date) -> Callable[[Any], float]:
    def years_since(when: Any) -> float:
        return _days_since(as_of)(when) / 365.25

    return years_since


def _days_since(as_of: date) -> Callable[[Any], float]:
    def days_since(when: Any) -> float:
        if when is NEVER:  # no such event known: as if infinitely long ago
            return math.inf
        if isinstance(when, float) and math.isinf(when):  # the open end of a range of years
            return -when
        if isinstance(when, float) and when.is_integer():  # a range's end: 2014.0 is 2014
            when = int(when)
        if isinstance(when, bool) or not isinstance(when, (int, date)):
            raise TypeError(f"days_since/years_since need a date or a year, got {when!r}")
        start = date(when, 1, 1) if isinstance(when, int) else when
        return float((as_of - start).days)

    return days_since


_STATIC_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": min, "max": max, "abs": abs, "len": len, "round": round,
}  # fmt: skip
assert set(_STATIC_FUNCTIONS) | {"years_since", "days_since"} | TRENDS == FUNCTION_NAMES


@dataclass(frozen=True)
class Expression:
    """A compiled expression: its text, the facts it reads, and its rewritten syntax tree."""

    text: str
    facts: tuple[str, ...]
    tree: ast.expr
    trends: tuple[tuple[str, int], ...] = ()
    """(fact, days) of every `change`/`ago` call: the history the expression reads."""
    clock: bool = False
    """Whether it reads the analysis date itself (`years_since`, `days_since`), so that its
    value may change on a day no observation does."""

    def evaluate(self, values: Mapping[str, Any], as_of: date, unbounded: bool = False,
                 history: FactSeries | None = None) -> Any:
        """The value of the expression for these fact values (all of `self.facts` present)
        and, for `change`/`ago`, their `history`.

        A result that is not a finite number is `Undefined`, except that an infinite one is
        allowed when `unbounded` (a value at the open end of a range: above every band)."""
        names = {_slot(i): values[path] for i, path in enumerate(self.facts)}
        functions = dict(_STATIC_FUNCTIONS)
        functions["years_since"] = _years_since(as_of)
        functions["days_since"] = _days_since(as_of)
        functions.update(_trends(as_of, history or {}))
        evaluator = EvalWithCompoundTypes(names=names, functions=functions, allowed_attrs={})
        try:
            result = evaluator.eval(self.text, previously_parsed=self.tree)
        except ZeroDivisionError:
            raise Undefined("division by zero") from None
        except InvalidExpression as exc:  # pragma: no cover - excluded when compiling
            raise TypeError(str(exc)) from None
        if isinstance(result, float) and not math.isfinite(result) and not (
                unbounded and math.isinf(result)):
            raise Undefined("not a finite number")
        return result


def _slot(index: int) -> str:
    return f"fact{index}"


def _dotted(node: ast.expr) -> str | None:
    """'a.b.c' for a chain of attribute accesses on a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def compile_expression(text: str, vocabulary: Mapping[str, FactSpec]) -> Expression:
    """Parse and check an expression; raise `ExpressionError` saying what is wrong."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        where = f" at character {exc.offset}" if exc.offset else ""
        raise ExpressionError(f"syntax error in '{text}'{where}: {exc.msg}") from None
    facts: list[str] = []
    trends: list[tuple[str, int]] = []

    class Rewrite(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTION_NAMES:
                name = _dotted(node.func) or ast.unparse(node.func)
                raise ExpressionError(
                    f"unknown function '{name}' in '{text}'"
                    f"{did_you_mean(name, FUNCTION_NAMES)}; "
                    f"functions are: {', '.join(sorted(FUNCTION_NAMES))}"
                )
            if node.func.id in TRENDS:
                return self._trend(node)
            if node.keywords:
                raise ExpressionError(f"keyword arguments are not supported in '{text}' "
                                      "(only `days=` of change and ago)")
            node.args = [self.visit(arg) for arg in node.args]
            return node

        def _trend(self, node: ast.Call) -> ast.AST:
            """`change(fact, days=N)` → `change(<fact's slot>, 'fact', N)`."""
            name = node.func.id  # type: ignore[attr-defined]
            usage = f"{name}(fact, days=365)"
            path = _dotted(node.args[0]) if node.args else None
            if path is None or len(node.args) > 2 or any(k.arg != "days" for k in node.keywords):
                raise ExpressionError(f"{name} takes a fact and a number of days: {usage}, "
                                      f"in '{text}'")
            spec = vocabulary.get(path)
            if spec is not None and spec.kind.rule_type != "number":
                raise ExpressionError(f"'{path}' is a {spec.type} fact: {name} needs a number, "
                                      f"in '{text}'")
            given = node.args[1:] + [k.value for k in node.keywords]
            days = given[0] if given else ast.Constant(DEFAULT_DAYS)
            if len(given) > 1 or not (isinstance(days, ast.Constant) and
                                      isinstance(days.value, int) and 0 < days.value <= 36_500):
                raise ExpressionError(f"{name}: days must be a whole number from 1 to 36,500, "
                                      f"as in {usage}, in '{text}'")
            slot = self._fact(node.args[0])
            trends.append((path, days.value))
            node.args = [slot, ast.Constant(path), ast.Constant(days.value)]
            node.keywords = []
            return node

        def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
            return self._fact(node)

        def visit_Name(self, node: ast.Name) -> ast.AST:
            return self._fact(node)

        def _fact(self, node: ast.expr) -> ast.AST:
            path = _dotted(node)
            if path is None:
                raise ExpressionError(f"'{ast.unparse(node)}' is not a fact name in '{text}'")
            if path not in vocabulary:
                group = [f for f in vocabulary if f.startswith(path + ".")]
                if group:
                    raise ExpressionError(
                        f"'{path}' is a group of facts, not a fact, in '{text}' "
                        f"(it holds {', '.join(sorted(group)[:4])}…)"
                    )
                if path in FUNCTION_NAMES:
                    raise ExpressionError(f"'{path}' is a function: call it, as {path}(…)")
                raise ExpressionError(
                    f"unknown fact '{path}'{did_you_mean(path, vocabulary)} in '{text}'"
                )
            if path not in facts:
                facts.append(path)
            return ast.copy_location(ast.Name(id=_slot(facts.index(path)), ctx=ast.Load()), node)

    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(
                f"'{ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__}' "
                f"is not allowed in a rule expression ('{text}')"
            )
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str)):
            raise ExpressionError(f"the constant {node.value!r} is not allowed in '{text}'")
    _check_enum_literals(tree, vocabulary, text)
    _check_operand_types(tree, vocabulary, text)
    body = Rewrite().visit(tree).body
    ast.fix_missing_locations(body)
    clock = any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("years_since", "days_since") for node in ast.walk(body))
    return Expression(text=text, facts=tuple(facts), tree=body, trends=tuple(trends),
                      clock=clock)


_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod)


def _check_operand_types(tree: ast.AST, vocabulary: Mapping[str, FactSpec], text: str) -> None:
    """`tech.flag > 3` or `token.launch * 2` can never mean anything: a fact takes part in
    ordering and arithmetic only if its type's rule type is a number (or, for ordering, a
    date)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            pairs = [(op, side) for op, pair in zip(node.ops, pairwise(operands), strict=True)
                     for side in pair]
            allowed = ("number", "date")
        elif isinstance(node, ast.BinOp):
            pairs = [(node.op, node.left), (node.op, node.right)]
            allowed = ("number",)
        else:
            continue
        for op, side in pairs:
            if not isinstance(op, _ORDERING + _ARITHMETIC):
                continue
            path = _dotted(side) or ""
            spec = vocabulary.get(path)
            if spec is not None and spec.kind.rule_type not in allowed:
                raise ExpressionError(
                    f"'{path}' is a {spec.type} fact: it cannot be used with "
                    f"'{_OPERATOR_TEXT[type(op)]}' in '{text}'")


_OPERATOR_TEXT = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Add: "+",
                  ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%"}


def _check_enum_literals(tree: ast.AST, vocabulary: Mapping[str, FactSpec], text: str) -> None:
    """`token.launch == "fiar"` can never be true: reject strings outside an enum's values."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for left, right in pairwise(operands):
            for fact_node, other in ((left, right), (right, left)):
                spec = vocabulary.get(_dotted(fact_node) or "")
                if spec is None or spec.values is None:
                    continue
                literals = [other] if isinstance(other, ast.Constant) else (
                    list(other.elts) if isinstance(other, (ast.List, ast.Tuple)) else []
                )
                for literal in literals:
                    if isinstance(literal, ast.Constant) and isinstance(literal.value, str) and (
                        literal.value not in spec.values
                    ):
                        raise ExpressionError(
                            f"'{literal.value}' is not a value of {_dotted(fact_node)} in "
                            f"'{text}'{did_you_mean(literal.value, spec.values)}; values are: "
                            f"{', '.join(spec.values)}"
                        )

