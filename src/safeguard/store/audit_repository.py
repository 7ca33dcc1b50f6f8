"""The append-only, hash-chained audit log and its chained, signed checkpoints."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from safeguard.domain.actors import Actor
from safeguard.domain.audit import (
    GENESIS_HASH,
    AuditEntry,
    Checkpoint,
    CheckpointPolicy,
    SignedHead,
    checkpoint_signature,
)
from safeguard.store.tables import audit_checkpoints, audit_log

# Built once: the audit append runs on every read of a child's data, so its statements are
# not rebuilt per call (construction costs more Python time than the database spends).
_AUDIT_LOCK = text("SELECT pg_advisory_xact_lock(7200601)")
# SQLite has one writer at a time but pysqlite begins a transaction only at the first write, so
# the tail would be read before the write lock is held and two writers would take the same seq.
# A write that changes nothing takes the lock (waiting up to the busy timeout) first.
_AUDIT_LOCK_SQLITE = text("UPDATE audit_log SET seq = seq WHERE 0")
_AUDIT_LAST = (
    select(audit_log.c.seq, audit_log.c.entry_hash).order_by(audit_log.c.seq.desc()).limit(1)
)
_AUDIT_INSERT = insert(audit_log)
_LAST_CHECKPOINT = (
    select(audit_checkpoints.c.seq, audit_checkpoints.c.signature)
    .order_by(audit_checkpoints.c.seq.desc())
    .limit(1)
)


class AuditRepository:
    """Append-only hash-chained log. Appends are serialised so the chain never forks.

    With a checkpoint policy, a signed checkpoint is added every ``every`` entries and when the
    policy's minutes have passed; ``signed`` is the last one added in this transaction (the unit
    of work writes it to the head file once committed).
    """

    def __init__(self, conn: Connection, checkpoints: CheckpointPolicy | None = None) -> None:
        self.conn = conn
        self.policy = checkpoints
        self.signed: SignedHead | None = None

    def _lock(self) -> None:
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(_AUDIT_LOCK)
        else:
            self.conn.execute(_AUDIT_LOCK_SQLITE)

    def last(self) -> tuple[int, str]:
        row = self.conn.execute(_AUDIT_LAST).first()
        return (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))

    def append(
        self,
        *,
        user_name: str,
        role: str,
        agency_code: str,
        reason: str,
        action: str,
        subject: str,
        outcome: str,
        detail: dict[str, Any] | None = None,
    ) -> AuditEntry:
        item = {
            "user_name": user_name,
            "role": role,
            "agency_code": agency_code,
            "reason": reason,
            "action": action,
            "subject": subject,
            "outcome": outcome,
            "detail": detail,
        }
        return self.append_many([item])[0]

    def append_many(self, items: Sequence[dict[str, Any]]) -> list[AuditEntry]:
        """Append several entries under one lock (group commit of concurrent reads)."""
        self._lock()
        seq, prev = self.last()
        now = datetime.now(UTC)
        written: list[AuditEntry] = []
        for item in items:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=now,
                user_name=item["user_name"],
                role=item["role"],
                agency_code=item["agency_code"],
                reason=item["reason"],
                action=item["action"],
                subject=item["subject"],
                outcome=item["outcome"],
                detail=json.dumps(item.get("detail") or {}, sort_keys=True, default=str),
                prev_hash=prev,
            )
            hashed = AuditEntry(**{**entry.__dict__, "entry_hash": entry.computed_hash()})
            written.append(hashed)
            prev = hashed.entry_hash
        self.conn.execute(_AUDIT_INSERT, [e.__dict__ for e in written])
        policy = self.policy
        if policy is not None:
            clock = time.monotonic()
            due = [e for e in written if e.seq % policy.every == 0]
            if written and written[-1] not in due and policy.due(written[-1].seq, clock):
                due.append(written[-1])  # the minutes have passed: sign the new tail
            for e in due:
                self.add_checkpoint(e.seq, e.entry_hash, policy.key)
            if due:
                policy.last_signed = clock
        return written

    def add_checkpoint(self, seq: int, entry_hash: str, key: str) -> SignedHead:
        """Sign ``seq`` chained to the latest checkpoint before it (call under the lock)."""
        last = self.conn.execute(_LAST_CHECKPOINT).first()
        previous = "" if last is None else str(last.signature)
        head = SignedHead(seq, entry_hash, checkpoint_signature(key, seq, entry_hash, previous),
                          previous)  # fmt: skip
        self.conn.execute(
            insert(audit_checkpoints),
            {
                "seq": seq,
                "entry_hash": entry_hash,
                "signed_at": datetime.now(UTC),
                "signature": head.signature,
                "prev_signature": previous,
            },
        )
        self.signed = head
        return head

    def checkpoint_now(self, key: str) -> SignedHead | None:
        """Sign the current tail (if not yet signed); the latest signed head, None when empty."""
        self._lock()
        seq, entry_hash = self.last()
        if not seq:
            return None
        known = self.conn.execute(
            select(audit_checkpoints).where(audit_checkpoints.c.seq == seq)
        ).first()
        if known is None:
            return self.add_checkpoint(seq, entry_hash, key)
        return SignedHead(seq, known.entry_hash, known.signature, known.prev_signature or "")

    def checkpoints(self) -> list[Checkpoint]:
        q = select(audit_checkpoints).order_by(audit_checkpoints.c.seq)
        return [
            Checkpoint(r.seq, r.entry_hash, r.signature, r.prev_signature)
            for r in self.conn.execute(q)
        ]

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(audit_log)).scalar_one())

    def record(
        self,
        actor: Actor,
        *,
        reason: str,
        action: str,
        subject: str,
        outcome: str,
        detail: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Append an entry for ``actor`` (a user: name, role, agency)."""
        return self.append(
            user_name=actor.name,
            role=actor.role,
            agency_code=actor.agency,
            reason=reason,
            action=action,
            subject=subject,
            outcome=outcome,
            detail=detail,
        )

    def entries(self, after_seq: int = 0, limit: int | None = None) -> list[AuditEntry]:
        query = select(audit_log).where(audit_log.c.seq > after_seq).order_by(audit_log.c.seq)
        if limit is not None:
            query = query.limit(limit)
        return [AuditEntry(**dict(r._mapping)) for r in self.conn.execute(query)]

    def entry(self, seq: int) -> AuditEntry | None:
        row = self.conn.execute(select(audit_log).where(audit_log.c.seq == seq)).first()
        return None if row is None else AuditEntry(**dict(row._mapping))

    def for_subject(self, subject: str) -> list[AuditEntry]:
        return self.for_subjects([subject])

    def for_subjects(self, subjects: Sequence[str], limit: int | None = None) -> list[AuditEntry]:
        """Entries about any of ``subjects``, newest last; with ``limit``, the newest ones."""
        query = select(audit_log).where(audit_log.c.subject.in_(list(subjects)))
        if limit is not None:
            query = query.order_by(audit_log.c.seq.desc()).limit(limit)
            rows = list(self.conn.execute(query))[::-1]
        else:
            rows = list(self.conn.execute(query.order_by(audit_log.c.seq)))
        return [AuditEntry(**dict(r._mapping)) for r in rows]
