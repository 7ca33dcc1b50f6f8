"""Formula-safe CSV for files a researcher opens in a spreadsheet.

A private helper until the platform's shared CSV writer lands: a cell starting with ``=``,
``+``, ``-``, ``@`` (or a tab or carriage return) is run as a formula by spreadsheet programs,
so it gets a leading apostrophe (OWASP "CSV injection"). Numbers are written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with a leading apostrophe when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` under ``header``; returns the number of data rows written."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
            n += 1
    return n
