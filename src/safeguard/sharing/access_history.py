"""Who saw this child: every read, write and refusal about one child, for the auditor.

The audit chain records each look at a child under the subject ``person:<id>`` (and alerts
about the child under ``alert:<id>``). An auditor or data-protection officer answering a
complaint ("who looked at my daughter's records?") reads them here; the look is itself written
to the chain, so the auditor appears in the next answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from safeguard.domain.actors import AccessDenied, User
from safeguard.domain.audit import AuditEntry
from safeguard.sharing.refusals import refuse
from safeguard.sharing.service import ChildNotFound
from safeguard.store.ports import AbstractUnitOfWork

AUDITOR_ROLES = frozenset({"auditor"})
#: The newest entries shown; the subject-access export (``safeguard audit sar``) has them all.
SHOWN = 500


class ChildRecord(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def child_ref(self) -> str | None: ...


class ChildFinder(Protocol):
    def find_child(self, ref: str) -> ChildRecord | None:
        """The person with this child reference (a merged-away reference leads to the live one)."""
        ...


class AlertIndex(Protocol):
    def alert_ids_about(self, person_id: str) -> list[int]: ...


class HistoryUnitOfWork(AbstractUnitOfWork, Protocol):
    """What reading who saw a child needs: the audit log, the child, the alerts about them."""

    @property
    def chronology(self) -> ChildFinder: ...

    @property
    def risk(self) -> AlertIndex: ...


@dataclass(frozen=True)
class AccessHistory:
    person_id: str
    child_ref: str | None
    entries: list[AuditEntry]
    total_shown: int
    people: int  # distinct users who looked or tried to
    refused: int


class AccessHistoryService:
    def __init__(self, uow_factory: Callable[[], HistoryUnitOfWork]) -> None:
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
