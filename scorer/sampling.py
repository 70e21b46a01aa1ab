"""The sensitivity analysis's arguments — samples, seed, concentration, top — their bounds
and their check.

One home for the bounds: the CLI's options show and enforce them (a usage error), and
`Analysis.sensitivity` refuses anything outside with an `ArgumentError`. Plain Python, so
`scorer --help` can state them without loading numpy.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

from scorer.errors import ArgumentError

MAX_SAMPLES = 10_000_000
"""At most this many Monte Carlo samples: on 2 cores, the 5 bundled dossiers take 11 s and
160 MB with evidence drawn (3 s without); time grows linearly (10⁸: 110 s) and memory does
not. At 10⁷ a share's sampling error is below 0.02 percentage points: no output shows it."""
MAX_SEED = 2**32 - 1
"""Seeds are 0 … 2³² − 1: numpy takes any non-negative integer, but a seed must also survive
JSON and a spreadsheet cell exactly (above 2⁵³ it would not) to be re-run."""
MIN_CONCENTRATION = 1.0
"""Below 1, Dirichlet(K·w) piles the weight onto single axes, the opposite of 'around the
chosen weights': numpy's draws have axes of exactly zero weight in 2 % of samples at
K = 0.5, 38 % at 0.1 and 96 % at 0.01, and at 10⁻³ 97 % give all the weight to one axis."""
MAX_CONCENTRATION = 1e6
"""Above 10⁶ a drawn weight strays from the chosen one by under 0.0005 (its standard
deviation is √(w(1 − w)/(K + 1))): no output could show the difference. numpy copes with
any finite K (tried up to 1.7·10³⁰⁸); K = inf gives NaN draws, and NaN passes unnoticed."""

TOP = 10
"""The sensitivity analysis lists what reaches this many best ranks (crossings, one-point-off
moves, critical evidence, rank acceptability) and counts the rest: what a person or a script
can use at any number of projects."""


def check_top(top: object) -> None:
    """Refuse a `top` that is not a whole number of at least 1 (`ArgumentError`)."""
    if not _whole(top) or top < 1:  # type: ignore[operator]
        raise ArgumentError("top", f"must be a whole number, at least 1, not {top!r}")


def check_sampling(samples: object, seed: object, concentration: object) -> None:
    """Refuse a sample count, seed or concentration outside its bounds (`ArgumentError`
    naming the argument); `concentration` None means uniform weights."""
    if not _whole(samples) or not 1 <= samples <= MAX_SAMPLES:  # type: ignore[operator]
        raise ArgumentError("samples", f"must be a whole number from 1 to {MAX_SAMPLES:,}, "
                            f"not {samples!r}")
    if not _whole(seed) or not 0 <= seed <= MAX_SEED:  # type: ignore[operator]
        raise ArgumentError("seed", f"must be a whole number from 0 to {MAX_SEED:,}, "
                            f"not {seed!r}")
    if concentration is None:
        return
    number = isinstance(concentration, Real) and not isinstance(concentration, bool)
    if not (number and math.isfinite(concentration)  # type: ignore[arg-type]
            and MIN_CONCENTRATION <= concentration <= MAX_CONCENTRATION):  # type: ignore[operator]
        raise ArgumentError("concentration", f"must be a number from {MIN_CONCENTRATION:g} to "
                            f"{MAX_CONCENTRATION:g} (or None: uniform weights), "
                            f"not {concentration!r}")


def _whole(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)
