"""Problems found while reading one file, each placed at the path of the value it concerns."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from scorer.errors import Problem, ScorerError, did_you_mean
from scorer.facttypes import describe
from scorer.safeyaml import Document, Path_, load_file


class Collector:
    """Every problem of one document, each placed at a path of it; raised together."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, message: str, path: Path_ = (), *, at_key: bool = False) -> None:
        line, column = self.doc.key_where(path) if at_key else self.doc.where(path)
        self.problems.append(Problem(message, self.doc.file, line, column))

    def pydantic(self, exc: ValidationError, model: type[BaseModel], base: Path_ = ()) -> None:
        """Pydantic's errors for `model`, in the house style: located, with a did-you-mean
        drawn from the fields of the model where the unknown key stands."""
        for err in exc.errors(include_url=False):
            loc: Path_ = (*base, *err["loc"])
            label = ".".join(str(p) for p in loc) or "document"
            message = str(err["msg"]).removeprefix("Value error, ")
            if "instance of Text" in message:
                message = "expected text, or a mapping {en: ..., ja: ...}"
            if err["type"] == "extra_forbidden":
                field = str(loc[-1])
                names = field_names(model_at(model, err["loc"][:-1]) or model)
                self.add(f"unknown field '{field}'{did_you_mean(field, names)}", loc,
                         at_key=True)
            elif err["type"] == "missing":
                self.add(f"missing field '{loc[-1]}'", loc[:-1], at_key=True)
            else:
                self.add(f"{label}: {message}", loc)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ScorerError(sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0)))


def open_document(path: Path, what: str) -> tuple[Document, dict[str, Any], Collector]:
    """A YAML file whose top level is a mapping of `what`, and a collector for its problems;
    the fields the loader fills in itself (`PROVENANCE`) are refused as unknown."""
    from scorer.models import PROVENANCE

    doc = load_file(path)
    data = require_mapping(doc, what)
    problems = Collector(doc)
    for key in PROVENANCE:
        if key in data:
            problems.add(f"unknown field '{key}'", (key,), at_key=True)
    return doc, data, problems


def require_mapping(doc: Document, what: str) -> dict[str, Any]:
    """The document's top level, which must be a mapping."""
    if not isinstance(doc.data, dict):
        found = "a list" if isinstance(doc.data, list) else describe(doc.data)
        raise doc.error(f"expected a mapping of {what} at the top level, found {found}")
    return doc.data


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
