"""What one capability tells the others after a write, and the one bus that carries it.

A service publishes a message when it has written something others must act on; it never calls
those others itself. Who acts on which message is one explicit list in ``bootstrap.py``. Handlers
run in the publisher's thread, in the order they were subscribed; a message that carries ``uow``
is published inside the writing transaction, so what its handlers write commits or rolls back
with it. (In Cosmic Python's terms these are events; this project's "events" are the agencies'
feed records, hence "messages".)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from safeguard.domain.actors import Actor
from safeguard.domain.records import EventRecord, ParticipantFacts


@dataclass(frozen=True)
class EventsWritten:
    """An agency's feed events were stored (inside the ingest transaction, ``uow``)."""

    uow: Any  # the writing store.uow.UnitOfWork: the domain imports no store
    agency: str
    written: list[tuple[int, EventRecord]]
    revised: set[str]
    people: dict[str, ParticipantFacts]


@dataclass(frozen=True)
class PersonsAdded:
    """A persons submission committed records no reference has yet."""

    actor: Actor
    agency: str
    local_ids: list[str]


@dataclass(frozen=True)
class PersonsChanged:
    """Child references changed (a re-link, a real-time join, a reviewer's decision)."""


@dataclass(frozen=True)
class AlertDecided:
    """A practitioner decided an alert (inside the deciding transaction, ``uow``)."""

    uow: Any  # the deciding store.uow.UnitOfWork
    alert: Any  # the alert as the risk repository returns it
    outcome: str
    at: datetime


@dataclass(frozen=True)
class NoticesRaised:
    """Licensing raised notices on drivers (the network's view of them is stale)."""

    count: int


Message = EventsWritten | PersonsAdded | PersonsChanged | AlertDecided | NoticesRaised
M = TypeVar("M", EventsWritten, PersonsAdded, PersonsChanged, AlertDecided, NoticesRaised)


class MessageBus:
    """Handlers by message type. A bus nobody subscribed to drops every message."""

    def __init__(self) -> None:
        self._handlers: defaultdict[type, list[Callable[[Any], object]]] = defaultdict(list)

    def subscribe(self, kind: type[M], handler: Callable[[M], object]) -> None:
        self._handlers[kind].append(handler)

    def publish(self, message: Message) -> None:
        """Run every handler of the message's type; a handler's error reaches the publisher
        (inside a transaction it rolls the write back: nothing half-done)."""
        for handler in self._handlers[type(message)]:
            handler(message)

    def handlers(self, kind: type[M]) -> list[Callable[[M], object]]:
        """Who acts on ``kind``, in order (for tests and docs/architecture.md)."""
        return list(self._handlers[kind])
