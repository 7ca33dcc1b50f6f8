"""Public shapes of the JSON API (separate from the domain classes)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import AfterValidator, BaseModel


def _as_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes (stored as UTC); RFC 3339 needs the offset.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


#: A point in time as the API sends it: always with its UTC offset (a JSON "date-time").
Instant = Annotated[datetime, AfterValidator(_as_utc)]


class ErrorBody(BaseModel):
    status: int
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class MePublic(BaseModel):
    name: str
    agency: str
    roles: list[str]


class SubmissionPublic(BaseModel):
    submission_id: int
    agency: str
    kind: str
    filename: str
    rows: int
    new_records: int
    new_versions: int
    unchanged: int
    duplicate: bool


class PersonHitPublic(BaseModel):
    person_id: str
    child_ref: str | None
    first_name: str
    surname: str
    dob: date
    agency_code: str
    local_id: str


class EventPublic(BaseModel):
    id: int
    agency_code: str
    local_id: str
    event_type: str
    occurred_at: Instant
    role: str
    postcode: str | None
    place_type: str | None
    offence_code: str | None
    details: dict[str, Any]
    objects: list[dict[str, str]]


class PersonPublic(BaseModel):
    person_id: str
    child_ref: str | None
    basis: str
    agencies: list[str]
    records: list[dict[str, Any]]
    events: list[EventPublic]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The body could not be read (not JSON or form)"},
    401: {"model": ErrorResponse, "description": "No token, or the token is not valid"},
    403: {"model": ErrorResponse, "description": "The role or relationship does not allow it"},
    404: {"model": ErrorResponse, "description": "Not found"},
    413: {"model": ErrorResponse, "description": "The body is over SAFEGUARD_MAX_UPLOAD_MB"},
    422: {"model": ErrorResponse, "description": "The request or the submission is not valid"},
    429: {"model": ErrorResponse, "description": "Too many unknown tokens from this address"},
}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorResponse, "description": "Not possible yet: no linkage model"},
}

#: Why a child's data is read: three or more characters that are not all spaces (a reason of
#: spaces was accepted and audited as if it said something).
Reason = Annotated[
    str,
    Query(
        min_length=3,
        max_length=200,
        pattern=r"^\s*\S.*\S\s*$",
        description="Why you need this (recorded in the audit log)",
    ),
]
