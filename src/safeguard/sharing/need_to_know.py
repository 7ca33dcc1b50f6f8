"""The gate every read of a child's data passes: gather relationships, decide, audit, and
record a break-glass for the data-protection officer's review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from safeguard.domain.actors import AccessDenied, User
from safeguard.domain.codes import CodeLists
from safeguard.sharing.access import (
    AccessDecision,
    AlertAssignments,
    NoAlertAssignments,
    Relationships,
    decide_access,
    visible_agencies,
)
from safeguard.sharing.audit_batch import AuditBatcher
from safeguard.store.uow import UnitOfWork

Clock = Callable[[], datetime]


class NeedToKnow:
    def __init__(
        self,
        codes: CodeLists,
        clock: Clock,
        alerts: AlertAssignments | None = None,
        batcher: AuditBatcher | None = None,
    ) -> None:
        self.codes = codes
        self.clock = clock
        self.alerts: AlertAssignments = alerts or NoAlertAssignments()
        self.batcher = batcher

    def relationships(self, uow: UnitOfWork, user: User, person_id: str) -> Relationships:
        holding, share = uow.chronology.involvement(person_id, user.agency)
        visible = visible_agencies(user, self.codes) or set()
        return Relationships(
            own_agency_holds_record=user.agency in holding,
            mash_of_holding_area=user.has("mash") and bool(holding & visible),
            share_received=share,
            alert_assigned=self.alerts.assigned(user.name, person_id),
        )

    def decide(
        self, uow: UnitOfWork, user: User, person_id: str, break_glass: str | None
    ) -> AccessDecision:
        return decide_access(user, self.relationships(uow, user, person_id), break_glass)

    def record(
        self,
        uow: UnitOfWork,
        user: User,
        person_id: str,
        action: str,
        reason: str,
        decision: AccessDecision,
        break_glass: str | None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append the audit entry (and the break-glass review row); on denial commit the entry
        and raise, so a refused attempt is on record too."""
        extra: dict[str, Any] = {"basis": decision.basis, "view": decision.view, **(detail or {})}
        if decision.break_glass:
            extra["break_glass"] = True
            extra["review_id"] = uow.break_glass.add(
                at=self.clock(),
                user_name=user.name,
                role=user.role,
                agency_code=user.agency,
                person_id=person_id,
                reason=(break_glass or "")[:500],
            )
        uow.audit.record(
            user,
            reason=((break_glass or "") if decision.break_glass else reason)[:300],
            action=action,
            subject=f"person:{person_id}",
            outcome="allowed" if decision.allowed else "denied",
            detail=extra,
        )
        if not decision.allowed:
            uow.commit()
            raise AccessDenied(decision.basis)

    def record_read(
        self,
        user: User,
        person_id: str,
        action: str,
        reason: str,
        decision: AccessDecision,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Audit a read outside the read's own transaction, group-committed with concurrent
        reads; returns once the entry is durable, or raises AccessDenied after a refusal is."""
        if self.batcher is None or decision.break_glass:
            raise RuntimeError("break-glass and unbatched reads are recorded with record()")
        self.batcher.append(
            user_name=user.name,
            role=user.role,
            agency_code=user.agency,
            reason=reason[:300],
            action=action,
            subject=f"person:{person_id}",
            outcome="allowed" if decision.allowed else "denied",
            detail={"basis": decision.basis, "view": decision.view, **(detail or {})},
        )
        if not decision.allowed:
            raise AccessDenied(decision.basis)
