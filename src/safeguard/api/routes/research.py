"""Research: project requests and approval, extracts (written on the server), output checks.

None of these routes returns an identified child: extracts are de-identified and stay in the
server's ``data_dir/research`` for the named researchers, and every decision is audited by the
service where it is made.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from safeguard.api.deps import CurrentUser, PlatformDep, RowId
from safeguard.api.research_schemas import (
    Decision,
    Manifest,
    OutputPublic,
    OutputsCreate,
    ProjectCreate,
    ProjectPublic,
)
from safeguard.api.schemas import ERROR_RESPONSES
from safeguard.research.output_check import OutputError
from safeguard.research.service import ResearchDenied, ResearchError, ResearchMissing

router = APIRouter(prefix="/api/v1/research", tags=["research"], responses=ERROR_RESPONSES)

_SEE = ("researcher", "auditor", "output_checker")


def _http(exc: ResearchError | OutputError) -> HTTPException:
    if isinstance(exc, ResearchDenied):
        return HTTPException(403, str(exc))
    if isinstance(exc, ResearchMissing):
        return HTTPException(404, str(exc))
    return HTTPException(422, str(exc))


@router.get("/projects", response_model=list[ProjectPublic], summary="Research projects")
def list_projects(platform: PlatformDep, user: CurrentUser) -> list[ProjectPublic]:
    if not user.has(*_SEE):
        raise HTTPException(403, "research projects are seen by researchers and their checkers")
    return [ProjectPublic(**p) for p in platform.research.projects(user)]


@router.post("/projects", response_model=ProjectPublic, status_code=201, summary="Request one")
def create_project(body: ProjectCreate, platform: PlatformDep, user: CurrentUser) -> ProjectPublic:
    try:
        pid = platform.research.request(body.model_dump(), user)
    except ResearchError as exc:
        raise _http(exc) from None
    return ProjectPublic(**platform.research.project(pid))


@router.post(
    "/projects/{project_id}/decision", response_model=ProjectPublic, summary="DPO decision"
)
def decide_project(
    project_id: RowId, body: Decision, platform: PlatformDep, user: CurrentUser
) -> ProjectPublic:
    try:
        platform.research.decide(project_id, body.approve, user, body.reason)
        return ProjectPublic(**platform.research.project(project_id))
    except ResearchError as exc:
        raise _http(exc) from None


@router.post(
    "/projects/{project_id}/extracts",
    response_model=Manifest,
    status_code=201,
    summary="Make an extract on the server",
)
def make_extract(project_id: RowId, platform: PlatformDep, user: CurrentUser) -> Manifest:
    out = platform.settings.data_dir / "research" / f"project-{project_id}"
    try:
        return Manifest(**platform.research.extract(project_id, user, out))
    except ResearchError as exc:
        raise _http(exc) from None


@router.post(
    "/projects/{project_id}/outputs",
    response_model=list[OutputPublic],
    status_code=201,
    summary="Submit tables for output checking",
)
def submit_outputs(
    project_id: RowId, body: OutputsCreate, platform: PlatformDep, user: CurrentUser
) -> list[OutputPublic]:
    try:
        results = platform.research.submit_outputs(project_id, body.tables, user)
    except (ResearchError, OutputError) as exc:
        raise _http(exc) from None
    ids = {r["id"] for r in results}
    return [OutputPublic(**o) for o in platform.research.outputs() if o["id"] in ids]


@router.get("/outputs", response_model=list[OutputPublic], summary="Outputs to check")
def list_outputs(
    platform: PlatformDep, user: CurrentUser, status: str | None = None
) -> list[OutputPublic]:
    if not user.has("output_checker"):
        raise HTTPException(403, "outputs are listed for output checkers")
    return [OutputPublic(**o) for o in platform.research.outputs(status)]


@router.post(
    "/outputs/{output_id}/decision", response_model=OutputPublic, summary="Approve or return"
)
def decide_output(
    output_id: RowId, body: Decision, platform: PlatformDep, user: CurrentUser
) -> OutputPublic:
    try:
        platform.research.decide_output(output_id, body.approve, body.reason, user)
    except ResearchError as exc:
        raise _http(exc) from None
    return next(OutputPublic(**o) for o in platform.research.outputs() if o["id"] == output_id)
