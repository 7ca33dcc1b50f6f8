"""Agency submissions: a CSV or JSON Lines file, accepted whole or rejected with row errors."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, UploadFile

from safeguard.accounts.roles import SUBMIT_ROLES
from safeguard.api.deps import CurrentUser, PlatformDep
from safeguard.api.schemas import ERROR_RESPONSES, SubmissionPublic

router = APIRouter(prefix="/api/v1", tags=["ingest"], responses=ERROR_RESPONSES)


@router.post("/submissions", response_model=SubmissionPublic, summary="Submit an agency file")
async def submit(
    platform: PlatformDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="CSV or JSON Lines, see docs/feeds.md")],
    agency: Annotated[str, Form(description="Submitting agency code, e.g. POLICE-E23000011")],
    kind: Annotated[Literal["persons", "events"] | None, Form()] = None,
) -> SubmissionPublic:
    """Validate the whole file; store it as new records and versions, or reject it with every
    row error. Sending the same file again changes nothing and says so (`duplicate`)."""
    if not user.has(*SUBMIT_ROLES):
        raise HTTPException(403, f"role {user.role} may not submit agency files")
    if user.agency != agency:
        raise HTTPException(403, f"you belong to {user.agency} and may not submit for {agency}")
    content = await file.read()  # at most SAFEGUARD_MAX_UPLOAD_MB (api/upload_limit.py)
    submitter = user
    result = platform.ingest.submit(content, file.filename or "upload", agency, submitter, kind)
    return SubmissionPublic(**result.as_dict())
