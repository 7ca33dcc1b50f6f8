"""National statistics (statistician) and immigration-enforcement referrals (referral officer)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from safeguard.api.deps import CurrentUser, PlatformDep, RowId
from safeguard.api.marks import child_data
from safeguard.api.schemas import ERROR_RESPONSES, Instant
from safeguard.crime.overview import OVERVIEW_TABLES, stats_overview
from safeguard.crime.referral_service import ReferralProgress

router = APIRouter(prefix="/api/v1", tags=["statistics"], responses=ERROR_RESPONSES)


class StatTablePublic(BaseModel):
    name: str
    title: str
    caveat: str
    columns: list[str]
    rows: list[list[Any]]  # first item the row label; "[c]" marks a withheld cell


class StatsOverviewPublic(BaseModel):
    year: int
    tables: list[StatTablePublic]


class ReferralPublic(BaseModel):
    id: int
    agency_code: str
    crime_local_id: str
    suspect_local_id: str
    person_id: str
    rule: str
    offence_code: str
    outcome: str
    immigration_status: str
    status: str
    created_at: Instant


class ReferralUpdatePublic(BaseModel):
    status: str
    note: str
    updated_by: str
    agency_code: str
    updated_at: Instant


class ReferralProgressPublic(BaseModel):
    """One referral and its history; immigration_status is null for readers who follow its
    progress only (the MASH, police practitioners)."""

    id: int
    agency_code: str
    crime_local_id: str
    suspect_local_id: str
    person_id: str
    rule: str
    offence_code: str
    outcome: str
    immigration_status: str | None
    status: str
    created_at: Instant
    updates: list[ReferralUpdatePublic]
    next_statuses: list[str]


class ReferralUpdateRequest(BaseModel):
    status: str = Field(max_length=40)
    note: str = Field(default="", max_length=2000)


@router.get(
    "/stats/overview", response_model=StatsOverviewPublic, summary="Completeness and divergence"
)
def overview(
    platform: PlatformDep,
    user: CurrentUser,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> StatsOverviewPublic:
    ret = stats_overview(platform.crime, user, year)
    tables = [
        StatTablePublic(
            name=t.name,
            title=t.title,
            caveat=t.caveat,
            columns=[str(c) for c in t.frame.columns],
            rows=[
                [str(label), *row]
                for label, row in zip(t.frame.index, t.frame.values.tolist(), strict=True)
            ],
        )
        for t in ret.tables
        if t.name in OVERVIEW_TABLES
    ]
    return StatsOverviewPublic(year=ret.year, tables=tables)


@router.get(
    "/referrals",
    response_model=list[ReferralPublic],
    summary="Referral work list",
    openapi_extra=child_data("referrals"),
)
def referrals(platform: PlatformDep, user: CurrentUser) -> list[ReferralPublic]:
    return [ReferralPublic(**r) for r in platform.crime.referrals(user)]


def _progress(p: ReferralProgress) -> ReferralProgressPublic:
    return ReferralProgressPublic(
        **p.referral, updates=[ReferralUpdatePublic(**u) for u in p.updates],
        next_statuses=list(p.next_statuses),
    )  # fmt: skip


@router.get(
    "/referrals/{referral_id}",
    response_model=ReferralProgressPublic,
    summary="One referral and its progress",
    openapi_extra=child_data("referral-outcome"),
)
def referral(
    platform: PlatformDep, user: CurrentUser, referral_id: RowId
) -> ReferralProgressPublic:
    return _progress(platform.referrals.progress(user, referral_id))


@router.post(
    "/referrals/{referral_id}/status",
    response_model=ReferralProgressPublic,
    summary="Record a referral's progress (Immigration Enforcement)",
    openapi_extra=child_data("referral-outcome"),
)
def referral_status(
    platform: PlatformDep, user: CurrentUser, referral_id: RowId, body: ReferralUpdateRequest
) -> ReferralProgressPublic:
    return _progress(platform.referrals.update(user, referral_id, body.status, body.note))
