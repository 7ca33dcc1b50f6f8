"""Reads and writes for crime statistics: the CSAE extract, derived flags and referrals.

The statistics extract carries ethnicity and nationality (aggregated downstream, never used on
an individual); immigration status is read only by ``referral_candidates``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, true, update

from safeguard.store.bulk import bulk_insert
from safeguard.store.tables import (
    agencies,
    crime_group_flags,
    event_participants,
    events,
    referral_updates,
    referrals,
    source_records,
)

_CHUNK = 900


def _participants_query() -> Any:
    e, p, r = events, event_participants, source_records
    return (
        select(
            e.c.id.label("event_id"),
            e.c.agency_code,
            e.c.local_id,
            e.c.occurred_at,
            e.c.postcode,
            e.c.offence_code,
            e.c.details,
            p.c.role,
            p.c.person_id,
            p.c.record_local_id,
            r.c.sex,
            r.c.dob,
            r.c.postcode.label("person_postcode"),
            r.c.ethnicity,
            r.c.ethnicity_observed,
            r.c.nationality,
        )
        .select_from(e)
        .join(p, p.c.event_id == e.c.id)
        .join(
            r,
            and_(
                r.c.agency_code == e.c.agency_code,
                r.c.local_id == p.c.record_local_id,
                r.c.is_current == true(),
            ),
        )
        .where(e.c.event_type == "crime", e.c.is_current == true())
    )


class CrimeRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def participant_fields(
        self, agency_code: str, local_ids: Sequence[str]
    ) -> dict[str, dict[str, str | None]]:
        """The recorded ethnicity, IC code, nationality and immigration status of each person,
        for the CSAE completeness check at ingest."""
        r = source_records
        found: dict[str, dict[str, str | None]] = {}
        for start in range(0, len(local_ids), _CHUNK):
            chunk = local_ids[start : start + _CHUNK]
            query = select(
                r.c.local_id,
                r.c.ethnicity,
                r.c.ethnicity_observed,
                r.c.nationality,
                r.c.immigration_status,
            ).where(
                r.c.agency_code == agency_code, r.c.is_current == true(), r.c.local_id.in_(chunk)
            )
            for row in self.conn.execute(query):
                found[row[0]] = {
                    "ethnicity": row[1],
                    "ethnicity_observed": row[2],
                    "nationality": row[3],
                    "immigration_status": row[4],
                }
        return found

    def crime_participants(self) -> list[dict[str, Any]]:
        """One row per (current crime, participant) with the participant's current record."""
        query = _participants_query().order_by(events.c.id, event_participants.c.id)
        return [dict(row._mapping) for row in self.conn.execute(query)]

    def force_of_agency(self) -> dict[str, str | None]:
        return {
            row[0]: row[1]
            for row in self.conn.execute(select(agencies.c.code, agencies.c.force_code))
        }

    def cp_plans(self) -> list[dict[str, Any]]:
        """Current child-protection plan events with the LA of the submitting agency."""
        query = (
            select(events.c.occurred_at, events.c.details, agencies.c.la_code)
            .join(agencies, agencies.c.code == events.c.agency_code)
            .where(events.c.event_type == "cp_plan", events.c.is_current == true())
        )
        return [dict(row._mapping) for row in self.conn.execute(query)]

    def replace_group_flags(self, rows: Sequence[dict[str, Any]]) -> None:
        self.conn.execute(delete(crime_group_flags))
        bulk_insert(self.conn, crime_group_flags, rows)

    def group_flags(self) -> dict[int, tuple[bool, str]]:
        t = crime_group_flags
        query = select(t.c.event_id, t.c.group_based, t.c.reason)
        return {int(r[0]): (bool(r[1]), str(r[2])) for r in self.conn.execute(query)}

    def referral_candidates(self) -> list[dict[str, Any]]:
        """Suspects of current crimes with their immigration status (the referral rule only)."""
        query = (
            _participants_query()
            .add_columns(source_records.c.immigration_status)
            .where(event_participants.c.role == "suspect")
            .order_by(events.c.id, event_participants.c.id)
        )
        return [dict(row._mapping) for row in self.conn.execute(query)]

    def referral_keys(self) -> set[tuple[int, str, str]]:
        t = referrals
        query = select(t.c.event_id, t.c.person_id, t.c.rule)
        return {(int(a), str(b), str(c)) for a, b, c in self.conn.execute(query)}

    def add_referral(self, **values: Any) -> int:
        result = self.conn.execute(insert(referrals).returning(referrals.c.id), values)
        return int(result.scalar_one())

    def court_outcomes(self) -> list[dict[str, Any]]:
        """Current court-outcome events, one row per defendant (suspect participant)."""
        e, p = events, event_participants
        query = (
            select(
                e.c.id.label("event_id"),
                e.c.agency_code,
                e.c.occurred_at,
                e.c.details,
                p.c.record_local_id,
            )
            .join(p, p.c.event_id == e.c.id)
            .where(
                e.c.event_type == "court_outcome", e.c.is_current == true(), p.c.role == "suspect"
            )
        )
        return [dict(row._mapping) for row in self.conn.execute(query)]

    def get_referral(self, referral_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(select(referrals).where(referrals.c.id == referral_id)).first()
        return None if row is None else dict(row._mapping)

    def referral_updates(self, referral_id: int) -> list[dict[str, Any]]:
        t = referral_updates
        query = select(t).where(t.c.referral_id == referral_id).order_by(t.c.id)
        return [dict(row._mapping) for row in self.conn.execute(query)]

    def update_referral(self, referral_id: int, expected: str, **values: Any) -> bool:
        """Move the referral on (only from the status it was read with) and keep the step."""
        moved = self.conn.execute(
            update(referrals)
            .where(referrals.c.id == referral_id, referrals.c.status == expected)
            .values(status=values["status"])
        )
        if moved.rowcount != 1:
            return False
        self.conn.execute(insert(referral_updates), {"referral_id": referral_id, **values})
        return True

    def list_referrals(self, limit: int = 500) -> list[dict[str, Any]]:
        query = select(referrals).order_by(referrals.c.created_at.desc(), referrals.c.id.desc())
        return [dict(row._mapping) for row in self.conn.execute(query.limit(limit))]

    def latest_derivation(self) -> datetime | None:
        query = select(crime_group_flags.c.derived_at).limit(1)
        value = self.conn.execute(query).scalar()
        return value if isinstance(value, datetime) else None
