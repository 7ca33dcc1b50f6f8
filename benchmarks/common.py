"""Pieces several benchmarks share: a PostgreSQL database made (and dropped) for a run, and
the latency percentiles every table reports."""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

#: The server the tests and benchmarks use (trust authentication, see README).
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def database_url(server_url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``server_url``."""
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@contextmanager
def _server(server_url: str) -> Iterator[Connection]:
    """A connection to the server outside any transaction (CREATE/DROP DATABASE need it)."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            yield conn
    finally:
        admin.dispose()


def postgres_exists(server_url: str, name: str) -> bool:
    with _server(server_url) as conn:
        query = text("SELECT 1 FROM pg_database WHERE datname = :n")
        return conn.execute(query, {"n": name}).first() is not None


def create_postgres(server_url: str, name: str) -> str:
    with _server(server_url) as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return database_url(server_url, name)


def drop_postgres(server_url: str, name: str) -> None:
    with _server(server_url) as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def postgres_database(server_url: str, name: str, keep: bool = False) -> Iterator[str]:
    """A fresh database for one run, dropped afterwards unless ``keep``; yields its URL."""
    url = create_postgres(server_url, name)
    try:
        yield url
    finally:
        if not keep:
            drop_postgres(server_url, name)


def percentiles(ms: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 (inclusive method, so a short run still gives its largest values)."""
    if len(ms) == 1:
        return ms[0], ms[0], ms[0]
    q = statistics.quantiles(sorted(ms), n=100, method="inclusive")
    return q[49], q[94], q[98]
