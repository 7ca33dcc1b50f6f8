"""The app factory: JSON API, pages, static files, docs served locally, security headers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from safeguard import __version__
from safeguard.api.deps import bearer_throttle
from safeguard.api.errors import install_error_handlers
from safeguard.api.routes import (
    audit,
    crime,
    identity,
    licensing,
    me,
    network,
    persons,
    research,
    risk,
    sharing,
    submissions,
    support,
)
from safeguard.api.upload_limit import UploadLimit
from safeguard.bootstrap import Platform
from safeguard.web import (
    audit_pages,
    identity_pages,
    licensing_pages,
    research_pages,
    risk_pages,
    sharing_pages,
    support_pages,
)
from safeguard.web import crime_routes as web_crime_routes
from safeguard.web import network_routes as web_network_routes
from safeguard.web import routes as web_routes
from safeguard.web.templating import STATIC_DIR

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
# Swagger UI starts itself with one inline script; only /docs is allowed it.
_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
    "'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
)


def create_app(platform: Platform) -> FastAPI:
    """Build the ASGI app around an already wired platform (see ``bootstrap``)."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        platform.audit.checkpoint()  # at shutdown: sign the end of the log, keep the head

    app = FastAPI(
        lifespan=lifespan,
        title="safeguard",
        version=__version__,
        description="Multi-agency child-exploitation safeguarding data platform (synthetic data "
        "only). Every read of a child's data needs a bearer token, a role and a reason, and is "
        "written to the audit log.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.platform = platform
    app.state.bearer_throttle = bearer_throttle()
    if platform is not None:  # (the route table is walked without a platform in tests)
        app.add_middleware(
            UploadLimit, max_bytes=int(platform.settings.max_upload_mb * 1024 * 1024)
        )
    install_error_handlers(app)
    app.mount("/static/swagger", StaticFiles(directory=str(swagger_ui_path)), name="swagger")
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    for router in (
        me.router,
        submissions.router,
        persons.router,
        identity.router,
        network.router,
        sharing.router,
        crime.router,
        licensing.router,
        risk.router,
        research.router,
        audit.router,
        support.router,
    ):
        app.include_router(router)
    app.include_router(web_routes.router)
    app.include_router(identity_pages.router)
    app.include_router(web_network_routes.router)
    app.include_router(sharing_pages.router)
    app.include_router(web_crime_routes.router)
    app.include_router(licensing_pages.router)
    app.include_router(risk_pages.router)
    app.include_router(research_pages.router)
    app.include_router(audit_pages.router)
    app.include_router(support_pages.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="safeguard API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        path = request.url.path
        response.headers["Content-Security-Policy"] = _DOCS_CSP if path == "/docs" else _CSP
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if request.url.scheme == "https":  # browsers keep to HTTPS for a year
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if not path.startswith("/static"):
            response.headers["Cache-Control"] = "no-store"
        return response

    return app
