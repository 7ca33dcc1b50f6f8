"""Request and response bodies for the licensing API (separate from the domain)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from safeguard.api.schemas import Instant


class ApplicantCreate(BaseModel):
    """An applicant for a taxi or private-hire driver licence, as the officer has them."""

    first_name: str = Field(min_length=1, max_length=100)
    surname: str = Field(min_length=1, max_length=100)
    dob: str = Field(description="YYYY-MM-DD", examples=["1980-05-07"])
    middle_name: str | None = None
    sex: str | None = Field(default=None, description="M, F, X or U")
    driving_licence: str | None = Field(default=None, description="DVLA number, 16 characters")
    postcode: str | None = None


class EvidencePublic(BaseModel):
    comparison: str
    level: str
    points: float
    applicant: str
    entry: str


class CandidatePublic(BaseModel):
    entry_id: str
    score: float
    strength: str = Field(description="licence (same DVLA number), strong or possible")
    authority: str
    decision: str
    decided_on: str
    reason: str
    name: str
    dob: str
    evidence: list[EvidencePublic]


class CheckPublic(BaseModel):
    check_id: int
    authority: str
    candidates: list[CandidatePublic]
    decision: str | None = None
    decision_note: str | None = None


class DecisionCreate(BaseModel):
    decision: str = Field(description="no_match, enquiry_sent, granted, refused or deferred")
    note: str = Field(default="", max_length=2000)


def check_public(row: dict[str, Any]) -> CheckPublic:
    return CheckPublic(
        check_id=row["id"],
        authority=row["authority"],
        candidates=row["candidates"],
        decision=row["decision"],
        decision_note=row["decision_note"],
    )


class NoticePublic(BaseModel):
    """A notice to a licensing authority: its driver or plate in a safeguarding event, or a
    licence it granted after a refusal elsewhere (``evidence`` holds the entry and match)."""

    id: int
    subject: str
    reason: str
    created_at: Instant
    event: str = Field(description="AGENCY/local_id of the event the notice is about")
    event_type: str
    evidence: dict[str, Any] | None = None


def notice_public(row: dict[str, Any]) -> NoticePublic:
    return NoticePublic(
        id=row["id"],
        subject=row["subject"],
        reason=row["reason"],
        created_at=row["created_at"],
        event=f"{row['event_agency']}/{row['event_local_id']}",
        event_type=row["event_type"],
        evidence=json.loads(row["evidence"]) if row.get("evidence") else None,
    )
