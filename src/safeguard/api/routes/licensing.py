"""Licensing: check an applicant against the register, record the officer's decision, read
the authority's notices."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from safeguard.accounts.service import User
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
from safeguard.licensing.service import LicensingError

router = APIRouter(prefix="/api/v1/licensing", tags=["licensing"], responses=ERROR_RESPONSES)


def _officer(user: User) -> User:
    if "licensing_officer" not in user.roles or not user.agency.startswith("LIC-"):
        raise HTTPException(403, "only a licensing authority's licensing officer may do this")
    return user


@router.post("/checks", response_model=CheckPublic, status_code=201, summary="Check an applicant")
def create_check(body: ApplicantCreate, platform: PlatformDep, user: CurrentUser) -> CheckPublic:
    try:
        result = platform.licensing.check(body.model_dump(), _officer(user))
    except LicensingError as exc:
        raise HTTPException(422, str(exc)) from None
    return check_public(platform.licensing.get_check(result.check_id))


@router.get("/checks/{check_id}", response_model=CheckPublic, summary="A check and its decision")
def read_check(check_id: RowId, platform: PlatformDep, user: CurrentUser) -> CheckPublic:
    _officer(user)
    try:
        row = platform.licensing.get_check(check_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    if row["authority"] != user.agency.removeprefix("LIC-"):
        raise HTTPException(403, "a check is read only by the authority that made it")
    return check_public(row)


@router.post(
    "/checks/{check_id}/decision", response_model=CheckPublic, summary="Record the decision"
)
def decide(
    check_id: RowId, body: DecisionCreate, platform: PlatformDep, user: CurrentUser
) -> CheckPublic:
    try:
        row = platform.licensing.decide(check_id, body.decision, body.note, _officer(user))
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
    rows = platform.licensing.notices(_officer(user).agency)
    return [notice_public(r) for r in rows]
