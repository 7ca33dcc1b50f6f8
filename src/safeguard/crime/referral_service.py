"""A referral's lifecycle: Immigration Enforcement records its progress (received, under
consideration, action taken or no action, closed); referral officers, the MASH and the police
follow it. Every read and every change is role-checked and audited. Pages, API and CLI call this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from safeguard.accounts.roles import (
    REFERRAL_DECISION_ROLES,
    REFERRAL_POLICE_ROLES,
    REFERRAL_PROGRESS_ROLES,
    REFERRAL_ROLES,
)
from safeguard.crime.lifecycle import Lifecycle, ReferralNotFound, ReferralUpdateError
from safeguard.crime.referral import referral_view
from safeguard.domain.actors import AccessDenied, User
from safeguard.domain.codes import CodeLists
from safeguard.sharing.refusals import refuse
from safeguard.store.uow import UnitOfWork

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class ReferralProgress:
    referral: dict[str, Any]
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_statuses: tuple[str, ...] = ()
    can_update: bool = False


class ReferralLifecycleService:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codes: CodeLists,
        lifecycle: Lifecycle,
        clock: Clock,
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        self.lifecycle = lifecycle
        self.clock = clock

    def _kind(self, user: User) -> str:
        agency = self.codes.agencies.get(user.agency)
        return agency.kind if agency else ""

    def may_update(self, user: User) -> bool:
        """Only Immigration Enforcement's own caseworkers move a referral on."""
        return user.has(*REFERRAL_DECISION_ROLES) and self._kind(user) == "immigration"

    def _reader(self, user: User) -> bool | None:
        """None: may not read. True: the whole referral. False: its progress only."""
        if user.has(*REFERRAL_DECISION_ROLES):
            return True if self._kind(user) == "immigration" else None
        if user.has(*REFERRAL_ROLES):
            return True
        if user.has(*REFERRAL_PROGRESS_ROLES):
            return False
        if user.has(*REFERRAL_POLICE_ROLES) and self._kind(user) == "police":
            return False
        return None

    def progress(self, user: User, referral_id: int) -> ReferralProgress:
        """One referral and its history, as the user may see it; reading it is audited."""
        subject = f"referral:{referral_id}"
        full = self._reader(user)
        if full is None:
            error = AccessDenied(f"role {user.role} at {user.agency} may not read referrals")
            refuse(self.uow_factory, user, "crime.referral.read", subject, error)
        with self.uow_factory() as uow:
            referral = uow.crime.get_referral(referral_id)
            updates = uow.crime.referral_updates(referral_id) if referral else []
            self._audit(uow, user, "crime.referral.read", subject, "read" if referral else
                        "not_found", {"updates": len(updates)})  # fmt: skip
        if referral is None:
            raise ReferralNotFound(f"no referral {referral_id}")
        can = self.may_update(user)
        return ReferralProgress(
            referral_view(referral, full),
            updates,
            self.lifecycle.next.get(referral["status"], ()) if can else (),
            can,
        )

    def update(self, user: User, referral_id: int, status: str, note: str) -> ReferralProgress:
        """Move the referral to ``status`` with a note; refused unless the move is allowed."""
        subject = f"referral:{referral_id}"
        if not self.may_update(user):
            error = AccessDenied(
                "only Immigration Enforcement caseworkers record a referral's progress"
            )
            refuse(self.uow_factory, user, "crime.referral.update", subject, error)
        note = " ".join(note.split())[:2000]
        with self.uow_factory() as uow:
            referral = uow.crime.get_referral(referral_id)
            problem: Exception | None = None
            if referral is None:
                problem = ReferralNotFound(f"no referral {referral_id}")
            else:
                try:
                    self.lifecycle.check(referral["status"], status, note)
                except ReferralUpdateError as exc:
                    problem = exc
            if problem is None and referral is not None:
                moved = uow.crime.update_referral(
                    referral_id,
                    referral["status"],
                    status=status,
                    note=note,
                    updated_by=user.name,
                    agency_code=user.agency,
                    updated_at=self.clock(),
                )
                if not moved:
                    problem = ReferralUpdateError(
                        "someone else moved the referral on meanwhile; reload it and try again"
                    )
            outcome = "written" if problem is None else "refused"
            detail = (
                {"status": status} if problem is None else {"status": status, "why": str(problem)}
            )
            self._audit(uow, user, "crime.referral.update", subject, outcome, detail)
            if problem is not None:
                uow.commit()  # the refused attempt stays on record
                raise problem
        return self.progress(user, referral_id)

    @staticmethod
    def _audit(
        uow: UnitOfWork, user: User, action: str, subject: str, outcome: str, detail: Any
    ) -> None:
        uow.audit.record(
            user,
            reason="referral outcome",
            action=action,
            subject=subject,
            outcome=outcome,
            detail=detail,
        )
