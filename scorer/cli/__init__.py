"""The `scorer` command line: parse options, call the library, render. Nothing else.

`app` holds the command group and the console entry point, `options` what the commands
share, and `commands/` one module per command. Heavy modules (pandas, pydantic, rich) are
imported inside the commands that use them, so `scorer --help` starts instantly and
`scorer compare` never loads openpyxl.
"""

from __future__ import annotations

from scorer.cli.app import cli, main
from scorer.cli.commands import (
    compare,
    diff,
    explain,
    export,
    history,
    init,
    new,
    rubric,
    schema,
    sensitivity,
    validate,
)

for _module in (init, compare, explain, history, diff, validate, rubric, sensitivity, export,
                schema, new):  # in the order a user needs them, which `scorer --help` keeps
    cli.add_command(getattr(_module, _module.__name__.rpartition(".")[2]))

__all__ = ["cli", "main"]
