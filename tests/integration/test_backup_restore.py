"""Backup and restore round trip on both stores, with the audit chain verified afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard.bootstrap import Platform
from safeguard.domain.actors import Account
from safeguard.store.backup import BackupError, backup, restore
from tests.samples import CRIME, POLICE, TWO_CHILDREN, persons_csv

SYSTEM = Account("police-rms", "agency_system", POLICE)


def counts(platform: Platform) -> tuple[int, int, int]:
    with platform.uow() as uow:
        return uow.records.count(), uow.events.count(), uow.audit.count()


def test_backup_then_restore_brings_back_exactly_what_was_held(
    platform: Platform, tmp_path: Path
) -> None:
    platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)
    platform.ingest.submit(CRIME, "events.csv", POLICE, SYSTEM)
    before = counts(platform)
    file = backup(platform.engine, tmp_path / "store.backup")
    assert file.stat().st_size > 0

    platform.ingest.submit(
        persons_csv({"local_id": "LATER", "nhs_number": ""}), "later.csv", POLICE, SYSTEM
    )
    assert counts(platform) != before

    with pytest.raises(BackupError, match="--replace"):
        restore(platform.engine, file)
    restore(platform.engine, file, replace=True)
    assert counts(platform) == before
    result = platform.audit.verify()
    assert result.problem is None and result.checked == before[2]


def test_restore_explains_a_missing_file(platform: Platform, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="does not exist"):
        restore(platform.engine, tmp_path / "nothing.backup", replace=True)


def test_backup_and_restore_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from safeguard.cli import app

    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    runner = CliRunner(env={"COLUMNS": "200"})
    feed = tmp_path / "people.csv"
    feed.write_bytes(TWO_CHILDREN)
    assert runner.invoke(app, ["ingest", str(feed), "--agency", POLICE]).exit_code == 0
    made = runner.invoke(app, ["backup", str(tmp_path / "b.backup")])
    assert made.exit_code == 0, made.output
    refused = runner.invoke(app, ["restore", str(tmp_path / "b.backup")])
    assert refused.exit_code == 1 and "--replace" in refused.output
    done = runner.invoke(app, ["restore", str(tmp_path / "b.backup"), "--replace"])
    assert done.exit_code == 0 and "the audit log verifies" in done.output
