"""Child references: real-time resolution, the review queue and match explanations."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from safeguard.accounts.roles import SUBMIT_ROLES
from safeguard.api.deps import CurrentUser, PlatformDep
from safeguard.api.marks import child_data
from safeguard.api.schemas import CONFLICT, ERROR_RESPONSES
from safeguard.identity.linking import IdentityError, ReviewerRequired

router = APIRouter(prefix="/api/v1/identity", tags=["identity"], responses=ERROR_RESPONSES)


class ResolveRequest(BaseModel):
    """One person record, with the fields of a persons feed (docs/feeds.md)."""

    model_config = ConfigDict(extra="forbid")
    agency: str = Field(description="Submitting agency code")
    record: dict[str, Any] = Field(description="local_id, first_name, surname, dob, sex, …")


class ResolutionPublic(BaseModel):
    record_id: str
    decision: Literal["join", "create", "review"]
    child_ref: str
    match_probability: float
    candidate_refs: dict[str, float]


class ReviewItemPublic(BaseModel):
    record_id_l: str
    record_id_r: str
    match_probability: float
    match_weight: float


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    record_id_l: str = Field(min_length=3, max_length=150)
    record_id_r: str = Field(min_length=3, max_length=150)
    decision: Literal["same", "not_same"]
    reason: str = Field(min_length=3, max_length=500)


def _as_http(exc: IdentityError, status: int) -> HTTPException:
    return HTTPException(403 if isinstance(exc, ReviewerRequired) else status, str(exc))


@router.post(
    "/resolve",
    response_model=ResolutionPublic,
    responses=CONFLICT,
    summary="Reference a new record now",
)
def resolve(platform: PlatformDep, user: CurrentUser, body: ResolveRequest) -> ResolutionPublic:
    """Store the record (as a one-row submission) and give it a child reference at once:
    join an existing child, create a new one, or create one and queue the pair for review."""
    if not user.has(*SUBMIT_ROLES):
        raise HTTPException(403, f"role {user.role} may not submit records")
    if user.agency != body.agency:
        raise HTTPException(
            403, f"you belong to {user.agency} and may not submit for {body.agency}"
        )
    local_id = body.record.get("local_id")
    content = (json.dumps(body.record) + "\n").encode()
    submitter = user
    platform.ingest.submit(
        content,
        "resolve.jsonl",
        body.agency,
        submitter,
        "persons",
        "jsonl",
        resolve_identity=False,
    )
    outcome = platform.identity.resolve(submitter, body.agency, [str(local_id)])
    if not outcome:
        with platform.uow() as uow:
            ref = uow.identity_ref_of(body.agency, str(local_id))
        if ref is None:
            raise HTTPException(409, "no linkage model yet: run `safeguard identity link` once")
        return ResolutionPublic(
            record_id=f"{body.agency}/{local_id}",
            decision="join",
            child_ref=ref,
            match_probability=1.0,
            candidate_refs={},
        )
    first = outcome[0]
    return ResolutionPublic(
        record_id=first.record_id,
        decision=first.decision,
        child_ref=first.child_ref,
        match_probability=first.match_probability,
        candidate_refs=first.candidate_refs,
    )


@router.get(
    "/review",
    response_model=list[ReviewItemPublic],
    summary="Pairs awaiting review",
    openapi_extra=child_data("identity-review"),
)
def review_queue(platform: PlatformDep, user: CurrentUser) -> list[ReviewItemPublic]:
    try:
        items = platform.identity.review_queue(user)
    except IdentityError as exc:
        raise _as_http(exc, 422) from None
    return [ReviewItemPublic(**i.__dict__) for i in items]


@router.post(
    "/review/decisions",
    status_code=204,
    summary="Record a reviewer's decision",
    openapi_extra=child_data("identity-review"),
)
def decide(platform: PlatformDep, user: CurrentUser, body: DecisionRequest) -> None:
    try:
        platform.identity.record_decision(
            user, body.record_id_l, body.record_id_r, body.decision, body.reason
        )
    except IdentityError as exc:
        raise _as_http(exc, 422) from None


@router.get(
    "/explain",
    responses=CONFLICT,
    summary="Match weights per comparison for a pair or a reference",
    openapi_extra=child_data("identity-review"),
)
def explain(
    platform: PlatformDep,
    user: CurrentUser,
    left: Annotated[str, Query(description="A record id, or a child reference")],
    right: Annotated[str | None, Query(description="The other record id")] = None,
) -> dict[str, Any]:
    try:
        result = platform.identity.explain(user, left, right)
    except IdentityError as exc:
        raise _as_http(exc, 409) from None
    except KeyError as exc:
        raise HTTPException(404, f"no current record {exc.args[0]!r}") from None
    return result
