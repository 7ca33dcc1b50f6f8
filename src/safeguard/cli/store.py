"""`safeguard backup` and `safeguard restore`: a consistent copy of the store and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safeguard.cli._common import console, fail, open_platform


def register(app: typer.Typer) -> None:
    """These commands sit at the top level of `safeguard`."""
    app.command("backup")(backup_store)
    app.command("restore")(restore_store)


def backup_store(
    out: Annotated[Path, typer.Argument(help="The backup file to write")],
) -> None:
    """Write a consistent copy of the store (SQLite online backup, or pg_dump)."""
    from safeguard.store.backup import BackupError, backup

    platform = open_platform()
    try:
        path = backup(platform.engine, out)
    except BackupError as exc:
        raise fail(str(exc)) from None
    console.print(
        f"Backed up {platform.settings.database_url} to {path}. "
        "Check it with `safeguard audit verify` after a restore."
    )


def restore_store(
    source: Annotated[Path, typer.Argument(help="A file made by `safeguard backup`")],
    replace: Annotated[bool, typer.Option(help="Overwrite a store that holds data")] = False,
) -> None:
    """Restore the store from a backup, then verify the audit chain."""
    from safeguard.bootstrap import bootstrap
    from safeguard.config import Settings
    from safeguard.store.backup import BackupError, restore
    from safeguard.store.engine import build_engine

    settings = Settings()
    engine = build_engine(settings.database_url)
    try:
        restore(engine, source, replace=replace)
    except BackupError as exc:
        raise fail(str(exc)) from None
    # The signed head outside the database describes the store before the restore: the chain is
    # checked on its own, and when intact its end becomes the head.
    result = bootstrap(settings).audit.verify(use_head=False)
    if result.problem is not None:
        raise fail(
            f"restored, but the audit log is broken at seq {result.problem.seq} "
            f"({result.problem.kind}): {' '.join(result.sentences())}"
        )
    console.print(f"Restored from {source}; the audit log verifies ({result.checked:,} entries).")
