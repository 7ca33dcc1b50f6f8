"""A refused attempt is on record too: write the denial to the audit log, then raise."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from safeguard.domain.actors import User
from safeguard.store.ports import AbstractUnitOfWork


def refuse_in(
    uow: AbstractUnitOfWork, user: User, action: str, subject: str, error: Exception
) -> NoReturn:
    """Append a ``denied`` entry for ``action`` on ``subject`` to the open unit of work, commit
    it (so it survives the refusal) and raise ``error``; its message is the recorded reason."""
    uow.audit.record(
        user,
        reason="refused",
        action=action,
        subject=subject,
        outcome="denied",
        detail={"why": str(error)},
    )
    uow.commit()
    raise error


def refuse(
    uow_factory: Callable[[], AbstractUnitOfWork],
    user: User,
    action: str,
    subject: str,
    error: Exception,
) -> NoReturn:
    """``refuse_in`` in a unit of work of its own."""
    with uow_factory() as uow:
        refuse_in(uow, user, action, subject, error)
