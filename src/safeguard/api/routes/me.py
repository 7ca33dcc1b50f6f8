"""Who am I: the token's user."""

from __future__ import annotations

from fastapi import APIRouter

from safeguard.api.deps import CurrentUser
from safeguard.api.schemas import ERROR_RESPONSES, MePublic

router = APIRouter(prefix="/api/v1", tags=["accounts"], responses=ERROR_RESPONSES)


@router.get("/me", response_model=MePublic, summary="The user holding this token")
def me(user: CurrentUser) -> MePublic:
    return MePublic(name=user.name, agency=user.agency, roles=list(user.roles))
