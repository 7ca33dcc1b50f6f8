"""Every error leaves as clear JSON (or a readable page), never as a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from safeguard.crime.errors import NoDataError
from safeguard.crime.lifecycle import ReferralNotFound, ReferralUpdateError
from safeguard.domain.actors import AccessDenied
from safeguard.ingest.errors import SubmissionRejected
from safeguard.network.service import NetworkNotFound
from safeguard.people.service import PersonNotFound
from safeguard.sharing.service import ChildNotFound, ShareNotFound

log = logging.getLogger("safeguard.api")


def _error(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "message": message, **extra}}, status_code=status
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = _error(exc.status_code, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return _error(422, "the request is not valid; see problems", problems=problems)

    @app.exception_handler(SubmissionRejected)
    async def rejected(request: Request, exc: SubmissionRejected) -> Response:
        return _error(
            422,
            f"submission rejected with {len(exc.errors)} "
            f"error{'s' if len(exc.errors) != 1 else ''}; nothing was written",
            errors=[e.as_dict() for e in exc.errors[:1000]],
            error_count=len(exc.errors),
        )

    @app.exception_handler(AccessDenied)
    async def denied(request: Request, exc: AccessDenied) -> Response:
        return _error(403, f"access denied: {exc}")

    @app.exception_handler(PersonNotFound)
    async def not_found(request: Request, exc: PersonNotFound) -> Response:
        return _error(404, str(exc))

    @app.exception_handler(ChildNotFound)
    async def no_child(request: Request, exc: ChildNotFound) -> Response:
        return _error(404, str(exc))

    @app.exception_handler(ShareNotFound)
    async def no_share(request: Request, exc: ShareNotFound) -> Response:
        return _error(404, str(exc))

    @app.exception_handler(ReferralNotFound)
    async def no_referral(request: Request, exc: ReferralNotFound) -> Response:
        return _error(404, str(exc))

    @app.exception_handler(ReferralUpdateError)
    async def bad_move(request: Request, exc: ReferralUpdateError) -> Response:
        return _error(422, str(exc))

    @app.exception_handler(NoDataError)
    async def no_data(request: Request, exc: NoDataError) -> Response:
        return _error(404, str(exc))

    @app.exception_handler(NetworkNotFound)
    async def not_in_network(request: Request, exc: NetworkNotFound) -> Response:
        return _error(404, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error(500, "an unexpected error occurred; it has been logged")
