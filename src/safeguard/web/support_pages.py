"""Pages for support: the school mental-health lead's pupils and form, the hub's and agencies'
offers with their outcome form, and the accountability report. Each calls the same service as
its JSON twin."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from safeguard.api.deps import PlatformDep, RowId
from safeguard.api.marks import child_data
from safeguard.api.routes.sharing import period
from safeguard.api.routes.support import PersonId
from safeguard.api.support_schemas import OfferPublic
from safeguard.support.school import SchoolError, SchoolForbidden
from safeguard.support.service import SupportError, SupportForbidden, SupportNotFound
from safeguard.support.triggers import ACTIONS
from safeguard.web.routes import WebUser, check_csrf, render
from safeguard.web.support_chart import timeliness_svg

router = APIRouter(include_in_schema=False)


def _school_page(
    request: Request, platform: PlatformDep, user: WebUser, error: str = ""
) -> HTMLResponse:
    try:
        view = platform.school.view(user)
    except SchoolForbidden as exc:
        return render(request, "error.html", user, status=403, message=f"{exc}.")
    services = {c: platform.support.pathways.label(c)
                for c in [*platform.support.pathways.school_services, "mhst"]}  # fmt: skip
    return render(
        request, "support_school.html", user, status=422 if error else 200, view=view,
        services=services, actions=ACTIONS, error=error, done=request.query_params.get("done", ""),
    )  # fmt: skip


@router.get(
    "/support/school", response_class=HTMLResponse, openapi_extra=child_data("school-pupils")
)
def school_page(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    return _school_page(request, platform, user)


@router.post(
    "/support/school/pupils/{person_id}/support",
    response_model=None,
    openapi_extra=child_data("school-pupil"),
)
def school_give(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    person_id: PersonId,
    service: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    try:
        platform.school.give(user, person_id, service, action, note)
    except SchoolForbidden as exc:
        return render(request, "error.html", user, status=403, message=f"{exc}.")
    except SchoolError as exc:
        return _school_page(request, platform, user, f"{exc}.")
    return RedirectResponse("/support/school?done=recorded", status_code=303)


def _offers_page(
    request: Request, platform: PlatformDep, user: WebUser, error: str = ""
) -> HTMLResponse:
    try:
        rows = platform.support.offers(user)
    except SupportForbidden as exc:
        return render(request, "error.html", user, status=403, message=f"{exc}.")
    now = platform.support.clock()
    return render(
        request, "support_offers.html", user, status=422 if error else 200,
        offers=[OfferPublic.from_row(r, now) for r in rows], actions=ACTIONS,
        label=platform.support.pathways.label, error=error,
        done=request.query_params.get("done", ""),
    )  # fmt: skip


@router.get(
    "/support/offers", response_class=HTMLResponse, openapi_extra=child_data("support-offers")
)
def offers_page(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    return _offers_page(request, platform, user)


@router.post(
    "/support/offers/{offer_id}/events",
    response_model=None,
    openapi_extra=child_data("support-offer"),
)
def offer_event(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    offer_id: RowId,
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    try:
        platform.support.record(user, offer_id, action, reason)
    except SupportNotFound as exc:
        return render(request, "error.html", user, status=404, message=f"{exc}.")
    except SupportForbidden as exc:
        return render(request, "error.html", user, status=403, message=f"{exc}.")
    except SupportError as exc:
        return _offers_page(request, platform, user, f"{exc}.")
    return RedirectResponse("/support/offers?done=recorded", status_code=303)


@router.get("/support/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> HTMLResponse:
    try:
        rows = platform.support.report_for(user, *period(start, end))
    except SupportForbidden as exc:
        return render(request, "error.html", user, status=403, message=f"{exc}.")
    names = {a.la_code: a.la_name for a in platform.codes.areas}
    return render(
        request, "support_report.html", user, rows=rows, chart=timeliness_svg(rows, names),
        protected=any(r.protected for r in rows), start=start or "", end=end or "",
    )  # fmt: skip
