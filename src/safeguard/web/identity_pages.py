"""Pages of the identity capability: the review queue and match explanations."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from safeguard.api.deps import PlatformDep
from safeguard.api.marks import child_data
from safeguard.identity.linking import IdentityError, ReviewerRequired
from safeguard.web.charts import waterfall_svg
from safeguard.web.routes import WebUser, check_csrf, render

router = APIRouter(include_in_schema=False)
#: Pairs per page of the review queue (a page of 104 rows was 9,764 pixels tall).
REVIEW_PAGE_SIZE = 25


@router.get(
    "/identity/review", response_class=HTMLResponse, openapi_extra=child_data("identity-review")
)
def review_page(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    done: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    try:
        items = platform.identity.review_queue(user)
    except IdentityError as exc:
        return render(request, "error.html", user, status=403, message=str(exc))
    pages = max(1, -(-len(items) // REVIEW_PAGE_SIZE))
    page = min(page, pages)
    start = (page - 1) * REVIEW_PAGE_SIZE
    return render(
        request,
        "identity_review.html",
        user,
        items=items[start : start + REVIEW_PAGE_SIZE],
        total=len(items),
        page=page,
        pages=pages,
        done=done,
    )


@router.post(
    "/identity/review/decide", response_model=None, openapi_extra=child_data("identity-review")
)
def decide(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    left: Annotated[str, Form(max_length=150)],
    right: Annotated[str, Form(max_length=150)],
    decision: Annotated[Literal["same", "not_same"], Form()],
    reason: Annotated[str, Form(max_length=500)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    try:
        platform.identity.record_decision(user, left, right, decision, reason)
    except IdentityError as exc:
        status = 403 if isinstance(exc, ReviewerRequired) else 422
        return render(request, "error.html", user, status=status, message=str(exc))
    return RedirectResponse("/identity/review?done=decided", status_code=303)


@router.get(
    "/identity/explain", response_class=HTMLResponse, openapi_extra=child_data("identity-review")
)
def explain_page(
    request: Request, platform: PlatformDep, user: WebUser, left: str, right: str | None = None
) -> HTMLResponse:
    try:
        result = platform.identity.explain(user, left, right)
    except IdentityError as exc:
        status = 403 if isinstance(exc, ReviewerRequired) else 409
        return render(request, "error.html", user, status=status, message=str(exc))
    except KeyError as exc:
        return render(
            request, "error.html", user, status=404, message=f"No current record {exc.args[0]!r}."
        )
    pairs = [result] if right is not None else result.get("pairs", [])
    charts = [waterfall_svg(p) for p in pairs[:20]]
    return render(
        request,
        "identity_explain.html",
        user,
        left=left,
        right=right,
        charts=charts,
        count=len(pairs),
    )
