"""The README's examples are true: its Python runs and its console output is the real one.

`python -m tests.readme --write` rewrites the shown output after a deliberate change.
"""

from __future__ import annotations

import pytest

from tests import readme

BLOCKS = readme.parse(readme.README.read_text(encoding="utf-8"))
COMMANDS = readme.checked(BLOCKS)


def test_every_python_block_runs() -> None:
    assert any(block.lang == "python" for block in BLOCKS), "README.md has no python block"
    try:
        readme.run_python(BLOCKS)
    except readme.ReadmeError as exc:
        pytest.fail(str(exc))


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_console_output_is_real(command: readme.Command) -> None:
    actual = readme.run(command)
    if not readme.matches(command.shown, actual):
        pytest.fail(readme.mismatch(command, actual), pytrace=False)


# ---------------------------------------------------------------- the machinery itself

def test_an_ellipsis_line_stands_for_any_number_of_lines() -> None:
    actual = ["title", "a", "b", "total: 3", "footer"]
    assert readme.matches(["title", "...", "footer"], actual)
    assert readme.matches(["title", "…", "a", "b", "…", "footer"], actual)
    assert readme.matches(["...", "total: 3", "..."], actual)
    assert readme.matches(["title", "...", "a", "b", "total: 3", "footer"], actual)  # 0 lines
    assert readme.matches(["title   ", "a", "b", "total: 3", "footer", "", ""], actual)


def test_a_wrong_missing_or_extra_line_fails() -> None:
    actual = ["title", "a", "b", "footer"]
    assert not readme.matches(["title", "...", "total: 4", "..."], actual)
    assert not readme.matches(["title", "a", "footer"], actual)  # no implicit elision
    assert not readme.matches(["title", "a", "b", "footer", "more"], actual)
    assert not readme.matches(["title", "...", "b"], actual)  # the end is anchored
    assert not readme.matches(["  …", "footer"], actual)  # only a bare `…` elides


def test_write_keeps_elisions_and_moves_fragments_to_their_new_place() -> None:
    assert readme.update(["old", "lines"], "new\n") == ["new"]
    kept = ["...", "Token: 3", "  a", "..."]
    assert readme.update(kept, "x\nToken: 3\n  a\n  b\n") == kept
    moved = readme.update(["head", "...", "Token economy: 3", "  a", "...", "end"],
                          "head\nTech: 4\n  q\nToken economy: 4\n  b\n  c\nfoot\nend\n")
    assert moved == ["head", "...", "Token economy: 4", "  b", "...", "end"]
    assert readme.update(["...", "Gone entirely", "..."], "something else\n") is None


def test_commands_are_split_with_their_output_line_and_directive() -> None:
    text = ("Intro\n\n<!-- readme: overlay=tests/data/readme/broken -->\n```console\n"
            "$ pip install scorer\n$ scorer compare\nline 1\n\n$ scorer rubric\n```\n")
    blocks = readme.parse(text)
    assert [c.text for c in readme.commands(blocks)] == [
        "pip install scorer", "scorer compare", "scorer rubric"]
    [command] = readme.checked(blocks)  # pip is not scorer; rubric's output is not shown
    assert (command.line, command.text, command.shown) == (6, "scorer compare", ("line 1",))
    assert command.directive == {"overlay": "tests/data/readme/broken"}
    assert str(command) == "README.md:6 $ scorer compare"


def test_pipes_and_redirects_are_refused_with_the_readme_line() -> None:
    for text in ("scorer compare | head -3", "scorer rubric > METHOD.md", "scorer x 2>&1"):
        with pytest.raises(readme.ReadmeError, match=r"README\.md:12 .*pipes and redirects"):
            readme.argv(readme.Command(text, 12, ("out",)))
    assert readme.argv(readme.Command("scorer compare --weights 'risk=2,team=1'", 1, ())) == [
        "compare", "--weights", "risk=2,team=1"]
