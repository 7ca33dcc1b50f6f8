"""Risk: the MASH's alerts, one alert with its evidence, assignment, decision, the report."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException

from safeguard.accounts.roles import RISK_REPORT_ROLES
from safeguard.api.deps import CurrentUser, PlatformDep, RowId
from safeguard.api.marks import child_data
from safeguard.api.risk_schemas import (
    AlertDetailPublic,
    AlertPublic,
    AssignIn,
    DecisionIn,
    HistoryPublic,
    NotificationPublic,
)
from safeguard.api.schemas import ERROR_RESPONSES
from safeguard.risk.inbox import InboxForbidden
from safeguard.risk.service import AlertError, AlertForbidden, AlertNotFound

router = APIRouter(prefix="/api/v1/risk", tags=["risk"], responses=ERROR_RESPONSES)
T = TypeVar("T")


def guarded(call: Callable[[], T]) -> T:
    """Service errors as HTTP: 404 unknown, 403 another MASH's alert, 422 a refused action."""
    try:
        return call()
    except AlertNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except AlertForbidden as exc:
        raise HTTPException(403, str(exc)) from exc
    except AlertError as exc:
        raise HTTPException(422, str(exc)) from exc


def detail(platform: Any, user: Any, alert_id: int) -> AlertDetailPublic:
    alert, history = guarded(lambda: platform.risk.alert(user, alert_id))
    now = platform.risk.clock()
    return AlertDetailPublic(
        alert=AlertPublic.from_row(alert, now),
        history=[HistoryPublic(at=h.at, action=h.action, by=h.by,
                               detail=json.loads(h.detail)) for h in history],
    )  # fmt: skip


@router.get(
    "/alerts",
    response_model=list[AlertPublic],
    summary="Alerts of my MASH",
    openapi_extra=child_data("mash-alerts"),
)
def alerts(
    platform: PlatformDep, user: CurrentUser, status: str | None = None
) -> list[AlertPublic]:
    rows = guarded(lambda: platform.risk.alerts(user, [status] if status else []))
    now = platform.risk.clock()
    return [AlertPublic.from_row(r, now) for r in rows]


@router.get(
    "/alerts/{alert_id}",
    response_model=AlertDetailPublic,
    summary="One alert",
    openapi_extra=child_data("alert"),
)
def alert(platform: PlatformDep, user: CurrentUser, alert_id: RowId) -> AlertDetailPublic:
    return detail(platform, user, alert_id)


@router.post(
    "/alerts/{alert_id}/assign",
    response_model=AlertDetailPublic,
    summary="Assign",
    openapi_extra=child_data("alert"),
)
def assign(
    platform: PlatformDep, user: CurrentUser, alert_id: RowId, body: AssignIn
) -> AlertDetailPublic:
    guarded(lambda: platform.risk.assign(user, alert_id, body.assignee))
    return detail(platform, user, alert_id)


@router.post(
    "/alerts/{alert_id}/decision",
    response_model=AlertDetailPublic,
    summary="Decide",
    openapi_extra=child_data("alert"),
)
def decide(
    platform: PlatformDep, user: CurrentUser, alert_id: RowId, body: DecisionIn
) -> AlertDetailPublic:
    guarded(lambda: platform.risk.decide(user, alert_id, body.outcome, body.reason))
    return detail(platform, user, alert_id)


@router.get(
    "/notifications",
    response_model=list[NotificationPublic],
    summary="My inbox: alerts escalated to me as my hub's named manager",
    openapi_extra=child_data("mash-alerts"),
)
def notifications(platform: PlatformDep, user: CurrentUser) -> list[NotificationPublic]:
    try:
        rows = platform.risk.inbox.notifications(user)
    except InboxForbidden as exc:
        raise HTTPException(403, str(exc)) from exc
    return [NotificationPublic.from_row(r) for r in rows]


@router.post("/notifications/{notification_id}/read", summary="Mark one of my notifications read")
def notification_read(
    platform: PlatformDep, user: CurrentUser, notification_id: RowId
) -> dict[str, bool]:
    if not platform.risk.inbox.mark_read(user, notification_id):
        raise HTTPException(404, f"notification {notification_id} is not in your inbox")
    return {"read": True}


@router.get("/report", summary="Alerts per LA: on time, late, never decided, reopened")
def report(platform: PlatformDep, user: CurrentUser, la: str | None = None) -> list[dict[str, Any]]:
    if not user.has(*RISK_REPORT_ROLES):
        raise HTTPException(
            403, "the risk report is for MASH practitioners, auditors and statisticians"
        )
    return [r.as_dict() for r in platform.risk.report(la)]
