"""Licensing pages: check an applicant, read the matches and decide; compliance with its
chart; vehicles working out of area; safeguarding notices. Same service calls as the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from safeguard.api.deps import PlatformDep, RowId
from safeguard.domain.actors import User
from safeguard.licensing.check_reads import ReasonRequired
from safeguard.licensing.service import OFFICER_DECISIONS, LicensingError
from safeguard.licensing.settings import read_reasons
from safeguard.web.licensing_chart import share_checked_svg
from safeguard.web.routes import WebUser, check_csrf, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=100)]


def _denied(request: Request, user: User) -> HTMLResponse | None:
    """The refusal page (audited) unless ``user`` is a licensing authority's officer."""
    platform = request.app.state.platform
    try:
        platform.licensing.reads.require_officer(user, "licensing.page", request.url.path)
    except PermissionError:
        message = (
            "Access denied: only a licensing authority's licensing officer may use these pages."
        )
        return render(request, "error.html", user, status=403, message=message)
    return None


@router.get("/licensing", response_class=HTMLResponse)
def licensing_home(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    if denied := _denied(request, user):
        return denied
    lic = platform.licensing
    checks = lic.checks(user.agency)[:20]
    return render(request, "licensing.html", user, checks=checks, notices=lic.notices(user.agency),
                  error=None, form={})  # fmt: skip


@router.post("/licensing/checks", response_model=None)
def check_form(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    first_name: Text,
    surname: Text,
    dob: Annotated[str, Form(max_length=10)],
    middle_name: Text = "",
    sex: Annotated[str, Form(max_length=1)] = "",
    driving_licence: Annotated[str, Form(max_length=20)] = "",
    postcode: Annotated[str, Form(max_length=10)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    if denied := _denied(request, user):
        return denied
    form = dict(
        first_name=first_name, middle_name=middle_name, surname=surname, dob=dob, sex=sex,
        driving_licence=driving_licence, postcode=postcode,
    )  # fmt: skip
    try:
        result = platform.licensing.check(form, user)
    except LicensingError as exc:
        lic = platform.licensing
        return render(
            request, "licensing.html", user, status=422, checks=lic.checks(user.agency)[:20],
            notices=lic.notices(user.agency), error=str(exc), form=form,
        )  # fmt: skip
    return RedirectResponse(
        f"/licensing/checks/{result.check_id}?reason=application", status_code=303
    )


@router.get("/licensing/checks/{check_id}", response_class=HTMLResponse)
def check_page(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    check_id: RowId,
    reason: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    if denied := _denied(request, user):
        return denied
    try:
        check = platform.licensing.reads.read(check_id, user, reason)
    except ReasonRequired:  # ask why, with the code list as links
        return render(request, "licensing_reason.html", user, status=422, check_id=check_id,
                      reasons=read_reasons(), given=reason)  # fmt: skip
    except LookupError as exc:
        return render(request, "error.html", user, status=404, message=f"{exc}.")
    except PermissionError as exc:
        return render(request, "error.html", user, status=403, message=f"Access denied: {exc}.")
    return render(request, "licensing_check.html", user, check=check, decisions=OFFICER_DECISIONS)


@router.post("/licensing/checks/{check_id}/decision", response_model=None)
def decision_form(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    check_id: RowId,
    decision: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    if denied := _denied(request, user):
        return denied
    try:
        platform.licensing.decide(check_id, decision, note, user)
    except (LicensingError, LookupError, PermissionError) as exc:
        return render(request, "error.html", user, status=422, message=f"{exc}.")
    return RedirectResponse(f"/licensing/checks/{check_id}?reason=application", status_code=303)


@router.get("/licensing/compliance", response_class=HTMLResponse)
def compliance_page(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    if denied := _denied(request, user):
        return denied
    rows = platform.licensing.compliance()
    return render(request, "licensing_compliance.html", user, rows=rows,
                  chart=share_checked_svg(rows))  # fmt: skip


@router.get("/licensing/out-of-area", response_class=HTMLResponse)
def out_of_area_page(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    if denied := _denied(request, user):
        return denied
    found = platform.licensing.out_of_area()
    areas: dict[str, list[object]] = {}
    for o in found:
        areas.setdefault(o.seen_in_la, []).append(o)
    names = {a.la_code: a.la_name for a in platform.codes.areas}
    return render(request, "licensing_out_of_area.html", user, areas=areas, names=names)
