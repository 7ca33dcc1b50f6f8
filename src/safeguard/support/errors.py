"""Support errors, and how a refusal is put on the audit log before it is raised."""

from __future__ import annotations

from typing import NoReturn

from safeguard.domain.actors import User
from safeguard.sharing.refusals import refuse_in
from safeguard.store.uow import UnitOfWork


class SupportError(ValueError):
    """A support action that cannot be done; the message says why."""


class SupportNotFound(SupportError):
    pass


class SupportForbidden(SupportError):
    pass


def refused(uow: UnitOfWork, user: User, action: str, subject: str, error: Exception) -> NoReturn:
    """Commit the refusal to the audit log and raise it: ``denied`` when the user may not,
    ``refused`` when they may but what they asked is not valid."""
    forbidden = "Forbidden" in type(error).__name__
    if forbidden:
        refuse_in(uow, user, action, subject, error)
    uow.audit.record(
        user, reason="refused", action=action, subject=subject, outcome="refused",
        detail={"why": str(error)},
    )  # fmt: skip
    uow.commit()
    raise error
