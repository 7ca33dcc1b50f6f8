"""Backups of the operational store: SQLite's online backup API, or pg_dump / pg_restore.

A backup is one file. Restoring refuses to overwrite a store that already holds data unless told
to, so a mistyped target cannot wipe a live store.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why in a sentence."""


def backup(engine: Engine, target: Path) -> Path:
    """Write a consistent copy of the store to ``target`` while it stays in use."""
    url = engine.url
    target.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only from the first byte: a backup holds every child's records.
    target.touch(mode=0o600, exist_ok=True)
    os.chmod(target, 0o600)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database or ":memory:")
        try:
            with sqlite3.connect(target) as copy:
                source.backup(copy)
        finally:
            source.close()
        os.chmod(target, 0o600)
        return target
    if url.get_backend_name() == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq(engine)],
            "pg_dump",
        )
        os.chmod(target, 0o600)
        return target
    raise BackupError(f"backups of {url.get_backend_name()} stores are not supported")


def restore(engine: Engine, source: Path, *, replace: bool = False) -> None:
    """Load ``source`` (made by :func:`backup`) into the store ``engine`` points at."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist; give a file made by `safeguard backup`")
    if inspect(engine).get_table_names() and not replace:
        raise BackupError("the target store already holds tables; pass --replace to overwrite it")
    url = engine.url
    engine.dispose()
    if url.get_backend_name() == "sqlite":
        if not url.database:
            raise BackupError("an in-memory SQLite store cannot be restored into")
        _check_sqlite_backup(source)
        with sqlite3.connect(source) as backup_db, sqlite3.connect(url.database) as live:
            backup_db.backup(live)
        return
    if url.get_backend_name() == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={_libpq(engine)}",
                str(source),
            ],
            "pg_restore",
        )
        return
    raise BackupError(f"restores into {url.get_backend_name()} stores are not supported")


def _check_sqlite_backup(source: Path) -> None:
    """Refuse a file that is no store made by `safeguard backup` before touching the target
    (an empty or foreign file would otherwise "restore" an empty store)."""
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db:
            version = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise BackupError(
            f"{source} is not a safeguard backup ({exc}); give a file made by `safeguard backup`"
        ) from None
    if version is None:
        raise BackupError(f"{source} holds no schema version; it is not a safeguard backup")


def _libpq(engine: Engine) -> str:
    """The SQLAlchemy URL as a libpq connection string for the PostgreSQL tools."""
    url = make_url(engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _run(command: list[str], tool: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian package postgresql-client)")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{tool} failed: {last}")
