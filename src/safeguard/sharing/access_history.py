"""Who saw this child: every read, write and refusal about one child, for the auditor.

The audit chain records each look at a child under the subject ``person:<id>`` (and alerts
about the child under ``alert:<id>``). An auditor or data-protection officer answering a
complaint ("who looked at my daughter's records?") reads them here; the look is itself written
to the chain, so the auditor appears in the next answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from safeguard.domain.actors import AccessDenied, User
from safeguard.domain.audit import AuditEntry
from safeguard.sharing.refusals import refuse
from safeguard.sharing.service import ChildNotFound
from safeguard.store.uow import UnitOfWork

AUDITOR_ROLES = frozenset({"auditor"})
#: The newest entries shown; the subject-access export (``safeguard audit sar``) has them all.
SHOWN = 500


@dataclass(frozen=True)
class AccessHistory:
    person_id: str
    child_ref: str | None
    entries: list[AuditEntry]
    total_shown: int
    people: int  # distinct users who looked or tried to
    refused: int


class AccessHistoryService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self.uow_factory = uow_factory

    def who_saw(self, user: User, ref: str, reason: str) -> AccessHistory:
        """The child's access log, newest last. Auditors only; the read is audited."""
        if not AUDITOR_ROLES & set(user.roles):
            refuse(
                self.uow_factory,
                user,
                "audit.access_history",
                f"child:{ref}",
                AccessDenied(
                    f"your role ({user.role}) may not read who saw a child; "
                    "auditors and data-protection officers do"
                ),
            )
        with self.uow_factory() as uow:
            person = uow.chronology.find_child(ref)
            if person is None:
                raise ChildNotFound(f"no child with reference {ref!r}")
            subjects = [f"person:{person.id}"]
            subjects += [f"alert:{a}" for a in uow.risk.alert_ids_about(person.id)]
            uow.audit.record(
                user,
                reason=reason,
                action="audit.access_history",
                subject=f"person:{person.id}",
                outcome="allowed",
                detail={"subjects": len(subjects)},
            )
            # Read after the look is written, so the answer includes it.
            entries = uow.audit.for_subjects(subjects, limit=SHOWN)
        return AccessHistory(
            person_id=person.id,
            child_ref=person.child_ref,
            entries=entries,
            total_shown=len(entries),
            people=len({e.user_name for e in entries}),
            refused=sum(e.outcome == "denied" for e in entries),
        )
