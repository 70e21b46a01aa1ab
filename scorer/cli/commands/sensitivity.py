"""`scorer sensitivity`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from scorer.cli.options import (
    OutputFormat,
    analysis_options,
    console,
    run_sensitivity,
    sampling_options,
)

if TYPE_CHECKING:  # annotations only: `scorer --help` must not import pandas
    from scorer.analysis import Analysis



@click.command()
@analysis_options
@sampling_options
@click.option("--format", "fmt", type=OutputFormat("table", "json"), default="table",
              show_default=True, help="table (terminal) or json.")
def sensitivity(a: Analysis, samples: int, seed: int, concentration: float | None,
                evidence: bool, fmt: str) -> None:
    """Test whether the ranking survives other weights.

    Four analyses of the ranking at the chosen weights:

    \b
      stability     for each axis, the exact range of its weight (the others
                    keeping their proportions) over which the winner stays
                    first, and over which the whole ranking stays the same;
      one at a time the weights at which two projects swap, found exactly;
      one point off whose rank would move if one axis score were one step off;
      Monte Carlo   SMAA-2: the share of random weightings giving each project
                    each rank, P(row above column), and the mean weights under
                    which each project ranks first.

    \b
    Examples:
      scorer sensitivity
      scorer sensitivity --as-of 2025-08-26 --samples 100000
      scorer sensitivity --profile token_holder --concentration 50 --format json
    """
    from scorer.writers import text

    result = run_sensitivity(a, samples, seed, concentration, evidence)
    if fmt == "json":
        click.echo(text.to_json(result.to_dict()), nl=False)
    else:
        from scorer.writers.terminal.sensitivity import sensitivity_view

        console().print(sensitivity_view(result))
