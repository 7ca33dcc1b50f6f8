"""Offender networks: groups, harm ranking, a group's or a person's link chart, exports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from safeguard.api.deps import CurrentUser, PlatformDep
from safeguard.api.marks import child_data
from safeguard.api.network_schemas import (
    GroupPublic,
    HarmPublic,
    NetworkOverviewPublic,
    PersonNetworkPublic,
)
from safeguard.api.schemas import ERROR_RESPONSES, Reason

router = APIRouter(prefix="/api/v1/network", tags=["network"], responses=ERROR_RESPONSES)

GRAPHML = "application/graphml+xml"
_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {GRAPHML: {}, "application/zip": {}}, "description": "The file"}
}


def _file(content: bytes, fmt: str, name: str) -> Response:
    kind, ext = (GRAPHML, "graphml") if fmt == "graphml" else ("application/zip", "zip")
    return Response(
        content,
        media_type=kind,
        headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'},
    )


@router.get(
    "/groups",
    response_model=NetworkOverviewPublic,
    summary="Candidate groups",
    openapi_extra=child_data("network"),
)
def groups(
    platform: PlatformDep, user: CurrentUser, reason: Reason = "network analysis"
) -> NetworkOverviewPublic:
    return NetworkOverviewPublic.model_validate(platform.network.overview(user, reason))


@router.get(
    "/harm",
    response_model=HarmPublic,
    summary="Harm ranking, explained per person",
    openapi_extra=child_data("network"),
)
def harm(
    platform: PlatformDep,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    reason: Reason = "harm ranking",
) -> HarmPublic:
    return HarmPublic.model_validate(platform.network.harm(user, reason, limit))


@router.get(
    "/groups/{group_id}",
    response_model=GroupPublic,
    summary="A group and its chart",
    openapi_extra=child_data("network"),
)
def group(
    platform: PlatformDep, user: CurrentUser, group_id: str, reason: Reason = "network analysis"
) -> GroupPublic:
    return GroupPublic.model_validate(platform.network.group(user, group_id, reason))


@router.get(
    "/persons/{ref}",
    response_model=PersonNetworkPublic,
    summary="A person's network and chart",
    openapi_extra=child_data("network"),
)
def person(
    platform: PlatformDep, user: CurrentUser, ref: str, reason: Reason = "network analysis"
) -> PersonNetworkPublic:
    return PersonNetworkPublic.model_validate(platform.network.person(user, ref, reason))


@router.get(
    "/groups/{group_id}/export.graphml",
    responses=_FILE,
    summary="Group as GraphML",
    openapi_extra=child_data("network"),
)
def group_graphml(platform: PlatformDep, user: CurrentUser, group_id: str) -> Response:
    return _file(platform.network.export(user, "graphml", group_id=group_id), "graphml", group_id)


@router.get(
    "/groups/{group_id}/export.csv",
    responses=_FILE,
    summary="Group as nodes/edges CSV",
    openapi_extra=child_data("network"),
)
def group_csv(platform: PlatformDep, user: CurrentUser, group_id: str) -> Response:
    return _file(platform.network.export(user, "csv", group_id=group_id), "csv", group_id)


@router.get(
    "/persons/{ref}/export.graphml",
    responses=_FILE,
    summary="Person as GraphML",
    openapi_extra=child_data("network"),
)
def person_graphml(platform: PlatformDep, user: CurrentUser, ref: str) -> Response:
    return _file(platform.network.export(user, "graphml", person=ref), "graphml", ref)


@router.get(
    "/persons/{ref}/export.csv",
    responses=_FILE,
    summary="Person as nodes/edges CSV",
    openapi_extra=child_data("network"),
)
def person_csv(platform: PlatformDep, user: CurrentUser, ref: str) -> Response:
    return _file(platform.network.export(user, "csv", person=ref), "csv", ref)
