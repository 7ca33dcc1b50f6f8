"""Audit operations: verify the chain over the store in batches, sign a checkpoint, the
data-protection officer's break-glass queue, and subject-access exports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from safeguard.domain.audit import HeadWriter, SignedHead
from safeguard.sharing.audit_chain import ChainProblem, ChainVerifier
from safeguard.sharing.audit_findings import tamper_sentences
from safeguard.sharing.subject_access import write_subject_access
from safeguard.store.uow import UnitOfWork

Progress = Callable[[int, int], None]
BATCH = 20_000
_HEAD_MISSING = (
    "the signed head kept outside the database is missing although the database holds chained "
    "checkpoints: the file was deleted or the data directory changed"
)


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    total: int
    checkpoints: int
    problem: ChainProblem | None
    #: how many of each kind of tampering were found (see ``audit_findings``)
    counts: Mapping[str, int] = field(default_factory=dict)
    #: the checkpoint signed after an intact verify (None when broken or the log is empty)
    signed: SignedHead | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None

    def sentences(self) -> list[str]:
        """What was found, one sentence per kind of tampering, with counts."""
        return tamper_sentences(self.counts)


class AuditService:
    def __init__(
        self, uow_factory: Callable[[], UnitOfWork], key: str, head: HeadWriter | None = None
    ) -> None:
        self.uow_factory = uow_factory
        self.key = key
        self.head = head

    def verify(
        self, progress: Progress | None = None, batch: int = BATCH, *, use_head: bool = True
    ) -> VerifyResult:
        """Walk the whole chain by seq, counting every break, against the chained checkpoints
        and the signed head kept outside the database; when intact, sign its end (so a later
        cut or rewrite of what was verified today is seen)."""
        head, unreadable = None, None
        if use_head and self.head is not None:
            try:
                head = self.head.read()
            except ValueError as exc:
                unreadable = str(exc)
        with self.uow_factory() as uow:
            total = uow.audit.count()
            checkpoints = uow.audit.checkpoints()
            verifier = ChainVerifier(checkpoints, self.key, head)
            if unreadable:
                verifier.problems.append(ChainProblem(0, "head_unreadable", unreadable))
                verifier.counts["head_unreadable"] += 1
            chained = any(c.previous is not None for c in checkpoints)
            if use_head and self.head is not None and head is None and chained and not unreadable:
                verifier.problems.append(ChainProblem(0, "head_missing", _HEAD_MISSING))
                verifier.counts["head_missing"] += 1
            after = 0
            while True:
                entries = uow.audit.entries(after_seq=after, limit=batch)
                if not entries:
                    break
                verifier.feed(entries)
                after = entries[-1].seq
                if progress:
                    progress(verifier.checked, total)
            problem = verifier.finish()
        signed = None if problem is not None else self.checkpoint(replace=not use_head)
        return VerifyResult(
            verifier.checked, total, len(checkpoints), problem, dict(verifier.counts), signed
        )

    def checkpoint(self, *, replace: bool = False) -> SignedHead | None:
        """Sign the current end of the log now (run it from cron between automatic ones) and
        keep it as the head outside the database; ``replace`` moves the head back (a restore
        of an older backup, after verifying it)."""
        with self.uow_factory() as uow:
            signed = uow.audit.checkpoint_now(self.key)
            uow.audit.signed = None  # written below, once committed
        if signed is not None and self.head is not None:
            self.head.write(signed, replace=replace)
        return signed

    def break_glass_queue(self) -> list[dict[str, Any]]:
        with self.uow_factory() as uow:
            return [r.as_dict() for r in uow.break_glass.awaiting_review()]

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
                "records": [r.as_dict() for r in uow.records.for_person(person.id, True)],
                "events": uow.chronology.for_person(person.id),
                "shares": [s.as_dict() for s in uow.shares.about(person.id)],
                "break_glass": [b.as_dict() for b in uow.break_glass.about(person.id)],
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
