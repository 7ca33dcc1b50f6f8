"""Who acts, and the refusal every capability raises: shared words, not one capability's."""

from __future__ import annotations

from dataclasses import dataclass


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
