"""Pages for risk: the MASH's alert list, one alert with its evidence and the decision form,
and the accountability report with its chart. Each calls the same service as its JSON twin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from safeguard.accounts.roles import RISK_REPORT_ROLES
from safeguard.api.deps import PlatformDep, RowId
from safeguard.api.marks import child_data
from safeguard.api.risk_schemas import AlertPublic, NotificationPublic
from safeguard.risk.report import chart_svg
from safeguard.risk.service import AlertError, AlertForbidden, AlertNotFound
from safeguard.web.routes import WebUser, check_csrf, render

router = APIRouter(include_in_schema=False)


@router.get("/risk/alerts", response_class=HTMLResponse, openapi_extra=child_data("mash-alerts"))
def alerts_page(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    try:
        rows = platform.risk.alerts(user)
    except AlertForbidden as exc:
        return render(request, "error.html", user, status=403, message=f"{exc}.")
    now = platform.risk.clock()
    inbox = [NotificationPublic.from_row(r) for r in platform.risk.inbox.notifications(user)]
    return render(
        request,
        "risk_alerts.html",
        user,
        alerts=[AlertPublic.from_row(r, now) for r in rows],
        inbox=inbox,
    )


def _alert_page(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    alert_id: int,
    error: str = "",
    **chosen: str,
) -> HTMLResponse:
    """The alert page; after a refused decision, with the error and what the user had chosen."""
    try:
        row, history = platform.risk.alert(user, alert_id)
    except AlertNotFound as exc:
        return render(request, "error.html", user, status=404, message=f"{exc}.")
    except AlertError as exc:
        return render(request, "error.html", user, status=403, message=f"{exc}.")
    return render(
        request,
        "risk_alert.html",
        user,
        status=422 if error else 200,
        alert=AlertPublic.from_row(row, platform.risk.clock()),
        history=history,
        outcomes=platform.risk.rules.outcomes,
        error=error,
        chosen_outcome=chosen.get("outcome", ""),
        chosen_reason=chosen.get("reason", ""),
        done=request.query_params.get("done", ""),
    )


@router.get(
    "/risk/alerts/{alert_id}", response_class=HTMLResponse, openapi_extra=child_data("alert")
)
def alert_page(
    request: Request, platform: PlatformDep, user: WebUser, alert_id: RowId
) -> HTMLResponse:
    return _alert_page(request, platform, user, alert_id)


@router.post(
    "/risk/alerts/{alert_id}/assign", response_model=None, openapi_extra=child_data("alert")
)
def assign_post(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    alert_id: RowId,
    assignee: Annotated[str, Form()] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    try:
        platform.risk.assign(user, alert_id, assignee.strip() or user.name)
    except AlertError as exc:
        return _alert_page(request, platform, user, alert_id, str(exc))
    return RedirectResponse(f"/risk/alerts/{alert_id}?done=assigned", status_code=303)


@router.post(
    "/risk/alerts/{alert_id}/decision", response_model=None, openapi_extra=child_data("alert")
)
def decision_post(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    alert_id: RowId,
    outcome: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    try:
        platform.risk.decide(user, alert_id, outcome, reason)
    except AlertError as exc:
        return _alert_page(
            request, platform, user, alert_id, str(exc), outcome=outcome, reason=reason
        )
    return RedirectResponse(f"/risk/alerts/{alert_id}?done=decided", status_code=303)


@router.get("/risk/report", response_class=HTMLResponse)
def report_page(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    if not user.has(*RISK_REPORT_ROLES):  # as GET /api/v1/risk/report
        message = "The risk report is for MASH practitioners, auditors and statisticians."
        return render(request, "error.html", user, status=403, message=message)
    la = request.query_params.get("la") or None
    rows = platform.risk.report(la)
    charts = {r.la_code: Markup(chart_svg(r)) for r in rows}  # chart_svg escapes its text
    return render(request, "risk_report.html", user, rows=rows, charts=charts, la=la or "")
