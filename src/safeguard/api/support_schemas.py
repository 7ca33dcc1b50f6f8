"""Public shapes of support offers, the school view and the report (separate from the rows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from safeguard.api.schemas import Instant
from safeguard.domain.clock import utc
from safeguard.support.school import SchoolView
from safeguard.support.triggers import NOT_MADE


class OfferPublic(BaseModel):
    id: int
    person_id: str
    la_code: str
    service: str
    situation: str
    responsible_agency: str
    identified_at: Instant
    due_at: Instant
    status: str
    overdue: bool
    first_contact_at: Instant | None
    accepted_at: Instant | None
    decline_reason: str | None
    escalated_at: Instant | None
    escalated_to: str | None

    @classmethod
    def from_row(cls, row: Any, now: datetime) -> OfferPublic:
        fields = {k: getattr(row, k) for k in cls.model_fields if k != "overdue"}
        overdue = row.status in NOT_MADE and utc(row.due_at) < utc(now)
        return cls(**fields, overdue=overdue)


class SupportActionIn(BaseModel):
    action: str = Field(
        description="referred, offered, accepted, declined, started, completed or closed",
        max_length=20,
    )
    reason: str = Field("", max_length=500, description="Required when declined: why")


class PupilNoticePublic(BaseModel):
    person_id: str
    name: str
    dob: date | None
    notice: str
    support: list[str]
    contact: str
    school_support: list[str]


class SchoolViewPublic(BaseModel):
    school: str | None = Field(description="The school's DfE URN (none until one is assigned)")
    can_see: list[str]
    cannot_see: list[str]
    pupils: list[PupilNoticePublic]

    @classmethod
    def from_view(cls, view: SchoolView) -> SchoolViewPublic:
        return cls(
            school=view.school,
            can_see=list(view.can_see),
            cannot_see=list(view.cannot_see),
            pupils=[PupilNoticePublic(**p.__dict__) for p in view.pupils],
        )


class SchoolSupportIn(BaseModel):
    service: str = Field(max_length=40, description="pastoral, counselling, trusted_adult or mhst")
    action: str = Field(max_length=20, description="offered, accepted, started, completed …")
    note: str = Field("", max_length=500, description="What the school gives (no crime details)")


class SupportRowPublic(BaseModel):
    """One local authority; a count is null when withheld by disclosure control."""

    la_code: str
    victims: int | None
    offers_due: int | None
    on_time: int | None
    late: int | None
    never_made: int | None
    pending: int | None = Field(description="Not made yet, still before the deadline")
    accepted: int | None
    declined: int | None
    uptake_percent: float | None
    median_days_to_contact: float | None
    protected: bool = Field(description="Under disclosure control (outside the reader's hub)")
