"""Dependencies shared by routes: the platform and the authenticated user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from safeguard.bootstrap import Platform
from safeguard.domain.actors import User

_bearer = HTTPBearer(auto_error=False, description="A token printed by `safeguard users add`")


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def get_current_user(
    request: Request,
    platform: PlatformDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The token's user; 401 with a clear message when the token is missing or not valid."""
    if credentials is None:
        raise HTTPException(
            status_code=401,
            detail="a bearer token is required: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    attempt = f"{request.method} {request.url.path}"
    user = platform.accounts.authenticate(credentials.credentials, attempt)
    if user is None:
        raise HTTPException(
            status_code=401,
            detail="the token is not valid, has expired or was revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


#: A row id in a path: a positive 64-bit integer (a larger one would overflow the store's
#: integer column and fail as a server error instead of a 422).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A positive id")]
