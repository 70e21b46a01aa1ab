"""The README as code: run its examples, check the output it shows, or rewrite that output.

    python -m tests.readme --check    run every example; exit 1 listing every mismatch
    python -m tests.readme --write    rewrite the shown output of every checked command

What runs, from the repository root:

- every ```python block, in order, in one shared namespace;
- in ```console blocks, every command `$ scorer …` whose output is shown: the lines after it,
  up to the next `$ ` line or the end of the block. It runs in-process with click's CliRunner
  (COLUMNS=100, no colour), stdout and stderr together, as a user sees them. Other commands
  (`$ pip …`) and commands shown without output are not run; pipes and redirects are refused.

Comparison ignores trailing whitespace and trailing blank lines. A shown line that is exactly
`...` or `…` stands for any number of lines (0 or more), so long outputs can be elided.
`--write` replaces a block without elisions by the real output; a block with elisions keeps
them and its fragments: the leading fragment keeps its number of lines from the top, the
trailing one from the bottom, and each fragment between elisions moves to the line of the real
output most like its first line, keeping its length. A fragment that cannot be placed is
reported and the block left for a human.

Directive: an HTML comment on the line right before a console block sets where its commands
run (each command afresh):

    <!-- readme: cwd=DIR -->        in DIR, relative to the repository root
    <!-- readme: overlay=DIR -->    in a temporary copy of the repository's rubrics/ and
                                    projects/ with the files of DIR copied over them

so that `$ scorer compare` can show what a user sees with, say, one broken dossier added.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import itertools
import os
import shlex
import shutil
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ELLIPSES = ("...", "…")
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "FORCE_COLOR": None, "SCORER_TODAY": "2026-11-26"}
"""What every example runs with: 100 columns, no colour, and today pinned (the default date of
an analysis), so the README's output does not change with the calendar."""
OVERLAID = ("rubrics", "projects")  # what an overlay directive copies from the repository
_SHELL = set("();<>|&")


class ReadmeError(Exception):
    """An example that cannot be run or rewritten; the message names its README line."""


@dataclass(frozen=True)
class Block:
    """One fenced block: its language, the README line of its opening fence, its lines."""

    lang: str
    line: int
    lines: tuple[str, ...]
    directive: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Command:
    """A `$ scorer …` line of a console block and the output shown after it."""

    text: str
    line: int  # README line of the `$ ` line; the shown output starts on the next one
    shown: tuple[str, ...]  # normalised: no trailing whitespace or trailing blank lines
    directive: dict[str, str] = field(default_factory=dict)
    source: str = "README.md"

    def __str__(self) -> str:
        return f"{self.source}:{self.line} $ {self.text}"


def parse(text: str, source: str = "README.md") -> list[Block]:
    """The fenced blocks of a Markdown text, with the `<!-- readme: … -->` line before each."""
    lines = text.splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        fence = lines[index]
        if not fence.startswith("```"):
            index += 1
            continue
        end = next((i for i in range(index + 1, len(lines)) if lines[i].startswith("```")),
                   None)
        if end is None:
            raise ReadmeError(f"{source}:{index + 1}: fenced block never closed")
        before = lines[index - 1].strip() if index else ""
        blocks.append(Block(fence[3:].strip(), index + 1, tuple(lines[index + 1:end]),
                            _directive(before)))
        index = end + 1
    return blocks


def _directive(line: str) -> dict[str, str]:
    """`<!-- readme: key=value … -->` → {key: value}; any other line → {}."""
    if not (line.startswith("<!-- readme:") and line.endswith("-->")):
        return {}
    words = line.removeprefix("<!-- readme:").removesuffix("-->").split()
    return dict(word.partition("=")[::2] for word in words)


def normalise(lines: Sequence[str]) -> list[str]:
    """Lines without trailing whitespace, and without trailing blank lines."""
    result = [line.rstrip() for line in lines]
    while result and not result[-1]:
        result.pop()
    return result


def commands(blocks: Sequence[Block], source: str = "README.md") -> list[Command]:
    """Every `$ ` command of the console blocks, with the output shown after it."""
    found: list[Command] = []
    for block in blocks:
        if block.lang != "console":
            continue
        starts = [i for i, line in enumerate(block.lines) if line.startswith("$ ")]
        for start, stop in itertools.pairwise([*starts, len(block.lines)]):
            found.append(Command(block.lines[start][2:].strip(), block.line + 1 + start,
                                 tuple(normalise(block.lines[start + 1:stop])),
                                 block.directive, source))
    return found


def checked(blocks: Sequence[Block], source: str = "README.md") -> list[Command]:
    """The commands that are run and compared: `scorer …` with some output shown."""
    return [c for c in commands(blocks, source)
            if (c.text == "scorer" or c.text.startswith("scorer ")) and c.shown]


# ---------------------------------------------------------------------------- comparison

def _fragments(shown: Sequence[str]) -> tuple[list[list[str]], list[str]]:
    """The shown lines cut at each elision line, and the elision lines themselves."""
    fragments: list[list[str]] = [[]]
    markers: list[str] = []
    for line in shown:
        if line in ELLIPSES:
            markers.append(line)
            fragments.append([])
        else:
            fragments[-1].append(line)
    return fragments, markers


def _find(fragment: Sequence[str], actual: Sequence[str], start: int) -> int | None:
    """The first index from `start` where `actual` holds `fragment` line for line."""
    size = len(fragment)
    return next((i for i in range(start, len(actual) - size + 1)
                 if list(actual[i:i + size]) == list(fragment)), None)


def locate(shown: Sequence[str], actual: Sequence[str]) -> list[int] | None:
    """Where each fragment of `shown` starts in `actual`, or None when they do not match.

    Both are normalised. Fragments between elisions are found leftmost-first, which is
    enough for a pattern whose only wildcard is "any number of lines".
    """
    fragments, _ = _fragments(shown)
    if len(fragments) == 1:
        return [0] if list(shown) == list(actual) else None
    first, *middle, last = fragments
    if list(actual[:len(first)]) != first:
        return None
    starts, cursor = [0], len(first)
    for fragment in middle:
        start = _find(fragment, actual, cursor)
        if start is None:
            return None
        starts.append(start)
        cursor = start + len(fragment)
    end = len(actual) - len(last)
    if end < cursor or list(actual[end:]) != last:
        return None
    return [*starts, end]


def matches(shown: Sequence[str], actual: str | Sequence[str]) -> bool:
    """Whether the output shown in the README is what the command printed."""
    lines = actual.splitlines() if isinstance(actual, str) else actual
    return locate(normalise(shown), normalise(lines)) is not None


def _relocate(fragment: Sequence[str], actual: Sequence[str], cursor: int) -> int | None:
    """Where a fragment between elisions now starts: at the line most like its first one."""
    anchor = next((k for k, line in enumerate(fragment) if line.strip()), None)
    if anchor is None:
        return cursor
    candidates = list(actual[cursor + anchor:])
    best = difflib.get_close_matches(fragment[anchor], candidates, n=1, cutoff=0.8)
    return cursor + candidates.index(best[0]) if best else None


def update(shown: Sequence[str], actual: str | Sequence[str]) -> list[str] | None:
    """The shown output brought up to date with `actual`, or None if a human must do it."""
    shown = normalise(shown)
    real = normalise(actual.splitlines() if isinstance(actual, str) else actual)
    fragments, markers = _fragments(shown)
    if not markers:
        return real
    if locate(shown, real) is not None:
        return shown
    first, *middle, last = fragments
    pieces, cursor = [real[:len(first)]], len(first)
    for fragment in middle:
        start = _relocate(fragment, real, cursor)
        if start is None:
            return None
        pieces.append(real[start:start + len(fragment)])
        cursor = start + len(fragment)
    if len(real) - len(last) < cursor:
        return None
    pieces.append(real[len(real) - len(last):])
    result = pieces[0]
    for marker, piece in zip(markers, pieces[1:], strict=True):
        result += [marker, *piece]
    return result if locate(result, real) is not None else None


def mismatch(command: Command, actual: str) -> str:
    """A readable report: the diff from the shown output to what `--write` would show."""
    proposal = update(command.shown, actual)
    note = "" if proposal is not None else (
        "\n(--write cannot place the elided fragments: edit this block by hand)")
    diff = difflib.unified_diff(list(command.shown), proposal or normalise(actual.splitlines()),
                                fromfile=f"{command.source}:{command.line + 1} (shown)",
                                tofile="real output", lineterm="")
    return f"{command}: the output shown is not the real output{note}\n" + "\n".join(diff)


# ---------------------------------------------------------------------------- running

def argv(command: Command) -> list[str]:
    """The command's arguments after `scorer`; pipes and redirects are refused."""
    lexer = shlex.shlex(command.text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    if any(set(token) <= _SHELL for token in lexer):
        raise ReadmeError(f"{command}: pipes and redirects are not supported in a command "
                          "whose output is shown; show the output of `scorer …` alone")
    return shlex.split(command.text)[1:]


@contextlib.contextmanager
def _place(command: Command) -> Iterator[Path]:
    """The folder the command runs in, as its block's directive says."""
    directive = dict(command.directive)
    unknown = set(directive) - {"cwd", "overlay"}
    if unknown or len(directive) > 1:
        raise ReadmeError(f"{command}: the directive takes one of cwd=DIR or overlay=DIR, "
                          f"not {' '.join(f'{k}={v}' for k, v in directive.items())}")
    if not directive:
        yield ROOT
        return
    key, value = next(iter(directive.items()))
    folder = ROOT / value
    if not folder.is_dir():
        raise ReadmeError(f"{command}: directive {key}={value}: no such folder")
    if key == "cwd":
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="readme-") as tmp:
        for name in OVERLAID:
            shutil.copytree(ROOT / name, Path(tmp) / name)
        shutil.copytree(folder, tmp, dirs_exist_ok=True)
        yield Path(tmp)


def run(command: Command) -> str:
    """What the user sees: the command's stdout and stderr, run in-process."""
    from click.testing import CliRunner

    from scorer.cli import cli

    args = argv(command)
    with _place(command) as folder, contextlib.chdir(folder):
        result = CliRunner(env=ENV).invoke(cli, args, prog_name="scorer", color=False)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(*result.exc_info))
        raise ReadmeError(f"{command}: the command crashed\n{crash}")
    return result.output


def run_python(blocks: Sequence[Block], source: str = "README.md") -> dict[str, object]:
    """Execute the python blocks in order in one namespace, from the repository root."""
    namespace: dict[str, object] = {"__name__": "__readme__"}
    with contextlib.chdir(ROOT):
        for block in (b for b in blocks if b.lang == "python"):
            if block.directive:
                raise ReadmeError(f"{source}:{block.line}: directives are for console blocks")
            # Leading newlines make tracebacks give the README's own line numbers.
            code = compile("\n" * block.line + "\n".join(block.lines), source, "exec")
            try:
                exec(code, namespace)
            except Exception as exc:
                raise ReadmeError(f"{source}:{block.line}: python block failed: "
                                  f"{type(exc).__name__}: {exc}") from exc
    return namespace


# ---------------------------------------------------------------------------- check, write

def check(path: Path = README) -> list[str]:
    """Every way the README's examples differ from what they do: one message each."""
    blocks = parse(path.read_text(encoding="utf-8"), path.name)
    problems: list[str] = []
    try:
        run_python(blocks, path.name)
    except ReadmeError as exc:
        problems.append(str(exc))
    for command in checked(blocks, path.name):
        try:
            actual = run(command)
        except ReadmeError as exc:
            problems.append(str(exc))
            continue
        if not matches(command.shown, actual):
            problems.append(mismatch(command, actual))
    return problems


def write(path: Path = README) -> tuple[int, list[str]]:
    """Rewrite the shown outputs in place (atomically): (blocks changed, problems left)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    replacements: list[tuple[Command, list[str]]] = []
    problems: list[str] = []
    for command in checked(parse(text, path.name), path.name):
        try:
            new = update(command.shown, run(command))
        except ReadmeError as exc:
            problems.append(str(exc))
            continue
        if new is None:
            problems.append(f"{command}: cannot place the elided fragments in the real "
                            "output; left as it is, edit it by hand")
        elif new != list(command.shown):
            replacements.append((command, new))
    for command, new in reversed(replacements):  # from the bottom, so line numbers hold
        lines[command.line:command.line + len(command.shown)] = new
    if replacements:
        _write_atomic(path, "\n".join(lines) + "\n")
    return len(replacements), problems


def _write_atomic(path: Path, text: str) -> None:
    """Write beside the target, then move into place: a failure leaves the old file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv_: Sequence[str] | None = None) -> int:
    """`python -m tests.readme --check|--write [README]`: exit 1 when anything is left."""
    parser = argparse.ArgumentParser(prog="python -m tests.readme", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="report every mismatch")
    mode.add_argument("--write", action="store_true", help="rewrite the shown outputs")
    parser.add_argument("readme", nargs="?", type=Path, default=README,
                        help="the Markdown file (default: README.md of the repository)")
    options = parser.parse_args(argv_)
    if options.write:
        changed, problems = write(options.readme)
        print(f"{options.readme}: {changed} output{'s' if changed != 1 else ''} rewritten")
    else:
        problems = check(options.readme)
    for problem in problems:
        print(problem, end="\n\n", file=sys.stderr)
    if options.check and not problems:
        print(f"{options.readme}: every example is true")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
