"""Pages: the statistician's overview (/stats) and the referral officer's list (/referrals).
Each calls the same service as its JSON twin in api/routes/crime.py."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from safeguard.api.deps import PlatformDep
from safeguard.api.marks import child_data
from safeguard.crime.errors import NoDataError
from safeguard.crime.overview import OVERVIEW_TABLES, stats_overview
from safeguard.crime.report import table_html
from safeguard.domain.actors import AccessDenied
from safeguard.web.routes import WebUser, render

router = APIRouter(include_in_schema=False)


@router.get("/stats", response_class=HTMLResponse)
def stats_page(
    request: Request, platform: PlatformDep, user: WebUser, year: int | None = None
) -> HTMLResponse:
    try:
        ret = stats_overview(platform.crime, user, year)
    except AccessDenied as exc:
        return render(request, "error.html", user, status=403, message=f"Access denied: {exc}.")
    except NoDataError as exc:
        return render(request, "error.html", user, status=404, message=f"No statistics: {exc}.")
    charts = {
        k: Markup(v)
        for k, v in ret.charts.items()
        if k
        in (
            "completeness_force",
            "completeness_time",
            "funnel",
            "reference_plans",
            "reference_crimes",
            "synthetic",
        )
    }
    tables = [(t, table_html(t)) for t in ret.tables if t.name in OVERVIEW_TABLES]
    return render(request, "stats.html", user, ret=ret, charts=charts, tables=tables)


@router.get("/referrals", response_class=HTMLResponse, openapi_extra=child_data("referrals"))
def referrals_page(request: Request, platform: PlatformDep, user: WebUser) -> HTMLResponse:
    try:
        rows = platform.crime.referrals(user)
    except AccessDenied as exc:
        return render(request, "error.html", user, status=403, message=f"Access denied: {exc}.")
    return render(request, "referrals.html", user, rows=rows)
