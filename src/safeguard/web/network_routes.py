"""Network pages: groups and the harm list, a group's and a person's link chart, exports.

The chart's data comes from the same service call as the JSON API, served here under the
session cookie (the page's script cannot hold a bearer token) and fetched by static/network.js.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from safeguard.api.deps import PlatformDep
from safeguard.api.marks import child_data
from safeguard.domain.actors import AccessDenied
from safeguard.network.service import NetworkNotFound
from safeguard.web.charts import groups_svg
from safeguard.web.routes import WebUser, render

router = APIRouter(include_in_schema=False)


def _failure(request: Request, user: Any, exc: Exception) -> HTMLResponse:
    status = 403 if isinstance(exc, AccessDenied) else 404
    prefix = "Access denied: " if status == 403 else ""
    return render(request, "error.html", user, status=status, message=f"{prefix}{exc}.")


@router.get("/network", response_class=HTMLResponse, openapi_extra=child_data("network"))
def network_page(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    try:
        overview = platform.network.overview(user, "network page")
        harm = platform.network.harm(user, "network page", limit=50)
    except AccessDenied as exc:
        return _failure(request, user, exc)
    chart = groups_svg(list(overview["groups"]))
    return render(request, "network.html", user, overview=overview, harm=harm, chart=chart)


@router.get(
    "/network/groups/{group_id}", response_class=HTMLResponse, openapi_extra=child_data("network")
)
def group_page(
    request: Request, platform: PlatformDep, user: WebUser, group_id: str
) -> HTMLResponse:
    try:
        group = platform.network.group(user, group_id, "group page")
    except (AccessDenied, NetworkNotFound) as exc:
        return _failure(request, user, exc)
    base = f"/network/groups/{group_id}"
    return render(request, "network_chart.html", user, group=group, person=None, base=base)


@router.get(
    "/network/persons/{ref}", response_class=HTMLResponse, openapi_extra=child_data("network")
)
def person_page(request: Request, platform: PlatformDep, user: WebUser, ref: str) -> HTMLResponse:
    try:
        person = platform.network.person(user, ref, "person network page")
    except (AccessDenied, NetworkNotFound) as exc:
        return _failure(request, user, exc)
    base = f"/network/persons/{ref}"
    return render(request, "network_chart.html", user, group=None, person=person, base=base)


def _json_failure(exc: Exception) -> JSONResponse:
    status = 403 if isinstance(exc, AccessDenied) else 404
    return JSONResponse({"error": {"status": status, "message": str(exc)}}, status_code=status)


@router.get("/network/groups/{group_id}/chart.json", openapi_extra=child_data("network"))
def group_chart(platform: PlatformDep, user: WebUser, group_id: str) -> Response:
    try:
        return JSONResponse(platform.network.group(user, group_id, "link chart")["chart"])
    except (AccessDenied, NetworkNotFound) as exc:
        return _json_failure(exc)


@router.get("/network/persons/{ref}/chart.json", openapi_extra=child_data("network"))
def person_chart(platform: PlatformDep, user: WebUser, ref: str) -> Response:
    try:
        return JSONResponse(platform.network.person(user, ref, "link chart")["chart"])
    except (AccessDenied, NetworkNotFound) as exc:
        return _json_failure(exc)


def _download(content: bytes, fmt: str, name: str) -> Response:
    kind, ext = (
        ("application/graphml+xml", "graphml") if fmt == "graphml" else ("application/zip", "zip")
    )
    return Response(
        content,
        media_type=kind,
        headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'},
    )


@router.get("/network/groups/{group_id}/export.{fmt}", openapi_extra=child_data("network"))
def group_export(platform: PlatformDep, user: WebUser, group_id: str, fmt: str) -> Response:
    try:
        return _download(platform.network.export(user, fmt, group_id=group_id), fmt, group_id)
    except (AccessDenied, NetworkNotFound) as exc:
        return _json_failure(exc)
    except ValueError as exc:
        return JSONResponse({"error": {"status": 404, "message": str(exc)}}, status_code=404)


@router.get("/network/persons/{ref}/export.{fmt}", openapi_extra=child_data("network"))
def person_export(platform: PlatformDep, user: WebUser, ref: str, fmt: str) -> Response:
    try:
        return _download(platform.network.export(user, fmt, person=ref), fmt, ref)
    except (AccessDenied, NetworkNotFound) as exc:
        return _json_failure(exc)
    except ValueError as exc:
        return JSONResponse({"error": {"status": 404, "message": str(exc)}}, status_code=404)
