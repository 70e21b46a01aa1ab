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
from scorer.sampling import TOP

if TYPE_CHECKING:  # annotations only: `scorer --help` must not import pandas
    from scorer.analysis import Analysis



@click.command()
@analysis_options
@sampling_options
@click.option("--top", type=click.IntRange(1, None), default=TOP, show_default=True,
              metavar="K",
              help="List what changes one of the K best ranks: crossings, one-point-off "
                   "moves, critical evidence, rank acceptability; count the rest.")
@click.option("--full", is_flag=True,
              help="List everything instead: every crossing, every move and settlement "
                   "with every rank it moves, every rank's acceptability (JSON written as "
                   "it is computed; large beyond a few hundred projects).")
@click.option("--format", "fmt", type=OutputFormat("table", "json"), default="table",
              show_default=True, help="table (terminal) or json.")
def sensitivity(a: Analysis, samples: int, seed: int, concentration: float | None,
                evidence: bool, top: int, full: bool, fmt: str) -> None:
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

    What is listed is bounded to the --top best ranks, with counts of
    the rest, so the report stays readable at any number of projects;
    --full lists everything.

    \b
    Examples:
      scorer sensitivity
      scorer sensitivity --as-of 2025-08-26 --samples 100000
      scorer sensitivity --profile token_holder --concentration 50 --format json
      scorer sensitivity --top 3 --format json | jq .bounded
    """
    result = run_sensitivity(a, samples, seed, concentration, evidence, top, full)
    if fmt == "json":
        from scorer.writers import text

        for block in text.blocks(text.stream_json(result.record())):
            click.echo(block, nl=False)
    else:
        from scorer.writers.terminal.sensitivity import sensitivity_view

        console().print(sensitivity_view(result))
