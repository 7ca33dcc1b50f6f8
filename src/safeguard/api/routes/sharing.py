"""Sharing: partners' inboxes, acknowledgement, compliance, and the child's chronology."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from safeguard.accounts.roles import SHARING_REPORT_ROLES
from safeguard.api.deps import CurrentUser, PlatformDep, RowId
from safeguard.api.marks import child_data
from safeguard.api.schemas import ERROR_RESPONSES, Reason
from safeguard.api.sharing_schemas import (
    ChronologyPublic,
    ComplianceRowPublic,
    InboxItemPublic,
)
from safeguard.sharing.compliance import to_csv

router = APIRouter(prefix="/api/v1", tags=["sharing"], responses=ERROR_RESPONSES)

BreakGlass = Annotated[
    str | None,
    Query(
        max_length=500,
        description="Emergency justification when you have no other relationship with the "
        "child; recorded and flagged for the data-protection officer's review",
    ),
]


@router.get(
    "/sharing/inbox",
    response_model=list[InboxItemPublic],
    summary="Shares received",
    openapi_extra=child_data("inbox"),
)
def inbox(
    platform: PlatformDep, user: CurrentUser, include_acknowledged: bool = False
) -> list[InboxItemPublic]:
    items = platform.sharing.inbox(user, include_acknowledged)
    return [InboxItemPublic(**i.__dict__) for i in items]


@router.post(
    "/sharing/shares/{share_id}/acknowledge",
    response_model=InboxItemPublic,
    summary="Acknowledge a share received",
    openapi_extra=child_data("inbox"),
)
def acknowledge(platform: PlatformDep, user: CurrentUser, share_id: RowId) -> InboxItemPublic:
    platform.sharing.acknowledge(user, share_id)
    items = platform.sharing.inbox(user, include_acknowledged=True)
    return InboxItemPublic(**next(i for i in items if i.id == share_id).__dict__)


def period(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    first = datetime.combine(start, time(), UTC) if start else None
    last = datetime.combine(end, time(), UTC) + timedelta(days=1) if end else None
    return first, last


def _may_read_report(roles: tuple[str, ...]) -> None:
    if not SHARING_REPORT_ROLES & set(roles):
        raise HTTPException(
            403, "the sharing report is for MASH practitioners, statisticians and auditors"
        )


@router.get(
    "/sharing/report", response_model=list[ComplianceRowPublic], summary="Sharing compliance"
)
def report(
    platform: PlatformDep,
    user: CurrentUser,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> list[ComplianceRowPublic]:
    _may_read_report(user.roles)
    rows = platform.sharing.report_for(user, *period(start, end))
    return [ComplianceRowPublic(**r.as_dict()) for r in rows]


@router.get(
    "/sharing/report.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
    },
    summary="Sharing compliance as CSV",
)
def report_csv(
    platform: PlatformDep,
    user: CurrentUser,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    _may_read_report(user.roles)
    rows = platform.sharing.report_for(user, *period(start, end))
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8")


@router.get(
    "/children/{ref}/chronology",
    response_model=ChronologyPublic,
    summary="A child's events from every agency, in time order",
    openapi_extra=child_data("need-to-know"),
)
def chronology(
    platform: PlatformDep,
    user: CurrentUser,
    ref: str,
    reason: Reason = "case work",
    break_glass: BreakGlass = None,
) -> ChronologyPublic:
    view = platform.sharing.chronology(user, ref, reason, break_glass)
    return ChronologyPublic.model_validate(view.__dict__)
