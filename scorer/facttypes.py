"""Fact types: what a value of each type may be, and how it is checked, described and shown.

One home per type. The loader checks a stated value with `check`, `scorer schema` describes
it with `json_schema`, `scorer new` writes its `placeholder`, the rule language knows what
the value is (`rule_type`: a number can be compared with `<`, a boolean cannot), and every
writer shows it with `display`. Adding a type is one entry in `TYPES`.

The functions receive the fact's declaration (`FactSpec`: `values`, `min`, `max`) and never
coerce: `true` is not a number, `42` is not text, a string is not a date.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from scorer.errors import did_you_mean

if TYPE_CHECKING:
    from scorer.models import FactSpec

Checked = tuple[Any, str | None]
"""The value in its canonical Python type and None, or None and what is wrong with it."""
RuleType = Literal["number", "boolean", "text", "date", "list"]

DATE_SCHEMA: dict[str, Any] = {"type": "string", "format": "date",
                               "description": "A date, YYYY-MM-DD"}


@dataclass(frozen=True)
class FactType:
    """Everything that depends on a fact's type, declared once."""

    name: str
    rule_type: RuleType
    """What the rule language sees: numbers compare with < and >, and take part in ranges."""
    check: Callable[[FactSpec, Any], Checked]
    json_schema: Callable[[FactSpec], dict[str, Any]]
    placeholder: Callable[[FactSpec], str]
    display: Callable[[Any], str]
    takes_values: bool = False
    """`values` (the allowed words) applies: required for enum, optional for list."""
    needs_values: bool = False
    whole: bool = False
    """Values are whole numbers: the midpoint of a range is rounded down."""

    @property
    def numeric(self) -> bool:
        """`min`/`max` apply, and an observation may state a range instead of one value."""
        return self.rule_type == "number"


# ---------------------------------------------------------------- shared pieces


def describe(value: Any) -> str:
    """A value as an error message names it: '12' (text), 12.0 (a number), a list."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, (int, float)):
        return f"{value!r} (a number)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"'{shown}' (text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


def display_value(value: Any) -> str:
    """Any value for people, whatever its fact: 440,000,000; true; 2025-10-28; a, b."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _bounds(spec: FactSpec, value: float) -> str | None:
    if spec.min is not None and value < spec.min:
        return f"{value:,} is below the minimum {spec.min:g}"
    if spec.max is not None and value > spec.max:
        return f"{value:,} is above the maximum {spec.max:g}"
    return None


def _number_schema(kind: str, spec: FactSpec, low: float | None = None,
                   high: float | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind}
    lows = [x for x in (low, spec.min) if x is not None]
    highs = [x for x in (high, spec.max) if x is not None]
    if lows:
        schema["minimum"] = max(lows)
    if highs:
        schema["maximum"] = min(highs)
    return schema


def _fixed(text: str) -> Callable[[FactSpec], str]:
    return lambda spec: text


# ---------------------------------------------------------------- the types


def _check_number(spec: FactSpec, value: Any) -> Checked:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, f"expected a number, found {describe(value)}"
    if isinstance(value, float) and not math.isfinite(value):
        return None, f"expected a number, found {value} (not a finite number)"
    error = _bounds(spec, value)
    return (None, error) if error else (value, None)


def _whole(wanted: str, low: int | None = None, high: int | None = None
           ) -> Callable[[FactSpec, Any], Checked]:
    def check(spec: FactSpec, value: Any) -> Checked:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"expected {wanted}, found {describe(value)}"
        if (low is not None and value < low) or (high is not None and value > high):
            return None, f"expected {wanted}, found {value}"
        error = _bounds(spec, value)
        return (None, error) if error else (value, None)

    return check


def _check_boolean(spec: FactSpec, value: Any) -> Checked:
    if not isinstance(value, bool):
        return None, f"expected true or false, found {describe(value)}"
    return value, None


def _check_text(spec: FactSpec, value: Any) -> Checked:
    if not isinstance(value, str):
        return None, f"expected text, found {describe(value)}"
    return value, None


def _check_enum(spec: FactSpec, value: Any) -> Checked:
    if not isinstance(value, str):
        return None, f"expected text, found {describe(value)}"
    values = spec.values or []
    if value not in values:
        return None, f"'{value}' is not one of {', '.join(values)}{did_you_mean(value, values)}"
    return value, None


class Never:
    """The value of a date fact when sources searched found no such event ("none")."""

    def __repr__(self) -> str:
        return "none"

    def __reduce__(self) -> str:
        return "NEVER"


NEVER = Never()
"""`value: none` for a date fact: no such event is known (a criterion on how long ago it
happened treats it as infinitely long ago)."""


def _check_date(spec: FactSpec, value: Any) -> Checked:
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if value == "none":
        return NEVER, None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value), None
        except ValueError:
            if len(value.split("-")) == 3 and value.replace("-", "").isdigit():
                return None, f"'{value}' is not a calendar date"
    return None, (f"expected a date (YYYY-MM-DD), or none when no such event is known, "
                  f"found {describe(value)}")


def _display_date(value: Any) -> str:
    return "none known" if value is NEVER else display_value(value)


def _check_list(spec: FactSpec, value: Any) -> Checked:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None, f"expected a list of text values, found {describe(value)}"
    bad = [v for v in value if spec.values is not None and v not in spec.values]
    if bad:
        return None, f"'{bad[0]}' is not one of {', '.join(spec.values or [])}"
    return tuple(value), None


def _list_schema(spec: FactSpec) -> dict[str, Any]:
    items: dict[str, Any] = {"type": "string"}
    if spec.values:
        items["enum"] = list(spec.values)
    return {"type": "array", "items": items}


TYPES: dict[str, FactType] = {
    "number": FactType(
        "number", "number", _check_number, lambda spec: _number_schema("number", spec),
        _fixed("<number>"), display_value),
    "integer": FactType(
        "integer", "number", _whole("an integer"),
        lambda spec: _number_schema("integer", spec), _fixed("<integer>"), display_value,
        whole=True),
    "year": FactType(
        "year", "number", _whole("a year", 1, 9999),
        lambda spec: _number_schema("integer", spec, 1, 9999), _fixed("<year>"), str,
        whole=True),
    "boolean": FactType(
        "boolean", "boolean", _check_boolean, lambda spec: {"type": "boolean"},
        _fixed("<true|false>"), display_value),
    "string": FactType(
        "string", "text", _check_text, lambda spec: {"type": "string"}, _fixed("<text>"), str),
    "enum": FactType(
        "enum", "text", _check_enum,
        lambda spec: {"type": "string", "enum": list(spec.values or [])},
        lambda spec: "<" + "|".join(spec.values or []) + ">", str,
        takes_values=True, needs_values=True),
    "date": FactType(
        "date", "date", _check_date,
        lambda spec: {"anyOf": [dict(DATE_SCHEMA), {"const": "none",
                                                     "description": "No such event is known"}]},
        _fixed("<YYYY-MM-DD|none>"), _display_date),
    "list": FactType(
        "list", "list", _check_list, _list_schema, _fixed("[<item>, ...]"), display_value,
        takes_values=True),
}  # fmt: skip
"""Every fact type a rubric may declare, by name."""


def fact_type(name: str) -> FactType:
    """The type of that name (names are checked when the rubric loads)."""
    return TYPES[name]


# ---------------------------------------------------------------- values stated as ranges

RANGE_FORMS = ({"low", "high"}, {"low", "high", "estimate"}, {"at_least"}, {"at_most"})
"""The ways a numeric value may be stated when no source gives one number."""
RANGE_HELP = ("a range is {low: X, high: Y} (optionally with estimate: Z), "
              "{at_least: X} or {at_most: X}")

Ranged = tuple[Any, float, float, str]
"""A value stated as a range: its point estimate, low, high (±∞ when open) and its form:
'range', 'at_least' or 'at_most'."""


def check_range(spec: FactSpec, raw: dict[str, Any]) -> tuple[Ranged | None, str | None]:
    """A range, floor or ceiling in place of a value, checked like a value of its fact.

    The point estimate (what a score counts) is the floor of `at_least`, the ceiling of
    `at_most`, and for a range its `estimate`, else its midpoint (rounded down for whole
    numbers). Open ends stop at the fact's `min`/`max` when it declares them.
    """
    kind = spec.kind
    if not kind.numeric:
        return None, (f"a range or a floor is only for number, integer and year facts; this "
                      f"is a {spec.type} fact (list differing values under 'alternatives')")
    if set(raw) not in RANGE_FORMS:
        return None, f"{RANGE_HELP}; found keys {', '.join(map(str, raw)) or 'none'}"
    checked: dict[str, Any] = {}
    for key, value in raw.items():
        number, error = kind.check(spec, value)
        if error:
            return None, f"{key}: {error}"
        checked[key] = number
    if "at_least" in checked:
        x = checked["at_least"]
        return (x, float(x), float(spec.max if spec.max is not None else math.inf),
                "at_least"), None
    if "at_most" in checked:
        x = checked["at_most"]
        return (x, float(spec.min if spec.min is not None else -math.inf), float(x),
                "at_most"), None
    low, high = checked["low"], checked["high"]
    if low > high:
        return None, f"low ({display_value(low)}) is above high ({display_value(high)})"
    estimate = checked.get("estimate")
    if estimate is None:
        estimate = (low + high) // 2 if kind.whole else (low + high) / 2
    elif not low <= estimate <= high:
        return None, (f"estimate ({display_value(estimate)}) is outside the range "
                      f"{display_value(low)}–{display_value(high)}")
    return (estimate, float(low), float(high), "range"), None


def range_schema(spec: FactSpec) -> dict[str, Any]:
    """JSON Schema of the range forms of a numeric fact's value."""
    number = spec.kind.json_schema(spec)
    return {"oneOf": [
        {"type": "object", "additionalProperties": False, "required": ["low", "high"],
         "properties": {"low": number, "high": number, "estimate": number},
         "description": "Between low and high; the score counts the estimate (default: the "
                        "midpoint)"},
        {"type": "object", "additionalProperties": False, "required": ["at_least"],
         "properties": {"at_least": number}, "description": "At least this much ('1,000+')"},
        {"type": "object", "additionalProperties": False, "required": ["at_most"],
         "properties": {"at_most": number}, "description": "At most this much"},
    ]}


def display_range(kind: str, low: float, high: float, show: Callable[[Any], str]) -> str:
    """'≥ 1,000', '≤ 5', '372,000,000–406,000,000'."""
    def number(x: float) -> str:
        return show(int(x) if float(x).is_integer() else x)

    if kind == "at_least":
        return f"≥ {number(low)}"
    if kind == "at_most":
        return f"≤ {number(high)}"
    return f"{number(low)}–{number(high)}"
