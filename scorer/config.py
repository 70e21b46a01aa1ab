"""Where scorer finds a workspace, and the defaults a project sets for it.

Each setting comes from the first of: a command-line option; an environment variable
(`ENVIRONMENT`); the `[tool.scorer]` table of the nearest pyproject.toml that has one
(`KEYS`); discovery, the nearest workspace; the built-in defaults (`DEFAULT_RUBRIC`,
`DEFAULT_PROJECTS`, in the working folder). A workspace is a folder that holds
rubrics/default.yaml or projects/; the search goes from the working folder up through its
parents to the home folder (or the root, outside it), and the home folder counts only with a
rubric: a `~/projects` folder is seldom one of dossiers.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scorer.errors import Problem, ScorerError, did_you_mean
from scorer.i18n import LANGS

DEFAULT_RUBRIC = Path("rubrics/default.yaml")
DEFAULT_PROJECTS = Path("projects")
"""Where a workspace keeps its rubric and dossiers, relative to its folder."""
RELIABILITIES = ("primary", "secondary", "low")
"""The trust floors a run may hold sources to, strictest first (`--min-reliability`)."""
ENVIRONMENT = {"projects": "SCORER_PROJECTS", "rubric": "SCORER_RUBRIC", "lang": "SCORER_LANG"}
"""The environment variable of each setting that has one."""
KEYS = {
    "projects": "folder of dossiers, relative to the pyproject.toml's folder",
    "rubric": "the rubric file, relative to the pyproject.toml's folder",
    "lang": f"language of the output: {', '.join(LANGS)}",
    "profile": "the rubric's weight profile to use",
    "min_reliability": f"trust floor of sources: {', '.join(RELIABILITIES)}",
}
"""The keys of `[tool.scorer]`, with what each sets."""
PYPROJECT = "pyproject.toml"
MAX_PYPROJECT = 1 << 20
"""A pyproject.toml larger than this is refused rather than read (1 MiB)."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """What a workspace sets; None where it says nothing."""

    projects: Path | None = None
    rubric: Path | None = None
    lang: str | None = None
    profile: str | None = None
    min_reliability: str | None = None

    def given(self) -> dict[str, Any]:
        """The settings that are set, by name."""
        return {key: value for key, value in dataclasses.asdict(self).items()
                if value is not None}

    def over(self, other: Settings) -> Settings:
        """These settings, and `other`'s where these say nothing."""
        return dataclasses.replace(other, **self.given())


def folders(start: Path | None = None, home: Path | None = None) -> list[Path]:
    """The folders searched, nearest first: `start` (default: the working folder) and its
    parents up to `home` (default: the user's) when `start` is inside it, else up to the
    root; none when the working folder cannot be known (deleted)."""
    try:
        here = Path(os.path.abspath(start if start is not None else Path.cwd()))
    except OSError:
        return []
    found = [here, *here.parents]
    top = _home(home)
    return found[:found.index(top) + 1] if top in found else found


def discover(start: Path | None = None, home: Path | None = None) -> Settings:
    """The nearest workspace's rubrics/default.yaml and projects/, relative to `start`
    (default: the working folder). A name that exists as anything (a file, a folder, a
    broken link) counts: the loader says what is wrong with it."""
    top = _home(home)
    for folder in folders(start, home):
        rubric, projects = folder / DEFAULT_RUBRIC, folder / DEFAULT_PROJECTS
        if os.path.lexists(rubric) or (os.path.lexists(projects) and folder != top):
            return Settings(projects=_shown(projects, start), rubric=_shown(rubric, start))
    return Settings()


def _home(home: Path | None) -> Path | None:
    try:
        return Path(os.path.abspath(home if home is not None else Path.home()))
    except (OSError, RuntimeError):  # no home folder to be found
        return None


def pyproject(start: Path | None = None, home: Path | None = None) -> Settings:
    """The `[tool.scorer]` table of the nearest pyproject.toml that has one, checked; its
    paths are relative to its folder. A file that cannot be read or that holds a bad value
    is a `ScorerError` naming it (and the key and its line)."""
    for folder in folders(start, home):
        path = folder / PYPROJECT
        if os.path.lexists(path):
            table, text, shown = _scorer_table(path, start)
            if table is not None:
                return _settings(table, text, shown, folder, start)
    return Settings()


def defaults(start: Path | None = None, home: Path | None = None) -> Settings:
    """What a workspace sets without options or environment: pyproject over discovery."""
    return pyproject(start, home).over(discover(start, home))


def resolve(environ: Mapping[str, str] | None = None, start: Path | None = None,
            home: Path | None = None) -> Settings:
    """Every setting as the command line takes it without options: the environment
    (`ENVIRONMENT`) over `defaults`, over the built-in rubric and projects folder."""
    environ = os.environ if environ is None else environ
    from_environment = Settings(**{
        key: Path(value) if key in ("projects", "rubric") else value
        for key, name in ENVIRONMENT.items() if (value := environ.get(name, "").strip())})
    built_in = Settings(projects=DEFAULT_PROJECTS, rubric=DEFAULT_RUBRIC)
    return from_environment.over(defaults(start, home).over(built_in))


def _scorer_table(path: Path, start: Path | None) -> tuple[Any, str, str]:
    """The `[tool.scorer]` value of a pyproject.toml (None when it has none), its text and
    its name as shown; a file that mentions scorer but cannot be read or parsed is an error."""
    from scorer.safeyaml import display_path, read_text

    shown = display_path(path)
    text = read_text(path, max_bytes=MAX_PYPROJECT)
    if "scorer" not in text:  # most pyproject.toml files: not worth parsing
        return None, text, shown
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        raise ScorerError(f"invalid TOML: {message}", shown,
                          *((int(where[1]), int(where[2])) if where else ())) from None
    tool = document.get("tool")
    return (tool.get("scorer") if isinstance(tool, dict) else None), text, shown


def _settings(table: Any, text: str, shown: str, folder: Path,
              start: Path | None) -> Settings:
    """`[tool.scorer]` checked, every problem at once."""
    if not isinstance(table, dict):
        raise ScorerError("[tool.scorer] must be a table of settings: "
                          + ", ".join(KEYS), shown, _key_line(text, None))
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        line = _key_line(text, key)
        if key not in KEYS:
            problems.append(Problem(f"[tool.scorer]: unknown key '{key}'"
                                    f"{did_you_mean(key, KEYS)}; the keys are "
                                    + ", ".join(KEYS), shown, line))
            continue
        problem = _value_problem(key, value)
        if problem:
            problems.append(Problem(f"[tool.scorer] {key}: {problem}", shown, line))
        elif key in ("projects", "rubric"):
            target = Path(value).expanduser()
            values[key] = target if target.is_absolute() else _shown(folder / target, start)
        else:
            values[key] = value
    if problems:
        raise ScorerError(problems)
    return Settings(**values)


def _value_problem(key: str, value: Any) -> str | None:
    """Why `value` cannot be the setting `key`, or None."""
    if not isinstance(value, str) or not value.strip():
        return f"expected a non-empty string, not {_toml_repr(value)}"
    if "\x00" in value:
        return "a path or name cannot hold a NUL character"
    choices = {"lang": LANGS, "min_reliability": RELIABILITIES}.get(key)
    if choices is not None and value not in choices:
        return (f"'{value}' is not one of {', '.join(choices)}"
                f"{did_you_mean(value, choices)}")
    return None


def _toml_repr(value: Any) -> str:
    from scorer.untrusted import excerpt

    kind = {bool: "true/false", int: "a number", float: "a number", list: "an array",
            dict: "a table"}.get(type(value))
    return kind or excerpt(repr(value))


_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*(?:scorer|\"scorer\")\s*\]\s*(#.*)?$")
_HEADER = re.compile(r"^\s*\[")


def _key_line(text: str, key: str | None) -> int | None:
    """The line of `key` in the `[tool.scorer]` table (of the header itself for None), or
    None when the table is written otherwise (dotted keys, an inline table)."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if _TABLE.match(line):
            if key is None:
                return number
            inside = True
        elif _HEADER.match(line):
            inside = False
        elif inside and re.match(rf"^\s*(\"|')?{re.escape(key)}(\"|')?\s*=", line):
            return number
    return None


def _shown(path: Path, start: Path | None) -> Path:
    """`path` relative to the working folder (`start`), as a user would type it: `projects`,
    `../rubrics/default.yaml`; an absolute path when no relative one exists."""
    try:
        here = os.path.abspath(start if start is not None else Path.cwd())
        return Path(os.path.relpath(os.path.abspath(path), here))
    except (OSError, ValueError):  # no working folder; another drive
        return Path(os.path.abspath(path))
