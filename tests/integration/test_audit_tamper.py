"""The outside probe's audit tamperings (issue 19), as a database superuser would do them on
each store: drop the guards, delete the signed checkpoints, edit an entry and re-hash the whole
chain after it, cut the tail. The signed head kept outside the database makes each one show in
`audit verify`, which counts what it found in sentences."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from typer.testing import CliRunner

from safeguard.bootstrap import Platform
from safeguard.domain.audit import AuditEntry
from tests.conftest import Clocked
from tests.samples import CRIME, POLICE, TWO_CHILDREN

_TABLES = ("audit_log", "audit_checkpoints")


def fill(plat: Platform, entries: int = 13) -> None:
    """``entries`` audit entries (checkpoints every 5 in the ``clocked`` fixture)."""
    with plat.uow() as uow:
        for i in range(entries - uow.audit.count()):
            uow.audit.append(user_name=f"u{i}", role="mash", agency_code=POLICE, reason="work",
                             action="person.read", subject=f"p:{i}", outcome="allowed")  # fmt: skip


def as_superuser(plat: Platform, *statements: str) -> None:
    """Switch the append-only guards off (PostgreSQL: disable; SQLite: drop) and change."""
    with plat.engine.begin() as conn:
        _guards_off(conn)
        for statement in statements:
            conn.execute(text(statement))


def _guards_off(conn: Connection) -> None:
    for table in _TABLES:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_update"))
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))


def edit_and_rehash(plat: Platform, seq: int) -> None:
    """Change one entry's reason and re-hash it and every entry after it: an intact chain."""
    with plat.uow() as uow:
        entries = uow.audit.entries()
    prev = entries[seq - 2].entry_hash if seq > 1 else entries[0].prev_hash
    with plat.engine.begin() as conn:
        _guards_off(conn)
        for e in entries[seq - 1 :]:
            changed: AuditEntry = dataclasses.replace(e, prev_hash=prev)
            if e.seq == seq:
                changed = dataclasses.replace(changed, reason="nothing to see")
            new_hash = changed.computed_hash()
            conn.execute(
                text("UPDATE audit_log SET reason = :r, prev_hash = :p, entry_hash = :h "
                     "WHERE seq = :s"),
                {"r": changed.reason, "p": prev, "h": new_hash, "s": e.seq},
            )  # fmt: skip
            prev = new_hash


def found(plat: Platform) -> dict[str, int]:
    result = plat.audit.verify(batch=4)
    assert result.problem is not None and result.signed is None  # a broken log is not signed
    assert result.sentences()
    return dict(result.counts)


def test_an_untampered_log_verifies_and_each_verify_signs_its_end(clocked: Clocked) -> None:
    plat = clocked.platform
    fill(plat, 7)  # one automatic checkpoint (at 5); the tail is not yet signed
    result = plat.audit.verify()
    assert result.intact and result.signed is not None and result.signed.seq == 7
    with plat.uow() as uow:
        rows = uow.audit.checkpoints()
    assert [r.seq for r in rows] == [5, 7]
    assert rows[1].previous == rows[0].signature  # chained
    head = plat.audit.head
    assert head is not None and head.read() == result.signed
    file = Path(head.path)
    assert file.parent.parent == Path(plat.settings.data_dir)
    assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
    assert plat.audit.verify().intact  # verifying again is idempotent


def test_the_probe_deletes_every_checkpoint_edits_and_rehashes(clocked: Clocked) -> None:
    plat = clocked.platform
    fill(plat)
    assert plat.audit.verify().intact
    as_superuser(plat, "DELETE FROM audit_checkpoints")
    edit_and_rehash(plat, 3)
    counts = found(plat)
    assert counts.get("checkpoint_missing") == 1 and counts.get("head_mismatch") == 1, counts


def test_deleting_the_checkpoint_rows_alone_is_seen(clocked: Clocked) -> None:
    plat = clocked.platform
    fill(plat)
    assert plat.audit.verify().intact
    as_superuser(plat, "DELETE FROM audit_checkpoints")
    assert found(plat) == {"checkpoint_missing": 1}


def test_deleting_a_checkpoint_in_the_middle_is_seen(clocked: Clocked) -> None:
    plat = clocked.platform
    fill(plat)
    assert plat.audit.verify().intact  # checkpoints at 5, 10 and 13
    as_superuser(plat, "DELETE FROM audit_checkpoints WHERE seq = 10")
    assert found(plat) == {"checkpoint_missing": 1}


def test_edit_and_rehash_is_caught_by_the_next_checkpoint(clocked: Clocked) -> None:
    plat = clocked.platform
    fill(plat)
    assert plat.audit.verify().intact
    edit_and_rehash(plat, 3)
    counts = found(plat)
    # the checkpoints at 5, 10 and 13 and the head (13) no longer match
    assert counts == {"checkpoint": 3, "head_mismatch": 1}, counts


def test_cutting_the_tail_before_any_automatic_checkpoint_is_seen(clocked: Clocked) -> None:
    plat = clocked.platform
    fill(plat, 4)  # below the every-5 checkpoint: only `audit verify` has signed
    assert plat.audit.verify().intact
    as_superuser(plat, "DELETE FROM audit_log WHERE seq > 2", "DELETE FROM audit_checkpoints")
    counts = found(plat)
    assert counts == {"checkpoint_missing": 1, "truncated": 2}, counts


def test_a_deleted_or_altered_head_file_is_reported(clocked: Clocked) -> None:
    plat = clocked.platform
    fill(plat, 6)
    assert plat.audit.verify().intact
    head = plat.audit.head
    assert head is not None
    file = Path(head.path)
    body = file.read_text()
    file.write_text(body.replace('"seq": 6', '"seq": 60'))
    assert found(plat) == {"forged_head": 1}
    file.unlink()
    assert found(plat) == {"head_missing": 1}


def test_a_checkpoint_is_signed_when_the_minutes_have_passed(clocked: Clocked) -> None:
    plat = clocked.platform
    fill(plat, 2)
    with plat.uow() as uow:
        assert uow.audit.checkpoints() == []
        policy = uow.checkpoints
        assert policy is not None
        policy.last_signed -= policy.minutes * 60  # as if ten minutes had passed
    fill(plat, 3)
    with plat.uow() as uow:
        assert [r.seq for r in uow.audit.checkpoints()] == [3]


def test_verify_reports_the_tampering_in_sentences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeguard.cli import app

    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("SAFEGUARD_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner(env={"COLUMNS": "300"})
    for name, body in (("p.csv", TWO_CHILDREN), ("e.csv", CRIME)):
        (tmp_path / name).write_bytes(body)
        assert (
            runner.invoke(app, ["ingest", str(tmp_path / name), "--agency", POLICE]).exit_code == 0
        )
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "Signed its end at seq" in ok.output, ok.output
    from safeguard.bootstrap import bootstrap

    plat = bootstrap()
    try:
        as_superuser(plat, "DELETE FROM audit_checkpoints", "DELETE FROM audit_log WHERE seq > 1")
    finally:
        plat.close()
    broken = runner.invoke(app, ["audit", "verify"])
    text_out = " ".join(broken.output.split())
    assert broken.exit_code == 1, broken.output
    assert "The audit log has been tampered with." in text_out
    assert "1 gap was found in the chain of signed checkpoints" in text_out
    assert "entries shorter than its latest signed checkpoint" in text_out


def test_the_server_signs_the_end_of_the_log_when_it_stops(clocked: Clocked) -> None:
    from fastapi.testclient import TestClient

    from safeguard.api import create_app

    plat = clocked.platform
    fill(plat, 3)
    with TestClient(create_app(plat)):
        pass
    with plat.uow() as uow:
        assert [r.seq for r in uow.audit.checkpoints()] == [3]


def test_restoring_an_older_backup_moves_the_head_back_once_verified(
    clocked: Clocked, tmp_path: Path
) -> None:
    from safeguard.store.backup import backup, restore

    plat = clocked.platform
    fill(plat, 7)
    assert plat.audit.verify().intact  # head at 7
    file = backup(plat.engine, tmp_path / "old.backup")
    fill(plat, 12)
    assert plat.audit.verify().intact  # head at 12
    restore(plat.engine, file, replace=True)
    assert found(plat).get("truncated") == 5  # the head outside remembers the longer log
    restored = plat.audit.verify(use_head=False)  # what `safeguard restore` runs
    assert restored.intact and restored.signed is not None and restored.signed.seq == 7
    assert plat.audit.verify().intact
