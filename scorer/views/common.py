"""Pieces every view shares: JSON-ready values, number formats, what a result was made with."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from scorer.facttypes import NEVER, display_value
from scorer.i18n import t

if TYPE_CHECKING:
    from scorer.analysis import Analysis
    from scorer.models import Criterion

DECIMALS = 6
"""JSON numbers are rounded to this many decimals, hiding float noise (3.4999999999)."""


def clean(value: Any) -> Any:
    """A JSON-ready copy: dates as ISO text, tuples and iterators as lists, NaN as null,
    numpy as Python."""
    if value is None:
        return None
    if value is NEVER:
        return "none"
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()  # a numpy scalar: its Python value (numpy itself not needed)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        value = float(value)
        if not math.isfinite(value):
            return None
        rounded = round(value, DECIMALS)
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, Iterator)):
        return [clean(v) for v in value]
    return value


def is_missing(value: Any) -> bool:
    """None or NaN: a cell with nothing in it."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_score(value: float) -> str:
    """An axis score as written on its scale: 4, 3.5."""
    return f"{value:g}"


def points_text(criterion: Criterion, lang: str = "en") -> str:
    """How a criterion gives points, in a few characters: '+1', '+0 / -1', '≥1000: +1'."""
    if criterion.kind == "check":
        text = f"{criterion.points:+g}"
        return text + (f" / {criterion.else_:+g}" if criterion.else_ else "")
    bands = ", ".join(f"≥{display_value(b.at_least)}: {b.points:+g}"
                      for b in criterion.bands or [])
    return bands + (f"; {t('below', lang)}: {criterion.below:+g}" if criterion.below else "")


def outcome_text(kind: str, outcome: str, lang: str = "en") -> str:
    """An outcome as people read it. A check *applies* or *does not apply* (its condition
    holds or not): a penalty that "passes" reads as good news. Bands pass (reach a band) or
    fail; unknown and uncertain stay."""
    if kind == "check" and outcome in ("pass", "fail"):
        return t("applies" if outcome == "pass" else "does_not_apply", lang)
    return t(outcome, lang)


def made_with(a: Analysis) -> dict[str, Any]:
    """What a result was made with: rubric, as-of date, profile and weights (JSON)."""
    return {
        "rubric": {"id": a.rubric.id, "version": a.rubric.version},
        "as_of": a.as_of.isoformat(),
        "profile": a.profile,
        "weights": clean(a.weights.to_dict()),
        "min_reliability": a.min_reliability,
    }


def made_with_line(a: Analysis, lang: str, weights: bool = True) -> str:
    """The same in one line: 'rubric default v1 · as of 2025-08-26 · profile balanced ·
    weights: Tech 0.17, …' (the weights only where there is room for them), each axis by
    the short label the tables show in that language, which --weights also takes."""
    line = (f"{t('rubric', lang)} {a.rubric.id} v{a.rubric.version} · {t('as_of', lang)} "
            f"{a.as_of.isoformat()} · {t('profile', lang)} {a.profile}")
    if a.min_reliability != "low":
        line += " · " + t("trusted", lang, level=t(f"reliability.{a.min_reliability}", lang))
    if weights:
        shown = ", ".join(f"{a.rubric.axes[axis].short_label(lang)} {w:.2f}"
                          for axis, w in a.weights.items())
        line += f" · {t('weights', lang)}: {shown}"
    return line


def score_is_whole(a: Analysis) -> bool:
    """Whether every score on the rubric's scale is a whole number (steps of 1 from 1)."""
    scale = a.rubric.scale
    return all(float(v).is_integer() for v in (scale.min, scale.max, scale.step))
