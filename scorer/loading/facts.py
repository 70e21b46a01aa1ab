"""A dossier's `facts` mapping → flat, typed, dated observations per fact path.

Facts may be nested groups (`token: {max_supply: …}`) or dotted keys (`token.max_supply`).
A fact is a bare value, one observation `{value, source, as_of, note, alternatives}`, or a
list of dated observations. Values are checked by their fact type (`scorer.facttypes`),
never coerced; a numeric value may be a range (`{low, high}`, `{at_least}`, `{at_most}`),
and `alternatives` lists the values other sources give for the same period.
"""

from __future__ import annotations

import contextlib
import sys
from datetime import date
from itertools import islice
from typing import Any, Literal

from scorer import dates
from scorer.dates import EARLIEST, FORECAST_YEARS, FORMS, When, horizon
from scorer.errors import did_you_mean
from scorer.evidence import precedence
from scorer.facttypes import check_range, describe
from scorer.loading.problems import Collector
from scorer.models import Alternative, Bounds, FactSpec, Location, Observation, Rubric, observed
from scorer.safeyaml import MAX_SHARED, Path_, grouped, thousands_hint
from scorer.untrusted import excerpt

OBSERVATION_KEYS = ("value", "source", "as_of", "note", "alternatives", "forecast")
ALTERNATIVE_KEYS = ("value", "source", "note")
_OBSERVATION_FIELDS = frozenset(OBSERVATION_KEYS)
_NO_FIELDS: dict[str, Any] = {}
"""The fields of a bare value: none (never changed)."""
RANGE_KEYS = frozenset({"low", "high", "at_least", "at_most", "estimate"})
"""The keys of a value stated as a range (`scorer.facttypes.RANGE_FORMS`)."""
_vocabularies: dict[int, tuple[Rubric, frozenset[str], dict[str, tuple[str, str]]]] = {}
"""`_vocabulary` of the last rubric read from, by its `id` (with the rubric, so that the id
cannot pass to another)."""


_WHENS: dict[tuple[type, Any], When | None] = {}
"""`parse_when` of each date, text and year read so far: ten thousand dossiers cite the
same few thousand days, each read once. Bounded like `scorer.safeyaml`'s shared tables."""


def parse_when(raw: Any) -> When | None:
    """`scorer.dates.parse_when`, each value read once (`_WHENS`); its ValueError when the
    value is not in the calendar."""
    key = (type(raw), raw)
    try:
        return _WHENS[key]
    except KeyError:
        pass
    except TypeError:  # not hashable: a list or mapping, which is no date
        return dates.parse_when(raw)
    when = dates.parse_when(raw)
    if len(_WHENS) < MAX_SHARED:
        _WHENS[key] = when
    return when


class FactReader:
    """Walks the `facts` mapping into `out` (fact path → observations, oldest first)."""

    def __init__(self, rubric: Rubric, sources: dict[str, Any], problems: Collector,
                 today: date) -> None:
        self.today = today
        self.horizon = horizon(today)
        self.vocabulary = rubric.facts
        self.groups, self.paths = _vocabulary(rubric)
        self.sources = sources or {}
        self.source_ids = {source: sys.intern(source) for source in self.sources
                           if isinstance(source, str)}
        """Each source id once, shared by every observation naming it (and by every dossier
        using the same id)."""
        self.source_dates: dict[str, When | None] = {}
        self.problems = problems
        self.doc = problems.doc
        self.out: dict[str, list[Observation]] = {}
        self.where: dict[str, Location] = {}

    def read(self, node: dict[str, Any], prefix: tuple[str, ...], at: Path_) -> None:
        vocabulary, paths, where = self.vocabulary, self.paths, self.where
        for key, value in node.items():
            dotted = f"{'.'.join(prefix)}.{key}" if prefix else key
            here = (*at, key)
            if dotted in vocabulary:
                dotted, located = paths[dotted]
                if located in where:
                    self.problems.add(f"fact '{dotted}' is stated twice", here, at_key=True)
                    continue
                where[located], value_where = self.doc.where_pair(node, key, here)
                self.fact(dotted, vocabulary[dotted], value, here, value_where)
            elif dotted in self.groups:
                if isinstance(value, dict):
                    self.read(value, (*prefix, *key.split(".")), here)
                else:
                    members = sorted(f for f in self.vocabulary if f.startswith(dotted + "."))
                    self.problems.add(f"'{dotted}' is a group of facts ({', '.join(members[:3])}"
                                      f"…), not a fact: give a mapping", here, at_key=True)
            elif self.problems.room("unknown facts", here, at_key=True):
                self.problems.add(f"unknown fact '{excerpt(dotted)}'"
                                  f"{did_you_mean(dotted, self.vocabulary)}; the rubric's "
                                  "vocabulary lists the facts a dossier may state",
                                  here, at_key=True, kind="unknown-name")

    def fact(self, path: str, spec: FactSpec, raw: Any, at: Path_, located: Location) -> None:
        """The observations of the fact at `at` (line and column `located`), which is `raw`."""
        if not (isinstance(raw, list) and (spec.type != "list" or
                                           any(isinstance(item, dict) for item in raw))):
            observation = self.observation(path, spec, raw, at, located)  # most facts: one
            if observation is not None:
                self.out[path] = [observation]
            return
        if not raw:
            self.problems.add(f"{path}: an empty list of observations", at)
            return
        entries = [(item, (*at, i)) for i, item in enumerate(raw)]
        for item, here in entries:
            if not isinstance(item, dict):
                self.problems.add(f"{path}: each observation in a list must be a mapping "
                                  "with 'value' (and source, as_of, note)", here)
                return
        observations = [obs for (item, here), located in zip(
            entries, self.doc.where_items(raw, at), strict=True)
            if (obs := self.observation(path, spec, item, here, located)) is not None]
        if len(observations) != len(entries):
            return
        if len(observations) == 1:  # nothing to compare or sort
            self.out[path] = observations
            return
        seen: dict[date | None, Path_] = {}
        for obs, (_, where) in zip(observations, entries, strict=True):
            if obs.date in seen:
                day = obs.date.isoformat() if obs.date else "undated"
                self.problems.add(f"{path}: two observations with the same date ({day}); "
                                  "which one holds is ambiguous", where)
                return
            seen[obs.date] = where
        self.out[path] = sorted(observations, key=lambda o: precedence(o.date))

    def observation(self, path: str, spec: FactSpec, raw: Any, at: Path_, located: Location
                    ) -> Observation | None:
        """The observation `raw` at `at` (line and column `located`); None (and its problems
        noted) when any part of it is wrong."""
        if isinstance(raw, dict):
            unknown = [] if _OBSERVATION_FIELDS.issuperset(raw) else [
                k for k in raw if k not in OBSERVATION_KEYS]
            for key in unknown:
                if not self.problems.room("unknown fields", (*at, key), at_key=True):
                    continue
                hint = (" — a range is a value: write {value: {low: X, high: Y}}"
                        if key in RANGE_KEYS else "")
                self.problems.add(f"{path}: unknown field '{excerpt(key)}' in an observation"
                                  f"{did_you_mean(key, OBSERVATION_KEYS)} (fields: "
                                  f"{', '.join(OBSERVATION_KEYS)}){hint}", (*at, key),
                                  at_key=True, kind="unknown-name")
            if "value" not in raw:
                self.problems.add(f"{path}: an observation needs a 'value'", at)
                return None
            if unknown:
                return None
            checked = self.value(path, spec, raw["value"], at, "value")
            fields = raw
        else:
            checked, fields = self.value(path, spec, raw, at), _NO_FIELDS
        # each field's path is made only when it is wrong: most are right, and most absent
        source = fields.get("source")
        if source is not None:
            source = self.source_ids.get(source) if isinstance(source, str) else None
            source = source or self.source(path, fields["source"], (*at, "source"))
        as_of = fields.get("as_of")
        if as_of is not None:
            as_of = self.when(path, as_of, at)
            if as_of is False:
                return None
        note = fields.get("note")
        if note is not None and not isinstance(note, str):
            note = self.note(path, note, (*at, "note"))
        alternatives = fields.get("alternatives")
        alternatives = () if alternatives is None else self.alternatives(
            path, spec, alternatives, (*at, "alternatives"))
        forecast = fields.get("forecast", False)
        if not isinstance(forecast, bool):
            self.problems.add(f"{path}: forecast must be true or false, found "
                              f"{describe(forecast)}", (*at, "forecast"))
            return None
        if checked is None or source is False or note is False or alternatives is None:
            return None
        value, bounds = checked
        when = as_of or (None if source is None else self.source_when(source))
        if when is None:
            return observed(value, bounds, alternatives, source, None, note, None, "day",
                            forecast, located)
        start = when.start
        if start > self.today and not forecast:
            where = (*at, "as_of") if as_of else (*at, "source")
            self.problems.add(f"{path}: dated {when}, after today ({self.today}); a value "
                              "for a future date is a projection: mark it `forecast: true` "
                              "(forecasts count only with --include-forecasts), or correct "
                              "the date", where)
            return None
        if start > self.horizon:
            self.problems.add(f"{path}: a forecast dated {when}, more than {FORECAST_YEARS} "
                              f"years after today ({self.today}): is the year right?",
                              (*at, "as_of") if as_of else (*at, "source"))
            return None
        return observed(value, bounds, alternatives, source, as_of.day if as_of else None,
                        note, when.day, when.precision, forecast, located)

    def when(self, path: str, raw: Any, at: Path_) -> When | Literal[False] | None:
        """The `as_of` of the observation at `at`: a day, month, quarter or year
        (`scorer.dates`); False when wrong. Its path is made only for a problem."""
        if raw is None:
            return None
        try:
            when = parse_when(raw)
        except ValueError as exc:
            self.problems.add(f"{path}: as_of: {exc}", (*at, "as_of"))
            return False
        if when is None:
            self.problems.add(f"{path}: as_of must be a date ({FORMS}), found "
                              f"{describe(raw)}", (*at, "as_of"))
            return False
        if when.day < EARLIEST:
            self.problems.add(f"{path}: as_of {when} is before {EARLIEST.year}: is the year "
                              "right?", (*at, "as_of"))
            return False
        return when

    def source_when(self, source: str | None) -> When | None:
        """The date of a declared source, if it has a readable one (the source model
        reports a bad one); each source's is read once."""
        if source is None:
            return None
        when = self.source_dates.get(source, False)
        if when is False:
            declared = self.sources.get(source)
            when = None
            if isinstance(declared, dict):
                with contextlib.suppress(ValueError):
                    when = parse_when(declared.get("date"))
            self.source_dates[source] = when
        return when

    def value(self, path: str, spec: FactSpec, raw: Any, at: Path_, key: str | None = None
              ) -> tuple[Any, Bounds | None] | None:
        """A value of the fact's type, or a range of one (numeric facts): with its bounds. It
        stands at `at`, or under `key` there: that path is made only for a range or a
        problem, as most values are single and right."""
        if raw is not None and not isinstance(raw, dict):
            kind = spec.kind
            value, error = kind.check(spec, raw)
            if not error and (late := self.out_of_time(spec, value)) is None:
                return value, None
            here = at if key is None else (*at, key)
            if error and kind.numeric and isinstance(raw, str) and grouped(raw):  # 800,000:
                self.problems.add(f"{path}: {thousands_hint(raw.strip(), flow=False)}", here,
                                  kind="yaml-value")  # a number that YAML read as text
            else:
                self.problems.add(f"{path}: {error or late}", here)
            return None
        here = at if key is None else (*at, key)
        if raw is None:
            self.problems.add(f"{path}: no value (null); leave a fact out when it is not known",
                              here)
            return None
        ranged, error = check_range(spec, raw)
        written = [(k, v) for k, v in raw.items() if isinstance(v, str) and grouped(v)]
        if ranged is None and spec.kind.numeric and written:
            name, number = written[0]
            self.problems.add(f"{path}: {name}: {thousands_hint(number.strip(), flow=False)}",
                              (*here, name), kind="yaml-value")
            return None
        if ranged is None:
            self.problems.add(f"{path}: {error}", here)
            return None
        value, low, high, bounds = ranged
        return value, Bounds(low=low, high=high, kind=bounds)

    def out_of_time(self, spec: FactSpec, value: Any) -> str | None:
        """Why a date or year value is absurd (before `EARLIEST`, or past the forecast
        horizon), or None: a typo must not reach a criterion that counts years since."""
        if spec.type == "date" and isinstance(value, date):
            early, late = value < EARLIEST, value > self.horizon
        elif spec.type == "year" and isinstance(value, int):
            early, late = value < EARLIEST.year, value > self.horizon.year
        else:
            return None
        if early:
            return f"{value} is before {EARLIEST.year}: is the year right?"
        if late:
            return (f"{value} is more than {FORECAST_YEARS} years after today ({self.today}): "
                    "is the year right?")
        return None

    def source(self, path: str, source: Any, at: Path_) -> str | Literal[False] | None:
        """The id of a declared source, None when none is named, False when it is wrong."""
        if source is not None and (not isinstance(source, str) or source not in self.sources):
            if self.problems.room("unknown sources", at):
                known = ", ".join(excerpt(str(s)) for s in islice(self.sources, 10))
                more = ", …" if len(self.sources) > 10 else ""
                self.problems.add(f"{path}: source '{excerpt(str(source))}' is not in this "
                                  f"dossier's sources{did_you_mean(str(source), self.sources)} "
                                  f"(sources: {known or 'none are declared'}{more})", at,
                                  kind="unknown-name")
            return False
        return source if source is None else self.source_ids[source]

    def note(self, path: str, note: Any, at: Path_) -> str | Literal[False] | None:
        if note is not None and not isinstance(note, str):
            self.problems.add(f"{path}: note must be text, found {describe(note)}", at)
            return False
        return note

    def alternatives(self, path: str, spec: FactSpec, raw: Any, at: Path_
                     ) -> tuple[Alternative, ...] | None:
        """Other values other sources give for the same period: [{value, source, note}]."""
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw or not all(isinstance(x, dict) for x in raw):
            self.problems.add(f"{path}: alternatives must be a list of mappings "
                              "{value, source, note} (the values other sources give)", at)
            return None
        found: list[Alternative] = []
        for index, item in enumerate(raw):
            here = (*at, index)
            unknown = [k for k in item if k not in ALTERNATIVE_KEYS]
            for key in unknown:
                if not self.problems.room("unknown fields", (*here, key), at_key=True):
                    continue
                hint = (" (an alternative has the date of its observation)"
                        if key == "as_of" else "")
                self.problems.add(f"{path}: unknown field '{excerpt(key)}' in an alternative"
                                  f"{did_you_mean(key, ALTERNATIVE_KEYS)}{hint}", (*here, key),
                                  at_key=True, kind="unknown-name")
            if "value" not in item:
                self.problems.add(f"{path}: an alternative needs a 'value'", here)
                continue
            checked = self.value(path, spec, item["value"], here, "value")
            source = self.source(path, item.get("source"), (*here, "source"))
            note = self.note(path, item.get("note"), (*here, "note"))
            if checked is not None and source is not False and note is not False and (
                    not unknown):
                found.append(Alternative(value=checked[0], bounds=checked[1], source=source,
                                         note=note))
        return tuple(found) if len(found) == len(raw) else None


def _vocabulary(rubric: Rubric) -> tuple[frozenset[str], dict[str, tuple[str, str]]]:
    """The fact groups of the rubric's vocabulary (`token` of `token.max_supply`), and each
    fact path with its location key ('fact:token.max_supply'), both made once per rubric
    rather than once per dossier, and shared by every dossier's observations and locations."""
    cached = _vocabularies.get(id(rubric))
    if cached is None or cached[0] is not rubric:
        groups = frozenset(".".join(f.split(".")[:i]) for f in rubric.facts
                           for i in range(1, f.count(".") + 1))
        keys = {path: (sys.intern(path), sys.intern(f"fact:{path}")) for path in rubric.facts}
        _vocabularies.clear()  # one rubric at a time: a workspace loads one
        cached = _vocabularies[id(rubric)] = (rubric, groups, keys)
    return cached[1], cached[2]
