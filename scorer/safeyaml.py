"""Read untrusted YAML into plain Python values, remembering where every value came from.

Two readers, one result. A document of plain data is composed by libyaml in C, its size and
depth bounded while it is composed, then walked once without recursion; its locations are
read from the node tree only when asked. Anything else — an error, a tag, an alias, a value
refused below — is read again by the reference reader, which builds values from the parser's
event stream with an explicit stack and finds, names and locates every problem; it is also
the reader when PyYAML has no libyaml. Either way:

- only plain data is constructed (str, int, float, bool, null, dates): any other tag,
  `!!python/object` included, is an error, never executed, on a value or on a key;
- a plain value that YAML 1.1 and YAML 1.2 (and so the editors checking the JSON Schema)
  read differently is an error with a hint, never a silent guess: `yes`/`no`/`on`/`off`,
  `010` (octal), `0b101`, `1_000`, `190:20:30` (base 60), `8e8` (text in YAML 1.1), and so
  is a number written with thousands separators inside `{…}` (`800,000,000`, which YAML
  reads as 800 followed by keys named '000');
- a parser error that a common slip explains (a value that lost its `value:` key, a ': '
  inside unquoted text) says so, from the text around the error;
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
import gc
import os
import re
import stat
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from scorer.errors import Problem, ScorerError
from scorer.untrusted import excerpt

try:  # libyaml's parser is several times faster; fall back to the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]
_CLoader = _Loader if _Loader.__name__ == "CSafeLoader" else None
"""libyaml's loader, whose composer builds the node tree in C; None without libyaml."""

MAX_BYTES = 4 * 1024 * 1024
"""Largest file accepted (4 MiB): a rubric or dossier is a few kilobytes."""
MAX_DEPTH = 64
"""Deepest nesting accepted; real rubrics and dossiers stay under 10 levels."""
MAX_NODES = 200_000
"""Most values a document may hold, counting every expansion of an alias."""
MAX_REFUSED = 20
"""Most refused values listed one by one (`yes`, `010`…); the rest are counted."""
MAX_NUMBER = 64
"""Longest text read as one number with thousands separators; none is longer."""
MAX_SHARED = 100_000
"""Most positions and days kept to be shared between files (`_POSITIONS`, `_DAYS`): files
of any number or size cannot make these tables hold more (a few MB at most)."""

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
_YAML11_WORDS = frozenset({"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off",
                           "OFF"})
"""The plain words YAML 1.1 reads as true or false, and YAML 1.2 as text."""
_YAML11_BOOL = re.compile(f"^(?:{'|'.join(sorted(_YAML11_WORDS))})$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]")
_BINARY = re.compile(r"^[-+]?0b")
_YAML12_NUMBER = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                            r"|0o[0-7]+)$")
"""A plain number in YAML 1.2's core schema (what YAML 1.1 reads as text: `8e8`, `0o17`)."""
_NUMBER_STARTS = frozenset("0123456789+-.")
_GROUPED = re.compile(r"[-+]?[0-9]+(?:,[0-9]+)+(?:\.[0-9]+)?")
"""A number written with thousands separators: 800,000,000 (or 80,00,00,000)."""
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML counts as a line break."""
STDIN = "<stdin>"
"""The name standard input goes by in messages (`scorer validate -`)."""
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
    tree: Node | None = field(default=None, repr=False, compare=False)
    """The node tree libyaml composed the data from: locations are read from it when asked,
    rather than recorded in `values` and `keys` for every value of every file."""
    built: dict[int, Node] = field(default_factory=dict, repr=False, compare=False)
    """The node of `tree` each mapping and list of `data` was built from, by the `id` of the
    mapping or list: `where_in` locates a value from its container, without a path."""
    _mappings: dict[int, dict[Any, tuple[Node, Node]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    """The key and value nodes of each mapping of `tree` located in, by key."""
    _found: dict[Path_, tuple[Node, Node | None, bool]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    """`_nodes` of every path located so far, and whether it was found whole: a loader
    locates an observation, then its value, source and date, so each step is taken once."""

    def where(self, path: Path_) -> Location:
        """Line and column of the value at `path`, or of its nearest located ancestor."""
        if self.tree is not None:
            return _mark(self._nodes(path)[0])
        return _nearest(self.values, path)

    def key_where(self, path: Path_) -> Location:
        """Line and column of the mapping key that names `path` (of the value if none)."""
        if self.tree is not None:
            value, key = self._nodes(path)
            return _mark(key or value)
        if path in self.keys:
            return self.keys[path]
        return self.where(path)

    def where_in(self, container: dict[Any, Any] | list[Any], key: Any, path: Path_,
                 *, at_key: bool = False) -> Location:
        """`where(path)` (or with `at_key`, `key_where(path)`) of the value `container[key]`
        at `path`, found from the node its container was built from when there is one: a
        loader reading values one by one need not walk the tree down `path` for each."""
        node = self.built.get(id(container))
        if node is not None:
            if node.__class__ is MappingNode:
                pairs = self._mappings.get(id(node)) or self._pairs(node)
                if key in pairs:
                    return _mark(pairs[key][0 if at_key else 1])
            elif isinstance(key, int) and 0 <= key < len(node.value) and not at_key:
                return _mark(node.value[key])
        return self.key_where(path) if at_key else self.where(path)

    def where_items(self, items: list[Any], path: Path_) -> list[Location]:
        """`where_in(items, i, (*path, i))` of every item of the list `items` at `path`, from
        one look-up of its node."""
        node = self.built.get(id(items))
        if node is not None and node.__class__ is SequenceNode and len(node.value) == len(items):
            return [_mark(item) for item in node.value]
        return [self.where((*path, i)) for i in range(len(items))]

    def where_pair(self, mapping: dict[Any, Any], key: Any, path: Path_
                   ) -> tuple[Location, Location]:
        """`where_in(mapping, key, path, at_key=True)` and `where_in(mapping, key, path)`:
        where a key is and where its value is, from one look-up of its mapping's node."""
        node = self.built.get(id(mapping))
        if node is not None and node.__class__ is MappingNode:
            pairs = self._mappings.get(id(node)) or self._pairs(node)
            if key in pairs:
                key_node, value_node = pairs[key]
                return _mark(key_node), _mark(value_node)
        return self.key_where(path), self.where(path)

    def _pairs(self, node: MappingNode) -> dict[Any, tuple[Node, Node]]:
        """The key and value nodes of a mapping node, by key (made once per node)."""
        pairs = self._mappings.get(id(node))
        if pairs is None:
            pairs = self._mappings[id(node)] = {k.value: (k, v) for k, v in node.value}
        return pairs

    def _nodes(self, path: Path_) -> tuple[Node, Node | None]:
        """The node of the value at `path` (or of its nearest ancestor in the tree), and the
        key node that names it when it is a mapping's value at the end of `path`."""
        found = self._found.get(path) or self._step(path)
        return found[0], found[1]

    def _step(self, path: Path_) -> tuple[Node, Node | None, bool]:
        """`_nodes` of `path` from that of its parent (itself remembered), one step down."""
        if not path:
            assert self.tree is not None
            found: tuple[Node, Node | None, bool] = (self.tree, None, True)
        else:
            parent = path[:-1]
            node, _, whole = self._found.get(parent) or self._step(parent)
            step = path[-1]
            found = (node, None, False)
            if not whole:
                pass
            elif node.__class__ is MappingNode:
                pairs = self._pairs(node)
                if step in pairs:
                    key, value = pairs[step]
                    found = (value, key, True)
            elif (node.__class__ is SequenceNode and isinstance(step, int)
                  and 0 <= step < len(node.value)):
                found = (node.value[step], None, True)
        self._found[path] = found
        return found

    def error(self, message: str, path: Path_ = (), *, at_key: bool = False) -> ScorerError:
        line, column = self.key_where(path) if at_key else self.where(path)
        return ScorerError(message, self.file, line, column)


def _mark(node: Node) -> Location:
    mark = node.start_mark
    location = (mark.line + 1, mark.column + 1)
    return _POSITIONS.get(location) or _kept(_POSITIONS, location, location)


def _kept(table: dict[Any, Any], key: Any, value: Any) -> Any:
    """`value`, kept in `table` under `key` while it holds fewer than `MAX_SHARED`."""
    if len(table) < MAX_SHARED:
        table[key] = value
    return value


_POSITIONS: dict[Location, Location] = {}
"""Each line and column located so far, once: the same positions recur in every dossier of a
workspace (a dossier's tenth line is every dossier's), so ten thousand dossiers hold each
pair once, not ten thousand times."""
_DAYS: dict[str, date] = {}
"""Each plain `YYYY-MM-DD` read so far, and its day: read once, held once."""


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
    text = os.fspath(path)
    if (not os.path.isabs(text) and os.path.normpath(text) == text and text != os.pardir
            and not text.startswith(os.pardir + os.sep)):
        return text  # relative already, and inside: what the lines below make of it
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def read_text(path: Path, *, max_bytes: int = MAX_BYTES, name: str | None = None) -> str:
    """The file's text, checked for size and UTF-8, or a `ScorerError` naming the file
    (`name`, default: its `display_path`)."""
    name = display_path(path) if name is None else name
    return _decode(_read_regular_file(path, name, max_bytes + 1), name, max_bytes)


def read_stream(stream: BinaryIO, name: str = STDIN, *, max_bytes: int = MAX_BYTES) -> str:
    """The text of an open binary stream (standard input), under the limits of a file: at
    most `max_bytes` are read, and they must be UTF-8."""
    try:
        raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise ScorerError(f"cannot read: {exc.strerror}", name, kind="file") from None
    return _decode(raw, name, max_bytes)


def _decode(raw: bytes, name: str, max_bytes: int) -> str:
    """`raw` as text, or a `ScorerError` when it is too large or not UTF-8."""
    if len(raw) > max_bytes:
        raise ScorerError(
            f"file is larger than {max_bytes // (1024 * 1024)} MiB; "
            "a rubric or dossier is a few kilobytes",
            name,
            kind="file",
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
            kind="file",
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
            raise ScorerError("a symbolic link to a file that does not exist", name,
                              kind="file") from None
        raise ScorerError("no such file", name, kind="file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ScorerError("a symbolic link that loops: it never reaches a file", name,
                              kind="file") from None
        raise ScorerError(f"cannot read: {exc.strerror}", name, kind="file") from None
    with open(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        _refuse_special(status.st_mode, name)
        try:  # as much as the file holds, not a buffer of `limit` bytes for every file
            data = handle.read(min(limit, status.st_size + 1))
            return data + handle.read(limit - len(data)) if len(data) > status.st_size else data
        except OSError as exc:
            raise ScorerError(f"cannot read: {exc.strerror}", name, kind="file") from None


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
        raise ScorerError("is a directory, expected a YAML file", name, kind="file")
    if kind is not None:
        raise ScorerError(f"is {kind}, not a regular file; a rubric or dossier is a YAML "
                          "file: not read", name, kind="file")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while files are read and checked.

    A composed document keeps its node tree (thousands of objects, none in a cycle) until
    its file is checked; left running, the collector moves those objects to its oldest
    generation and then traces every object loaded so far, again and again: at 2,000
    dossiers that took more time than the reading. Paused, the tree is freed by reference
    counting when the file is done; paused over all the files of a workspace (loading makes
    no cycles), the collector traces what the loader keeps once, after the last file,
    rather than every few files."""
    if not gc.isenabled():  # paused already (a caller's, or ours one file up)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def load_file(path: Path, *, defer: bool = False, value_fields: Collection[str] = (),
              **limits: int) -> Document:
    """Read and parse one YAML file (see `parse`)."""
    max_bytes = limits.pop("max_bytes", MAX_BYTES)
    name = display_path(path)
    return parse(read_text(path, max_bytes=max_bytes, name=name), name, defer=defer,
                 value_fields=value_fields, **limits)


def parse(
    text: str, file: str = "<string>", *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES,
    defer: bool = False, value_fields: Collection[str] = (),
) -> Document:
    """Parse one YAML document of plain data; every problem is a `ScorerError` with a location.

    A value YAML 1.1 and 1.2 read differently (`yes`, `010`…) does not stop the parse: it is
    read as text, as YAML 1.2 reads it, and reported with the others at the end — or, with
    `defer`, left in `Document.problems` for the caller to report with its own. So is a
    number with thousands separators inside `{…}`, read as the text written.
    `value_fields` are keys that go beside a `value:` key (a dossier's `source`, `as_of`…):
    a bare value followed by one of them most likely lost its `value:`, and the error says
    so."""
    if _Loader is _CLoader:  # libyaml, unless a test asks for PyYAML's own parser
        document = _composed(text, file, max_depth, max_nodes)
        if document is not None:
            return document
    return _parse_events(text, file, max_depth=max_depth, max_nodes=max_nodes, defer=defer,
                         value_fields=value_fields)


def _parse_events(
    text: str, file: str = "<string>", *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES,
    defer: bool = False, value_fields: Collection[str] = (),
) -> Document:
    """`parse` by the reference reader: values built from the parser's events, every problem
    found, named and located as the events come."""
    builder = _Builder(file, max_depth, max_nodes, text)
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
        elif mark and ("mapping values are not allowed" in problem
                       or problem.startswith("did not find expected key")):
            hint = mapping_value_hint(_BREAK.split(text), mark.line, mark.column, value_fields)
            if hint is not None:
                problem, (line, column) = hint
        raise ScorerError(f"invalid YAML: {excerpt(problem, 300)}", file, line, column,
                          kind="yaml") from None
    except yaml.reader.ReaderError as exc:  # a position, not a line and column
        line, column = _line_column(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else None
        what = f"character U+{code:04X}" if code is not None else "character"
        raise ScorerError(f"invalid YAML: a {what} that YAML does not allow in a file "
                          "(a control character or non-character); remove it, or write it as "
                          "an escape such as \\x01 inside double quotes", file, line,
                          column, kind="yaml") from None
    except yaml.YAMLError as exc:  # pragma: no cover - every parser error is one of the above
        raise ScorerError(f"invalid YAML: {exc}", file, kind="yaml") from None
    if not builder.documents:
        raise ScorerError("file is empty: expected a YAML mapping", file, 1, 1, kind="yaml")
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


def _implicit_tag(text: str, implicit: tuple[bool, bool]) -> str:
    """The tag of a scalar written without one: YAML 1.1's for a plain scalar (checked
    against YAML 1.2 by `_yaml11_surprising`), str for a quoted one and for what YAML 1.1
    alone reads as a special value (`=`, `<<`, `!`)."""
    tag = _resolver.resolve(ScalarNode, text, implicit)
    return _STR_TAG if tag in _AS_TEXT else tag


def _value_of(tag: str, text: str) -> Any:
    """`text` read as a plain-data `tag`, as PyYAML's safe constructor reads it; a date not in
    the calendar (2024-06-31) stays text, for its field to judge. ValueError, LookupError
    (`!!bool maybe`, `!!int ''`) or YAMLError when the text is not of its tag."""
    try:
        return _constructor.yaml_constructors[tag](_constructor, ScalarNode(tag, text))
    except (ValueError, AttributeError, yaml.YAMLError):  # AttributeError: !!timestamp x
        if tag.endswith(":timestamp"):
            return text
        raise


# ---------------------------------------------------------------- the fast reader

_PLAIN = "plain scalar, read by scorer"
"""The tag the composer gives a plain scalar without one; compared by identity, so that no
tag a file writes can pass for it. Its value is read by `_plain`."""
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]*")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RESOLVED = frozenset(_resolver.yaml_implicit_resolvers)
"""First characters of the plain scalars YAML 1.1 may read as other than text."""
_KEY_SUSPECTS = frozenset("<0123456789")
"""First characters of a merge key (`<<`) and of a group of digits (`000`)."""
_WORDS = {**dict.fromkeys(("true", "True", "TRUE"), True),
          **dict.fromkeys(("false", "False", "FALSE"), False),
          **dict.fromkeys(("null", "Null", "NULL"), None)}
"""The plain words both YAML versions read as other than text; YAML 1.1 reads no other word
that starts with a letter but `_YAML11_WORDS`."""


class _Unusual(Exception):
    """What the fast reader leaves to the reference reader, which says what it is."""


if _CLoader is not None:
    class _Composer(_CLoader):  # type: ignore[valid-type, misc]
        """libyaml's composer with PyYAML's resolver hooks put to our use: each node is
        counted and its depth bounded as it is made (hostile input stops early, in bounded
        memory and stack: libyaml 0.2.5 bounds no depth), and a plain scalar is tagged
        `_PLAIN`, its text left for `_plain`."""

        def __init__(self, text: str, max_depth: int, max_nodes: int) -> None:
            super().__init__(text)
            depth = nodes = 0
            max_depth += 1  # the scalars of the deepest collection

            def descend(parent: Node | None, index: Any) -> None:
                nonlocal depth, nodes
                depth += 1
                nodes += 1
                if depth > max_depth or nodes > max_nodes:
                    raise _Unusual

            def ascend() -> None:
                nonlocal depth
                depth -= 1

            def resolve(kind: type, value: Any, implicit: Any) -> str:
                if kind is ScalarNode:
                    return _PLAIN if implicit[0] else _STR_TAG
                return _MAP_TAG if kind is MappingNode else _SEQ_TAG

            # closures rather than methods: libyaml calls them for every node, and a
            # closure's counters cost less to reach than the attributes of this instance,
            # and a closure found on the instance than a method bound anew for each call
            self.descend_resolver = descend
            self.ascend_resolver = ascend
            self.resolve = resolve  # type: ignore[method-assign]
            self.nodes = lambda: nodes


def _composed(text: str, file: str, max_depth: int, max_nodes: int) -> Document | None:
    """The document libyaml composes, walked once; None when it holds anything but plain
    data both YAML versions read alike, within the limits (an error, a tag, an alias, a merge
    or duplicate key, a refused value): the reference reader then says what, and where."""
    composer = _Composer(text, max_depth, max_nodes)
    try:
        root = composer.get_single_node()
        if root is None:
            return None
        built: dict[int, Node] = {}
        data = _plain_data(root, composer.nodes(), max_depth, text, built)
    except (_Unusual, yaml.YAMLError):
        return None
    finally:
        composer.dispose()
    return Document(data, file, tree=root, built=built)


def _plain_data(root: Node, composed: int, max_depth: int, text: str,
                built: dict[int, Node] | None = None) -> Any:
    """The plain data of a composed node tree, walked with an explicit stack; `_Unusual` for
    anything the reference reader must judge. A walk that meets more than the `composed`
    nodes has met a node twice: an alias, maybe one that loops. Each mapping and list made
    is entered in `built` with its node (see `Document.built`)."""
    built = {} if built is None else built
    pending: list[tuple[Node, Any, int]] = []
    data = _start(root, 1, max_depth, pending)
    visited = 1
    lines: list[str] | None = None
    plain, quoted, resolved, suspects = _PLAIN, _STR_TAG, _RESOLVED, _KEY_SUSPECTS
    while pending:
        node, into, depth = pending.pop()
        built[id(into)] = node
        children = node.value
        depth += 1
        if into.__class__ is list:
            visited += len(children)
            if visited > composed:
                raise _Unusual
            into.extend([_start(child, depth, max_depth, pending) for child in children])
            continue
        visited += 2 * len(children)
        if visited > composed:
            raise _Unusual
        for key_node, value_node in children:
            key, tag = key_node.value, key_node.tag
            if tag is plain:  # a scalar: `_Composer.resolve` tags only scalars so
                if key[:1] in suspects:  # `<<`, or maybe 000 of 800,000 inside {…}
                    if lines is None:
                        lines = _BREAK.split(text)
                    mark = key_node.start_mark
                    if key == "<<" or grouped_number(lines, mark.line, mark.column):
                        raise _Unusual
            elif tag != quoted or key_node.__class__ is not ScalarNode:
                raise _Unusual
            tag = value_node.tag
            if tag is plain:  # most values
                value = value_node.value
                into[key] = value if value[:1] not in resolved else _plain(value)
            elif tag is quoted and value_node.__class__ is ScalarNode:  # quoted text
                into[key] = value_node.value
            else:
                into[key] = _start(value_node, depth, max_depth, pending)
        if len(into) != len(children):  # a key met twice
            raise _Unusual
    return data


def _start(node: Node, depth: int, max_depth: int, pending: list[tuple[Node, Any, int]]) -> Any:
    """The value of `node`; a collection is returned empty and queued for the walk to fill."""
    kind = node.__class__
    if kind is ScalarNode:
        if node.tag is _PLAIN:
            return _plain(node.value)
        if node.tag == _STR_TAG:
            return node.value
    elif depth <= max_depth:
        if kind is MappingNode and node.tag == _MAP_TAG:
            value: Any = {}
        elif kind is SequenceNode and node.tag == _SEQ_TAG:
            value = []
        else:
            raise _Unusual
        pending.append((node, value, depth))
        return value
    raise _Unusual


def _plain(text: str) -> Any:
    """A plain scalar's value as the reference reader reads it; `_Unusual` for one it refuses
    (YAML 1.1 and 1.2 read it differently) or cannot read. Text, true, 42, 0.5 and 2025-08-26
    are read without YAML 1.1's resolver, the rest as the reference reader reads it."""
    first = text[:1]
    if first not in _RESOLVED:
        return text
    if first.isalpha() and "\n" not in text:  # a break: its resolver's `$` matches before
        if text in _WORDS:
            return _WORDS[text]
        if text in _YAML11_WORDS:
            raise _Unusual
        return text
    if _DECIMAL.fullmatch(text):
        if len(text) <= 18:
            return int(text)
    elif _FLOAT.fullmatch(text):
        return float(text)
    elif _DAY.fullmatch(text):
        day = _DAYS.get(text)
        if day is not None:
            return day
        try:
            return _kept(_DAYS, text, date(int(text[:4]), int(text[5:7]), int(text[8:])))
        except ValueError:
            return text  # 2024-06-31: text, for its field to judge
    tag = _implicit_tag(text, (True, False))
    if _yaml11_surprising(tag, text):
        raise _Unusual
    try:
        return _value_of(tag, text)
    except (ValueError, LookupError, yaml.YAMLError):
        raise _Unusual from None


class _Frame:
    __slots__ = ("anchor", "discard", "key", "key_mark", "last", "mark", "obj", "path", "size")

    def __init__(self, obj: dict | list, path: Path_, anchor: str | None, mark: Location):
        self.obj = obj
        self.path = path
        self.anchor = anchor
        self.mark = mark
        self.size = 1
        self.key: str | None = None
        self.key_mark: Location = mark
        self.last: str | None = None
        """The key of the last value set (a mapping's)."""
        self.discard = False
        """Whether the current key is a group of digits of the last value (`800,000`)."""


class _Builder:
    """Turns parser events into Python values with an explicit stack (no recursion)."""

    def __init__(self, file: str, max_depth: int, max_nodes: int, text: str = "") -> None:
        self.file = file
        self.text = text
        self.lines: list[str] | None = None
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
                       "differently", self.file, *self.unlisted[0], kind="yaml-value")
        return [*self.problems, more]

    def fail(self, message: str, mark: Location) -> ScorerError:
        return ScorerError(message, self.file, *mark, kind="yaml")

    def refuse(self, message: str, mark: Location) -> None:
        """A value read on, as YAML 1.2 reads it, and reported at the end."""
        if len(self.problems) < MAX_REFUSED:
            self.problems.append(Problem(message, self.file, *mark, kind="yaml-value"))
        else:
            self.unlisted.append(mark)

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
            if event.implicit[0] and self._thousands(top, key, mark):
                top.key, top.key_mark, top.discard = key, mark, True
                return
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
            tag = _implicit_tag(event.value, event.implicit)
            if event.implicit[0] and _yaml11_surprising(tag, event.value):
                self.refuse(_yaml11_surprise(tag, event.value), mark)
                tag = _STR_TAG  # as YAML 1.2 reads it; the problem fails the file all the same
        if tag not in _SCALAR_TAGS:
            raise self.fail(f"YAML tag {_shown_tag(tag)} is not allowed: only plain data is read",
                            mark)
        try:
            return _value_of(tag, event.value)
        except (ValueError, LookupError, yaml.YAMLError) as exc:
            kind = tag.rsplit(":", 1)[-1]
            reason = ("write true or false" if isinstance(exc, KeyError)  # !!bool maybe
                      else "it is empty" if isinstance(exc, IndexError)  # !!int ''
                      else "too many digits" if "digits" in str(exc) else str(exc))
            raise self.fail(f"cannot read '{excerpt(event.value)}' as {kind}: {reason}",
                            mark) from None

    def _thousands(self, top: _Frame, key: str, mark: Location) -> bool:
        """Whether `key` is a group of digits of the number before it, written with thousands
        separators inside `{…}` (`{value: 800,000,000}`: 800, then keys '000' and '000').
        The first time, the number becomes the text written, refused with a hint."""
        if not (key[:1].isdigit() and top.last is not None):
            return False
        if self.lines is None:
            self.lines = _BREAK.split(self.text)
        found = grouped_number(self.lines, mark[0] - 1, mark[1] - 1)
        if found is None:
            return False
        number, start = found
        if self.values.get((*top.path, top.last)) != (mark[0], start + 1):
            return False
        if top.obj[top.last] != number:
            top.obj[top.last] = number
            self.refuse(thousands_hint(number, flow=True), (mark[0], start + 1))
        return True

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
            if top.discard:  # a group of digits of the value before it, already reported
                top.key, top.discard = None, False
                return
            path = (*top.path, top.key)
            top.obj[top.key] = value
            self.keys[path] = top.key_mark
            top.last, top.key = top.key, None
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
    if tag == _STR_TAG:  # most text starts with a letter: no number
        return text[:1] in _NUMBER_STARTS and bool(_YAML12_NUMBER.match(text))
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
    if tag == _STR_TAG:
        return _yaml12_number(text)
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


def _yaml12_number(text: str) -> str:
    """Why a number of YAML 1.2 that YAML 1.1 reads as text (`8e8`, `0o17`) is refused,
    and the form both read alike."""
    shown = excerpt(text)
    if len(text) > 24:  # no one writes such a number: say what to do, without its value
        return (f"'{shown}' is a number in YAML 1.2 but text in YAML 1.1; write it in "
                "decimal (an exponent needs a '.' and a sign: 1.5e+9), or quote it for text")
    if text.startswith("0o"):
        return (f"'{text}' is octal in YAML 1.2 ({int(text[2:], 8)}) but text in YAML 1.1; "
                "write it in decimal, or quote it for text")
    mantissa, _, exponent = text.replace("E", "e").partition("e")
    number = float(text)
    both = (f"{mantissa if '.' in mantissa else mantissa + '.0'}e"
            f"{exponent if exponent[:1] in '+-' else '+' + exponent}")
    whole = (f" (or {int(number)} for a whole number)"
             if number.is_integer() and abs(number) < 1e18 else "")
    return (f"'{text}' is a number in YAML 1.2 ({number!r}) but text in YAML 1.1; write "
            f"{both}{whole}, or quote it (\"{text}\") for text")


def grouped_number(lines: list[str], line: int, column: int) -> tuple[str, int] | None:
    """The number with thousands separators (`800,000,000`) whose later group of digits
    starts at `column` of `lines[line]` (both counted from 0), and the column it starts
    at; None when the text there is not such a group: `{a: 1,2: b}` names a key '2'.

    Read from the text alone, so that any YAML composer can ask it about a key; it looks
    at most `MAX_NUMBER` characters either way, so a long line costs no more."""
    text = lines[line] if line < len(lines) else ""
    if not (2 <= column < len(text) and text[column - 1] == "," and text[column - 2].isdigit()
            and text[column].isdigit()):
        return None
    start = column
    while start > 0 and column - start <= MAX_NUMBER and text[start - 1] in "0123456789,":
        start -= 1
    start -= start > 0 and text[start - 1] in "+-"
    end = column
    while end < len(text) and end - column <= MAX_NUMBER and text[end] in "0123456789,.":
        end += 1
    found = _GROUPED.match(text, start, end)
    if found is None or found.end() <= column or end - start > MAX_NUMBER:
        return None
    before = text[start - 1] if start else " "
    after = text[found.end():found.end() + MAX_NUMBER].lstrip(" ")[:1]
    if before not in " \t:[{," or after not in ("", ",", "}", "]", "#"):
        return None
    return found.group(), start


def grouped(text: str) -> bool:
    """Whether `text` is a number written with thousands separators (`800,000,000`)."""
    return _GROUPED.fullmatch(text.strip()) is not None


def thousands_hint(number: str, *, flow: bool) -> str:
    """What to write instead of a number with thousands separators, in a message."""
    shown, plain = excerpt(number), excerpt(number.replace(",", ""))
    why = "inside {…} each comma starts a new entry" if flow else f"YAML reads '{shown}' as text"
    return (f"{shown}: write numbers without thousands separators: {plain} ({why}; "
            f"{excerpt(number.replace(',', '_'))} is refused too)"
            f"{', or quote it for text' if flow else ''}")


def mapping_value_hint(lines: list[str], line: int, column: int,
                       value_fields: Collection[str] = ()) -> tuple[str, Location] | None:
    """What most likely caused "mapping values are not allowed" (or "did not find expected
    key") at `column` of `lines[line]` (both from 0), and where to fix it (line and column
    from 1); None when the text around it suggests nothing:

    - a ': ' inside a value that is not quoted (`name: Flux: the cloud`);
    - a bare value, then a key at its indentation: the value lost its key (`value:` when
      that key is one of `value_fields`);
    - a key indented under a line that already has its value.

    Read from the text alone, so that any YAML parser can ask it about its error."""
    text = lines[line] if line < len(lines) else ""
    indent = len(text) - len(text.lstrip(" "))
    earlier = text.find(": ", indent, column)
    if earlier >= 0:
        key = text[indent:earlier].removeprefix("- ").strip()
        value = _uncommented(text[earlier + 2:])
        return (f"': ' inside the value of '{excerpt(key)}' ({excerpt(value)}): put the whole "
                "value in quotes if the colon belongs to the text", (line + 1, column + 1))
    named = re.match(r"([^:#'\"\s-][^:#]*):(?:\s|$)", text[indent:])
    if named is None:
        return None
    key = named[1].strip()
    shown, lost = excerpt(key), key in value_fields and key != "value"
    bare: list[int] = []  # the lines of a value without a key, upwards
    above, item = line - 1, False
    while above >= 0:
        content = _uncommented(lines[above])
        start = len(lines[above]) - len(lines[above].lstrip(" "))
        if not content:
            above -= 1
        elif start == indent and _bare(content):
            bare.append(above)
            above -= 1
        elif start + 2 == indent and content.startswith("- ") and _bare(content[2:]):
            bare.append(above)
            above, item = above - 1, True
            break
        else:
            break
    parent = value = ""
    if above >= 0 and not item:
        start = len(lines[above]) - len(lines[above].lstrip(" "))
        parent, sep, value = _uncommented(lines[above]).removeprefix("- ").partition(": ")
        if not (start < indent and sep and value.strip()[:1] not in ("", *"|>&!*{[")):
            parent = ""
    if parent:  # the key sits under a line that has its value (and maybe more lines of it)
        where = f"'{excerpt(parent)}: {excerpt(value.strip())}' (line {above + 1})"
        fix = (f"did you forget `value:`? Write '{excerpt(parent)}:', then 'value: "
               f"{excerpt(value.strip())}' and '{shown}: …' below it, indented alike" if lost
               else f"indent '{shown}' like '{excerpt(parent)}', or quote the text above if "
                    "': ' is part of it")
        return (f"'{shown}:' is indented under {where}, which already has its value: {fix}",
                (line + 1, indent + 1))
    if not bare:
        return None
    first = bare[-1]
    value = excerpt(_uncommented(lines[first][indent:]))
    value = value if value[:1] in ("'", '"') else f"'{value}'"
    forgot = ("did you forget `value:` before it?" if lost
              else "did you forget a key before it, or is ': ' part of the text (then quote "
                   "it)?")
    return (f"{value} stands without a key, and '{shown}:' follows it at the same "
            f"indentation (line {line + 1}): {forgot}", (first + 1, indent + 1))


def _bare(content: str) -> bool:
    """Whether a line's content is text alone: neither `key: value`, `key:` nor `- item`."""
    return not (": " in content or content.endswith(":") or content.startswith("- ")
                or content == "-")


def _uncommented(text: str) -> str:
    """A line without its comment (` # …`), stripped: '' for a comment line."""
    text = text.strip()
    return "" if text.startswith("#") else re.split(r"\s#", text, maxsplit=1)[0].strip()


def _yaml11_value(tag: str, text: str) -> str:
    """' (N)': what YAML 1.1 makes of a short number, for the message; '' if too long."""
    if len(text) > 24:
        return ""
    node = ScalarNode(tag, text)
    try:
        return f" ({_constructor.yaml_constructors[tag](_constructor, node)!r})"
    except (ValueError, yaml.YAMLError):
        return ""
