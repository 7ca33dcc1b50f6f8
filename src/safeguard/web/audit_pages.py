"""The auditor's pages: find a child by reference, then who saw them, when and why."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from safeguard.api.deps import PlatformDep
from safeguard.api.marks import child_data
from safeguard.domain.actors import AccessDenied
from safeguard.sharing.service import ChildNotFound
from safeguard.web.routes import WebUser, render

router = APIRouter(include_in_schema=False)


_REASON = "Say why you are looking: the reason is recorded with your look."


@router.get("/audit/children", response_class=HTMLResponse)
def find_child_form(request: Request, user: WebUser, ref: str = "", reason: str = "") -> Response:
    """The lookup form; filled in, it goes on to the child's page (the reason carried)."""
    if not user.has("auditor"):
        message = f"Your role ({user.role}) may not read who saw a child; auditors do."
        return render(request, "error.html", user, status=403, message=message)
    ref = ref.strip()
    if ref and reason.strip():
        query = urlencode({"reason": reason.strip()[:200]})
        return RedirectResponse(f"/audit/children/{quote(ref, safe='')}?{query}", status_code=303)
    error = (
        _REASON if ref else ("Enter a child reference." if "ref" in request.query_params else "")
    )
    return render(
        request, "audit_find.html", user, ref=ref, error=error, status=400 if error else 200
    )


@router.get("/audit/children/{ref}", response_class=HTMLResponse, openapi_extra=child_data("audit"))
def who_saw_page(
    request: Request, platform: PlatformDep, user: WebUser, ref: str, reason: str = ""
) -> HTMLResponse:
    if not reason.strip():
        return render(
            request, "audit_find.html", user, ref=ref, status=400,
            error=_REASON,
        )  # fmt: skip
    try:
        found = platform.access_history.who_saw(user, ref, reason.strip()[:200])
    except AccessDenied as exc:
        return render(request, "error.html", user, status=403, message=f"Access denied: {exc}.")
    except ChildNotFound as exc:
        return render(request, "audit_find.html", user, ref=ref, status=404, error=f"{exc}.")
    return render(request, "audit_child.html", user, found=found, ref=ref)
