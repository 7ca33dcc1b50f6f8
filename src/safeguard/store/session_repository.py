"""Page sessions: a random id's SHA-256, the user it belongs to and when it ends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from safeguard.domain.actors import UserRecord
from safeguard.store.tables import users, web_sessions


class SessionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, id_hash: str, user_id: int, created_at: datetime, expires_at: datetime) -> None:
        self.conn.execute(
            insert(web_sessions),
            {
                "id_hash": id_hash,
                "user_id": user_id,
                "created_at": created_at,
                "expires_at": expires_at,
            },
        )

    def user_row(self, id_hash: str) -> tuple[UserRecord, datetime] | None:
        """The session's user (as stored) and when the session ends."""
        found = self.conn.execute(
            select(users, web_sessions.c.expires_at.label("session_expires_at"))
            .join(web_sessions, web_sessions.c.user_id == users.c.id)
            .where(web_sessions.c.id_hash == id_hash)
        ).first()
        if found is None:
            return None
        user = UserRecord(**{c.name: found._mapping[c.name] for c in users.columns})
        return user, found.session_expires_at

    def delete(self, id_hash: str) -> bool:
        result = self.conn.execute(delete(web_sessions).where(web_sessions.c.id_hash == id_hash))
        return result.rowcount > 0

    def delete_expired(self, now: datetime) -> None:
        self.conn.execute(delete(web_sessions).where(web_sessions.c.expires_at < now))
