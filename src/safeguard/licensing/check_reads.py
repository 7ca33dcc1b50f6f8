"""Who may open a licensing check, and why: only a licensing officer of the authority that made
it, with a reason from ``data/licensing_read_reasons.csv``. Every read and every refusal (wrong
role, another authority, no reason) is on the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safeguard.domain.actors import Actor
from safeguard.licensing.settings import read_reasons
from safeguard.store.uow import UnitOfWork


class ReasonRequired(ValueError):
    """A check was opened without a reason from the code list; the message lists them."""


class CheckReads:
    def __init__(
        self, uow_factory: Callable[[], UnitOfWork], get_check: Callable[[int], dict[str, Any]]
    ) -> None:
        self.uow_factory = uow_factory
        self.get_check = get_check

    def audit(self, actor: Actor, reason: str, action: str, subject: str, outcome: str,
               why: str = "") -> None:  # fmt: skip
        with self.uow_factory() as uow:
            uow.audit.record(actor, reason=reason or "(none given)", action=action,
                             subject=subject, outcome=outcome,
                             detail={"why": why} if why else None)  # fmt: skip

    def require_officer(self, actor: Actor, action: str, subject: str = "licensing") -> None:
        """Raise PermissionError (audited) unless ``actor`` is a licensing authority's officer."""
        roles = getattr(actor, "roles", (actor.role,))
        if "licensing_officer" in roles and actor.agency.startswith("LIC-"):
            return
        why = "only a licensing authority's licensing officer may do this"
        self.audit(actor, "", action, subject, "denied", why)
        raise PermissionError(why)

    def read(self, check_id: int, actor: Actor, reason: str | None) -> dict[str, Any]:
        """The check, for its own authority's officer with a reason from the code list."""
        subject, action = f"licensing-check:{check_id}", "licensing.check.read"
        self.require_officer(actor, action, subject)
        code = (reason or "").strip()
        reasons = read_reasons()
        if code not in reasons:
            said = f"{code!r} is not a reason for opening a check" if code else "no reason given"
            self.audit(actor, code, action, subject, "denied", said)
            raise ReasonRequired(
                f"{said}; give reason= one of {', '.join(reasons)} "
                "(data/licensing_read_reasons.csv)"
            )
        check = self.get_check(check_id)  # LookupError for an unknown check
        if check["authority"] != actor.agency.removeprefix("LIC-"):
            why = "a check is read only by the authority that made it"
            self.audit(actor, code, action, subject, "denied", why)
            raise PermissionError(why)
        self.audit(actor, code, action, subject, "allowed")
        return check
