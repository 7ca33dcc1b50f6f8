"""Public shapes of the sharing API (separate from the domain classes)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from safeguard.api.schemas import Instant


class InboxItemPublic(BaseModel):
    id: int
    obligation: str
    reason: str
    from_agency: str
    event_type: str
    event_local_id: str
    occurred_at: Instant
    person_id: str | None
    child_ref: str | None
    shared_at: Instant
    acknowledge_by: Instant
    acknowledged_at: Instant | None
    acknowledged_by: str | None
    overdue: bool


class ChronologyEventPublic(BaseModel):
    id: int
    occurred_at: Instant
    agency_code: str
    local_id: str
    version: int
    event_type: str
    role: str
    offence_code: str | None
    postcode: str | None
    place_type: str | None
    details: dict[str, Any]


class ChronologyPublic(BaseModel):
    person_id: str
    child_ref: str | None
    basis: str
    view: str
    events: list[ChronologyEventPublic]


class ComplianceRowPublic(BaseModel):
    """Counts are null where withheld by disclosure control (readers outside the MASH and audit)."""

    agency: str
    obligation: str
    due: int | None
    on_time: int | None
    late: int | None
    not_shared: int | None
    timing_unknown: int | None
    never_made: int | None
    median_delay_hours: float | None
