"""Read untrusted YAML into plain Python values, remembering where every value came from.

Built on the parser's event stream with an explicit stack instead of PyYAML's recursive
composer, so that:

- only plain data is constructed (str, int, float, bool, null, dates): any other tag,
  `!!python/object` included, is an error, never executed, on a value or on a key;
- a plain value that YAML 1.1 and YAML 1.2 (and so the editors checking the JSON Schema)
  read differently is an error with a hint, never a silent guess: `yes`/`no`/`on`/`off`,
  `010` (octal), `0b101`, `1_000`, `190:20:30` (base 60);
- duplicate keys are an error (a YAML loader silently keeps the last one, losing a fact);
- nesting depth, file size and alias expansion ("billion laughs") are bounded, so hostile
  input fails fast in bounded memory;
- only regular files are read: a FIFO, device, socket or directory is refused, never
  waited on;
- every mapping key and value keeps its line and column for error messages, and text from
  the file is quoted only as a short, printable excerpt.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from scorer.errors import Problem, ScorerError
from scorer.untrusted import excerpt

try:  # libyaml's parser is several times faster; fall back to the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 4 * 1024 * 1024
"""Largest file accepted (4 MiB): a rubric or dossier is a few kilobytes."""
MAX_DEPTH = 64
"""Deepest nesting accepted; real rubrics and dossiers stay under 10 levels."""
MAX_NODES = 200_000
"""Most values a document may hold, counting every expansion of an alias."""
MAX_REFUSED = 20
"""Most refused values listed one by one (`yes`, `010`…); the rest are counted."""

Path_ = tuple[str | int, ...]
Location = tuple[int, int]

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_STANDARD_TAGS = "tag:yaml.org,2002:"
_STR_TAG = "tag:yaml.org,2002:str"
_AS_TEXT = {"tag:yaml.org,2002:value", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:yaml"}
"""Tags YAML 1.1 resolves `=`, `<<`, `!` to as values: plain text in YAML 1.2."""
_YAML11_BOOL = re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]")
_BINARY = re.compile(r"^[-+]?0b")
_resolver = Resolver()
_constructor = SafeConstructor()
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


@dataclass
class Document:
    """A parsed YAML file: its data and the location of every key and value in it."""

    data: Any
    file: str
    values: dict[Path_, Location] = field(default_factory=dict)
    keys: dict[Path_, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """Values refused but read on (`parse(defer=True)`), for the loader to report."""

    def where(self, path: Path_) -> Location:
        """Line and column of the value at `path`, or of its nearest located ancestor."""
        return _nearest(self.values, path)

    def key_where(self, path: Path_) -> Location:
        """Line and column of the mapping key that names `path` (of the value if none)."""
        if path in self.keys:
            return self.keys[path]
        return self.where(path)

    def error(self, message: str, path: Path_ = (), *, at_key: bool = False) -> ScorerError:
        line, column = self.key_where(path) if at_key else self.where(path)
        return ScorerError(message, self.file, line, column)


def _nearest(table: dict[Path_, Location], path: Path_) -> Location:
    while path:
        if path in table:
            return table[path]
        path = path[:-1]
    return table.get((), (1, 1))


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it.

    Links are not followed: a dossier linked to another file is named by its own name, and
    a link that loops is still a name to report."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, checked for size and UTF-8, or a `ScorerError` naming the file."""
    name = display_path(path)
    raw = _read_regular_file(path, name, max_bytes + 1)
    if len(raw) > max_bytes:
        raise ScorerError(
            f"file is larger than {max_bytes // (1024 * 1024)} MiB; "
            "a rubric or dossier is a few kilobytes",
            name,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScorerError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            name,
            line,
            column,
        ) from None


def _read_regular_file(path: Path, name: str, limit: int) -> bytes:
    """At most `limit` bytes of a regular file. A FIFO or device is refused before it is
    opened, and again by `fstat` on the descriptor (opened without blocking), so a file
    swapped in between cannot make scorer wait forever or read a device."""
    try:
        _refuse_special(os.stat(path).st_mode, name)
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        if os.path.islink(path):
            raise ScorerError("a symbolic link to a file that does not exist", name) from None
        raise ScorerError("no such file", name) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ScorerError("a symbolic link that loops: it never reaches a file", name) from None
        raise ScorerError(f"cannot read: {exc.strerror}", name) from None
    with open(descriptor, "rb") as handle:
        _refuse_special(os.fstat(descriptor).st_mode, name)
        try:
            return handle.read(limit)
        except OSError as exc:
            raise ScorerError(f"cannot read: {exc.strerror}", name) from None


SPECIAL_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                 (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                 (stat.S_ISSOCK, "a socket"))
"""Files that are not regular, and how a message names them: never read, never replaced."""


def special_kind(mode: int) -> str | None:
    """What a file of this mode is when it is not a regular file ('a named pipe (FIFO)'),
    or None when it is one."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in SPECIAL_KINDS if test(mode)), "a special file")


def _refuse_special(mode: int, name: str) -> None:
    """A `ScorerError` unless `mode` is a regular file's."""
    kind = special_kind(mode)
    if kind == "a directory":
        raise ScorerError("is a directory, expected a YAML file", name)
    if kind is not None:
        raise ScorerError(f"is {kind}, not a regular file; a rubric or dossier is a YAML "
                          "file: not read", name)


def load_file(path: Path, *, defer: bool = False, **limits: int) -> Document:
    """Read and parse one YAML file (see `parse`)."""
    max_bytes = limits.pop("max_bytes", MAX_BYTES)
    return parse(read_text(path, max_bytes=max_bytes), display_path(path), defer=defer,
                 **limits)


def parse(
    text: str, file: str = "<string>", *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES,
    defer: bool = False,
) -> Document:
    """Parse one YAML document of plain data; every problem is a `ScorerError` with a location.

    A value YAML 1.1 and 1.2 read differently (`yes`, `010`…) does not stop the parse: it is
    read as text, as YAML 1.2 reads it, and reported with the others at the end — or, with
    `defer`, left in `Document.problems` for the caller to report with its own."""
    builder = _Builder(file, max_depth, max_nodes)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if mark and _char_at(text, mark.line, mark.column) == "\t":
            problem = "a tab character; YAML indents with spaces only"
        raise ScorerError(f"invalid YAML: {excerpt(problem, 200)}", file, line, column) from None
    except yaml.reader.ReaderError as exc:  # a position, not a line and column
        line, column = _line_column(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else None
        what = f"character U+{code:04X}" if code is not None else "character"
        raise ScorerError(f"invalid YAML: a {what} that YAML does not allow in a file "
                          "(a control character or non-character); remove it, or write it as "
                          "an escape such as \\x01 inside double quotes", file, line,
                          column) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every parser error is one of the above
        raise ScorerError(f"invalid YAML: {exc}", file) from None
    if not builder.documents:
        raise ScorerError("file is empty: expected a YAML mapping", file, 1, 1)
    refused = builder.refused()
    if refused and not defer:
        raise ScorerError(refused)
    return Document(builder.root, file, builder.values, builder.keys, refused)


def _line_column(text: str, position: int) -> Location:
    """Line and column of a reader error's position: a character index for PyYAML's own
    reader, a byte offset into the UTF-8 text for libyaml's."""
    if _Loader.__name__.startswith("C"):
        position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8",
                                                                              "ignore"))
    start = text.rfind("\n", 0, position) + 1
    return text.count("\n", 0, position) + 1, position - start + 1


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column : column + 1] if line < len(lines) else ""


class _Frame:
    __slots__ = ("anchor", "key", "key_mark", "mark", "obj", "path", "size")

    def __init__(self, obj: dict | list, path: Path_, anchor: str | None, mark: Location):
        self.obj = obj
        self.path = path
        self.anchor = anchor
        self.mark = mark
        self.size = 1
        self.key: str | None = None
        self.key_mark: Location = mark


class _Builder:
    """Turns parser events into Python values with an explicit stack (no recursion)."""

    def __init__(self, file: str, max_depth: int, max_nodes: int) -> None:
        self.file = file
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.values: dict[Path_, Location] = {}
        self.keys: dict[Path_, Location] = {}
        self.root: Any = None
        self.documents = 0
        self.nodes = 0
        self.aliased = False
        self.problems: list[Problem] = []
        self.unlisted: list[Location] = []

    def refused(self) -> list[Problem]:
        """The values refused but read on, the first `MAX_REFUSED` by name."""
        if not self.unlisted:
            return self.problems
        more = Problem(f"… and {len(self.unlisted):,} more values that YAML 1.1 and 1.2 read "
                       "differently", self.file, *self.unlisted[0])
        return [*self.problems, more]

    def fail(self, message: str, mark: Location) -> ScorerError:
        return ScorerError(message, self.file, *mark)

    def feed(self, event: yaml.Event) -> None:
        mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail("more than one YAML document in the file ('---')", mark)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._start(event, mark)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.open_anchors.discard(frame.anchor)
                self.anchors[frame.anchor] = (frame.obj, frame.size)
            self._attach(frame.obj, frame.size, frame.mark)
        elif isinstance(event, yaml.ScalarEvent):
            self._scalar(event, mark)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event, mark)

    def _count(self, size: int, mark: Location) -> None:
        self.nodes += size
        if self.nodes > self.max_nodes:
            cause = ("; its aliases refer to aliases" if self.aliased
                     else "; a rubric or dossier holds a few hundred")
            raise self.fail(
                f"document expands to more than {self.max_nodes:,} values{cause}; "
                "refusing to load it",
                mark,
            )

    def _key_expected(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].obj, dict) and (
            self.stack[-1].key is None
        )

    def _start(self, event: yaml.CollectionStartEvent, mark: Location) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        if self._key_expected():
            raise self.fail("a mapping key must be plain text, not a list or mapping", mark)
        if event.tag not in (None, "!", _MAP_TAG if is_map else _SEQ_TAG):
            raise self.fail(f"YAML tag {_shown_tag(event.tag)} is not allowed: only plain data is "
                            "read", mark)
        if len(self.stack) >= self.max_depth:
            raise self.fail(f"nesting deeper than {self.max_depth} levels", mark)
        self._count(1, mark)
        path = self._child_path()
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame({} if is_map else [], path, event.anchor, mark))

    def _child_path(self) -> Path_:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.obj, dict):
            assert top.key is not None
            return (*top.path, top.key)
        return (*top.path, len(top.obj))

    def _scalar(self, event: yaml.ScalarEvent, mark: Location) -> None:
        self._count(1, mark)
        if self._key_expected():
            top = self.stack[-1]
            key = event.value  # keys are the text as written: `yes:` is "yes", `1:` is "1"
            if event.tag not in (None, "!", _STR_TAG):
                raise self.fail(f"YAML tag {_shown_tag(event.tag)} is not allowed on a key: keys "
                                "are plain text", mark)
            if key in top.obj:
                first = self.keys.get((*top.path, key), top.mark)
                raise self.fail(
                    f"duplicate key '{excerpt(key)}' (first at line {first[0]}); "
                    "YAML would silently keep only the last one",
                    mark,
                )
            if key == "<<" and event.implicit[0]:
                raise self.fail("merge keys ('<<') are not supported; write the keys out", mark)
            top.key, top.key_mark = key, mark
            return
        value = self._construct(event, mark)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self._attach(value, 1, mark)

    def _construct(self, event: yaml.ScalarEvent, mark: Location) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            tag = _resolver.resolve(ScalarNode, event.value, event.implicit)
            if tag in _AS_TEXT:
                tag = _STR_TAG
            elif event.implicit[0] and _yaml11_surprising(tag, event.value):
                if len(self.problems) < MAX_REFUSED:
                    message = _yaml11_surprise(tag, event.value)
                    self.problems.append(Problem(message, self.file, *mark))
                else:
                    self.unlisted.append(mark)
                tag = _STR_TAG  # as YAML 1.2 reads it; the problem fails the file all the same
        if tag not in _SCALAR_TAGS:
            raise self.fail(f"YAML tag {_shown_tag(tag)} is not allowed: only plain data is read",
                            mark)
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return _constructor.yaml_constructors[tag](_constructor, node)
        except (ValueError, yaml.YAMLError) as exc:
            if tag.endswith(":timestamp"):  # 2024-06-31: text, for the field to judge
                return event.value
            kind = tag.rsplit(":", 1)[-1]
            reason = "too many digits" if "digits" in str(exc) else str(exc)
            raise self.fail(f"cannot read '{excerpt(event.value)}' as {kind}: {reason}",
                            mark) from None

    def _alias(self, event: yaml.AliasEvent, mark: Location) -> None:
        if self._key_expected():
            raise self.fail("an alias cannot be a mapping key", mark)
        if event.anchor in self.open_anchors:
            raise self.fail(f"alias *{excerpt(event.anchor)} refers to itself", mark)
        if event.anchor not in self.anchors:
            raise self.fail(f"alias *{excerpt(event.anchor)} refers to no anchor defined before "
                            "it", mark)
        self.aliased = True
        value, size = self.anchors[event.anchor]
        self._count(size, mark)
        self._attach(value, size, mark)

    def _attach(self, value: Any, size: int, mark: Location) -> None:
        if not self.stack:
            self.root = value
            self.values[()] = mark
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.obj, dict):
            assert top.key is not None
            path = (*top.path, top.key)
            top.obj[top.key] = value
            self.keys[path] = top.key_mark
            top.key = None
        else:
            path = (*top.path, len(top.obj))
            top.obj.append(value)
        self.values[path] = mark


def _shown_tag(tag: str) -> str:
    """A tag as it is written (`!!python/name:os.system`), as a short printable excerpt."""
    if tag.startswith(_STANDARD_TAGS):
        tag = "!!" + tag.removeprefix(_STANDARD_TAGS)
    return excerpt(tag, 60)


def _yaml11_surprising(tag: str, text: str) -> bool:
    """Whether YAML 1.2 (and the JSON-Schema editors that follow it) would read this plain
    value otherwise than YAML 1.1 resolves it to `tag`."""
    if tag.endswith(":bool"):
        return bool(_YAML11_BOOL.match(text))
    if tag.endswith(":int"):
        return bool(":" in text or "_" in text or _LEADING_ZERO.match(text)
                    or _BINARY.match(text))
    return tag.endswith(":float") and (":" in text or "_" in text)


def _yaml11_surprise(tag: str, text: str) -> str:
    """Why a plain value `_yaml11_surprising` is refused, and what to write instead."""
    if tag.endswith(":bool"):
        return (f"'{text}' is true or false in YAML 1.1 but text in YAML 1.2; write true or "
                f"false, or quote it (\"{text}\") for text")
    shown, value = excerpt(text), _yaml11_value(tag, text)
    if ":" in text:
        return (f"'{shown}' is a base-60 number in YAML 1.1{value} and text in YAML 1.2; "
                f"quote it (\"{shown}\") for text, or write the number")
    if "_" in text:
        return (f"'{shown}' is a number in YAML 1.1{value} but text in YAML 1.2; write it "
                "without '_', or quote it for text")
    if _BINARY.match(text):
        return (f"'{shown}' is a binary number in YAML 1.1{value} but text in YAML 1.2; write "
                "it in decimal, or quote it for text")
    return (f"'{shown}' is octal in YAML 1.1{value} but decimal in YAML 1.2; write it "
            "without the leading zero, or quote it for text")


def _yaml11_value(tag: str, text: str) -> str:
    """' (N)': what YAML 1.1 makes of a short number, for the message; '' if too long."""
    if len(text) > 24:
        return ""
    node = ScalarNode(tag, text)
    try:
        return f" ({_constructor.yaml_constructors[tag](_constructor, node)!r})"
    except (ValueError, yaml.YAMLError):
        return ""
