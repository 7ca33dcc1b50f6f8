"""Reads and writes for licensing: register entries, checks, notices, and the events they use."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, select, true, update

from safeguard.store.tables import (
    event_objects,
    event_participants,
    events,
    licensing_checks,
    licensing_notices,
    licensing_register,
    source_records,
    submissions,
)

SAFEGUARDING_EVENTS = ("crime", "found_in_vehicle")
SIGHTING_EVENTS = ("vehicle_sighting", "anpr_read", "found_in_vehicle")
HOTSPOT_EVENTS = ("crime", "missing_episode", "found_in_vehicle")


class LicensingRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- register ---------------------------------------------------------------------------

    def add_entries(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        ids = []
        for row in rows:
            result = self.conn.execute(insert(licensing_register).values(**row))
            ids.append(int(result.inserted_primary_key[0]))  # type: ignore[index]
        return ids

    def entries(self, authority: str | None = None) -> list[dict[str, Any]]:
        query = select(licensing_register).order_by(licensing_register.c.id)
        if authority:
            query = query.where(licensing_register.c.authority == authority)
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def entry(self, entry_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            select(licensing_register).where(licensing_register.c.id == entry_id)
        ).first()
        return dict(row._mapping) if row else None

    def synced_event_ids(self) -> set[int]:
        col = licensing_register.c.source_event_id
        return {r[0] for r in self.conn.execute(select(col).where(col.is_not(None)))}

    def decision_events(self) -> list[dict[str, Any]]:
        """Current licensing decisions with the subject's record as the authority holds it."""
        e, p, r = events, event_participants, source_records
        query = (
            select(
                e.c.id,
                e.c.agency_code,
                e.c.local_id,
                e.c.occurred_at,
                e.c.details,
                r.c.first_name,
                r.c.middle_name,
                r.c.surname,
                r.c.dob,
                r.c.sex,
                r.c.postcode,
                r.c.address,
                p.c.person_id,
                submissions.c.received_at,
            )
            .select_from(e)
            .join(submissions, submissions.c.id == e.c.submission_id)
            .join(p, and_(p.c.event_id == e.c.id, p.c.role == "subject"))
            .join(
                r,
                and_(
                    r.c.agency_code == e.c.agency_code,
                    r.c.local_id == p.c.record_local_id,
                    r.c.is_current == true(),
                ),
            )
            .where(e.c.event_type == "licensing_decision", e.c.is_current == true())
            .order_by(e.c.id)
        )
        out = []
        for row in self.conn.execute(query):
            item = dict(row._mapping)
            item["details"] = json.loads(item["details"] or "{}")
            out.append(item)
        return out

    # -- checks -----------------------------------------------------------------------------

    def add_check(self, row: dict[str, Any]) -> int:
        result = self.conn.execute(insert(licensing_checks).values(**row))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def check(self, check_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            select(licensing_checks).where(licensing_checks.c.id == check_id)
        ).first()
        return dict(row._mapping) if row else None

    def decide(self, check_id: int, decision: str, note: str, by: str, at: datetime) -> None:
        self.conn.execute(
            update(licensing_checks)
            .where(licensing_checks.c.id == check_id)
            .values(decision=decision, decision_note=note, decided_by=by, decided_at=at)
        )

    def checks(self, authority: str | None = None) -> list[dict[str, Any]]:
        query = select(licensing_checks).order_by(licensing_checks.c.id.desc())
        if authority:
            query = query.where(licensing_checks.c.authority == authority)
        return [dict(r._mapping) for r in self.conn.execute(query)]

    # -- sightings and safeguarding events ---------------------------------------------------

    def plate_events(self, event_types: Sequence[str]) -> list[dict[str, Any]]:
        """Current events of these types naming a taxi plate, one row per plate."""
        e, o = events, event_objects
        query = (
            select(
                e.c.id,
                e.c.agency_code,
                e.c.local_id,
                e.c.event_type,
                e.c.occurred_at,
                e.c.postcode,
                e.c.details,
                o.c.value.label("plate"),
            )
            .select_from(e)
            .join(o, and_(o.c.event_id == e.c.id, o.c.object_type == "taxi_plate"))
            .where(e.c.event_type.in_(list(event_types)), e.c.is_current == true())
            .order_by(e.c.id)
        )
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def event_postcodes(self, event_types: Sequence[str]) -> set[str]:
        """Postcodes (upper case, no spaces) of current events of these types."""
        e = events
        query = (
            select(e.c.postcode)
            .where(e.c.event_type.in_(list(event_types)), e.c.is_current == true())
            .distinct()
        )
        return {str(r[0]).upper().replace(" ", "") for r in self.conn.execute(query) if r[0]}

    def person_events(self, event_types: Sequence[str], persons: set[str]) -> list[dict[str, Any]]:
        """Current events of these types in which any of ``persons`` takes part."""
        e, p = events, event_participants
        query = (
            select(
                e.c.id,
                e.c.agency_code,
                e.c.local_id,
                e.c.event_type,
                e.c.occurred_at,
                p.c.person_id,
                p.c.role,
            )
            .select_from(e)
            .join(p, p.c.event_id == e.c.id)
            .where(e.c.event_type.in_(list(event_types)), e.c.is_current == true())
            .order_by(e.c.id)
        )
        return [dict(r._mapping) for r in self.conn.execute(query) if r.person_id in persons]

    # -- notices ----------------------------------------------------------------------------

    def notice_keys(self) -> set[tuple[int, str, str]]:
        n = licensing_notices
        query = select(n.c.event_id, n.c.agency_code, n.c.subject)
        return {(r[0], r[1], r[2]) for r in self.conn.execute(query)}

    def add_notices(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(licensing_notices), list(rows))

    def notices(self, agency: str | None = None) -> list[dict[str, Any]]:
        n, e = licensing_notices, events
        query = (
            select(
                n,
                e.c.agency_code.label("event_agency"),
                e.c.local_id.label("event_local_id"),
                e.c.event_type,
                e.c.occurred_at,
            )
            .join(e, e.c.id == n.c.event_id)
            .order_by(n.c.id.desc())
        )
        if agency:
            query = query.where(n.c.agency_code == agency)
        return [dict(r._mapping) for r in self.conn.execute(query)]


def as_date(value: Any) -> date:
    return (
        value
        if isinstance(value, date) and not isinstance(value, datetime)
        else (value.date() if isinstance(value, datetime) else date.fromisoformat(str(value)[:10]))
    )
