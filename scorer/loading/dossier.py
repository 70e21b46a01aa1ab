"""A dossier file → a validated `Dossier`, checked against the rubric's vocabulary and axes."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scorer import dates
from scorer.errors import did_you_mean
from scorer.facttypes import describe
from scorer.loading.facts import OBSERVATION_KEYS, FactReader, parse_when
from scorer.loading.problems import Collector, open_document
from scorer.models import PROVENANCE, Dossier, Rubric, share_given
from scorer.safeyaml import STDIN, Document, collector_paused, load_file, parse
from scorer.untrusted import excerpt


def load_dossier(path: str | Path, rubric: Rubric, today: date | None = None) -> Dossier:
    """Load one dossier; every problem of the file is reported together, with its location.

    Nothing may be dated after `today` (default: `scorer.dates.today()`) but a forecast."""
    with collector_paused():
        return _dossier(load_file(Path(path), defer=True, value_fields=OBSERVATION_KEYS),
                        rubric, today)


def read_dossier(text: str, rubric: Rubric, today: date | None = None,
                 file: str = STDIN) -> Dossier:
    """A dossier from its text (standard input, an editor's buffer), named `file` in every
    message; checked as `load_dossier` checks a file, under the same limits."""
    with collector_paused():
        return _dossier(parse(text, file, defer=True, value_fields=OBSERVATION_KEYS), rubric,
                        today)


def _dossier(doc: Document, rubric: Rubric, today: date | None) -> Dossier:
    today = today or dates.today()
    doc, data, problems = open_document(doc, "dossier fields (id, name, sources, facts…)")
    header = {k: v for k, v in data.items() if k != "facts" and k not in PROVENANCE}
    if isinstance(header.get("sources"), dict):  # each id held once (its fields: see Source)
        header["sources"] = {sys.intern(k) if isinstance(k, str) else k: source
                             for k, source in header["sources"].items()}
    try:
        dossier: Dossier | None = Dossier.model_validate(header)
    except ValidationError as exc:
        problems.pydantic(exc, Dossier)
        dossier = None
    sources = data.get("sources") if isinstance(data.get("sources"), dict) else {}
    reader = FactReader(rubric, sources, problems, today)
    _check_source_dates(sources, today, problems)
    _check_review_date(data.get("as_of"), today, problems)
    raw_facts = data.get("facts") or {}
    if not isinstance(raw_facts, dict):
        problems.add(f"facts: expected a mapping of facts, found {describe(raw_facts)}",
                     ("facts",))
    else:
        reader.read(raw_facts, (), ("facts",))
    if isinstance(data.get("overrides"), dict):
        _check_overrides(data["overrides"], rubric, problems)
    problems.raise_if_any()
    assert dossier is not None
    locations = {"id": doc.where(("id",)), "as_of": doc.where(("as_of",)), **reader.where}
    for source in dossier.sources:
        locations[sys.intern(f"source:{source}")] = doc.where_in(
            data["sources"], source, ("sources", source), at_key=True)
    return share_given(dossier.model_copy(update={"facts": reader.out, "file": doc.file,
                                                  "locations": locations}))


def _check_source_dates(sources: dict[str, Any], today: date, problems: Collector) -> None:
    """A source cannot be published after today, nor before 1900 (a typo of the year)."""
    for source_id, source in sources.items():
        raw = source.get("date") if isinstance(source, dict) else None
        try:
            when = parse_when(raw)
        except ValueError:
            continue  # the model says what is wrong with it
        if when is None or (when.day >= dates.EARLIEST and when.start <= today):
            continue  # most sources: nothing to say, and no message to make
        at = ("sources", source_id, "date")
        shown = excerpt(str(source_id))
        if when.start > today:
            problems.add(f"source '{shown}': dated {when}, after today ({today}); a "
                         "source cannot be published in the future: correct the date", at)
        else:
            problems.add(f"source '{shown}': dated {when}, before "
                         f"{dates.EARLIEST.year}: is the year right?", at)


def _check_review_date(raw: Any, today: date, problems: Collector) -> None:
    """The day the dossier was last reviewed: not after today, nor before 1900."""
    try:
        when = parse_when(raw)
    except ValueError:
        return  # the model says what is wrong with it
    if when is not None and when.start > today:
        problems.add(f"as_of: reviewed {when}, after today ({today}); as_of is the day you "
                     "last reviewed this dossier: correct the date", ("as_of",))
    elif when is not None and when.day < dates.EARLIEST:
        problems.add(f"as_of: reviewed {when}, before {dates.EARLIEST.year}: is the year "
                     "right?", ("as_of",))


def _check_overrides(overrides: dict[str, Any], rubric: Rubric, problems: Collector) -> None:
    """Axes and scores of overrides (their shape is the model's job)."""
    scale = rubric.scale
    for axis, override in overrides.items():
        at = ("overrides", axis)
        score = override.get("score") if isinstance(override, dict) else None
        if axis not in rubric.axes:
            if problems.room("unknown axes", at, at_key=True):
                problems.add(f"override of unknown axis '{excerpt(str(axis))}'"
                             f"{did_you_mean(str(axis), rubric.axes)}", at, at_key=True,
                             kind="unknown-name")
        elif isinstance(score, (int, float)) and not isinstance(score, bool) and (
                not scale.contains(score)):
            problems.add(f"override of '{axis}': score {score:g} is not on the scale "
                         f"{scale.min:g}–{scale.max:g} in steps of {scale.step:g}",
                         (*at, "score"))
