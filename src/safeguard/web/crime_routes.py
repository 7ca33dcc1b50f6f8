"""Pages: the statistician's overview (/stats), the referral list (/referrals) and one
referral's progress (/referrals/{id}, moved on by Immigration Enforcement).
Each calls the same service as its JSON twin in api/routes/crime.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from safeguard.api.deps import PlatformDep, RowId
from safeguard.api.marks import child_data
from safeguard.crime.errors import NoDataError
from safeguard.crime.lifecycle import ReferralNotFound, ReferralUpdateError
from safeguard.crime.overview import OVERVIEW_TABLES, stats_overview
from safeguard.crime.report import table_html
from safeguard.domain.actors import AccessDenied
from safeguard.web.routes import WebUser, check_csrf, render

router = APIRouter(include_in_schema=False)


@router.get("/stats", response_class=HTMLResponse)
def stats_page(
    request: Request, platform: PlatformDep, user: WebUser, year: int | None = None
) -> HTMLResponse:
    try:
        ret = stats_overview(platform.crime, user, year)
    except AccessDenied as exc:
        return render(request, "error.html", user, status=403, message=f"Access denied: {exc}.")
    except NoDataError as exc:
        return render(request, "error.html", user, status=404, message=f"No statistics: {exc}.")
    charts = {
        k: Markup(v)
        for k, v in ret.charts.items()
        if k
        in (
            "completeness_force",
            "completeness_time",
            "funnel",
            "reference_plans",
            "reference_crimes",
            "synthetic",
        )
    }
    tables = [(t, table_html(t)) for t in ret.tables if t.name in OVERVIEW_TABLES]
    return render(request, "stats.html", user, ret=ret, charts=charts, tables=tables)


@router.get("/referrals", response_class=HTMLResponse, openapi_extra=child_data("referrals"))
def referrals_page(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    try:
        rows = platform.crime.referrals(user)
    except AccessDenied as exc:
        return render(request, "error.html", user, status=403, message=f"Access denied: {exc}.")
    return render(request, "referrals.html", user, rows=rows)


@router.get(
    "/referrals/{referral_id}",
    response_class=HTMLResponse,
    openapi_extra=child_data("referral-outcome"),
)
def referral_page(
    request: Request, platform: PlatformDep, user: WebUser, referral_id: RowId
) -> HTMLResponse:
    try:
        progress = platform.referrals.progress(user, referral_id)
    except AccessDenied as exc:
        return render(request, "error.html", user, status=403, message=f"Access denied: {exc}.")
    except ReferralNotFound as exc:
        return render(request, "error.html", user, status=404, message=f"{exc}.")
    done = request.query_params.get("done") == "updated"
    return render(request, "referral.html", user, p=progress, done=done)


@router.post(
    "/referrals/{referral_id}/status",
    response_model=None,
    openapi_extra=child_data("referral-outcome"),
)
def referral_status_post(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    referral_id: RowId,
    status: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    try:
        platform.referrals.update(user, referral_id, status, note)
    except AccessDenied as exc:
        return render(request, "error.html", user, status=403, message=f"Access denied: {exc}.")
    except ReferralNotFound as exc:
        return render(request, "error.html", user, status=404, message=f"{exc}.")
    except ReferralUpdateError as exc:
        return render(request, "error.html", user, status=422, message=f"{exc}.")
    return RedirectResponse(f"/referrals/{referral_id}?done=updated", status_code=303)
