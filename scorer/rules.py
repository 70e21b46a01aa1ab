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

Rubrics may come from strangers, so the language is bounded (the limits below, in one
place): a rule too long, too large or too deeply nested is refused when compiled, and when
evaluated, arithmetic takes numbers only and every function checks its arguments. A rule
that overflows is undefined; one applied to values it has no meaning for raises
`EvaluationError`, which the rulebook turns into an error at the rule's line.
"""

from __future__ import annotations

import ast
import math
import operator
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any

from simpleeval import EvalWithCompoundTypes, InvalidExpression

from scorer import untrusted
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


# ---------------------------------------------------------------- limits
# Generous for real rubrics (the longest rule of rubrics/default.yaml has 76 characters, 9
# parts and a depth of 4), small enough that no rule can exhaust time, memory or the stack.

MAX_TEXT = 1_000
"""Most characters in one rule expression."""
MAX_PARTS = 200
"""Most parts in one rule: each literal, operation, comparison, call, function name and
part of a dotted fact name counts one (`token.max_supply > 0` has 4)."""
MAX_DEPTH = 32
"""Deepest nesting of parts (the parse tree's height): `1 + 2 + 3` is 3 deep, `-(-(-1))` 4."""
MAX_STRING = 200
"""Most characters in one string literal."""
MAX_ELEMENTS = 100
"""Most elements in one list or tuple literal."""
MAX_LITERAL = 1e30
"""Largest magnitude of a number literal, which must also be finite: far above any real
threshold, far below where arithmetic on a few of them overflows."""
MAX_NUMBER = sys.float_info.max
"""Largest magnitude of a number a rule computes (about 1.8e308, the largest float): beyond
it the rule is undefined, like a division by zero."""
MAX_ROUND_DIGITS = 15
"""`round(x, n)` takes n from −15 to 15 (a float holds about 15 significant digits)."""
YEARS = (MINYEAR, MAXYEAR)
"""The years `days_since` and `years_since` accept: 1 to 9999, as a year fact does."""
MAX_DAYS = 36_500
"""Largest `days` of `change` and `ago`: a hundred years."""


class ExpressionError(ValueError):
    """A rubric expression that cannot be compiled; the loader adds file and line."""


class EvaluationError(TypeError):
    """A rule applied to values it has no meaning for (text in arithmetic, a year 99999):
    an error in the rubric, which `Rule.evaluate` locates at the rule's line."""


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
        try:
            day = as_of - timedelta(days=days)
        except OverflowError:  # before the year 1
            raise Undefined(f"no observation of {path} {days} days before {as_of}") from None
        return value_at(history, path, day)

    def change(current: Any, path: str, days: int) -> float:
        then = ago(current, path, days)
        if then == 0:
            raise Undefined(f"{path} was 0 {days} days earlier: no relative change")
        return _DIVIDE(_SUBTRACT(current, then), then)

    return {"ago": ago, "change": change}


# ---------------------------------------------------------------- checked operations


def _describe(value: Any) -> str:
    """A value as an error message shows it: its kind and a short repr."""
    if value is NEVER:
        return "none (a date fact with no such event known)"
    shown = str(value) if isinstance(value, date) else repr(value)
    if len(shown) > 40:
        shown = shown[:39] + "…"
    kinds = {bool: "true/false", str: "text", list: "a list", tuple: "a list", date: "the date"}
    kind = next((name for cls, name in kinds.items() if isinstance(value, cls)),
                type(value).__name__)
    return f"{kind} {shown}"


def _is_number(value: Any) -> bool:
    """A real number: int or float, not bool (true/false are not quantities)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: Any, what: str) -> int | float:
    if not _is_number(value):
        raise EvaluationError(f"{what} takes numbers, not {_describe(value)}")
    return value


def _bounded(result: int | float, *operands: int | float) -> int | float:
    """`result` if it is a number no larger than MAX_NUMBER, or infinite from an infinite
    operand (the open end of a range); else the rule is undefined."""
    if abs(result) <= MAX_NUMBER:
        return result
    if isinstance(result, float) and math.isinf(result) and any(
            isinstance(x, float) and math.isinf(x) for x in operands):
        return result
    raise Undefined("too large a number" if abs(result) > MAX_NUMBER else "not a number")


def _arithmetic(symbol: str, apply: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """`apply` on two numbers, its result bounded; anything else is an `EvaluationError`."""
    what = f"'{symbol}'"

    def checked(left: Any, right: Any) -> int | float:
        _number(left, what)
        _number(right, what)
        try:
            result = apply(left, right)
        except ZeroDivisionError:
            raise Undefined("division by zero") from None
        except OverflowError:
            raise Undefined("too large a number") from None
        return _bounded(result, left, right)

    return checked


def _unary(symbol: str, apply: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: apply(_number(value, f"'{symbol}'"))


_SUBTRACT = _arithmetic("-", operator.sub)
_DIVIDE = _arithmetic("/", operator.truediv)
_OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: _arithmetic("+", operator.add), ast.Sub: _SUBTRACT,
    ast.Mult: _arithmetic("*", operator.mul), ast.Div: _DIVIDE,
    ast.FloorDiv: _arithmetic("//", operator.floordiv), ast.Mod: _arithmetic("%", operator.mod),
    ast.USub: _unary("-", operator.neg), ast.UAdd: _unary("+", operator.pos),
    ast.Not: operator.not_,
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda x, y: operator.contains(y, x),
    ast.NotIn: lambda x, y: not operator.contains(y, x),
}  # fmt: skip
"""simpleeval's operator table, replaced whole: arithmetic on numbers only (no repeated or
%-formatted strings, no joined lists), its results bounded."""


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
        if isinstance(when, float) and when.is_integer() and YEARS[0] <= when <= YEARS[1]:
            when = int(when)  # a range's end: 2014.0 is 2014
        if isinstance(when, int) and not isinstance(when, bool) and (
                YEARS[0] <= when <= YEARS[1]):
            when = date(when, 1, 1)
        if not isinstance(when, date):
            raise EvaluationError(f"days_since/years_since need a date or a year from "
                                  f"{YEARS[0]} to {YEARS[1]}, got {_describe(when)}")
        return float((as_of - when).days)

    return days_since


def _extreme(name: str, pick: Callable[..., Any]) -> Callable[..., Any]:
    """`min` or `max` of numbers, or of dates: of its arguments, or of one list."""

    def extreme(*args: Any) -> Any:
        values = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
        if not values:
            raise EvaluationError(f"{name} needs at least one number")
        if all(map(_is_number, values)) or all(isinstance(v, date) for v in values):
            return pick(values)
        if any(isinstance(v, date) for v in values) and all(
                _is_number(v) or isinstance(v, date) for v in values):
            raise EvaluationError(f"{name} takes numbers or dates, not both")
        odd = next(v for v in values if not (_is_number(v) or isinstance(v, date)))
        raise EvaluationError(f"{name} takes numbers (or dates), not {_describe(odd)}")

    return extreme


def _abs(value: Any) -> int | float:
    return abs(_number(value, "abs"))


def _len(value: Any) -> int:
    if not isinstance(value, (str, list, tuple)):
        raise EvaluationError(f"len takes text or a list, not {_describe(value)}")
    return len(value)


def _round(value: Any, digits: Any = None) -> int | float:
    _number(value, "round")
    if digits is not None and not (_is_number(digits) and isinstance(digits, int) and
                                   abs(digits) <= MAX_ROUND_DIGITS):
        raise EvaluationError(f"round: digits must be a whole number from "
                              f"{-MAX_ROUND_DIGITS} to {MAX_ROUND_DIGITS}, not "
                              f"{_describe(digits)}")
    if isinstance(value, float) and math.isinf(value):  # the open end of a range
        return value
    return round(value, digits)


_STATIC_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": _extreme("min", min), "max": _extreme("max", max), "abs": _abs, "len": _len,
    "round": _round,
}  # fmt: skip
assert set(_STATIC_FUNCTIONS) | {"years_since", "days_since"} | TRENDS == FUNCTION_NAMES
_ARITY = {"min": (1, None), "max": (1, None), "abs": (1, 1), "len": (1, 1), "round": (1, 2),
          "years_since": (1, 1), "days_since": (1, 1)}
"""Least and most arguments of each function but the trends (None: any number)."""


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
        evaluator = _evaluator()
        evaluator.names = {slot: values[path]
                           for slot, path in zip(_SLOTS, self.facts, strict=False)}
        clock = _clock_functions(as_of)
        evaluator.functions = {**clock, **_trends(as_of, history or {})} if self.trends else clock
        try:
            result = evaluator.eval(self.text, previously_parsed=self.tree)
        except (Undefined, EvaluationError):
            raise
        except ZeroDivisionError:
            raise Undefined("division by zero") from None
        except (TypeError, ValueError, ArithmeticError, LookupError, RecursionError,
                MemoryError, InvalidExpression) as exc:  # Python's own checks: '<' on text
            raise EvaluationError(str(exc) or type(exc).__name__) from None
        open_end = unbounded and isinstance(result, float) and math.isinf(result)
        if _is_number(result) and not open_end and not abs(result) <= MAX_NUMBER:
            raise Undefined("not a finite number")
        return result


def _slot(index: int) -> str:
    return f"fact{index}"


_SLOTS = tuple(_slot(i) for i in range(MAX_PARTS))
"""The variable of each fact an expression reads, in order (a rule reads at most MAX_PARTS)."""
_LOCAL = threading.local()


def _evaluator() -> EvalWithCompoundTypes:
    """This thread's evaluator. simpleeval builds its dispatch tables when it is constructed,
    which costs more than evaluating a rule: one evaluator per thread is built once, then
    given each expression's names and functions as it runs (no evaluation calls another)."""
    try:
        return _LOCAL.evaluator
    except AttributeError:
        _LOCAL.evaluator = EvalWithCompoundTypes(operators=_OPERATORS, names={},
                                                 functions={}, allowed_attrs={})
        return _LOCAL.evaluator


@lru_cache(maxsize=256)
def _clock_functions(as_of: date) -> Mapping[str, Callable[..., Any]]:
    """The functions every rule may call on `as_of` but the trends (never modified)."""
    return {**_STATIC_FUNCTIONS, "years_since": _years_since(as_of),
            "days_since": _days_since(as_of)}


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
    quoted = excerpt(text)
    if len(text) > MAX_TEXT:
        raise ExpressionError(f"the rule is {len(text):,} characters long; at most "
                              f"{MAX_TEXT:,} are allowed ('{quoted}')")
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        where = f" at character {exc.offset}" if exc.offset else ""
        raise ExpressionError(f"syntax error in '{quoted}'{where}: {exc.msg}") from None
    except (ValueError, OverflowError, RecursionError, MemoryError):
        raise ExpressionError(f"'{quoted}' cannot be read: too deeply nested") from None
    _check_size(tree, quoted)
    _check_literals(tree, source, quoted)
    facts: list[str] = []
    trends: list[tuple[str, int]] = []

    class Rewrite(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTION_NAMES:
                name = excerpt(_dotted(node.func) or ast.unparse(node.func))
                raise ExpressionError(
                    f"unknown function '{name}' in '{quoted}'"
                    f"{did_you_mean(name, FUNCTION_NAMES)}; "
                    f"functions are: {', '.join(sorted(FUNCTION_NAMES))}"
                )
            if node.func.id in TRENDS:
                return self._trend(node)
            if node.keywords:
                raise ExpressionError(f"keyword arguments are not supported in '{quoted}' "
                                      "(only `days=` of change and ago)")
            least, most = _ARITY[node.func.id]
            if not least <= len(node.args) <= (most or len(node.args)):
                takes = f"{least} or {most}" if most and most > least else (
                    f"{least}" if most else f"at least {least}")
                noun = "argument" if takes[-1] == "1" else "arguments"
                raise ExpressionError(f"{node.func.id} takes {takes} {noun}, not "
                                      f"{len(node.args)}, in '{quoted}'")
            node.args = [self.visit(arg) for arg in node.args]
            return node

        def _trend(self, node: ast.Call) -> ast.AST:
            """`change(fact, days=N)` → `change(<fact's slot>, 'fact', N)`."""
            name = node.func.id  # type: ignore[attr-defined]
            usage = f"{name}(fact, days=365)"
            path = _dotted(node.args[0]) if node.args else None
            if path is None or len(node.args) > 2 or any(k.arg != "days" for k in node.keywords):
                raise ExpressionError(f"{name} takes a fact and a number of days: {usage}, "
                                      f"in '{quoted}'")
            spec = vocabulary.get(path)
            if spec is not None and spec.kind.rule_type != "number":
                raise ExpressionError(f"'{path}' is a {spec.type} fact: {name} needs a number, "
                                      f"in '{quoted}'")
            given = node.args[1:] + [k.value for k in node.keywords]
            days = given[0] if given else ast.Constant(DEFAULT_DAYS)
            if len(given) > 1 or not (isinstance(days, ast.Constant) and
                                      isinstance(days.value, int) and
                                      0 < days.value <= MAX_DAYS):
                raise ExpressionError(f"{name}: days must be a whole number from 1 to "
                                      f"{MAX_DAYS:,}, as in {usage}, in '{quoted}'")
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
                raise ExpressionError(f"'{excerpt(ast.unparse(node))}' is not a fact name in "
                                      f"'{quoted}'")
            if path not in vocabulary:
                group = [f for f in vocabulary if f.startswith(path + ".")]
                if group:
                    raise ExpressionError(
                        f"'{path}' is a group of facts, not a fact, in '{quoted}' "
                        f"(it holds {', '.join(sorted(group)[:4])}…)"
                    )
                if path in FUNCTION_NAMES:
                    raise ExpressionError(f"'{path}' is a function: call it, as {path}(…)")
                raise ExpressionError(
                    f"unknown fact '{path}'{did_you_mean(path, vocabulary)} in '{quoted}'"
                )
            if path not in facts:
                facts.append(path)
            return ast.copy_location(ast.Name(id=_slot(facts.index(path)), ctx=ast.Load()), node)

    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            what = excerpt(ast.unparse(node)) if isinstance(node, ast.expr) else (
                type(node).__name__)
            raise ExpressionError(f"'{what}' is not allowed in a rule expression ('{quoted}')")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str)):
            raise ExpressionError(f"the constant {node.value!r} is not allowed in '{quoted}'")
    _check_enum_literals(tree, vocabulary, quoted)
    _check_operand_types(tree, vocabulary, quoted)
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
                  ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
                  ast.USub: "-", ast.UAdd: "+"}


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
                            f"'{excerpt(literal.value)}' is not a value of {_dotted(fact_node)} in "
                            f"'{text}'{did_you_mean(literal.value, spec.values)}; values are: "
                            f"{', '.join(spec.values)}"
                        )



_EXCERPT = 120
"""Most characters of a rule an error message quotes."""


def excerpt(text: str) -> str:
    """`text` as a message quotes it: on one line, hidden characters escaped, cut short."""
    return untrusted.excerpt(text, _EXCERPT)


def _check_size(tree: ast.AST, quoted: str) -> None:
    """Refuse a rule with more than MAX_PARTS parts or nested deeper than MAX_DEPTH, walking
    the tree without recursion (so that any recursive visitor that follows is safe)."""
    parts = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr):
            parts, depth = parts + 1, depth + 1
            if depth > MAX_DEPTH:
                raise ExpressionError(f"the rule is nested more than {MAX_DEPTH} deep "
                                      f"('{quoted}'); split it or simplify it")
            if parts > MAX_PARTS:
                raise ExpressionError(f"the rule has more than {MAX_PARTS} parts (numbers, "
                                      f"names, operations) ('{quoted}'); simplify it")
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))


def _check_literals(tree: ast.AST, source: str, quoted: str) -> None:
    """Refuse literals beyond the limits, and arithmetic on a literal that is not a number
    (`"%9999d" % 1`, `"x" * 9999`, `[1] + [2]`): arithmetic takes numbers only."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                len(node.value) > MAX_STRING):
            raise ExpressionError(f"a string of {len(node.value):,} characters; at most "
                                  f"{MAX_STRING} are allowed, in '{quoted}'")
        if isinstance(node, ast.Constant) and _is_number(node.value) and not (
                abs(node.value) <= MAX_LITERAL):
            number = excerpt(ast.get_source_segment(source, node) or repr(node.value))
            limit = f"{MAX_LITERAL:.0e}".replace("e+", "e")
            raise ExpressionError(f"the number {number} is out of range: a number in a rule "
                                  f"is at most {limit} in magnitude, in '{quoted}'")
        if isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) > MAX_ELEMENTS:
            raise ExpressionError(f"a list of {len(node.elts):,} elements; at most "
                                  f"{MAX_ELEMENTS} are allowed, in '{quoted}'")
        if isinstance(node, ast.BinOp) and isinstance(node.op, _ARITHMETIC):
            operands = [(node.op, node.left), (node.op, node.right)]
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operands = [(node.op, node.operand)]
        else:
            continue
        for op, operand in operands:
            kind = _literal_kind(operand)
            if kind:
                raise ExpressionError(f"'{_OPERATOR_TEXT[type(op)]}' takes numbers, not "
                                      f"{kind}, in '{quoted}'")


def _literal_kind(node: ast.expr) -> str | None:
    """What a literal that is not a number is ('text', 'a list', 'true/false'), else None."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return "a list"
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return "true/false"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "text"
    return None
