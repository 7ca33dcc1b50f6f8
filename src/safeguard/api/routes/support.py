"""Support for child victims: offers and their outcomes, the school view, the report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

from fastapi import APIRouter, HTTPException, Path, Query, Response

from safeguard.api.deps import CurrentUser, PlatformDep, RowId
from safeguard.api.marks import child_data
from safeguard.api.routes.sharing import period
from safeguard.api.schemas import ERROR_RESPONSES
from safeguard.api.support_schemas import (
    OfferPublic,
    SchoolSupportIn,
    SchoolViewPublic,
    SupportActionIn,
    SupportRowPublic,
)
from safeguard.support.report import to_csv
from safeguard.support.school import SchoolError, SchoolForbidden
from safeguard.support.service import SupportError, SupportForbidden, SupportNotFound

router = APIRouter(prefix="/api/v1/support", tags=["support"], responses=ERROR_RESPONSES)
T = TypeVar("T")
PersonId = Annotated[str, Path(min_length=1, max_length=32, description="A person id")]


def guarded(call: Callable[[], T]) -> T:
    """Service errors as HTTP: 404 unknown, 403 not yours, 422 a refused action."""
    try:
        return call()
    except SupportNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except (SupportForbidden, SchoolForbidden) as exc:
        raise HTTPException(403, str(exc)) from exc
    except (SupportError, SchoolError) as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get(
    "/offers",
    response_model=list[OfferPublic],
    summary="Support offers of my hub's area, or that my agency must make",
    openapi_extra=child_data("support-offers"),
)
def offers(
    platform: PlatformDep, user: CurrentUser, status: str | None = None
) -> list[OfferPublic]:
    rows = guarded(lambda: platform.support.offers(user, [status] if status else []))
    now = platform.support.clock()
    return [OfferPublic.from_row(r, now) for r in rows]


@router.post(
    "/offers/{offer_id}/events",
    response_model=OfferPublic,
    summary="Record what became of an offer",
    openapi_extra=child_data("support-offer"),
)
def record(
    platform: PlatformDep, user: CurrentUser, offer_id: RowId, body: SupportActionIn
) -> OfferPublic:
    row = guarded(lambda: platform.support.record(user, offer_id, body.action, body.reason))
    return OfferPublic.from_row(row, platform.support.clock())


@router.get(
    "/school",
    response_model=SchoolViewPublic,
    summary="My school's pupils who need support (school mental-health lead)",
    openapi_extra=child_data("school-pupils"),
)
def school(platform: PlatformDep, user: CurrentUser) -> SchoolViewPublic:
    return SchoolViewPublic.from_view(guarded(lambda: platform.school.view(user)))


@router.post(
    "/school/pupils/{person_id}/support",
    response_model=SchoolViewPublic,
    summary="Record support the school gives a pupil",
    openapi_extra=child_data("school-pupil"),
)
def give(
    platform: PlatformDep, user: CurrentUser, person_id: PersonId, body: SchoolSupportIn
) -> SchoolViewPublic:
    guarded(lambda: platform.school.give(user, person_id, body.service, body.action, body.note))
    return SchoolViewPublic.from_view(guarded(lambda: platform.school.view(user)))


@router.get(
    "/report",
    response_model=list[SupportRowPublic],
    summary="Support per LA: offers due, on time, late, never made, uptake",
)
def report(
    platform: PlatformDep,
    user: CurrentUser,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> list[SupportRowPublic]:
    rows = guarded(lambda: platform.support.report_for(user, *period(start, end)))
    return [SupportRowPublic(**r.as_dict()) for r in rows]


@router.get(
    "/report.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
    },
    summary="The support report as CSV ([c] where withheld)",
)
def report_csv(
    platform: PlatformDep,
    user: CurrentUser,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    rows = guarded(lambda: platform.support.report_for(user, *period(start, end)))
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8")
