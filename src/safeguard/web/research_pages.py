"""The output checker's page: pending research outputs, approve or return with reasons.
Same service calls as `safeguard research review` and the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from safeguard.api.deps import PlatformDep, RowId
from safeguard.domain.actors import User
from safeguard.research.service import ResearchError
from safeguard.web.routes import WebUser, check_csrf, render

router = APIRouter(include_in_schema=False)


def _denied(request: Request, user: User) -> HTMLResponse | None:
    if "output_checker" in user.roles:
        return None
    message = "Access denied: only an output checker may use this page."
    return render(request, "error.html", user, status=403, message=message)


def _page(request: Request, platform: PlatformDep, user: User, error: str | None = None,
          status: int = 200) -> HTMLResponse:  # fmt: skip
    outputs = platform.research.outputs("pending")
    return render(request, "research_outputs.html", user, status=status, outputs=outputs,
                  error=error)  # fmt: skip


@router.get("/research/outputs", response_class=HTMLResponse)
def outputs_page(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    if denied := _denied(request, user):
        return denied
    return _page(request, platform, user)


@router.post("/research/outputs/{output_id}/decision", response_model=None)
def decide(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    output_id: RowId,
    decision: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    if denied := _denied(request, user):
        return denied
    try:
        platform.research.decide_output(output_id, decision == "approve", reason, user)
    except ResearchError as exc:
        return _page(request, platform, user, error=str(exc), status=422)
    return RedirectResponse("/research/outputs", status_code=303)
