"""Licensing: check an applicant against the register, record the officer's decision, read
the authority's notices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from safeguard.api.deps import CurrentUser, PlatformDep, RowId
from safeguard.api.licensing_schemas import (
    ApplicantCreate,
    CheckPublic,
    DecisionCreate,
    NoticePublic,
    check_public,
    notice_public,
)
from safeguard.api.schemas import ERROR_RESPONSES
from safeguard.bootstrap import Platform
from safeguard.domain.actors import User
from safeguard.licensing.check_reads import ReasonRequired
from safeguard.licensing.service import LicensingError

router = APIRouter(prefix="/api/v1/licensing", tags=["licensing"], responses=ERROR_RESPONSES)


def _officer(platform: Platform, user: User, action: str) -> User:
    try:
        platform.licensing.reads.require_officer(user, action)
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    return user


ReadReason = Annotated[
    str,
    Query(max_length=40, description="Why you open the check: a code from "
          "data/licensing_read_reasons.csv (application, renewal, review, appeal, audit)"),
]  # fmt: skip


@router.post("/checks", response_model=CheckPublic, status_code=201, summary="Check an applicant")
def create_check(body: ApplicantCreate, platform: PlatformDep, user: CurrentUser) -> CheckPublic:
    try:
        result = platform.licensing.check(
            body.model_dump(), _officer(platform, user, "licensing.check")
        )
    except LicensingError as exc:
        raise HTTPException(422, str(exc)) from None
    return check_public(platform.licensing.get_check(result.check_id))


@router.get("/checks/{check_id}", response_model=CheckPublic, summary="A check and its decision")
def read_check(
    check_id: RowId, platform: PlatformDep, user: CurrentUser, reason: ReadReason = ""
) -> CheckPublic:
    """Only the checking authority's officer, with a reason from the code list; every read and
    refusal is audited."""
    try:
        row = platform.licensing.reads.read(check_id, user, reason)
    except ReasonRequired as exc:
        raise HTTPException(422, str(exc)) from None
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    return check_public(row)


@router.post(
    "/checks/{check_id}/decision", response_model=CheckPublic, summary="Record the decision"
)
def decide(
    check_id: RowId, body: DecisionCreate, platform: PlatformDep, user: CurrentUser
) -> CheckPublic:
    try:
        officer = _officer(platform, user, "licensing.decide")
        row = platform.licensing.decide(check_id, body.decision, body.note, officer)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    except LicensingError as exc:
        raise HTTPException(422, str(exc)) from None
    return check_public(row)


@router.get("/notices", response_model=list[NoticePublic], summary="Your authority's notices")
def read_notices(platform: PlatformDep, user: CurrentUser) -> list[NoticePublic]:
    """Notices to the officer's own authority, newest first, with the sweep's evidence."""
    rows = platform.licensing.notices(_officer(platform, user, "licensing.notices").agency)
    return [notice_public(r) for r in rows]
