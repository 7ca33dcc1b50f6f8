"""The batch standardiser run on a few records, for tests that hold the real-time Python twin
(`standardise_record`) to it."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from safeguard.analytics.standardise import INPUT_COLUMNS, STANDARD_COLUMNS, standardise


def standardised_by_sql(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Record id → the standardised columns the SQL path gives that record."""
    con = duckdb.connect()
    con.register("src", pd.DataFrame(records, columns=list(INPUT_COLUMNS)).astype("string"))
    standardise(con, "src", "std")
    cols = ", ".join(STANDARD_COLUMNS)
    return {
        r[0]: dict(zip(STANDARD_COLUMNS, r, strict=True))
        for r in con.execute(f"SELECT {cols} FROM std").fetchall()
    }
