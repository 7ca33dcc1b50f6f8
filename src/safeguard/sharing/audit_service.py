"""Audit operations: verify the chain over the store in batches, sign a checkpoint, the
data-protection officer's break-glass queue, and subject-access exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from safeguard.sharing.audit_chain import ChainProblem, ChainVerifier, Checkpoint
from safeguard.sharing.subject_access import write_subject_access
from safeguard.store.uow import UnitOfWork

Progress = Callable[[int, int], None]
BATCH = 20_000


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    total: int
    checkpoints: int
    problem: ChainProblem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


class AuditService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], key: str) -> None:
        self.uow_factory = uow_factory
        self.key = key

    def verify(self, progress: Progress | None = None, batch: int = BATCH) -> VerifyResult:
        """Walk the whole chain by seq; stop at the first break."""
        with self.uow_factory() as uow:
            total = uow.audit.count()
            rows = uow.audit.checkpoints()
            verifier = ChainVerifier(
                [Checkpoint(r.seq, r.entry_hash, r.signature) for r in rows], self.key
            )
            after = 0
            while verifier.problem is None:
                entries = uow.audit.entries(after_seq=after, limit=batch)
                if not entries:
                    break
                verifier.feed(entries)
                after = entries[-1].seq
                if progress:
                    progress(verifier.checked, total)
            problem = verifier.finish()
        return VerifyResult(verifier.checked, total, len(rows), problem)

    def checkpoint(self) -> int:
        """Sign the current end of the log now (run it from cron between automatic ones)."""
        with self.uow_factory() as uow:
            return uow.audit.checkpoint_now(self.key)

    def break_glass_queue(self) -> list[dict[str, Any]]:
        with self.uow_factory() as uow:
            return [dict(r._mapping) for r in uow.break_glass.awaiting_review()]

    def review_break_glass(self, entry_id: int, reviewer: str, note: str) -> bool:
        with self.uow_factory() as uow:
            done = uow.break_glass.review(entry_id, datetime.now(UTC), reviewer, note)
            uow.audit.append(
                user_name=reviewer,
                role="auditor",
                agency_code="-",
                reason="break-glass review",
                action="audit.break_glass_review",
                subject=f"break_glass:{entry_id}",
                outcome="written" if done else "unchanged",
                detail={"note": note},
            )
        return done

    def subject_access(self, ref: str, out_dir: Path, requested_by: str = "dpo") -> Path:
        """Export what is held about a child and who accessed it; returns the report path."""
        with self.uow_factory() as uow:
            person = uow.persons.by_child_ref(ref) or uow.persons.get(ref)
            if person is None:
                raise LookupError(f"no child with reference {ref!r}")
            held = {
                "person_id": person.id,
                "child_ref": person.child_ref,
                "records": [dict(r._mapping) for r in uow.records.for_person(person.id, True)],
                "events": uow.chronology.for_person(person.id),
                "shares": [dict(r._mapping) for r in uow.shares.about(person.id)],
                "break_glass": [dict(r._mapping) for r in uow.break_glass.about(person.id)],
                "access": uow.audit.for_subject(f"person:{person.id}"),
            }
            uow.audit.append(
                user_name=requested_by,
                role="auditor",
                agency_code="-",
                reason="subject access request",
                action="audit.sar",
                subject=f"person:{person.id}",
                outcome="allowed",
                detail={"out": str(out_dir)},
            )
        return write_subject_access(held, out_dir)
