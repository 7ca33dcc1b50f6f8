"""Fast bulk inserts for ingest: COPY on PostgreSQL, a plain executemany on SQLite.

SQLAlchemy's per-row parameter processing costs more than the database itself at ingest
volumes, so values are prepared here the way SQLAlchemy would store them. Rows can come as
dicts (``bulk_insert``) or, cheaper, as tuples in a named column order with the values every
row shares given once (``bulk_insert_tuples``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from itertools import repeat
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    String,
    Table,
    any_,
    bindparam,
    insert,
)

ANALYZE_AFTER = 5_000


def _utc_text(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DATETIME storage format (zero-padded year, microseconds always);
    # times are kept as UTC. isoformat writes exactly that text, several times faster than
    # strftime (which also left years before 1000 unpadded).
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def _date_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _memo(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert`` remembered per value for one insert: a file repeats its times and dates."""
    seen: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = out = convert(value)
            return out

    return cached


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, DateTime):
        return _memo(_utc_text)
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
    bulk_insert_tuples(conn, table, columns, [tuple(row[c] for c in columns) for row in rows])


def bulk_insert_tuples(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    values: Sequence[tuple[Any, ...]],
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert ``values`` (tuples in ``columns`` order) plus ``constants`` (the same in every
    row, converted once) inside the connection's transaction."""
    if not values:
        return
    constants = dict(constants or {})
    names = [*columns, *constants]
    dialect = conn.dialect.name
    if dialect == "postgresql":
        raw = conn.connection.driver_connection
        fixed = tuple(constants.values())
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                write = copy.write_row
                if fixed:
                    for row in values:
                        write(row + fixed)
                else:
                    for row in values:
                        write(row)
        if len(values) >= ANALYZE_AFTER:
            # Fresh statistics, or the planner keeps scanning whole tables it thinks are empty.
            conn.exec_driver_sql(f"ANALYZE {table.name}")
    elif dialect == "sqlite":
        marks = ", ".join("?" for _ in names)
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
        fixed = tuple(
            f(v) if (f := _sqlite_converter(table.c[c].type)) else v for c, v in constants.items()
        )
        converters = [_sqlite_converter(table.c[c].type) for c in columns]
        rows: Sequence[tuple[Any, ...]] = values
        if any(converters):
            # Column by column: map and zip loop in C, a per-value generator did not.
            cells = zip(*values, strict=True)
            rows = list(
                zip(
                    *(map(f, col) if f else col for f, col in zip(converters, cells, strict=True)),
                    *(repeat(v, len(values)) for v in fixed),
                    strict=True,
                )
            )
        elif fixed:
            rows = [row + fixed for row in values]
        conn.exec_driver_sql(sql, rows)
    else:
        names_rows = [dict(zip(names, (*row, *constants.values()), strict=True)) for row in values]
        conn.execute(insert(table), names_rows)


def select_in(
    conn: Connection, sql: str, params: Sequence[Any], values: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (qmark parameters ``params``, then ``{values}`` where the membership
    list goes, as ``column {values}``) for every item of ``values``, as plain tuples.

    One ``= ANY(array)`` statement on PostgreSQL, chunks of 900 (below SQLite's parameter
    limit) on SQLite. Compiling a SQLAlchemy IN per chunk cost more than running it at ingest
    volumes. Values come back as the driver gives them (SQLite dates are text).
    """
    if not values:
        return []
    # The DBAPI cursor of this same connection (and transaction): SQLAlchemy's result rows
    # cost more per row than the lookup itself.
    cursor = conn.connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            statement = sql.replace("?", "%s").format(values="= ANY(%s)")
            cursor.execute(statement, (*params, list(values)))
            return [tuple(r) for r in cursor.fetchall()]
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(values), 900):
            chunk = tuple(values[start : start + 900])
            statement = sql.format(values=f"IN ({', '.join('?' * len(chunk))})")
            cursor.execute(statement, (*params, *chunk))
            out.extend(cursor.fetchall())
        return out
    finally:
        cursor.close()


def member_of(
    conn: Connection, column: ColumnElement[str], values: Sequence[str]
) -> Iterator[ColumnElement[bool]]:
    """``column IN values`` as few, cheap statements: one ``= ANY(array)`` on PostgreSQL (a
    900-item IN list costs more to build and parse than to run), chunks of 900 on SQLite.
    Any list that can grow with the store must go this way: one IN holding every value
    passes the drivers' parameter limits (32,766 on SQLite, 65,535 on PostgreSQL)."""
    items = list(values)
    if not items:
        return
    if conn.dialect.name == "postgresql":
        yield column == any_(bindparam("member_values", items, type_=ARRAY(String)))
        return
    for start in range(0, len(items), 900):
        yield column.in_(items[start : start + 900])
