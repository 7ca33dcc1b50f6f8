"""Repositories: the only code that reads and writes the operational tables."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    false,
    func,
    insert,
    or_,
    select,
    true,
    tuple_,
    update,
)

from safeguard.domain.actors import UserRecord
from safeguard.domain.records import (
    ParticipantFacts,
    Person,
    StoredRecord,
    Submission,
)
from safeguard.store.bulk import bulk_insert_tuples, select_in
from safeguard.store.tables import (
    agencies,
    event_objects,
    event_participants,
    events,
    persons,
    source_records,
    submissions,
    users,
)

_CHUNK = 900  # below SQLite's bound-parameter limit


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class CurrentVersion:
    """The live version of a record or event, enough to decide new / changed / unchanged."""

    id: int
    version: int
    content_hash: str
    person_id: str | None = None


class SubmissionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, agency_code: str, content_hash: str) -> Submission | None:
        """The submission of these exact bytes from this agency, if any (a re-send)."""
        query = select(submissions).where(
            submissions.c.agency_code == agency_code, submissions.c.content_hash == content_hash
        )
        row = self.conn.execute(query).first()
        return None if row is None else Submission(**row._mapping)

    def add(self, **values: Any) -> int:
        result = self.conn.execute(insert(submissions).returning(submissions.c.id), values)
        return int(result.scalar_one())


class _VersionedRepository:
    table = source_records

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def current_versions(self, agency_code: str, local_ids: Sequence[str]) -> dict[str, Any]:
        t = self.table
        person = ", person_id" if "person_id" in t.c else ""
        sql = (
            f"SELECT local_id, id, version, content_hash{person} FROM {t.name} "
            "WHERE agency_code = ? AND is_current AND local_id {values}"
        )
        found: dict[str, CurrentVersion] = {}
        for row in select_in(self.conn, sql, (agency_code,), local_ids):
            found[row[0]] = CurrentVersion(row[1], row[2], row[3], row[4] if person else None)
        return found

    def retire(self, ids: Sequence[int]) -> None:
        for chunk in _chunks(ids):
            self.conn.execute(
                update(self.table).where(self.table.c.id.in_(chunk)), {"is_current": False}
            )


class RecordRepository(_VersionedRepository):
    table = source_records

    def insert_many(
        self, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], constants: dict[str, Any]
    ) -> None:
        """Insert new versions: ``rows`` in ``columns`` order, ``constants`` shared by all."""
        bulk_insert_tuples(self.conn, source_records, columns, rows, constants)

    def person_ids_by_nhs(self, nhs_numbers: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        sql = (
            "SELECT nhs_number, person_id FROM source_records "
            "WHERE is_current AND nhs_number {values}"
        )
        for nhs, person_id in select_in(self.conn, sql, (), nhs_numbers):
            found.setdefault(nhs, person_id)
        return found

    def for_person(self, person_id: str, history: bool = False) -> list[StoredRecord]:
        query = select(source_records).where(source_records.c.person_id == person_id)
        if not history:
            query = query.where(source_records.c.is_current == true())
        query = query.order_by(
            source_records.c.agency_code, source_records.c.local_id, source_records.c.version
        )
        return [StoredRecord(**r._mapping) for r in self.conn.execute(query)]

    def history(self, agency_code: str, local_id: str) -> list[StoredRecord]:
        query = (
            select(source_records)
            .where(
                source_records.c.agency_code == agency_code, source_records.c.local_id == local_id
            )
            .order_by(source_records.c.version)
        )
        return [StoredRecord(**r._mapping) for r in self.conn.execute(query)]

    def agencies_for_person(self, person_id: str) -> set[str]:
        query = select(source_records.c.agency_code).where(
            source_records.c.person_id == person_id, source_records.c.is_current == true()
        )
        return {row[0] for row in self.conn.execute(query)}

    def search(
        self,
        name: str | None,
        dob: date | None,
        agency_codes: Sequence[str] | None,
        limit: int = 50,
        after: tuple[str, str, int] | None = None,
    ) -> list[StoredRecord]:
        """Current records whose first name or surname starts with ``name`` (case-blind), in
        (surname, first name, id) order, starting after the key ``after`` (keyset paging)."""
        query = select(source_records).where(source_records.c.is_current == true())
        if after is not None:
            key = tuple_(source_records.c.surname, source_records.c.first_name, source_records.c.id)
            query = query.where(key > tuple_(*after))
        if name:
            for word in name.lower().split():
                pattern = f"{word}%"
                query = query.where(
                    or_(
                        func.lower(source_records.c.first_name).like(pattern),
                        func.lower(source_records.c.surname).like(pattern),
                    )
                )
        if dob is not None:
            query = query.where(source_records.c.dob == dob)
        if agency_codes is not None:
            query = query.where(source_records.c.agency_code.in_(list(agency_codes)))
        query = query.order_by(
            source_records.c.surname, source_records.c.first_name, source_records.c.id
        ).limit(limit)
        return [StoredRecord(**r._mapping) for r in self.conn.execute(query)]

    def names_held_by(
        self, person_ids: Sequence[str], agency_code: str
    ) -> dict[str, tuple[str, str]]:
        """First name and surname of the people one agency holds a current record of."""
        found: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(list(person_ids)):
            query = select(
                source_records.c.person_id, source_records.c.first_name, source_records.c.surname
            ).where(
                source_records.c.person_id.in_(chunk),
                source_records.c.agency_code == agency_code,
                source_records.c.is_current == true(),
            )
            for pid, first, last in self.conn.execute(query):
                found.setdefault(pid, (first, last))
        return found

    def person_ids_for_local_ids(
        self, agency_code: str, local_ids: Sequence[str]
    ) -> dict[str, str]:
        return {k: v.person_id for k, v in self.current_versions(agency_code, local_ids).items()}

    def participant_facts(
        self, agency_code: str, local_ids: Sequence[str]
    ) -> dict[str, ParticipantFacts]:
        """local id -> (person id, dob, postcode) from the agency's current records: what an
        events submission needs of the people it names (to store them, and to share)."""
        sql = (
            "SELECT local_id, person_id, dob, postcode FROM source_records "
            "WHERE agency_code = ? AND is_current AND local_id {values}"
        )
        found: dict[str, ParticipantFacts] = {}
        for local_id, person_id, dob, postcode in select_in(
            self.conn, sql, (agency_code,), local_ids
        ):
            # SQLite hands dates back as text; PostgreSQL as dates.
            day = date.fromisoformat(dob) if isinstance(dob, str) else dob
            found[local_id] = (person_id, day, postcode)
        return found

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(source_records)).scalar_one())

    def count_people(self) -> int:
        """People that current records resolve to (persons left without records not counted)."""
        query = select(func.count(func.distinct(source_records.c.person_id))).where(
            source_records.c.is_current == true()
        )
        return int(self.conn.execute(query).scalar_one())


class EventRepository(_VersionedRepository):
    table = events

    def insert_many(
        self, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], constants: dict[str, Any]
    ) -> list[int]:
        """Insert new current versions and return their ids in the order given.

        The ids are read back by (agency, local id) rather than with RETURNING, which SQLite
        can only honour one row at a time for a bulk insert. ``columns`` must hold local_id
        and ``constants`` agency_code.

        On SQLite (one writer, which this transaction is) each row gets one more than the
        largest id before it, so when the largest id grew by exactly the number of rows the
        ids are that range, in order, and need no read back.
        """
        if not rows:
            return []
        sqlite = self.conn.dialect.name == "sqlite"
        top = "SELECT coalesce(max(id), 0) FROM events"
        before = int(self.conn.exec_driver_sql(top).scalar_one()) if sqlite else 0
        bulk_insert_tuples(self.conn, events, columns, rows, constants)
        if sqlite and int(self.conn.exec_driver_sql(top).scalar_one()) == before + len(rows):
            return list(range(before + 1, before + len(rows) + 1))
        at = list(columns).index("local_id")
        return self.current_ids(constants["agency_code"], [r[at] for r in rows])

    def current_ids(self, agency_code: str, local_ids: Sequence[str]) -> list[int]:
        """Ids of the current versions of ``local_ids``, in the order given."""
        sql = (
            "SELECT local_id, id FROM events "
            "WHERE agency_code = ? AND is_current AND local_id {values}"
        )
        ids = {lid: int(eid) for lid, eid in select_in(self.conn, sql, (agency_code,), local_ids)}
        return [ids[lid] for lid in local_ids]

    def add_participants(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """(event id, role, record local id, person id) per participant."""
        columns = ("event_id", "role", "record_local_id", "person_id")
        bulk_insert_tuples(self.conn, event_participants, columns, rows)

    def add_objects(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """(event id, object type, value) per object."""
        bulk_insert_tuples(self.conn, event_objects, ("event_id", "object_type", "value"), rows)

    def for_person(self, person_id: str) -> list[dict[str, Any]]:
        """Current events the person took part in, oldest first, with role and objects."""
        query = (
            select(events, event_participants.c.role)
            .join(event_participants, event_participants.c.event_id == events.c.id)
            .where(event_participants.c.person_id == person_id, events.c.is_current == true())
            .order_by(events.c.occurred_at, events.c.id)
        )
        rows = [dict(r._mapping) for r in self.conn.execute(query)]
        ids = [r["id"] for r in rows]
        objects: dict[int, list[dict[str, str]]] = {}
        for chunk in _chunks(ids):
            q = select(event_objects).where(event_objects.c.event_id.in_(chunk))
            for o in self.conn.execute(q):
                objects.setdefault(o.event_id, []).append({"type": o.object_type, "value": o.value})
        for row in rows:
            row["details"] = json.loads(row["details"])
            row["objects"] = objects.get(row["id"], [])
        return rows

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(events)).scalar_one())

    # -- read-only rows for the network graph (plain tuples, explicit columns) -------------

    def network_fingerprint(self) -> tuple[int, int]:
        """(highest event id, number of retired versions): a change in the second means
        events were replaced and an in-memory graph must be rebuilt, not extended."""
        top = self.conn.execute(select(func.coalesce(func.max(events.c.id), 0))).scalar_one()
        retired = self.conn.execute(
            select(func.count()).select_from(events).where(events.c.is_current == false())
        ).scalar_one()
        return int(top), int(retired)

    def network_rows(
        self, after_id: int = 0
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Current events with id above ``after_id``: (events, participants, objects) rows
        in the column order of ``network.graph`` (no person attributes at all)."""
        live = and_(events.c.is_current == true(), events.c.id > after_id)
        event_rows = self.conn.execute(
            select(
                events.c.id,
                events.c.occurred_at,
                events.c.event_type,
                events.c.offence_code,
                events.c.postcode,
                events.c.place_type,
            )
            .where(live)
            .order_by(events.c.id)
        )
        part_rows = self.conn.execute(
            select(
                event_participants.c.event_id,
                event_participants.c.person_id,
                event_participants.c.role,
            )
            .join(events, events.c.id == event_participants.c.event_id)
            .where(live)
        )
        object_rows = self.conn.execute(
            select(event_objects.c.event_id, event_objects.c.object_type, event_objects.c.value)
            .join(events, events.c.id == event_objects.c.event_id)
            .where(live)
        )
        return (
            [tuple(r) for r in event_rows],
            [tuple(r) for r in part_rows],
            [tuple(r) for r in object_rows],
        )

    def sources(self, event_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Where each event came from and what it was, for the evidence behind a link."""
        found: dict[int, dict[str, Any]] = {}
        cols = [
            events.c.id,
            events.c.agency_code,
            events.c.local_id,
            events.c.event_type,
            events.c.occurred_at,
            events.c.offence_code,
            events.c.postcode,
            events.c.place_type,
        ]
        for chunk in _chunks(list(event_ids)):
            for row in self.conn.execute(select(*cols).where(events.c.id.in_(chunk))):
                found[int(row[0])] = dict(row._mapping)
        return found


class PersonRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_many(self, person_ids: Sequence[str], created_at: datetime | None = None) -> None:
        moment = created_at or datetime.now(UTC)
        rows = [(p,) for p in person_ids]
        bulk_insert_tuples(self.conn, persons, ("id",), rows, {"created_at": moment})

    def get(self, person_id: str) -> Person | None:
        return self._one(persons.c.id == person_id)

    def by_child_ref(self, child_ref: str) -> Person | None:
        return self._one(persons.c.child_ref == child_ref)

    def _one(self, where: Any) -> Person | None:
        row = self.conn.execute(select(persons).where(where)).first()
        return None if row is None else Person(**row._mapping)

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(persons)).scalar_one())


class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, **values: Any) -> int:
        result = self.conn.execute(insert(users).returning(users.c.id), values)
        return int(result.scalar_one())

    def by_token_hash(self, token_hash: str) -> UserRecord | None:
        return self._one(users.c.token_hash == token_hash)

    def by_name(self, name: str) -> UserRecord | None:
        return self._one(users.c.name == name)

    def _one(self, where: Any) -> UserRecord | None:
        row = self.conn.execute(select(users).where(where)).first()
        return None if row is None else UserRecord(**row._mapping)

    def set_token(self, name: str, token_hash: str, expires_at: datetime) -> None:
        self.conn.execute(
            update(users)
            .where(users.c.name == name)
            .values(token_hash=token_hash, expires_at=expires_at, revoked_at=None)
        )

    def revoke(self, name: str, at: datetime) -> bool:
        result = self.conn.execute(update(users).where(users.c.name == name).values(revoked_at=at))
        return result.rowcount > 0


class AgencyRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def codes(self) -> set[str]:
        return {r[0] for r in self.conn.execute(select(agencies.c.code))}

    def add_many(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(agencies), list(rows))
