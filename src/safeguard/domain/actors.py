"""Who acts, and the refusal every capability raises: shared words, not one capability's."""

from __future__ import annotations

from dataclasses import dataclass
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


class AccessDenied(Exception):
    """The user may not read this; the message says why in one sentence."""
