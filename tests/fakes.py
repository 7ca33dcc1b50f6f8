"""An in-memory unit of work (store.ports.AbstractUnitOfWork), for service tests that need no
database: a committed state shared by every unit of work, and a copy per transaction that is
kept on commit and dropped when the block raises, as the SQL unit of work does."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from safeguard.domain.actors import Actor
from safeguard.domain.audit import GENESIS_HASH, AuditEntry


class InMemoryAuditLog:
    """The audit chain in a list: each entry hashed over its content and the previous hash."""

    def __init__(self, entries: Sequence[AuditEntry] = ()) -> None:
        self.entries = list(entries)

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
        entry = AuditEntry(
            seq=len(self.entries) + 1,
            at=datetime.now(UTC),
            user_name=actor.name,
            role=actor.role,
            agency_code=actor.agency,
            reason=reason,
            action=action,
            subject=subject,
            outcome=outcome,
            detail=json.dumps(detail or {}, sort_keys=True, default=str),
            prev_hash=self.entries[-1].entry_hash if self.entries else GENESIS_HASH,
        )
        entry = replace(entry, entry_hash=entry.computed_hash())
        self.entries.append(entry)
        return entry

    def for_subjects(self, subjects: Sequence[str], limit: int | None = None) -> list[AuditEntry]:
        found = [e for e in self.entries if e.subject in subjects]
        return found if limit is None else found[max(len(found) - limit, 0) :]


@dataclass(frozen=True)
class Child:
    id: str
    child_ref: str | None


@dataclass
class InMemoryChildren:
    children: dict[str, Child] = field(default_factory=dict)

    def find_child(self, ref: str) -> Child | None:
        return self.children.get(ref)


@dataclass
class InMemoryAlerts:
    about: dict[str, list[int]] = field(default_factory=dict)

    def alert_ids_about(self, person_id: str) -> list[int]:
        return list(self.about.get(person_id, []))


@dataclass
class InMemoryStore:
    """What has been committed; each unit of work starts from it."""

    audit: list[AuditEntry] = field(default_factory=list)
    children: InMemoryChildren = field(default_factory=InMemoryChildren)
    alerts: InMemoryAlerts = field(default_factory=InMemoryAlerts)
    commits: int = 0


class InMemoryUnitOfWork:
    def __init__(self, store: InMemoryStore) -> None:
        self.store = store
        self.audit = InMemoryAuditLog(store.audit)
        self.chronology = store.children
        self.risk = store.alerts

    def commit(self) -> None:
        self.store.audit = list(self.audit.entries)
        self.store.commits += 1

    def __enter__(self) -> Self:
        self.audit = InMemoryAuditLog(self.store.audit)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.commit()
