"""Fast bulk inserts for ingest: COPY on PostgreSQL, a plain executemany on SQLite.

SQLAlchemy's per-row parameter processing costs more than the database itself at ingest
volumes, so values are prepared here the way SQLAlchemy would store them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Table, insert

ANALYZE_AFTER = 5_000


def _utc_text(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DATETIME storage format; times are kept as UTC.
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _date_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, DateTime):
        return _utc_text
    if isinstance(column_type, Date):
        return _date_text
    if isinstance(column_type, Boolean):
        return _flag
    return None


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (all with the same keys) inside the connection's transaction."""
    if not rows:
        return
    columns = list(rows[0])
    dialect = conn.dialect.name
    if dialect == "postgresql":
        raw = conn.connection.driver_connection
        names = ", ".join(columns)
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        if len(rows) >= ANALYZE_AFTER:
            # Fresh statistics, or the planner keeps scanning whole tables it thinks are empty.
            conn.exec_driver_sql(f"ANALYZE {table.name}")
    elif dialect == "sqlite":
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
        converters = [_sqlite_converter(table.c[c].type) for c in columns]
        plain = [c for c, f in zip(columns, converters, strict=True) if f is None]
        if len(plain) == len(columns):
            values = [tuple(row[c] for c in columns) for row in rows]
        else:
            pairs = list(zip(columns, converters, strict=True))
            values = [tuple(f(row[c]) if f else row[c] for c, f in pairs) for row in rows]
        conn.exec_driver_sql(sql, values)
    else:
        conn.execute(insert(table), list(rows))
