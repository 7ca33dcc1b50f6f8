"""Page sessions held on the server: the browser's cookie carries a random session id (never
the API token); only its SHA-256 is stored, with an end time. Signing in makes a new one (and
drops the one the browser held), signing out deletes it, so an old cookie stops working."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from safeguard.accounts.service import hash_token, usable
from safeguard.domain.actors import User
from safeguard.store.uow import UnitOfWork

#: A page session lasts a working day at most.
SESSION_HOURS = 8


class WebSessions:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], hours: float = SESSION_HOURS) -> None:
        self.uow_factory = uow_factory
        self.ttl = timedelta(hours=hours)

    def start(self, token: str, replaces: str | None = None) -> tuple[str, User] | None:
        """Sign in with an API token: a new session id and its user, or None if the token is
        not valid. ``replaces`` is the session the browser held before (ended here)."""
        now = datetime.now(UTC)
        session_id = "sgs_" + secrets.token_urlsafe(32)
        with self.uow_factory() as uow:
            row = uow.users.by_token_hash(hash_token(token)) if token else None
            user = None if row is None else usable(uow, row, "POST /login")
            if row is None or user is None:
                return None
            uow.sessions.delete_expired(now)
            if replaces:
                uow.sessions.delete(hash_token(replaces))
            uow.sessions.add(hash_token(session_id), row.id, now, now + self.ttl)
            uow.audit.record(
                user,
                reason="sign-in",
                action="auth.sign_in",
                subject=f"user:{user.name}",
                outcome="allowed",
            )
        return session_id, user

    def user(self, session_id: str | None, attempt: str = "") -> User | None:
        """The signed-in user of a live session, or None (unknown, ended or expired session;
        a revoked or expired token also ends its sessions, on the audit log)."""
        if not session_id:
            return None
        with self.uow_factory() as uow:
            found = uow.sessions.user_row(hash_token(session_id))
            if found is None:
                return None
            row, ends = found
            ends = ends if ends.tzinfo else ends.replace(tzinfo=UTC)
            if ends < datetime.now(UTC):
                uow.sessions.delete(hash_token(session_id))
                return None
            return usable(uow, row, attempt)

    def end(self, session_id: str | None) -> None:
        """Sign out: the session is deleted, so its cookie no longer opens anything."""
        if not session_id:
            return
        with self.uow_factory() as uow:
            found = uow.sessions.user_row(hash_token(session_id))
            if found is None or not uow.sessions.delete(hash_token(session_id)):
                return
            row = found[0]
            uow.audit.append(
                user_name=row.name,
                role=row.roles.split(",")[0],
                agency_code=row.agency_code,
                reason="sign-out",
                action="auth.sign_out",
                subject=f"user:{row.name}",
                outcome="written",
            )
