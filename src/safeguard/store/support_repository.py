"""Support storage: offers due to child victims, what became of them, school rolls and leads.

The school view reads only ``support_pupils``, ``support_offers``, ``support_events`` and the
school's own record of the pupil: never an event, a participant or another agency's record.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, exists, insert, or_, select, update

from safeguard.store.tables import (
    source_records,
    support_events,
    support_offers,
    support_pupils,
    support_school_leads,
)

_CHUNK = 500


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


class SupportRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- offers ---------------------------------------------------------------------------
    def existing(self, person_ids: Collection[str]) -> list[Row[Any]]:
        """Every offer about these people (to skip a trigger already met, or a repeat)."""
        out: list[Row[Any]] = []
        for part in _chunks(sorted(set(person_ids))):
            q = select(support_offers).where(support_offers.c.person_id.in_(part))
            out += self.conn.execute(q.order_by(support_offers.c.id)).all()
        return out

    def add_offer(self, **values: Any) -> int:
        q = insert(support_offers).returning(support_offers.c.id)
        return int(self.conn.execute(q, values).scalar_one())

    def set_offer(self, offer_id: int, **values: Any) -> None:
        q = update(support_offers).where(support_offers.c.id == offer_id)
        self.conn.execute(q.values(**values))

    def offer(self, offer_id: int) -> Row[Any] | None:
        q = select(support_offers).where(support_offers.c.id == offer_id)
        return self.conn.execute(q).first()

    def offers(
        self,
        la_code: str | None = None,
        statuses: Collection[str] = (),
        identified: tuple[datetime | None, datetime | None] = (None, None),
    ) -> list[Row[Any]]:
        q = select(support_offers).order_by(support_offers.c.due_at, support_offers.c.id)
        if la_code is not None:
            q = q.where(support_offers.c.la_code == la_code)
        if statuses:
            q = q.where(support_offers.c.status.in_(list(statuses)))
        low, high = identified
        if low is not None:
            q = q.where(support_offers.c.identified_at >= low)
        if high is not None:
            q = q.where(support_offers.c.identified_at < high)
        return list(self.conn.execute(q))

    def offers_of(self, person_ids: Collection[str]) -> list[Row[Any]]:
        return self.existing(person_ids)

    # --- events ---------------------------------------------------------------------------
    def add_event(self, **values: Any) -> None:
        self.conn.execute(insert(support_events), values)

    def events_of(self, person_ids: Collection[str]) -> list[Row[Any]]:
        out: list[Row[Any]] = []
        for part in _chunks(sorted(set(person_ids))):
            q = select(support_events).where(support_events.c.person_id.in_(part))
            out += self.conn.execute(q.order_by(support_events.c.at, support_events.c.id)).all()
        return out

    # --- schools --------------------------------------------------------------------------
    def set_pupil(
        self, person_id: str, school: str, agency: str, local_id: str, since: datetime
    ) -> None:
        """The pupil's current school: the latest roll event wins."""
        row = self.conn.execute(
            select(support_pupils.c.since).where(support_pupils.c.person_id == person_id)
        ).first()
        if row is not None and _naive(row.since) > _naive(since):
            return
        self.conn.execute(delete(support_pupils).where(support_pupils.c.person_id == person_id))
        self.conn.execute(
            insert(support_pupils),
            {
                "person_id": person_id,
                "school_urn": school,
                "agency_code": agency,
                "record_local_id": local_id,
                "since": since,
            },
        )

    def pupils(self, school: str) -> list[Row[Any]]:
        """The school's pupils with an offer of support or support recorded (the rest of the
        roll is never read)."""
        pid = support_pupils.c.person_id
        offered = exists().where(support_offers.c.person_id == pid)
        supported = exists().where(support_events.c.person_id == pid)
        q = select(support_pupils).where(support_pupils.c.school_urn == school)
        return list(self.conn.execute(q.where(or_(offered, supported)).order_by(pid)))

    def pupil(self, school: str, person_id: str) -> Row[Any] | None:
        q = select(support_pupils).where(
            support_pupils.c.school_urn == school, support_pupils.c.person_id == person_id
        )
        return self.conn.execute(q).first()

    def school_records(self, pupils: Collection[Row[Any]]) -> dict[str, Any]:
        """The school's own (education agency's) current record of each pupil: name and date
        of birth only."""
        out: dict[str, Any] = {}
        by_agency: dict[str, list[str]] = {}
        for p in pupils:
            by_agency.setdefault(p.agency_code, []).append(p.record_local_id)
        for agency, local_ids in by_agency.items():
            for part in _chunks(sorted(set(local_ids))):
                q = select(
                    source_records.c.person_id,
                    source_records.c.first_name,
                    source_records.c.surname,
                    source_records.c.dob,
                ).where(
                    source_records.c.agency_code == agency,
                    source_records.c.local_id.in_(part),
                    source_records.c.is_current,
                )
                for r in self.conn.execute(q):
                    out[r.person_id] = r
        return out

    def school_of(self, user_name: str) -> str | None:
        q = select(support_school_leads.c.school_urn).where(
            support_school_leads.c.user_name == user_name
        )
        row = self.conn.execute(q).first()
        return None if row is None else str(row.school_urn)

    def set_school_lead(self, user_name: str, school: str, at: datetime) -> None:
        self.conn.execute(
            delete(support_school_leads).where(support_school_leads.c.user_name == user_name)
        )
        self.conn.execute(
            insert(support_school_leads),
            {"user_name": user_name, "school_urn": school, "assigned_at": at},
        )

    # --- facts the triggers need ------------------------------------------------------------
    def dobs(self, person_ids: Collection[str]) -> dict[str, date]:
        out: dict[str, date] = {}
        for part in _chunks(sorted(set(person_ids))):
            q = select(source_records.c.person_id, source_records.c.dob).where(
                source_records.c.person_id.in_(part), source_records.c.is_current
            )
            for pid, dob in self.conn.execute(q):
                out.setdefault(pid, dob)
        return out


def _naive(at: datetime) -> datetime:
    return at.replace(tzinfo=None) if at.tzinfo else at
