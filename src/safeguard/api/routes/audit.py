"""The auditor's view of a child's access log: who read, changed or was refused what, and why."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from safeguard.api.deps import CurrentUser, PlatformDep
from safeguard.api.marks import child_data
from safeguard.api.schemas import ERROR_RESPONSES, Reason
from safeguard.domain.clock import utc

router = APIRouter(prefix="/api/v1", tags=["audit"], responses=ERROR_RESPONSES)


class AccessEntryPublic(BaseModel):
    seq: int
    at: datetime
    user_name: str
    role: str
    agency_code: str
    reason: str
    action: str
    subject: str
    outcome: str


class AccessHistoryPublic(BaseModel):
    person_id: str
    child_ref: str | None
    people: int
    refused: int
    entries: list[AccessEntryPublic]


@router.get(
    "/audit/children/{ref}/access",
    response_model=AccessHistoryPublic,
    summary="Who saw this child: every read, change and refusal, newest last (auditors)",
    openapi_extra=child_data("audit"),
)
def who_saw(
    platform: PlatformDep, user: CurrentUser, ref: str, reason: Reason
) -> AccessHistoryPublic:
    found = platform.access_history.who_saw(user, ref, reason)
    return AccessHistoryPublic(
        person_id=found.person_id,
        child_ref=found.child_ref,
        people=found.people,
        refused=found.refused,
        entries=[AccessEntryPublic(**{**e.__dict__, "at": utc(e.at)}) for e in found.entries],
    )
