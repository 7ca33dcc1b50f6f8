"""The DuckDB adapter: the only code in safeguard that runs analytical SQL.

Data arrive as Arrow tables (extracted from the store with SQLAlchemy) or Parquet files; the
DuckDB scanner extensions are not used, so nothing is downloaded at run time.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"{name!r} is not a plain lower-case table name")
    return name


class AnalyticsDB:
    """An in-process DuckDB database holding the tables of one analysis."""

    def __init__(self, threads: int | None = None, memory_limit: str | None = None) -> None:
        config: dict[str, Any] = {}
        if threads:
            config["threads"] = threads
        if memory_limit:
            config["memory_limit"] = memory_limit
        self._con = duckdb.connect(":memory:", config=config)

    def register(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table queryable as ``name`` (zero-copy)."""
        self._con.register(_check_name(name), table)

    def register_parquet(self, name: str, path: Path | str) -> None:
        """Make Parquet file(s) (a path or glob) queryable as ``name`` without loading them."""
        literal = str(path).replace("'", "''")
        self._con.execute(
            f"CREATE OR REPLACE VIEW {_check_name(name)} AS SELECT * FROM read_parquet('{literal}')"
        )

    def view(self, name: str, sql: str) -> None:
        """Name a query (no parameters: views cannot hold them) without running it."""
        self._con.execute(f"CREATE OR REPLACE VIEW {_check_name(name)} AS {sql}")

    def materialise(self, name: str, sql: str, params: list[Any] | None = None) -> None:
        """Store a query's result as a table, for results several later queries reuse."""
        self._con.execute(f"CREATE OR REPLACE TABLE {_check_name(name)} AS {sql}", params or [])

    def frame(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a query and return its result as a pandas DataFrame."""
        return self._con.execute(sql, params or []).df()

    def arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        return self._con.execute(sql, params or []).to_arrow_table()

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> AnalyticsDB:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
