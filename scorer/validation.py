"""What `scorer validate` finds: every error, and warnings about valid but weak input.

Errors stop loading (`scorer.loading`); warnings (exit 0) do not. They point at evidence
that cannot be traced (no source, no address), evidence that may be out of date, and rules
that no dossier can ever satisfy. `check` gathers both into a `Report`, grouped and counted
by file and by kind (`scorer.errors.KINDS`) for people, and as one record for scripts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from scorer.errors import KINDS, Problem, ScorerError
from scorer.evidence import observation_at
from scorer.i18n import t
from scorer.models import Dossier, Rubric
from scorer.rulebook import Rulebook
from scorer.safeyaml import STDIN


def _warning(kind: str, file: str | None, where: tuple[int | None, int | None], lang: str,
             **values: object) -> Problem:
    """A warning of `kind`, its message in `lang` (`scorer.i18n`: `warn.<kind>`)."""
    return Problem(t(f"warn.{kind}", lang, **values), file, where[0], where[1],
                   severity="warning", kind=kind)


def dossier_warnings(rubric: Rubric, dossier: Dossier, as_of: date,
                     lang: str = "en") -> list[Problem]:
    """Facts without a source, facts older than the rubric's freshness limit at `as_of`,
    sources without a URL, a dossier last reviewed longer ago than that limit, and an id
    that is not the file's name (a dossier read from standard input has none)."""
    found: list[Problem] = []
    file, limit = dossier.file, rubric.freshness_days
    if limit is not None and dossier.as_of is not None and (
            (as_of - dossier.as_of).days > limit):
        found.append(_warning("review-due", file, dossier.where("as_of"), lang,
                              reviewed=dossier.as_of, days=(as_of - dossier.as_of).days,
                              as_of=as_of, limit=limit))
    if file not in (None, STDIN) and Path(file).stem != dossier.id:
        found.append(_warning("id-mismatch", file, dossier.where("id"), lang, id=dossier.id,
                              name=Path(file).name))
    for path, observations in dossier.facts.items():
        where = dossier.where(f"fact:{path}")
        for obs in observations:
            if obs.source is None:
                found.append(_warning("unsourced", file, obs.where or where, lang, path=path))
        latest = observation_at(observations, as_of)
        if limit is None or latest is None or rubric.facts[path].timeless:
            continue
        if latest.date is None:
            found.append(_warning("undated", file, latest.where or where, lang, path=path))
        elif (as_of - latest.date).days > limit:
            found.append(_warning("stale", file, latest.where or where, lang, path=path,
                                  date=latest.date, days=(as_of - latest.date).days,
                                  as_of=as_of, limit=limit))
    for source_id, source in dossier.sources.items():
        if not source.url:
            found.append(_warning("no-url", file, dossier.where(f"source:{source_id}"), lang,
                                  source=source_id))
    return sorted(found, key=lambda p: (p.line or 0, p.column or 0))


def rubric_warnings(rulebook: Rulebook, dossiers: Sequence[Dossier],
                    lang: str = "en") -> list[Problem]:
    """Axes whose criteria cannot reach both ends of the scale, and criteria that no
    dossier can satisfy, because no dossier states a fact they read."""
    rubric = rulebook.rubric
    stated = {path for d in dossiers for path in d.facts}
    found = []
    scale = rubric.scale
    for axis_id, (low, high) in rulebook.reachable().items():
        short = (low > scale.min, high < scale.max)
        if any(short):
            ends = t("warn.both_ends" if all(short) else
                     "warn.lowest" if short[0] else "warn.highest", lang)
            found.append(_warning("axis-range", rubric.file, rubric.where(f"axis:{axis_id}"),
                                  lang, axis=axis_id, low=low, high=high, min=scale.min,
                                  max=scale.max, ends=ends))
    for rule in rulebook:
        missing = [f for f in rule.facts if f not in stated]
        if missing:
            found.append(_warning("never-known", rubric.file,
                                  rubric.where(f"criterion:{rule.id}"), lang, id=rule.id,
                                  facts=", ".join(missing)))
    return found


_ORDER = {kind: index for index, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Report:
    """Every problem `scorer validate` found at `as_of`, and what loaded: the rubric and,
    when nothing is wrong with them, the dossiers."""

    problems: tuple[Problem, ...]
    as_of: date
    rubric: Rubric | None = None
    dossiers: tuple[Dossier, ...] = ()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def files(self) -> list[str | None]:
        """The files with problems, in the order first met (the rubric first)."""
        return list(dict.fromkeys(p.file for p in self.problems))

    def ordered(self) -> list[Problem]:
        """One line each, as compilers list them: by file, then by line and column."""
        rank = {file: index for index, file in enumerate(self.files())}
        return sorted(self.problems, key=lambda p: (rank[p.file], p.line or 0, p.column or 0))

    def grouped(self) -> list[tuple[str | None, list[Problem]]]:
        """The problems of each file, grouped by kind (in `KINDS` order), then by line."""
        return [(file, sorted((p for p in self.problems if p.file == file),
                              key=lambda p: (_ORDER.get(p.kind, len(_ORDER)), p.line or 0,
                                             p.column or 0)))
                for file in self.files()]

    def kinds(self, problems: Sequence[Problem] | None = None) -> dict[str, int]:
        """How many problems of each kind, in `KINDS` order."""
        counts = Counter(p.kind for p in (self.problems if problems is None else problems))
        return dict(sorted(counts.items(), key=lambda item: _ORDER.get(item[0], len(_ORDER))))

    def kind_files(self) -> dict[str, int]:
        """How many files have a problem of each kind."""
        return self.kinds(list({(p.file, p.kind): p for p in self.problems}.values()))

    def to_dict(self) -> dict[str, Any]:
        """The record of `scorer validate --format json`."""
        rubric = self.rubric
        return {
            "as_of": self.as_of.isoformat(),
            "valid": not self.errors,
            "rubric": None if rubric is None else {
                "file": rubric.file, "id": rubric.id, "version": rubric.version,
                "axes": len(rubric.axes), "criteria": len(rubric.criteria())},
            "dossiers": [{"id": d.id, "file": d.file} for d in self.dossiers],
            "problems": [{"file": p.file, "line": p.line, "column": p.column,
                          "severity": p.severity, "kind": p.kind, "message": p.message}
                         for p in self.ordered()],
            "summary": {
                "errors": len(self.errors), "warnings": len(self.warnings),
                "kinds": self.kinds(),
                "files": {str(file): {"errors": sum(p.severity == "error" for p in found),
                                      "warnings": sum(p.severity == "warning" for p in found)}
                          for file, found in self.grouped()}},
        }


def check(rubric: str | Path, dossiers: Sequence[str | Path] = (), as_of: date | None = None,
          *, stdin: BinaryIO | None = None, rubric_wide: bool = True,
          today: date | None = None, lang: str = "en") -> Report:
    """Check a rubric and its dossiers (files or folders), or one dossier read from `stdin`
    (named `<stdin>`), as `scorer validate` does: every error, returned rather than raised,
    and when there is none every warning at `as_of` (default: today), in `lang` (errors
    are in English). `rubric_wide` adds the warnings that need every dossier (criteria
    that none can satisfy)."""
    from scorer import dates
    from scorer.loading import load_projects, read_dossier, read_rubric
    from scorer.safeyaml import read_stream

    when = as_of or dates.today()
    try:
        model, rulebook = read_rubric(rubric)
    except ScorerError as exc:
        return Report(exc.problems, when)
    try:
        if stdin is not None:
            loaded = [read_dossier(read_stream(stdin), model, today)]
        else:
            loaded = load_projects(dossiers, model, today)
    except ScorerError as exc:
        return Report(exc.problems, when, model)
    found = rubric_warnings(rulebook, loaded, lang) if rubric_wide else []
    for dossier in loaded:
        found += dossier_warnings(model, dossier, when, lang)
    return Report(tuple(found), when, model, tuple(loaded))
