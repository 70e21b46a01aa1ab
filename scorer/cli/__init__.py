"""The `scorer` command line: parse options, call the library, render. Nothing else.

`app` holds the command group and the console entry point, `options` what the commands
share, and `commands/` one module per command. Heavy modules (pandas, pydantic, rich) are
imported inside the commands that use them, so `scorer --help` starts instantly and
`scorer compare` never loads openpyxl.
"""

from __future__ import annotations

from scorer.cli.app import cli, main

cli.add_lazily("init", "compare", "explain", "history", "diff", "validate", "rubric",
               "sensitivity", "export", "schema", "new")  # the order a user needs them in

__all__ = ["cli", "main"]
