"""The named manager of each MASH, escalation to them, and their inbox.

``escalate`` marks every open alert past its deadline escalated once, leaves a notification in
the named manager's inbox in the same transaction, and only after that commits sends the
e-mail (where SMTP is configured and the manager has an address), so a failed send never undoes
the escalation and a rolled-back escalation never sends.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from safeguard.domain.actors import User
from safeguard.domain.alerts import Notification
from safeguard.domain.clock import utc
from safeguard.risk.escalation import Escalation, Mailer, compose, deliver
from safeguard.sharing.refusals import refuse
from safeguard.store.uow import UnitOfWork

OPEN = ("raised", "assigned", "escalated", "reopened")


class ManagerError(ValueError):
    """A manager cannot be named as asked; the message says why."""


class InboxForbidden(ValueError):
    """The inbox of escalations is for MASH practitioners (the managers named are)."""


class RiskInbox:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        agencies: Any,
        clock: Callable[[], datetime],
        mailer: Mailer | None = None,
    ) -> None:
        self.uow_factory, self.agencies, self.clock, self.mailer = (
            uow_factory, agencies, clock, mailer
        )  # fmt: skip

    def name_manager(self, mash_code: str, user_name: str, email: str | None = None) -> None:
        """Name the hub's manager (a MASH practitioner of that hub) and their e-mail address."""
        if not mash_code.startswith("MASH-") or mash_code not in self.agencies:
            raise ManagerError(f"{mash_code!r} is not a MASH agency code, e.g. MASH-E08000018")
        if email is not None and ("@" not in email or " " in email.strip()):
            raise ManagerError(f"{email!r} is not an e-mail address")
        with self.uow_factory() as uow:
            row = uow.users.by_name(user_name)
            if row is None or row.agency_code != mash_code or "mash" not in row.roles.split(","):
                raise ManagerError(
                    f"{user_name!r} is not a MASH practitioner of {mash_code}; "
                    "add them with `safeguard users add` first"
                )
            uow.notifications.name_manager(mash_code, user_name, email, self.clock())
            uow.audit.append(
                user_name="system",
                role="admin",
                agency_code=mash_code,
                reason="account administration",
                action="risk.manager",
                subject=f"manager:{mash_code}",
                outcome="written",
                detail={"manager": user_name, "email": bool(email)},
            )

    def escalate(self) -> list[int]:
        """Escalate every overdue open alert once and notify its hub's named manager."""
        now = self.clock()
        to_send: list[tuple[int, int, str | None, Escalation]] = []
        ids: list[int] = []
        with self.uow_factory() as uow:
            for alert in uow.risk.alerts(statuses=OPEN):
                if alert.escalated_at is not None or utc(alert.deadline_at) >= utc(now):
                    continue
                uow.risk.set(alert.id, status="escalated", escalated_at=now)
                manager = uow.notifications.manager_of(alert.mash_code)
                detail: dict[str, Any] = {"deadline": alert.deadline_at.isoformat()}
                if manager is None:
                    detail["manager"] = f"none named for {alert.mash_code}"
                else:
                    note = compose(alert)
                    email = manager.email if self.mailer is not None else None
                    nid = uow.notifications.add(
                        user_name=manager.user_name,
                        alert_id=alert.id,
                        created_at=now,
                        subject=note.subject,
                        body=note.body,
                        email="pending" if email else deliver(self.mailer, email, note),
                    )
                    detail["manager"] = manager.user_name
                    if email:
                        to_send.append((nid, alert.id, email, note))
                uow.risk.log(alert.id, now, "escalated", "system", detail)
                ids.append(alert.id)
        for nid, alert_id, email, note in to_send:
            status = deliver(self.mailer, email, note)
            with self.uow_factory() as uow:
                uow.notifications.set_email(nid, status)
                uow.risk.log(alert_id, self.clock(), "emailed", "system", {"e-mail": status})
        return ids

    def notifications(self, user: User) -> list[Notification]:
        """The user's own inbox (escalations addressed to them), newest first; audited. Only
        MASH practitioners have one (a refusal is audited as denied)."""
        if not user.has("mash"):
            error = InboxForbidden("only MASH practitioners have an inbox of escalated alerts")
            refuse(self.uow_factory, user, "risk.notifications", f"notifications:{user.name}",
                   error)  # fmt: skip
        with self.uow_factory() as uow:
            rows = uow.notifications.for_user(user.name)
            uow.audit.record(
                user,
                reason="risk alert",
                action="risk.notifications",
                subject=f"notifications:{user.name}",
                outcome="shown",
                detail={"alerts": [r.alert_id for r in rows]},
            )
            return rows

    def mark_read(self, user: User, notification_id: int) -> bool:
        with self.uow_factory() as uow:
            return uow.notifications.mark_read(notification_id, user.name, self.clock())
