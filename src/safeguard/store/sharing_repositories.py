"""Repositories for sharing: shares, break-glass reviews and the chronology read."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Row,
    and_,
    bindparam,
    insert,
    literal,
    or_,
    select,
    true,
    union_all,
    update,
)

from safeguard.domain.shares import BreakGlassRead, Receipt, Share
from safeguard.store.bulk import bulk_insert_tuples, member_of
from safeguard.store.tables import (
    break_glass,
    event_participants,
    events,
    identity_aliases,
    persons,
    shares,
    source_records,
)


class ShareRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def existing_keys(
        self, from_agency: str, local_ids: Sequence[str]
    ) -> set[tuple[str, str, str | None]]:
        """(obligation, event local id, person) already recorded, so new versions of an event
        never share twice."""
        query = select(shares.c.obligation_id, shares.c.event_local_id, shares.c.person_id)
        found: set[tuple[str, str, str | None]] = set()
        for where in member_of(self.conn, shares.c.event_local_id, local_ids):
            rows = self.conn.execute(query.where(shares.c.from_agency == from_agency, where))
            found.update((r[0], r[1], r[2]) for r in rows)
        return found

    def add_many(
        self,
        columns: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        constants: Mapping[str, Any] | None = None,
    ) -> None:
        """Bulk insert (COPY on PostgreSQL): an events file can trigger a share per row."""
        bulk_insert_tuples(self.conn, shares, columns, rows, constants)

    def child_refs(self, person_ids: Sequence[str]) -> dict[str, str | None]:
        ids = sorted(set(person_ids))
        found: dict[str, str | None] = {}
        for start in range(0, len(ids), 900):
            query = select(persons.c.id, persons.c.child_ref).where(
                persons.c.id.in_(ids[start : start + 900])
            )
            found.update({r[0]: r[1] for r in self.conn.execute(query)})
        return found

    def get(self, share_id: int) -> Share | None:
        row = self.conn.execute(select(shares).where(shares.c.id == share_id)).first()
        return None if row is None else Share(**row._mapping)

    def inbox(self, to_agency: str, include_acknowledged: bool, limit: int = 200) -> list[Share]:
        query = select(shares).where(shares.c.to_agency == to_agency, shares.c.status == "made")
        if not include_acknowledged:
            query = query.where(shares.c.acknowledged_at.is_(None))
        query = query.order_by(shares.c.shared_at, shares.c.id).limit(limit)
        return [Share(**r._mapping) for r in self.conn.execute(query)]

    def acknowledge(self, share_id: int, at: datetime, by: str) -> bool:
        result = self.conn.execute(
            update(shares)
            .where(shares.c.id == share_id, shares.c.acknowledged_at.is_(None))
            .values(acknowledged_at=at, acknowledged_by=by)
        )
        return result.rowcount > 0

    def received_about(self, person_id: str, to_agency: str) -> bool:
        query = select(shares.c.id).where(
            shares.c.person_id == person_id,
            shares.c.to_agency == to_agency,
            shares.c.status == "made",
        )
        return self.conn.execute(query.limit(1)).first() is not None

    def in_period(self, start: datetime | None, end: datetime | None) -> list[Share]:
        query = select(shares)
        if start is not None:
            query = query.where(shares.c.occurred_at >= start)
        if end is not None:
            query = query.where(shares.c.occurred_at < end)
        return [Share(**r._mapping) for r in self.conn.execute(query.order_by(shares.c.id))]

    def about(self, person_id: str) -> list[Share]:
        query = select(shares).where(shares.c.person_id == person_id).order_by(shares.c.id)
        return [Share(**r._mapping) for r in self.conn.execute(query)]

    def receipt_events(self, event_types: Sequence[str]) -> list[Receipt]:
        """Current events of the types partners record receipts as (agency, time, details)."""
        query = select(events.c.agency_code, events.c.occurred_at, events.c.details).where(
            events.c.event_type.in_(list(event_types)), events.c.is_current == true()
        )
        return [Receipt(*r) for r in self.conn.execute(query)]


class BreakGlassRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, **values: Any) -> int:
        result = self.conn.execute(insert(break_glass).returning(break_glass.c.id), values)
        return int(result.scalar_one())

    def awaiting_review(self) -> list[BreakGlassRead]:
        query = select(break_glass).where(break_glass.c.reviewed_at.is_(None))
        return [
            BreakGlassRead(**r._mapping)
            for r in self.conn.execute(query.order_by(break_glass.c.id))
        ]

    def review(self, entry_id: int, at: datetime, by: str, note: str) -> bool:
        result = self.conn.execute(
            update(break_glass)
            .where(break_glass.c.id == entry_id, break_glass.c.reviewed_at.is_(None))
            .values(reviewed_at=at, reviewed_by=by, review_note=note)
        )
        return result.rowcount > 0

    def about(self, person_id: str) -> list[BreakGlassRead]:
        query = select(break_glass).where(break_glass.c.person_id == person_id)
        return [
            BreakGlassRead(**r._mapping)
            for r in self.conn.execute(query.order_by(break_glass.c.id))
        ]


_PERSON: BindParameter[str] = bindparam("person_id")
_FIND_CHILD = (
    select(persons)
    .where(or_(persons.c.child_ref == bindparam("ref"), persons.c.id == bindparam("ref")))
    .limit(1)
)
_ALIAS = select(identity_aliases.c.new_ref).where(identity_aliases.c.old_ref == bindparam("ref"))
_INVOLVEMENT = union_all(
    select(source_records.c.agency_code, literal("record").label("kind")).where(
        source_records.c.person_id == _PERSON, source_records.c.is_current == true()
    ),
    select(shares.c.to_agency, literal("share").label("kind"))
    .where(
        shares.c.person_id == _PERSON,
        shares.c.to_agency == bindparam("agency"),
        shares.c.status == "made",
    )
    .limit(1)
    .subquery()
    .select(),
)
_CHRONOLOGY = (
    select(
        events.c.id,
        events.c.occurred_at,
        events.c.agency_code,
        events.c.local_id,
        events.c.version,
        events.c.event_type,
        events.c.offence_code,
        events.c.postcode,
        events.c.place_type,
        events.c.details,
        event_participants.c.role,
    )
    .select_from(
        event_participants.join(
            events,
            and_(events.c.id == event_participants.c.event_id, events.c.is_current == true()),
        )
    )
    .where(event_participants.c.person_id == _PERSON)
    .order_by(events.c.occurred_at, events.c.id)
)


class ChronologyRepository:
    """The reads every look at a child makes; statements are built once (hot path)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find_child(self, ref: str) -> Row[Any] | None:
        """The person with this child reference (or, until identity lands, this person id). A
        reference merged away by a re-link leads to the one that is live now (a bookmark, a
        case note or a referral written before the merge still finds the child)."""
        found = self.conn.execute(_FIND_CHILD, {"ref": ref}).first()
        if found is not None:
            return found
        live, seen = ref, {ref}
        while (newer := self.conn.execute(_ALIAS, {"ref": live}).scalar()) is not None:
            if newer in seen:
                return None  # a cycle is no answer (identity never writes one)
            live = str(newer)
            seen.add(live)
        return None if live == ref else self.conn.execute(_FIND_CHILD, {"ref": live}).first()

    def involvement(self, person_id: str, agency: str) -> tuple[set[str], bool]:
        """Agencies holding a current record of the person, and whether ``agency`` received a
        share about them — one round trip, as every read of a child asks it."""
        holding: set[str] = set()
        share = False
        params = {"person_id": person_id, "agency": agency}
        for code, kind in self.conn.execute(_INVOLVEMENT, params):
            if kind == "record":
                holding.add(code)
            else:
                share = True
        return holding, share

    def for_person(self, person_id: str) -> list[dict[str, Any]]:
        """Every agency's current events with the person, oldest first (one indexed join)."""
        rows = []
        for row in self.conn.execute(_CHRONOLOGY, {"person_id": person_id}):
            item = dict(row._mapping)
            item["details"] = json.loads(item["details"])
            rows.append(item)
        return rows
