"""Problems found while reading one file, each placed at the path of the value it concerns.

A hostile file must not cost more to report than a careless one: problems of one kind
(unknown facts, unknown fields…) are listed one by one, each with its did-you-mean, up to
`MAX_PER_KIND`, and a file's problems up to `MAX_PROBLEMS`; the rest are counted. Text from
the file is quoted only as a short, printable excerpt (`scorer.untrusted.excerpt`).
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from scorer.errors import Problem, ScorerError, did_you_mean
from scorer.safeyaml import Document, Path_
from scorer.untrusted import excerpt

MAX_PROBLEMS = 100
"""Most problems listed for one file; the rest are counted in one last line."""
MAX_PER_KIND = 20
"""Most problems of one kind listed for one file, each with its did-you-mean (the costly
part); the rest are counted: 99,000 unknown facts cost 20 suggestions, not 99,000."""

Where = tuple[int | None, int | None]


class Collector:
    """Every problem of one document, each placed at a path of it; raised together."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = doc.problems[:MAX_PROBLEMS]
        self.counts: dict[str, int] = {}
        self.first_uncounted: dict[str, tuple[Where, str]] = {}
        self.refused = {(p.line, p.column) for p in doc.problems}
        """Values the reader refused: a later problem with the same value is no news."""
        for problem in doc.problems[MAX_PROBLEMS:]:
            self._uncounted("problems in this file", (), False, (problem.line, problem.column))

    def add(self, message: str, path: Path_ = (), *, at_key: bool = False,
            kind: str = "invalid") -> None:
        """One problem of `kind` (see `scorer.errors.KINDS`) at the value (or key) `path`."""
        line, column = self.doc.key_where(path) if at_key else self.doc.where(path)
        if (line, column) in self.refused:
            return
        if len(self.problems) >= MAX_PROBLEMS:
            self._uncounted("problems in this file", path, at_key)
            return
        self.problems.append(Problem(message, self.doc.file, line, column, kind=kind))

    def room(self, kind: str, path: Path_ = (), *, at_key: bool = False) -> bool:
        """Whether to list one more problem of `kind` (plural: 'unknown facts'); when not,
        it is only counted, so the caller skips building its message."""
        if self.counts.get(kind, 0) < MAX_PER_KIND:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            return True
        self._uncounted(kind, path, at_key)
        return False

    def _uncounted(self, kind: str, path: Path_, at_key: bool,
                   where: Where | None = None) -> None:
        overflow = f"{kind} (more)"
        if overflow not in self.counts:
            at = where or (self.doc.key_where(path) if at_key else self.doc.where(path))
            self.first_uncounted[kind] = (at, "unknown-name" if kind.startswith("unknown ")
                                          else "invalid")
        self.counts[overflow] = self.counts.get(overflow, 0) + 1

    def pydantic(self, exc: ValidationError, model: type[BaseModel], base: Path_ = ()) -> None:
        """Pydantic's errors for `model`, in the house style: located, with a did-you-mean
        drawn from the fields of the model where the unknown key stands."""
        for err in exc.errors(include_url=False):
            loc: Path_ = (*base, *err["loc"])
            label = ".".join(excerpt(str(p)) for p in loc) or "document"
            message = str(err["msg"]).removeprefix("Value error, ")
            if isinstance(err.get("input"), str) and err["input"] in message:
                message = message.replace(err["input"], excerpt(err["input"]))
            if "instance of Text" in message:
                message = "expected text, or a mapping {en: ..., ja: ...}"
            if err["type"] == "extra_forbidden":
                if not self.room("unknown fields", loc, at_key=True):
                    continue
                field = str(loc[-1])
                names = field_names(model_at(model, err["loc"][:-1]) or model)
                self.add(f"unknown field '{excerpt(field)}'{did_you_mean(field, names)}", loc,
                         at_key=True, kind="unknown-name")
            elif err["type"] == "literal_error":
                self.add(f"{label}: {_not_one_of(err)}", loc)
            elif err["type"] == "missing":
                self.add(f"missing field '{loc[-1]}'", loc[:-1], at_key=True)
            else:
                self.add(f"{label}: {message}", loc)

    def raise_if_any(self) -> None:
        if not self.problems:
            return
        found = sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0))
        for kind, (where, sort) in self.first_uncounted.items():
            found.append(Problem(f"… and {self.counts[f'{kind} (more)']:,} more {kind}",
                                 self.doc.file, *where, kind=sort))
        raise ScorerError(found)


def _not_one_of(err: Any) -> str:
    """Pydantic's "Input should be 'a', 'b' or 'c'" in the house style, with a did-you-mean:
    "'primray' is not one of primary, secondary, low (did you mean 'primary'?)"."""
    from scorer.facttypes import describe

    choices = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
    given = err.get("input")
    if not isinstance(given, str):
        return f"expected one of {', '.join(choices)}, found {describe(given)}"
    return (f"'{excerpt(given)}' is not one of {', '.join(choices)}"
            f"{did_you_mean(given, choices)}")


def open_document(doc: Document, what: str) -> tuple[Document, dict[str, Any], Collector]:
    """A parsed YAML file whose top level is a mapping of `what`, and a collector for its
    problems; the fields the loader fills in itself (`PROVENANCE`) are refused as unknown."""
    from scorer.models import PROVENANCE

    data = require_mapping(doc, what)
    problems = Collector(doc)
    for key in PROVENANCE:
        if key in data and problems.room("unknown fields", (key,), at_key=True):
            problems.add(f"unknown field '{key}'", (key,), at_key=True, kind="unknown-name")
    return doc, data, problems


def require_mapping(doc: Document, what: str) -> dict[str, Any]:
    """The document's top level, which must be a mapping. Anything else is most likely not
    a rubric or dossier at all (a file linked by mistake): say so, without quoting it."""
    if isinstance(doc.data, dict):
        return doc.data
    noun, marker, fields = what.partition(" fields (")
    expected = (f"does not look like a {noun}: expected a YAML mapping of "
                f"{fields.removesuffix(')')}" if marker else f"expected a mapping of {what}")
    raise doc.error(f"{expected} at the top level, found {_kind(doc.data)}")


def _kind(value: Any) -> str:
    """What a value is, without a word of what it says."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "nothing (null)" if value is None else "a date"


def field_names(model: type[BaseModel]) -> list[str]:
    """The keys a file may use for `model`'s fields (aliases where they have one)."""
    from scorer.models import PROVENANCE

    return [info.alias or name for name, info in model.model_fields.items()
            if name not in PROVENANCE and not info.exclude]


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class of the value at `loc` inside `model` (dict keys and list indexes are
    stepped over), or None when `loc` leads out of the models."""
    node: Any = model
    for part in loc:
        node = _unwrap(node)
        if isinstance(node, type) and issubclass(node, BaseModel):
            fields = {info.alias or name: info for name, info in node.model_fields.items()}
            info = fields.get(str(part)) or node.model_fields.get(str(part))
            if info is None:
                return None
            node = info.annotation
        elif get_origin(node) is dict:
            node = get_args(node)[1]
        elif get_origin(node) in (list, tuple):
            node = get_args(node)[0]
        else:
            return None
    node = _unwrap(node)
    return node if isinstance(node, type) and issubclass(node, BaseModel) else None


def _unwrap(node: Any) -> Any:
    """`Annotated[X, …]` → X; `X | None` → X."""
    while True:
        origin = get_origin(node)
        if origin is Annotated:
            node = get_args(node)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(node) if a is not type(None)]
            if len(args) != 1:
                return node
            node = args[0]
        else:
            return node
