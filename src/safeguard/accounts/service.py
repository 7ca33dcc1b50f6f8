"""Creating users and checking bearer tokens. Tokens are shown once and stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from safeguard.accounts.roles import ROLES
from safeguard.domain.actors import User, UserRecord
from safeguard.domain.codes import CodeLists
from safeguard.store.uow import UnitOfWork


class AccountError(ValueError):
    """A user cannot be created or a token cannot be accepted; the message says why."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def usable(uow: UnitOfWork, row: UserRecord, attempt: str) -> User | None:
    """The user of a stored user, or None (refused on the audit log, with ``attempt``) when the
    token is revoked or expired: a page session ends with its user's token."""
    expires = row.expires_at
    expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
    why = (
        "revoked"
        if row.revoked_at is not None
        else "expired"
        if expires < datetime.now(UTC)
        else None
    )
    user = row.as_user()
    if why is not None:
        uow.audit.record(
            user,
            reason=f"token {why}",
            action="auth.token",
            subject=f"user:{row.name}",
            outcome="denied",
            detail={"why": why, "attempt": attempt[:300]},
        )
        return None
    return user


class AccountService:
    def __init__(
        self, uow_factory: Callable[[], UnitOfWork], codes: CodeLists, token_ttl_days: int
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        self.token_ttl = timedelta(days=token_ttl_days)

    def add_user(self, name: str, agency: str, roles: list[str]) -> str:
        """Create a user and return their token; only its hash is kept."""
        if not name.strip():
            raise AccountError("a user needs a name")
        if agency not in self.codes.agencies:
            raise AccountError(f"{agency!r} is not a known agency code (see `safeguard agencies`)")
        unknown = [r for r in roles if r not in ROLES]
        if unknown or not roles:
            raise AccountError(
                f"unknown role {', '.join(unknown) or '(none)'}; roles are {', '.join(ROLES)}"
            )
        token = "sg_" + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self.uow_factory() as uow:
            if uow.users.by_name(name) is not None:
                raise AccountError(f"a user called {name!r} already exists")
            uow.users.add(
                name=name,
                agency_code=agency,
                roles=",".join(roles),
                token_hash=hash_token(token),
                created_at=now,
                expires_at=now + self.token_ttl,
            )
            uow.audit.append(
                user_name="system",
                role="admin",
                agency_code=agency,
                reason="account administration",
                action="user.add",
                subject=f"user:{name}",
                outcome="written",
                detail={"roles": roles},
            )
        return token

    def authenticate(self, token: str, attempt: str = "") -> User | None:
        """The user holding ``token``, or None if it is unknown, expired or revoked.

        A known user's expired or revoked token is refused on the audit log, with ``attempt``
        (what was asked for, e.g. ``GET /api/v1/persons/…``); an unknown token names nobody."""
        return self.identify(token, attempt)[0]

    def identify(self, token: str, attempt: str = "") -> tuple[User | None, bool]:
        """As :meth:`authenticate`, and whether the token belongs to anyone at all (an unknown
        token is a guess: the API's rate limit counts those)."""
        if not token:
            return None, False
        with self.uow_factory() as uow:
            row = uow.users.by_token_hash(hash_token(token))
            return (None, False) if row is None else (usable(uow, row, attempt), True)

    def issue_token(self, name: str) -> str:
        """Replace a user's token with a new one (rotation); the old token stops working."""
        token = "sg_" + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self.uow_factory() as uow:
            row = uow.users.by_name(name)
            if row is None:
                raise AccountError(f"no user called {name!r}")
            uow.users.set_token(name, hash_token(token), now + self.token_ttl)
            uow.audit.append(
                user_name="system",
                role="admin",
                agency_code=row.agency_code,
                reason="account administration",
                action="user.token",
                subject=f"user:{name}",
                outcome="written",
            )
        return token

    def ensure_user(self, name: str, agency: str, roles: list[str]) -> str:
        """Create the user if needed and return a fresh token either way (used by the demo)."""
        with self.uow_factory() as uow:
            exists = uow.users.by_name(name) is not None
        return self.issue_token(name) if exists else self.add_user(name, agency, roles)

    def revoke(self, name: str) -> None:
        """Revoke a user's token at once; the revocation is itself on the audit log."""
        with self.uow_factory() as uow:
            row = uow.users.by_name(name)
            if row is None or not uow.users.revoke(name, datetime.now(UTC)):
                raise AccountError(f"no user called {name!r}")
            uow.audit.append(
                user_name="system",
                role="admin",
                agency_code=row.agency_code,
                reason="account administration",
                action="user.revoke",
                subject=f"user:{name}",
                outcome="written",
            )
