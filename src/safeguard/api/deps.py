"""Dependencies shared by routes: the platform and the authenticated user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from safeguard.bootstrap import Platform
from safeguard.domain.actors import User
from safeguard.web.throttle import FailureThrottle

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
    throttle: FailureThrottle = request.app.state.bearer_throttle
    client = request.client.host if request.client else "unknown"  # the real peer (see serve)
    wait = throttle.blocked_for(client)
    if wait > 0:
        raise HTTPException(
            status_code=429,
            detail=f"too many unknown tokens from your address; try again in {wait / 60:.0f} "
            "minutes",
            headers={"Retry-After": str(int(wait) + 1)},
        )
    attempt = f"{request.method} {request.url.path}"
    user, known = platform.accounts.identify(credentials.credentials, attempt)
    if not known:
        throttle.failed(client)
    if user is None:
        raise HTTPException(
            status_code=401,
            detail="the token is not valid, has expired or was revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def bearer_throttle() -> FailureThrottle:
    """Twenty unknown bearer tokens per address in five minutes, then 429 until the oldest ages
    out (a known but revoked or expired token is refused and audited against its user)."""
    return FailureThrottle(limit=20, window=300.0)


#: A row id in a path: a positive 64-bit integer (a larger one would overflow the store's
#: integer column and fail as a server error instead of a 422).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A positive id")]
