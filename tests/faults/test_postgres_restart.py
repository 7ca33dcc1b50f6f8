"""PostgreSQL restarted (crash-stopped) in the middle of a large `safeguard ingest`, on a
throwaway cluster this test starts itself (never the shared server): one clear error
sentence, nothing half-written, and a re-send after recovery stores the whole file."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from tests.faults.big import AGENCY, write_big_feeds
from tests.faults.test_sigkill import assert_whole

pytestmark = pytest.mark.postgres
BIN = Path("/usr/lib/postgresql/15/bin")
PEOPLE = 3000


def _as_postgres(*command: str) -> list[str]:
    """Run a server tool as the postgres user when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def throwaway_cluster() -> Iterator[tuple[str, Path]]:
    """A PostgreSQL 15 cluster in a temporary folder on a free port: (URL, its folder)."""
    if not (BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries at {BIN} (Debian postgresql-15)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: initdb cannot run as the postgres user")
    home = Path(tempfile.mkdtemp(prefix="sg-pg-"))
    data = home / "data"
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    port = _free_port()
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
    try:
        subprocess.run(
            _as_postgres(
                str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"
            ),  # fmt: skip
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            _as_postgres(
                str(BIN / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(home / "log"),
                "-w",
                "start",
            ),  # fmt: skip
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", home
    finally:
        subprocess.run(
            _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
            capture_output=True,
            timeout=120,
            check=False,
        )
        shutil.rmtree(home, ignore_errors=True)


def _ingest_cli(url: str, path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "SAFEGUARD_DATABASE_URL": url, "SAFEGUARD_ENVIRONMENT": "test",
           "COLUMNS": "200"}  # fmt: skip
    env.pop("SAFEGUARD_DEBUG", None)
    command = [sys.executable, "-c", "from safeguard.cli import main; main()"]
    return subprocess.Popen(
        [*command, "ingest", str(path), "--agency", AGENCY],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_write(url: str, ingest: subprocess.Popen[str], timeout: float = 120) -> None:
    """Until the ingest's transaction is writing (seen in pg_stat_activity)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    watch = text(
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
        "AND xact_start IS NOT NULL AND (query ILIKE '%source_records%' OR query ILIKE 'COPY%')"
    )
    end = time.monotonic() + timeout
    try:
        with engine.connect() as conn:
            while conn.execute(watch).scalar_one() == 0:
                assert ingest.poll() is None, ingest.communicate()
                assert time.monotonic() < end, "the ingest never started writing"
                time.sleep(0.02)
    finally:
        engine.dispose()


def test_postgres_restart_mid_load_is_a_clear_error_then_a_clean_resend(
    throwaway_cluster: tuple[str, Path], tmp_path: Path
) -> None:
    started = time.perf_counter()
    url, home = throwaway_cluster
    persons, _events = write_big_feeds(tmp_path, PEOPLE)
    bootstrap(Settings(database_url=url, environment="test")).close()  # schema in place

    ingest = _ingest_cli(url, persons)
    _wait_for_write(url, ingest)
    # The server outlives pg_ctl: it must log to its file, not to pipes we would wait on.
    subprocess.run(
        _as_postgres(
            str(BIN / "pg_ctl"),
            "-D",
            str(home / "data"),
            "-l",
            str(home / "log"),
            "-m",
            "immediate",
            "-w",
            "restart",
        ),  # fmt: skip
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )
    out, err = ingest.communicate(timeout=120)
    assert ingest.returncode == 1, (out, err)
    assert "Traceback" not in err and "[SQL" not in err, err
    message = " ".join(err.split())
    assert message.startswith("error: the store stopped answering while"), message
    assert "send the file again" in message

    platform = bootstrap(Settings(database_url=url, environment="test"))
    try:
        assert assert_whole(platform) == (0, 0)  # crash recovery left nothing half-written
        again = _ingest_cli(url, persons)
        out, err = again.communicate(timeout=180)
        assert again.returncode == 0, (out, err)
        assert assert_whole(platform) == (PEOPLE, 0)
    finally:
        platform.close()
    print(f"postgres restart: {time.perf_counter() - started:.1f} s")  # noqa: T201
