"""Colours shared by the workbook and the notebook view, so both look alike."""

from __future__ import annotations

SCALE_COLOURS = ("F8696B", "FFEB84", "63BE7B")
"""Lowest score of the scale → middle → highest: red, yellow, green (Excel's own scale)."""
OVERRIDE_COLOUR = "9C0006"
"""Analyst overrides: bold italic in this dark red."""
HEADER_FILL = "DDE4EE"


def scale_colour(value: float, low: float, high: float) -> str:
    """The colour of `value` on a three-colour scale from `low` to `high`, as 'RRGGBB'."""
    share = 0.5 if high <= low else min(max((value - low) / (high - low), 0.0), 1.0)
    start, end = (SCALE_COLOURS[0], SCALE_COLOURS[1]) if share <= 0.5 else (
        SCALE_COLOURS[1], SCALE_COLOURS[2])
    part = share * 2 if share <= 0.5 else share * 2 - 1
    channels = [round(int(start[i:i + 2], 16) * (1 - part) + int(end[i:i + 2], 16) * part)
                for i in (0, 2, 4)]
    return "".join(f"{c:02X}" for c in channels)
