"""Page sessions: a random id's SHA-256, the user it belongs to and when it ends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select

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

    def user_row(self, id_hash: str) -> tuple[Row[Any], datetime] | None:
        """The session's user (the whole users row) and when the session ends."""
        found = self.conn.execute(
            select(users, web_sessions.c.expires_at.label("session_expires_at"))
            .join(web_sessions, web_sessions.c.user_id == users.c.id)
            .where(web_sessions.c.id_hash == id_hash)
        ).first()
        return None if found is None else (found, found.session_expires_at)

    def delete(self, id_hash: str) -> bool:
        result = self.conn.execute(delete(web_sessions).where(web_sessions.c.id_hash == id_hash))
        return result.rowcount > 0

    def delete_expired(self, now: datetime) -> None:
        self.conn.execute(delete(web_sessions).where(web_sessions.c.expires_at < now))
