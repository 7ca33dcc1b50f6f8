"""Pages: log-in, search, the person page and the submission page. Each calls the same service
as its JSON twin and renders the result."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from safeguard.accounts.roles import SUBMIT_ROLES
from safeguard.api.deps import PlatformDep
from safeguard.api.marks import child_data
from safeguard.domain.actors import AccessDenied, User
from safeguard.ingest.errors import SubmissionRejected
from safeguard.people.service import BadCursor, PersonHit, PersonNotFound
from safeguard.web.dashboard import home_tiles
from safeguard.web.navigation import pages_for
from safeguard.web.templating import (
    LOGIN_COOKIE,
    LOGIN_MAX_AGE,
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    csrf_ok,
    csrf_token,
    local_path,
    login_binding,
    templates,
)
from safeguard.web.throttle import FailureThrottle

router = APIRouter(include_in_schema=False)
#: Ten failed sign-ins per address in five minutes, then 429 until the oldest ages out.
LOGIN_THROTTLE = FailureThrottle(limit=10, window=300.0)


def web_user(request: Request, platform: PlatformDep) -> User:
    """The signed-in user, or a redirect to the log-in page."""
    attempt = f"{request.method} {request.url.path}"
    user = platform.sessions.user(request.cookies.get(SESSION_COOKIE), attempt)
    if user is None:
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        deep = request.method == "GET" and wanted != "/"  # a form post cannot be replayed
        target = f"/login?{urlencode({'next': wanted})}" if deep else "/login"
        raise HTTPException(303, "please sign in", headers={"Location": target})
    return user


WebUser = Annotated[User, Depends(web_user)]


def render(
    request: Request,
    template: str,
    user: User | None,
    status: int = 200,
    csrf_binding: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page; its forms carry a token bound to the session (or to ``csrf_binding``)."""
    platform = request.app.state.platform
    binding = csrf_binding or request.cookies.get(SESSION_COOKIE) or ""
    context.update(
        user=user, csrf=csrf_token(platform.settings.secret_key, binding), nav=pages_for(user)
    )
    return templates.TemplateResponse(request, template, context, status_code=status)


def check_csrf(request: Request, submitted: str | None) -> None:
    secret = request.app.state.platform.settings.secret_key
    if not csrf_ok(secret, request.cookies.get(SESSION_COOKIE), submitted):
        raise HTTPException(403, "the form has expired or did not come from this site; reload it")


def _login_form(
    request: Request, status: int = 200, error: str | None = None, next_path: str = "/"
) -> HTMLResponse:
    """The sign-in page, its form bound to this browser's sign-in cookie (set if missing)."""
    nonce = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        None,
        status,
        csrf_binding=login_binding(nonce),
        error=error,
        next_path=local_path(next_path),
    )
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=LOGIN_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return _login_form(request, next_path=next)


@router.post("/login", response_model=None)
def login(
    request: Request,
    platform: PlatformDep,
    token: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str | None, Form(max_length=100)] = None,
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    nonce = request.cookies.get(LOGIN_COOKIE)
    if not nonce or not csrf_ok(platform.settings.secret_key, login_binding(nonce), csrf):
        return _login_form(
            request, 403, "The sign-in form has expired or did not come from this site; try again."
        )
    client = request.client.host if request.client else "unknown"
    wait = LOGIN_THROTTLE.blocked_for(client)
    if wait > 0:
        refused = _login_form(
            request,
            429,
            f"Too many failed sign-ins from here; try again in {wait / 60:.0f} minutes.",
        )
        refused.headers["Retry-After"] = str(int(wait) + 1)
        return refused
    # a new session id at every sign-in; the one this browser held (if any) ends
    started = platform.sessions.start(token.strip(), request.cookies.get(SESSION_COOKIE))
    if started is None:
        LOGIN_THROTTLE.failed(client)
        return _login_form(
            request, 401, "That token is not valid, has expired or was revoked.", next
        )
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        started[0],
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(
    request: Request, platform: PlatformDep, csrf: Annotated[str | None, Form()] = None
) -> RedirectResponse:
    check_csrf(request, csrf)
    platform.sessions.end(request.cookies.get(SESSION_COOKIE))  # the old cookie stops working
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    return render(request, "home.html", user, tiles=home_tiles(platform, user))


@router.get("/search", response_class=HTMLResponse, openapi_extra=child_data("search"))
def search_page(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    name: str | None = None,
    dob: str | None = None,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> HTMLResponse:
    hits: list[PersonHit] = []
    error, next_cursor = None, None
    parsed: date | None = None
    if dob:
        try:
            parsed = date.fromisoformat(dob)
        except ValueError:
            error = f"{dob!r} is not a date; use YYYY-MM-DD."
    if error is None and (name or parsed):
        try:
            page = platform.people.search(user, name, parsed, cursor=cursor)
            hits, next_cursor = page.hits, page.next_cursor
        except AccessDenied as exc:
            return render(request, "error.html", user, status=403, message=str(exc))
        except BadCursor as exc:
            error = str(exc)
    return render(
        request,
        "search.html",
        user,
        hits=hits,
        name=name or "",
        dob=dob or "",
        error=error,
        searched=bool(name or parsed),
        next_page=str(request.url.include_query_params(cursor=next_cursor)) if next_cursor else "",
        continued=bool(cursor),
    )


@router.get(
    "/persons/{person_id}", response_class=HTMLResponse, openapi_extra=child_data("need-to-know")
)
def person_page(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    person_id: str,
    reason: str = "case work",
) -> HTMLResponse:
    try:
        view = platform.people.view(user, person_id, reason)
    except AccessDenied as exc:
        return render(request, "error.html", user, status=403, message=f"Access denied: {exc}.")
    except PersonNotFound as exc:
        return render(request, "error.html", user, status=404, message=str(exc))
    return render(request, "person.html", user, view=view)


@router.get("/submissions/new", response_class=HTMLResponse)
def submission_form(request: Request, user: WebUser) -> HTMLResponse:
    if not user.has(*SUBMIT_ROLES):
        message = f"Your role ({user.role}) may not submit agency files; an agency system does."
        return render(request, "error.html", user, status=403, message=message)
    return render(request, "submission.html", user)


@router.post("/submissions", response_class=HTMLResponse)
async def submission_post(
    request: Request,
    platform: PlatformDep,
    user: WebUser,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str | None, Form()] = None,
) -> HTMLResponse:
    check_csrf(request, csrf)
    if not user.has(*SUBMIT_ROLES):
        return render(
            request,
            "submission.html",
            user,
            status=403,
            error=f"Your role ({user.role}) may not submit agency files.",
        )
    content = await file.read()
    try:
        result = platform.ingest.submit(
            content,
            file.filename or "upload",
            user.agency,
            user,
        )
    except SubmissionRejected as exc:
        return render(
            request, "submission.html", user, status=422, rejected=exc, filename=file.filename
        )
    return render(request, "submission.html", user, result=result)
