"""The chronology across agencies in time order, the append-only audit log in the store,
`verify` over the store, checkpoints, and the subject-access export — on both stores."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from safeguard.domain.actors import Account
from tests.conftest import Clocked
from tests.samples import CRIME, CSC, POLICE, TWO_CHILDREN, events_csv, persons_csv

POLICE_RMS = Account("police-rms", "agency_system", POLICE)
CSC_SYSTEM = Account("csc-system", "agency_system", CSC)


def load(env: Clocked) -> str:
    plat = env.platform
    plat.ingest.submit(TWO_CHILDREN, "p.csv", POLICE, POLICE_RMS)
    plat.ingest.submit(CRIME, "e.csv", POLICE, POLICE_RMS)
    # Social care knows the same child (same NHS number) and records two events around the crime.
    plat.ingest.submit(persons_csv({"local_id": "S1"}), "p.csv", CSC, CSC_SYSTEM)
    social = events_csv(
        {"local_id": "SD1", "event_type": "strategy_discussion", "occurred_at": "2024-04-02",
         "participants": "subject:S1"},
        {"local_id": "RF1", "event_type": "referral", "occurred_at": "2024-01-15T09:00:00",
         "participants": "subject:S1"},
    )  # fmt: skip
    plat.ingest.submit(social, "e.csv", CSC, CSC_SYSTEM)
    with plat.uow() as uow:
        return str(uow.records.history(POLICE, "P1")[0].person_id)


def test_chronology_is_every_agency_in_time_order(clocked: Clocked) -> None:
    child = load(clocked)
    token = clocked.platform.accounts.add_user("sw", CSC, ["practitioner"])
    user = clocked.platform.accounts.authenticate(token)
    assert user is not None
    chronology = clocked.platform.sharing.chronology(user, child)
    assert [(e["agency_code"], e["local_id"], e["role"]) for e in chronology.events] == [
        (CSC, "RF1", "subject"),
        (POLICE, "C1", "victim"),
        (CSC, "SD1", "subject"),
    ]
    assert chronology.events[1]["details"]["flags"] == ["CSE"]
    assert chronology.basis == "own agency holds a record"


def test_the_audit_log_refuses_update_and_delete_in_the_store(clocked: Clocked) -> None:
    load(clocked)
    for statement in ("UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with clocked.platform.engine.begin() as conn:
                conn.execute(text(statement))
    assert clocked.platform.audit.verify().intact


def _without_guard(env: Clocked, statement: str) -> None:
    """Tamper as a database superuser would: switch the guard off, change, switch it on."""
    with env.platform.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            conn.execute(text(statement))
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
            conn.execute(text(statement))


@pytest.mark.parametrize(
    ("statement", "kind", "seq"),
    [
        ("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 3", "edited", 3),
        ("DELETE FROM audit_log WHERE seq = 2", "missing", 2),
        ("DELETE FROM audit_log WHERE seq > 5", "truncated", 6),
    ],
)
def test_verify_finds_tampering_in_the_store(
    clocked: Clocked, statement: str, kind: str, seq: int
) -> None:
    load(clocked)  # six entries: a checkpoint at 5 (every 5 in this fixture), and the tail signed
    signed = clocked.platform.audit.checkpoint()
    assert signed is not None and signed.seq == 6
    assert clocked.platform.audit.verify().intact
    _without_guard(clocked, statement)
    problem = clocked.platform.audit.verify(batch=2).problem
    assert problem is not None and (problem.kind, problem.seq) == (kind, seq), problem


def test_subject_access_export_lists_what_is_held_and_who_read_it(
    clocked: Clocked, tmp_path: Path
) -> None:
    child = load(clocked)
    token = clocked.platform.accounts.add_user("sw", CSC, ["practitioner"])
    user = clocked.platform.accounts.authenticate(token)
    assert user is not None
    clocked.platform.sharing.chronology(user, child, "strategy meeting")
    report = clocked.platform.audit.subject_access(child, tmp_path / "sar")
    body = report.read_text()
    assert "Amelia" in body and "police-csc-child-sexual-offence" in body
    assert (
        "| sw | practitioner | CSC-E08000018 | chronology.read | allowed | strategy meeting |"
        in body
    )
    assert (tmp_path / "sar" / "access_log.csv").exists()
    assert (tmp_path / "sar" / "held.json").exists()


def test_concurrent_reads_are_group_committed_into_one_intact_chain(clocked: Clocked) -> None:
    child = load(clocked)
    token = clocked.platform.accounts.add_user("sw", CSC, ["practitioner"])
    user = clocked.platform.accounts.authenticate(token)
    assert user is not None
    with clocked.platform.uow() as uow:
        before = uow.audit.count()

    def reader() -> None:
        for _ in range(10):
            clocked.platform.sharing.chronology(user, child, "concurrent")

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with clocked.platform.uow() as uow:
        assert uow.audit.count() == before + 80
        assert len(uow.audit.checkpoints()) == (before + 80) // 5
    assert clocked.platform.audit.verify().intact


def test_concurrent_writers_outside_the_batcher_keep_one_chain(clocked: Clocked) -> None:
    """Regression (load benchmark): alert reads and decisions append in their own transactions;
    on SQLite two of them read the same tail and the second failed on audit_log.seq (a 500)."""
    plat = clocked.platform
    with plat.uow() as uow:
        before = uow.audit.count()
    failures: list[BaseException] = []

    def writer(n: int) -> None:
        for i in range(10):
            try:
                with plat.uow() as uow:
                    uow.audit.append(user_name=f"w{n}", role="mash", agency_code=CSC,
                                     reason="risk alert", action="risk.read",
                                     subject=f"alert:{i}", outcome="shown")  # fmt: skip
            except BaseException as exc:  # collected: a thread's exception is otherwise lost
                failures.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with plat.uow() as uow:
        assert uow.audit.count() == before + 80
    assert plat.audit.verify().intact
