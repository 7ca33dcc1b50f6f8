"""Pages for sharing: the inbox with acknowledgement, the compliance report with its chart,
the child's chronology and the break-glass form. Each calls the same service as its JSON twin."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from safeguard.accounts.roles import SHARING_REPORT_ROLES
from safeguard.api.deps import PlatformDep, RowId
from safeguard.api.marks import child_data
from safeguard.api.routes.sharing import period
from safeguard.domain.actors import AccessDenied
from safeguard.sharing.service import ChildNotFound, ShareNotFound
from safeguard.web.routes import WebUser, check_csrf, render
from safeguard.web.sharing_chart import compliance_svg

router = APIRouter(include_in_schema=False)


@router.get("/sharing/inbox", response_class=HTMLResponse, openapi_extra=child_data("inbox"))
def inbox_page(
    request: Request, platform: PlatformDep, user: WebUser, all: bool = False
) -> HTMLResponse:
    try:
        items = platform.sharing.inbox(user, include_acknowledged=all)
    except AccessDenied as exc:
        return render(request, "error.html", user, status=403, message=f"{exc}.")
    done = request.query_params.get("done") == "acknowledged"
    return render(request, "inbox.html", user, items=items, show_all=all, done=done)


@router.post(
    "/sharing/shares/{share_id}/acknowledge", response_model=None, openapi_extra=child_data("inbox")
)
def acknowledge_post(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    share_id: RowId,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    try:
        platform.sharing.acknowledge(user, share_id)
    except (AccessDenied, ShareNotFound) as exc:
        return render(request, "error.html", user, status=403, message=f"{exc}.")
    return RedirectResponse("/sharing/inbox?done=acknowledged", status_code=303)


@router.get("/sharing/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
) -> HTMLResponse:
    if not user.has(*SHARING_REPORT_ROLES):
        message = "The sharing report is for MASH practitioners, statisticians and auditors."
        return render(request, "error.html", user, status=403, message=message)
    first = request.query_params.get("from") or None
    last = request.query_params.get("to") or None
    try:
        bounds = period(
            date.fromisoformat(first) if first else None,
            date.fromisoformat(last) if last else None,
        )
    except ValueError:
        return render(request, "error.html", user, status=422, message="Dates must be YYYY-MM-DD.")
    rows = platform.sharing.report_for(user, *bounds)
    return render(
        request,
        "compliance.html",
        user,
        rows=rows,
        chart=compliance_svg(rows),
        start=first or "",
        end=last or "",
    )


def _chronology(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    ref: str,
    reason: str,
    break_glass: str | None,
) -> HTMLResponse:
    try:
        view = platform.sharing.chronology(user, ref, reason, break_glass)
    except ChildNotFound as exc:
        return render(request, "error.html", user, status=404, message=str(exc))
    except AccessDenied as exc:
        return render(request, "break_glass.html", user, status=403, ref=ref, message=str(exc))
    return render(request, "chronology.html", user, view=view, ref=ref)


@router.get(
    "/children/{ref}/chronology",
    response_class=HTMLResponse,
    openapi_extra=child_data("need-to-know"),
)
def chronology_page(
    request: Request, platform: PlatformDep, user: WebUser, ref: str, reason: str = "case work"
) -> HTMLResponse:
    return _chronology(request, platform, user, ref, reason, None)


@router.post(
    "/children/{ref}/chronology",
    response_class=HTMLResponse,
    openapi_extra=child_data("need-to-know"),
)
def break_glass_post(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    ref: str,
    break_glass: Annotated[str, Form(max_length=500)],
    csrf: Annotated[str | None, Form()] = None,
) -> HTMLResponse:
    check_csrf(request, csrf)
    return _chronology(request, platform, user, ref, "break-glass", break_glass)
