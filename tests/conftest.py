"""Shared fixtures: a platform on SQLite and on PostgreSQL, run by the same test bodies."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings

POSTGRES_URL = os.environ.get(
    "SAFEGUARD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# The signed audit head is kept under the data directory (one file per store URL): keep the
# tests' heads out of the working tree.
os.environ.setdefault("SAFEGUARD_DATA_DIR", tempfile.mkdtemp(prefix="safeguard-test-data-"))
REQUIRE_POSTGRES = os.environ.get("SAFEGUARD_REQUIRE_POSTGRES") == "1" or bool(os.environ.get("CI"))


def _postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    if not _postgres_available():
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required here but {POSTGRES_URL} does not answer")
        pytest.skip("PostgreSQL is not running (set SAFEGUARD_REQUIRE_POSTGRES=1 to fail instead)")
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh database per test, dropped afterwards."""
    name = f"sg_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def platform(store_url: str) -> Iterator[Platform]:
    """The wired platform on each store (the same test body runs on both)."""
    settings = Settings(database_url=store_url, environment="test")
    plat = bootstrap(settings)
    try:
        yield plat
    finally:
        plat.close()


@pytest.fixture
def sqlite_platform(tmp_path: os.PathLike[str]) -> Iterator[Platform]:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/store.db", environment="test")
    plat = bootstrap(settings)
    try:
        yield plat
    finally:
        plat.close()


class FakeClock:
    """An injectable "now" for sharing deadlines; tests move it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class FakeAlerts:
    """Alert assignments as the risk capability will report them: (user, person) pairs."""

    def __init__(self) -> None:
        self.pairs: set[tuple[str, str]] = set()

    def assigned(self, user_name: str, person_id: str) -> bool:
        return (user_name, person_id) in self.pairs


@dataclass
class Clocked:
    platform: Platform
    clock: FakeClock
    alerts: FakeAlerts


@pytest.fixture
def clocked(store_url: str) -> Iterator[Clocked]:
    """A platform on each store whose clock and alert assignments the test controls."""
    clock = FakeClock(datetime(2024, 4, 1, 22, 0, tzinfo=UTC))
    alerts = FakeAlerts()
    settings = Settings(database_url=store_url, environment="test")
    plat = bootstrap(settings, clock=clock, alerts=alerts, checkpoint_every=5)
    try:
        yield Clocked(plat, clock, alerts)
    finally:
        plat.close()
