"""The named manager of each MASH and the notifications escalation leaves in their inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from safeguard.domain.alerts import Manager, Notification
from safeguard.store.tables import risk_managers, risk_notifications


class NotificationRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def name_manager(self, mash_code: str, user_name: str, email: str | None, at: datetime) -> None:
        """One manager per MASH: naming another replaces the last."""
        self.conn.execute(delete(risk_managers).where(risk_managers.c.mash_code == mash_code))
        self.conn.execute(
            insert(risk_managers),
            {"mash_code": mash_code, "user_name": user_name, "email": email, "named_at": at},
        )

    def manager_of(self, mash_code: str) -> Manager | None:
        q = select(risk_managers).where(risk_managers.c.mash_code == mash_code)
        row = self.conn.execute(q).first()
        return None if row is None else Manager(**row._mapping)

    def add(self, **values: Any) -> int:
        q = insert(risk_notifications).returning(risk_notifications.c.id)
        return int(self.conn.execute(q, values).scalar_one())

    def set_email(self, notification_id: int, status: str) -> None:
        self.conn.execute(
            update(risk_notifications)
            .where(risk_notifications.c.id == notification_id)
            .values(email=status[:40])
        )

    def for_user(self, user_name: str) -> list[Notification]:
        q = (
            select(risk_notifications)
            .where(risk_notifications.c.user_name == user_name)
            .order_by(risk_notifications.c.id.desc())
        )
        return [Notification(**r._mapping) for r in self.conn.execute(q)]

    def mark_read(self, notification_id: int, user_name: str, at: datetime) -> bool:
        """Only the addressee may mark it read; False when it is not theirs (or unknown)."""
        result = self.conn.execute(
            update(risk_notifications)
            .where(
                risk_notifications.c.id == notification_id,
                risk_notifications.c.user_name == user_name,
            )
            .values(read_at=at)
        )
        return bool(result.rowcount)
