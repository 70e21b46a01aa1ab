"""Plain-text formats: JSON, CSV and every tabulate format (markdown, grid, latex, html, …)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

FORMAT_ALIASES = {"markdown": "github", "md": "github"}
"""Friendly names for tabulate formats."""


def tabulate_formats() -> list[str]:
    from tabulate import tabulate_formats as formats

    return sorted({*formats, *FORMAT_ALIASES})


def to_json(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return buffer.getvalue()


def to_tabulate(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """Cells are shown as given (3.50 stays 3.50); columns of numbers align right."""
    from tabulate import tabulate

    align = ["right" if rows and all(_numeric(row[i]) for row in rows) else "left"
             for i in range(len(headers))]
    return tabulate(rows, headers=list(headers), tablefmt=FORMAT_ALIASES.get(fmt, fmt),
                    disable_numparse=True, colalign=align) + "\n"


def _numeric(cell: Any) -> bool:
    text = str(cell).rstrip("%*")
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True
