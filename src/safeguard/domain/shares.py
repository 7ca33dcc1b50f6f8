"""Shares and break-glass reads as the store returns them: plain values, not database rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Share:
    """One duty to share one event with one partner: made, not shared, or waiting."""

    id: int
    obligation_id: str
    event_id: int
    from_agency: str
    event_local_id: str
    event_type: str
    occurred_at: datetime
    person_id: str | None
    to_agency: str | None
    status: str
    note: str
    due_at: datetime
    shared_at: datetime | None
    #: the event's recording time at the submitting agency: the duty's clock starts here
    recorded_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BreakGlassRead:
    """A read outside need to know, with its reason, waiting for (or after) an auditor's review."""

    id: int
    at: datetime
    user_name: str
    role: str
    agency_code: str
    person_id: str
    reason: str
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Receipt:
    """A partner's event recording that it received a share (``details`` JSON text)."""

    agency_code: str
    occurred_at: datetime
    details: str | None
