"""What services need of the unit of work, as protocols (Cosmic Python, chapter 6): a service
typed against these can be handed an in-memory fake in a unit test and run without a database.
The SQL ``store.uow.UnitOfWork`` satisfies them; mypy checks it wherever bootstrap wires one in.

A service that needs more than the audit log declares a narrower protocol of its own that
extends ``AbstractUnitOfWork`` with the repositories it reads (``sharing.access_history``).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any, Protocol, Self

from safeguard.domain.actors import Actor
from safeguard.domain.audit import AuditEntry


class AuditLog(Protocol):
    """The append-only audit chain, as services write and read it."""

    def record(
        self,
        actor: Actor,
        *,
        reason: str,
        action: str,
        subject: str,
        outcome: str,
        detail: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Append an entry for ``actor``, chained to the one before."""
        ...

    def for_subjects(self, subjects: Sequence[str], limit: int | None = None) -> list[AuditEntry]:
        """Entries about any of ``subjects``, oldest first; with ``limit``, the newest ones."""
        ...


class AbstractUnitOfWork(Protocol):
    """One transaction: everything inside ``with uow:`` commits together or not at all;
    ``commit()`` makes what is written so far durable (a refusal's audit entry, say) even if
    the block then raises."""

    @property
    def audit(self) -> AuditLog: ...

    def commit(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
