"""Pydantic models of the two input files: the rubric and the project dossier.

They check shape and types (strictly: no number silently becomes a string, no boolean a
number). Cross-references (a fact in the vocabulary, a source named by a fact, an axis named
by a profile) need the other file, so `scorer.loading` checks them, with file and line.
Everything loaded is validated once here, then trusted. A dossier's observations are the
exception: `scorer.loading.facts` checks each against its fact's type as it reads it (with
messages no model could give), and makes it a frozen record with slots (`Observation`,
`Alternative`, `Bounds`), not a model: ten thousand dossiers hold a million of them. A
dossier's sources are checked by their model (`Source`), then kept as records too
(`SourceRecord`): ten thousand dossiers hold a quarter of a million.

No `from __future__ import annotations` here, unlike the other modules: pydantic would then
compile and evaluate every field's annotation from its text as it builds the models, a cost
every command that loads a file pays at start-up.
"""

import keyword
import math
import re
import sys
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    WrapSerializer,
    model_validator,
)

from scorer.dates import FORMS, Precision, parse_when
from scorer.facttypes import TYPES, FactType

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
FUNCTION_NAMES = frozenset({"years_since", "days_since", "min", "max", "abs", "len", "round",
                            "change", "ago"})
"""Names the expression language reserves for functions (see `scorer.rules`)."""


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(
            f"'{value}' is not a simple id: use lowercase letters, digits, '-' and '_' "
            "(at most 64 characters, starting with a letter or digit)"
        )
    return value


def _fact_path(value: str) -> str:
    parts = value.split(".")
    for part in parts:
        if not part.isidentifier() or keyword.iskeyword(part) or part != part.lower():
            raise ValueError(
                f"'{value}' is not a valid fact path: dotted lowercase names such as "
                "'token.max_supply', each part a valid identifier"
            )
    if parts[0] in FUNCTION_NAMES:
        raise ValueError(f"'{value}' starts with '{parts[0]}', the name of a function")
    return value


def _as_date(value: Any) -> Any:
    """A date as sources give it (a day, month, quarter or year: see `scorer.dates`) → the
    day it counts from."""
    if value.__class__ is date:  # most: a day, which counts from itself
        return value
    if isinstance(value, bool):
        return value
    when = parse_when(value)
    if when is None and isinstance(value, str):
        raise ValueError(f"'{value}' is not a date ({FORMS})")
    return when.day if when else value


def _text(value: Any) -> Any:
    return {"en": value} if isinstance(value, str) else value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


def _fact_type(value: str) -> str:
    if value not in TYPES:
        raise ValueError(f"'{value}' is not a fact type; types: {', '.join(TYPES)}")
    return value


Slug = Annotated[str, AfterValidator(_slug)]
FactPath = Annotated[str, AfterValidator(_fact_path)]
Date = Annotated[date, BeforeValidator(_as_date)]
NonBlank = Annotated[str, AfterValidator(_nonblank)]
Number = Annotated[float, Field(allow_inf_nan=False)]
Location = tuple[int, int]
"""Line and column in the file a model was loaded from."""
PROVENANCE = ("file", "locations")
"""Fields the loader fills in (where a model came from); never read from the file itself."""


M = TypeVar("M", bound=BaseModel)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    def model_post_init(self, context: Any, /) -> None:
        share_given(self)


def share_given(model: M) -> M:
    """`model`, its set of the fields given shared with every model given the same fields:
    pydantic keeps one set per instance (700 bytes for a source of six fields, more than its
    values), and changes it only when a field is assigned, which a frozen model refuses
    (`model_copy` changes a copy, which can be shared in turn)."""
    given = frozenset(model.__pydantic_fields_set__)
    if given not in _GIVEN:
        _GIVEN[given] = model.__pydantic_fields_set__
    object.__setattr__(model, "__pydantic_fields_set__", _GIVEN[given])
    return model


_GIVEN: dict[frozenset[str], set[str]] = {}
"""Each set of fields given to a model, once (see `share_given`)."""


class Text(_Model):
    """Text in English, optionally in Japanese. A plain string is read as English."""

    en: NonBlank
    ja: NonBlank | None = None

    def __call__(self, lang: str = "en") -> str:
        return self.ja if lang == "ja" and self.ja else self.en


LocalText = Annotated[Text, BeforeValidator(_text)]


# ---------------------------------------------------------------- rubric


class Scale(_Model):
    """The score scale of every axis: `min`..`max` in steps of `step`."""

    min: Number = 1
    max: Number = 5
    step: Number = Field(1, gt=0)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        steps = (self.max - self.min) / self.step
        if not math.isclose(steps, round(steps), abs_tol=1e-9):
            raise ValueError(f"max - min must be a whole number of steps of {self.step:g}")
        return self

    def snap(self, value: float) -> float:
        """Clamp to the scale and round to its step (halves round up)."""
        value = min(max(value, self.min), self.max)
        return self.min + self.step * math.floor((value - self.min) / self.step + 0.5)

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max and math.isclose(self.snap(value), value)


_TAKES_VALUES = tuple(name for name, t in TYPES.items() if t.takes_values)
_NUMERIC = tuple(name for name, t in TYPES.items() if t.numeric)
"""The fact types that take `values`, and the numeric ones (named in `FactSpec`'s messages):
found once, not for every fact of every rubric."""


class FactSpec(_Model):
    """One fact of the vocabulary: what a dossier may state, and in which type and unit."""

    type: Annotated[str, AfterValidator(_fact_type)]
    """A name of `scorer.facttypes.TYPES`, which says how values of this fact are checked."""
    unit: str | None = None
    description: str | None = None
    values: list[NonBlank] | None = None
    min: Number | None = None
    max: Number | None = None
    timeless: bool = False
    """A fact that does not go out of date (a founding year): no freshness warning."""

    @property
    def kind(self) -> FactType:
        """The fact's type, with its check, schema, placeholder and display."""
        return TYPES[self.type]

    @model_validator(mode="after")
    def _check(self) -> Self:
        kind = TYPES[self.type]
        if kind.needs_values and not self.values:
            raise ValueError(f"an {self.type} fact needs its 'values'")
        if self.values is not None and not kind.takes_values:
            raise ValueError(f"'values' is only for {' and '.join(_TAKES_VALUES)} facts")
        if (self.min is not None or self.max is not None) and not kind.numeric:
            raise ValueError(f"'min' and 'max' are only for {', '.join(_NUMERIC[:-1])} and "
                             f"{_NUMERIC[-1]} facts")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g})")
        return self


class Band(_Model):
    """Points given when the criterion's value is at least `at_least`."""

    at_least: Number
    points: Number


class Criterion(_Model):
    """A rule: a `check` (`when` → `points`, else `else`) or `bands` (`value` → points)."""

    id: Slug
    why: NonBlank
    when: NonBlank | None = None
    points: Number | None = None
    else_: Number = Field(0, alias="else")
    value: NonBlank | None = None
    bands: list[Band] | None = None
    below: Number = 0
    unknown_pass: Annotated[float, Field(ge=0, le=1)] | None = None
    """The chance an unknown fact would make this criterion pass (default: the rubric's)."""

    @property
    def kind(self) -> Literal["check", "bands"]:
        return "check" if self.when is not None else "bands"

    @property
    def expression(self) -> str:
        return self.when if self.when is not None else self.value  # type: ignore[return-value]

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.when is None) == (self.value is None):
            raise ValueError("give either 'when' (a check) or 'value' with 'bands'")
        if self.when is not None:
            if self.points is None:
                raise ValueError("a check needs 'points' (given when 'when' is true)")
            if self.bands is not None:
                raise ValueError("'bands' go with 'value', not with 'when'")
        else:
            if not self.bands:
                raise ValueError("'value' needs 'bands': [{at_least: X, points: P}, ...]")
            if self.points is not None or "else_" in self.model_fields_set:
                raise ValueError("'points' and 'else' belong to checks; bands give points")
            limits = [band.at_least for band in self.bands]
            if any(b <= a for a, b in pairwise(limits)):
                raise ValueError("bands must be in strictly ascending order of 'at_least'")
        return self


class Axis(_Model):
    """One scored axis: its labels, base score and criteria."""

    label: LocalText
    short: LocalText | None = None
    description: LocalText | None = None
    base: Number
    criteria: list[Criterion] = Field(min_length=1)

    def short_label(self, lang: str = "en") -> str:
        return (self.short or self.label)(lang)


class Grade(_Model):
    """A band of the total: from `at_least` up to the next band."""

    at_least: Number
    label: LocalText


class Rubric(_Model):
    """The method: fact vocabulary, axes and their criteria, weight profiles, grade bands."""

    id: Slug
    version: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]
    title: LocalText
    description: LocalText | None = None
    scale: Scale = Scale()
    freshness_days: int | None = Field(None, gt=0)
    min_coverage: Annotated[float, Field(ge=0, le=1)] | None = None
    """Below this share of criteria known, a project's grade is marked provisional."""
    unknown_pass: Annotated[float, Field(ge=0, le=1)] = 0.5
    """Sensitivity over evidence: the chance that a fact not stated would make its criterion
    pass (a criterion may set its own `unknown_pass`)."""
    grades: list[Grade] = []
    facts: dict[FactPath, FactSpec]
    axes: dict[Slug, Axis] = Field(min_length=1)
    profiles: dict[Slug, dict[str, Annotated[Number, Field(ge=0)]]] = Field(min_length=1)
    default_profile: Slug | None = None
    file: str | None = Field(None, exclude=True, repr=False)
    locations: dict[str, Location] = Field(default_factory=dict, exclude=True, repr=False)
    """'criterion:<id>' and 'fact:<path>' → line and column in `file` (set by the loader)."""

    def where(self, key: str) -> tuple[int | None, int | None]:
        """Line and column of 'criterion:<id>' or 'fact:<path>' in the rubric file."""
        return self.locations.get(key, (None, None))

    @property
    def profile_name(self) -> str:
        """The default profile: `default_profile`, or the first profile declared."""
        return self.default_profile or next(iter(self.profiles))

    @property
    def axis_ids(self) -> list[str]:
        return list(self.axes)

    @property
    def total_max(self) -> float:
        return self.scale.max * len(self.axes)

    def criteria(self) -> list[tuple[str, Criterion]]:
        """Every criterion with its axis id, in rubric order."""
        return [(axis_id, c) for axis_id, axis in self.axes.items() for c in axis.criteria]

    def profile_weights(self, name: str) -> dict[str, float]:
        """A profile's weights as declared, over every axis in rubric order (0 if unnamed)."""
        return {axis: float(self.profiles[name].get(axis, 0.0)) for axis in self.axes}

    def grade(self, total: float, lang: str = "en") -> str:
        """The label of the highest grade band the total reaches ('' without bands)."""
        for band in sorted(self.grades, key=lambda g: g.at_least, reverse=True):
            if total >= band.at_least - 1e-9:
                return band.label(lang)
        return ""


# ---------------------------------------------------------------- dossier


class Source(_Model):
    """Where facts come from: a document with its title, address and date."""

    title: NonBlank
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    date: Date | None = None
    publisher: str | None = None
    reliability: Literal["primary", "secondary", "low"] | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A source as a loaded dossier holds it: the fields its model (`Source`) has checked, in
    a frozen record with slots — 80 bytes rather than the model's 400 and more."""

    title: str
    url: str | None = None
    date: Date | None = None
    publisher: str | None = None
    reliability: Literal["primary", "secondary", "low"] | None = None
    note: str | None = None


def _source_record(source: Source) -> SourceRecord:
    """The record of a checked source, its title, address, publisher and reliability held
    once (`sys.intern`) however many sources and dossiers repeat them; a note is each
    source's own."""
    return SourceRecord(_shared(source.title), _shared(source.url), source.date,
                        _shared(source.publisher), _shared(source.reliability), source.note)


def _shared(text: str | None) -> str | None:
    return text if text is None else sys.intern(text)


def _source_dumped(record: SourceRecord, handler: SerializerFunctionWrapHandler) -> Any:
    """A record dumped as its model is (`model_dump`, with every option it takes); a field
    left empty counts as not given."""
    given = {name: getattr(record, name) for name in SourceRecord.__slots__}
    return handler(Source.model_construct(**{k: v for k, v in given.items() if v is not None}))


if TYPE_CHECKING:
    CheckedSource = SourceRecord
else:
    CheckedSource = Annotated[Source, AfterValidator(_source_record),
                              WrapSerializer(_source_dumped)]
"""A dossier's source: checked, described (JSON Schema, messages, did-you-mean) and dumped as
`Source`, held as a `SourceRecord` (what a type checker is told)."""


class Override(_Model):
    """An analyst's judgement replacing an axis's computed score; the reason is mandatory."""

    score: Number
    reason: NonBlank


@dataclass(frozen=True, slots=True)
class Bounds:
    """What a value is known to lie within, when a source gives no single number: a range
    (`low`–`high`), a floor ("at least", `high` = ∞) or a ceiling ("at most", `low` = −∞)."""

    low: float
    high: float
    kind: Literal["range", "at_least", "at_most"]


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another value a different source gives for the same fact and period."""

    value: Any
    bounds: Bounds | None = None
    source: str | None = None
    note: str | None = None

    @property
    def exact(self) -> bool:
        return self.bounds is None


@dataclass(frozen=True, slots=True)
class Observation:
    """One stated value of a fact: what, from which source, as of when — and, when sources
    are uncertain, the range it lies in or the other values other sources give.

    A record, not a model (see the module's docstring): 112 bytes rather than a model's
    1,080, and no second validation of what the loader has checked."""

    value: Any
    """The value, or for a stated range its point estimate (see `scorer.facttypes`)."""
    bounds: Bounds | None = None
    """The range the value is known to lie in; None when the value is exact."""
    alternatives: tuple[Alternative, ...] = ()
    source: str | None = None
    as_of: Date | None = None
    note: str | None = None
    date: Date | None = None
    """Effective date: `as_of`, else the source's date, else None (undated: always applies);
    for a month, quarter or year, its last day (`scorer.dates`)."""
    precision: Precision = "day"
    """How precisely the source dates it: day, month, quarter or year."""
    forecast: bool = False
    """A projection, not a statement of fact: left out unless forecasts are asked for, and the
    only kind of observation that may be dated after today."""
    where: Location | None = None
    """Line and column of the observation in its file (for warnings)."""

    @property
    def candidates(self) -> tuple[Alternative, ...]:
        """Every value the sources give for this observation's period, its own first."""
        own = Alternative(self.value, self.bounds, self.source, self.note)
        return (own, *self.alternatives)

    @property
    def uncertain(self) -> bool:
        return self.bounds is not None or bool(self.alternatives)


_new = object.__new__
_OBSERVATION_SLOTS = tuple(Observation.__dict__[name].__set__
                           for name in Observation.__slots__)
"""The setter of each field's slot, in order (`observed`)."""


def observed(value: Any, bounds: Bounds | None, alternatives: tuple[Alternative, ...],
             source: str | None, as_of: date | None, note: str | None, day: date | None,
             precision: Precision, forecast: bool, where: Location | None) -> Observation:
    """`Observation(...)` with every field given in order, made in half the time: a frozen
    record's `__init__` sets each field through `object.__setattr__`, this sets its slots
    directly, and a loader makes a million of them."""
    record = _new(Observation)
    (set_value, set_bounds, set_alternatives, set_source, set_as_of, set_note, set_date,
     set_precision, set_forecast, set_where) = _OBSERVATION_SLOTS
    set_value(record, value)
    set_bounds(record, bounds)
    set_alternatives(record, alternatives)
    set_source(record, source)
    set_as_of(record, as_of)
    set_note(record, note)
    set_date(record, day)
    set_precision(record, precision)
    set_forecast(record, forecast)
    set_where(record, where)
    return record


class Dossier(_Model):
    """One project: identity, sources, facts (flat dotted paths → observations), overrides."""

    id: Slug
    name: NonBlank
    ticker: str | None = None
    description: str | None = None
    website: str | None = Field(None, pattern=r"^https?://\S+$")
    as_of: Date | None = None
    sources: dict[Slug, CheckedSource] = {}
    facts: dict[str, list[Observation]] = {}
    overrides: dict[str, Override] = {}
    file: str | None = Field(None, exclude=True, repr=False)
    locations: dict[str, Location] = Field(default_factory=dict, exclude=True, repr=False)
    """'id', 'fact:<path>' and 'source:<id>' → line and column in `file` (set by the loader)."""

    def where(self, key: str) -> tuple[int | None, int | None]:
        """Line and column of 'id', 'fact:<path>' or 'source:<id>' in the file, if known."""
        return self.locations.get(key, (None, None))
