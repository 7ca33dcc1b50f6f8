"""Every CSV and ODS the platform writes goes through here: a text cell that a spreadsheet
would run as a formula (it starts with = + - @, a tab or a carriage return) is written with a
leading apostrophe, as OWASP's guidance on CSV injection says. Numbers, including negative
ones written as text, are left as they are."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["csv_text", "safe_cell", "safe_frame", "write_csv"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` unless it is text a spreadsheet would evaluate; then the same text, inert."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        if _NUMBER.fullmatch(value.strip()):
            return value
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, index and column names are all ``safe_cell``."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    out.index = out.index.map(safe_cell)
    return out


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """CSV of ``header`` and ``rows`` with every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def write_csv(path: Path, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> int:
    """``header`` and ``rows`` written to ``path`` as UTF-8 CSV, a row at a time (an extract of a
    million rows never sits in memory as text), every cell made safe; returns the rows written."""
    written = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
            written += 1
    return written
