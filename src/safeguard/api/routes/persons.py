"""People: search and the person view, under need to know."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response

from safeguard.api.deps import CurrentUser, PlatformDep
from safeguard.api.marks import child_data
from safeguard.api.schemas import ERROR_RESPONSES, PersonHitPublic, PersonPublic, Reason
from safeguard.people.service import BadCursor

router = APIRouter(prefix="/api/v1", tags=["people"], responses=ERROR_RESPONSES)


@router.get(
    "/persons",
    response_model=list[PersonHitPublic],
    summary="Search people",
    openapi_extra=child_data("search"),
)
def search(
    request: Request,
    response: Response,
    platform: PlatformDep,
    user: CurrentUser,
    name: Annotated[str | None, Query(max_length=100)] = None,
    dob: date | None = None,
    reason: Reason = "search",
    limit: Annotated[int, Query(ge=1, le=200, description="Hits per page")] = 50,
    cursor: Annotated[
        str | None,
        Query(max_length=400, description="The next page: from the previous page's Link header"),
    ] = None,
) -> list[PersonHitPublic]:
    """A page of hits; when more follow, a `Link: <…>; rel="next"` header names the next page."""
    try:
        page = platform.people.search(user, name, dob, reason, limit, cursor)
    except BadCursor as exc:
        raise HTTPException(422, str(exc)) from None
    if page.next_cursor is not None:
        following = request.url.include_query_params(cursor=page.next_cursor)
        response.headers["Link"] = f'<{following}>; rel="next"'
    return [PersonHitPublic(**h.__dict__) for h in page.hits]


@router.get(
    "/persons/{person_id}",
    response_model=PersonPublic,
    summary="A person's records",
    openapi_extra=child_data("need-to-know"),
)
def person(
    platform: PlatformDep,
    user: CurrentUser,
    person_id: str,
    reason: Reason = "case work",
    break_glass: Annotated[
        str | None,
        Query(max_length=500, description="Emergency justification; flagged for DPO review"),
    ] = None,
) -> PersonPublic:
    view = platform.people.view(user, person_id, reason, break_glass)
    return PersonPublic.model_validate(view.__dict__)
