"""Who acts, and the refusal every capability raises: shared words, not one capability's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class Actor(Protocol):
    """Whoever acts, as the audit log records them: a signed-in ``User`` or an ``Account``.
    Every service takes this one type; nothing converts a user into another shape."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def agency(self) -> str: ...


@dataclass(frozen=True)
class Account:
    """A system account acting under one role: an agency's feed, the CLI operator, a scheduled
    job (``Account("police-rms", "agency_system", "POLICE-E23000011")``)."""

    name: str
    role: str
    agency: str


@dataclass(frozen=True)
class User:
    """An authenticated user: who, which agency, which roles."""

    name: str
    agency: str
    roles: tuple[str, ...]

    @property
    def role(self) -> str:
        return self.roles[0]

    def has(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)


@dataclass(frozen=True)
class UserRecord:
    """A user as the store keeps them: the token only as its hash, its expiry and revocation."""

    id: int
    name: str
    agency_code: str
    roles: str  # comma-separated, first is the user's main role
    token_hash: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def as_user(self) -> User:
        return User(self.name, self.agency_code, tuple(self.roles.split(",")))


class AccessDenied(Exception):
    """The user may not read this; the message says why in one sentence."""
