"""The identity capability's storage port (``IdentityRepository``) on the operational store.

A record is ``AGENCY/local_id`` (its current version). A child reference names a row of
``persons``; assigning a record to a reference moves every version of the record, and the
event participations that name it, to that person, in the caller's transaction.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from safeguard.domain.child_ref import format_child_ref
from safeguard.domain.identity import ReferenceEvent, ReviewDecision, ReviewItem, SavedModel
from safeguard.domain.records import IDENTIFYING_FIELDS
from safeguard.store.bulk import bulk_insert, member_of
from safeguard.store.tables import (
    event_participants,
    events,
    identity_aliases,
    identity_decisions,
    identity_models,
    identity_ref_events,
    identity_review_queue,
    identity_serial,
    persons,
    risk_alerts,
    shares,
    source_records,
)

#: The only person-record columns linkage may read: never ethnicity, nationality or status.
LINKAGE_COLUMNS = IDENTIFYING_FIELDS


def record_id(agency_code: str, local_id: str) -> str:
    return f"{agency_code}/{local_id}"


def split_record_id(value: str) -> tuple[str, str]:
    agency, _, local_id = value.partition("/")
    return agency, local_id


class SqlIdentityRepository:
    """``IdentityRepository`` on one connection (the caller owns the transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- records and assignments -------------------------------------------------------------

    def last_record_id(self) -> int:
        """The newest stored record version's id: a warm engine's high-water mark."""
        return int(self.conn.execute(select(func.max(source_records.c.id))).scalar() or 0)

    def load_records(
        self, record_ids: Sequence[str] | None = None, after: int | None = None
    ) -> pd.DataFrame:
        """Current records as linkage input; only ``record_ids`` when given (real time), only
        versions stored after the id ``after`` when given (catching a warm engine up)."""
        cols = [source_records.c[c] for c in LINKAGE_COLUMNS]
        query = select(source_records.c.agency_code, source_records.c.local_id, *cols).where(
            source_records.c.is_current == true()
        )
        if after is not None:
            query = query.where(source_records.c.id > after)
        if record_ids is not None:
            if not record_ids:
                return pd.DataFrame(columns=["record_id", *LINKAGE_COLUMNS])
            query = query.where(self._is_one_of(record_ids))
        rows = self.conn.execute(query).all()
        frame = pd.DataFrame(rows, columns=["agency_code", "local_id", *LINKAGE_COLUMNS])
        frame.insert(0, "record_id", frame["agency_code"] + "/" + frame["local_id"])
        frame["dob"] = frame["dob"].astype(str)
        return frame.drop(columns=["agency_code", "local_id"])

    def load_assignments(self, record_ids: Sequence[str] | None = None) -> dict[str, str]:
        """Record → child reference; only ``record_ids`` when given (real time)."""
        query = (
            select(source_records.c.agency_code, source_records.c.local_id, persons.c.child_ref)
            .join(persons, persons.c.id == source_records.c.person_id)
            .where(source_records.c.is_current == true(), persons.c.child_ref.is_not(None))
        )
        if record_ids is not None:
            if not record_ids:
                return {}
            query = query.where(self._is_one_of(record_ids))
        return {record_id(a, lid): ref for a, lid, ref in self.conn.execute(query)}

    @staticmethod
    def _is_one_of(record_ids: Sequence[str]) -> Any:
        """The records named, as ``agency = ? AND local_id IN (...)`` per agency: the unique
        (agency, local id, version) index answers that on both stores, where SQLite scanned
        every record for a row-value ``(agency, local_id) IN (VALUES ...)`` (0.34 s a call
        on a 1,000,000-children store, twice per real-time resolution)."""
        by_agency: dict[str, list[str]] = defaultdict(list)
        for rid in record_ids:
            agency, local_id = split_record_id(rid)
            by_agency[agency].append(local_id)
        return or_(
            *(
                and_(source_records.c.agency_code == agency, source_records.c.local_id.in_(ids))
                for agency, ids in sorted(by_agency.items())
            )
        )

    def save_assignments(self, assignment: dict[str, str]) -> None:
        """Replace the whole assignment: references no record holds any more are retired
        (they live on as aliases and events), records move to their reference's person."""
        self._apply(assignment, retire=True)

    def update_assignments(self, changes: dict[str, str]) -> None:
        """Assign a few records (real time) and leave every other assignment as it is."""
        self._apply(changes, retire=False)

    def _apply(self, assignment: dict[str, str], retire: bool) -> None:
        """Move records to their references' persons. Without ``retire`` only the records
        in ``assignment``, their persons and the references they name are read, so a real-
        time update costs the same whatever the size of the store."""
        if not assignment and not retire:
            return
        query = select(
            source_records.c.agency_code, source_records.c.local_id, source_records.c.person_id
        ).where(source_records.c.is_current == true())
        if not retire:
            query = query.where(self._is_one_of(list(assignment)))
        current = {record_id(a, lid): pid for a, lid, pid in self.conn.execute(query)}
        holding = select(persons.c.id, persons.c.child_ref).where(persons.c.child_ref.is_not(None))
        if not retire:
            # The references named here, and whether the records' own persons hold one.
            holding = holding.where(
                or_(
                    persons.c.child_ref.in_(sorted(set(assignment.values()))),
                    persons.c.id.in_(sorted(set(current.values()))),
                )
            )
        holders = {ref: pid for pid, ref in self.conn.execute(holding)}
        live_refs = set(assignment.values())
        retired = [pid for ref, pid in holders.items() if retire and ref not in live_refs]
        for where in member_of(self.conn, persons.c.id, retired):
            self.conn.execute(update(persons).where(where).values(child_ref=None))
        target = self._persons_for_refs(assignment, current, holders)
        moves = [
            (rid, current[rid], target[ref])
            for rid, ref in assignment.items()
            if rid in current and current[rid] != target[ref]
        ]
        self._move(moves)

    def _persons_for_refs(
        self, assignment: dict[str, str], current: dict[str, str], holders: dict[str, str]
    ) -> dict[str, str]:
        """Each reference's person: its holder, else the unreferenced person most of its
        records already sit with (fewest moves), else a new person."""
        members: dict[str, list[str]] = defaultdict(list)
        for rid, ref in assignment.items():
            members[ref].append(rid)
        claimed = {pid for ref, pid in holders.items() if ref in members}
        referenced = set(holders.values())
        target: dict[str, str] = {}
        new_rows: list[dict[str, Any]] = []
        naming: list[tuple[str, str]] = []
        now = datetime.now(UTC)
        for ref in sorted(members):
            if ref in holders:
                target[ref] = holders[ref]
                continue
            votes = Counter(current[r] for r in members[ref] if r in current)
            choice = next(
                (
                    pid
                    for pid, _ in votes.most_common()
                    if pid not in claimed and pid not in referenced
                ),
                None,
            )
            if choice is None:
                choice = uuid.uuid4().hex
                new_rows.append({"id": choice, "child_ref": ref, "created_at": now})
            else:
                naming.append((choice, ref))
            claimed.add(choice)
            target[ref] = choice
        bulk_insert(self.conn, persons, new_rows)
        if naming:
            self.conn.execute(
                update(persons)
                .where(persons.c.id == bindparam("pid"))
                .values(child_ref=bindparam("ref")),
                [{"pid": pid, "ref": ref} for pid, ref in naming],
            )
        return target

    def _move(self, moves: list[tuple[str, str, str]]) -> None:
        """Move records (and what names them: participations, shares) to another person."""
        if not moves:
            return
        params = []
        for rid, old, new in moves:
            agency, local_id = split_record_id(rid)
            params.append({"a": agency, "l": local_id, "p": new, "old": old})
        self.conn.execute(
            update(source_records)
            .where(
                source_records.c.agency_code == bindparam("a"),
                source_records.c.local_id == bindparam("l"),
            )
            .values(person_id=bindparam("p")),
            params,
        )
        # Correlated, so each move reads only the record's own participations (by the
        # record index) and their events by key; an IN over the agency's events would list
        # every event the agency holds once per moved record.
        owning = (
            select(events.c.id)
            .where(
                events.c.id == event_participants.c.event_id,
                events.c.agency_code == bindparam("a"),
            )
            .exists()
        )
        self.conn.execute(
            update(event_participants)
            .where(event_participants.c.record_local_id == bindparam("l"), owning)
            .values(person_id=bindparam("p")),
            params,
        )
        naming = (
            select(event_participants.c.event_id)
            .join(events, events.c.id == event_participants.c.event_id)
            .where(
                events.c.agency_code == bindparam("a"),
                event_participants.c.record_local_id == bindparam("l"),
            )
        )
        self.conn.execute(
            update(shares)
            .where(shares.c.person_id == bindparam("old"), shares.c.event_id.in_(naming))
            .values(person_id=bindparam("p")),
            params,
        )
        self._move_alerts(moves)

    def _move_alerts(self, moves: list[tuple[str, str, str]]) -> None:
        """A person left with no records (merged away) hands their risk alerts to the person
        most of their records went to; a person who keeps records keeps their alerts."""
        destinations: dict[str, Counter[str]] = defaultdict(Counter)
        for _rid, old, new in moves:
            destinations[old][new] += 1
        still_held: set[str] = set()
        for where in member_of(self.conn, source_records.c.person_id, list(destinations)):
            query = select(source_records.c.person_id).where(where).distinct()
            still_held.update(pid for (pid,) in self.conn.execute(query))
        handover = [
            {"old": old, "p": counts.most_common(1)[0][0]}
            for old, counts in destinations.items()
            if old not in still_held
        ]
        if handover:
            self.conn.execute(
                update(risk_alerts)
                .where(risk_alerts.c.person_id == bindparam("old"))
                .values(person_id=bindparam("p")),
                handover,
            )

    def refresh_statistics(self) -> None:
        """After a re-link has rewritten references and moved records, PostgreSQL's planner
        statistics describe the store before it: on the 1M load store, joining a few hundred
        records to their persons then took 3.5 s a query (a scan of persons) until ANALYZE.
        SQLite plans from its indexes and needs nothing."""
        if self.conn.dialect.name == "postgresql":
            for table in (persons, source_records, event_participants, shares, risk_alerts):
                self.conn.exec_driver_sql(f"ANALYZE {table.name}")

    def next_child_ref(self) -> str:
        return self.next_child_refs(1)[0]

    def next_child_refs(self, count: int) -> list[str]:
        row = self.conn.execute(
            update(identity_serial)
            .where(identity_serial.c.id == 1)
            .values(last=identity_serial.c.last + count)
            .returning(identity_serial.c.last)
        ).first()
        if row is None:
            self.conn.execute(insert(identity_serial).values(id=1, last=count))
            last = count
        else:
            last = int(row[0])
        return [format_child_ref(n) for n in range(last - count + 1, last + 1)]

    # --- aliases and reference events --------------------------------------------------------

    def load_aliases(self) -> dict[str, str]:
        query = select(identity_aliases.c.old_ref, identity_aliases.c.new_ref)
        return {old: new for old, new in self.conn.execute(query)}

    def add_aliases(self, aliases: dict[str, str]) -> None:
        now = datetime.now(UTC)
        for old, new in aliases.items():
            self.conn.execute(delete(identity_aliases).where(identity_aliases.c.old_ref == old))
            self.conn.execute(
                insert(identity_aliases).values(old_ref=old, new_ref=new, created_at=now)
            )

    def add_events(self, ref_events: list[ReferenceEvent]) -> None:
        now = datetime.now(UTC)
        rows = [
            {
                "kind": e.kind,
                "ref": e.ref,
                "into_ref": e.into,
                "new_refs": json.dumps(list(e.new_refs)),
                "evidence": json.dumps(e.evidence, sort_keys=True, default=str),
                "at": now,
            }
            for e in ref_events
        ]
        if rows:
            self.conn.execute(insert(identity_ref_events), rows)

    def load_events(self) -> list[ReferenceEvent]:
        query = select(identity_ref_events).order_by(identity_ref_events.c.id)
        return [
            ReferenceEvent(
                r.kind, r.ref, r.into_ref, tuple(json.loads(r.new_refs)), json.loads(r.evidence)
            )
            for r in self.conn.execute(query)
        ]

    # --- reviewer decisions and the queue ----------------------------------------------------

    def add_decision(self, decision: ReviewDecision) -> None:
        self.conn.execute(insert(identity_decisions).values(**decision.__dict__))
        pair = (decision.record_id_l, decision.record_id_r)
        for left, right in (pair, pair[::-1]):
            self.conn.execute(
                delete(identity_review_queue).where(
                    identity_review_queue.c.record_id_l == left,
                    identity_review_queue.c.record_id_r == right,
                )
            )

    def load_decisions(self) -> list[ReviewDecision]:
        query = select(identity_decisions).order_by(identity_decisions.c.id)
        return [
            ReviewDecision(
                r.record_id_l, r.record_id_r, r.decision, r.reason, r.reviewer, _aware(r.decided_at)
            )
            for r in self.conn.execute(query)
        ]

    def queue_for_review(self, items: list[ReviewItem]) -> None:
        """Queue pairs not already queued or decided (reads only pairs naming these records)."""
        if not items:
            return
        ids = sorted({i for item in items for i in (item.record_id_l, item.record_id_r)})
        # A full re-link can queue thousands of pairs: the ids go in chunks.
        known: set[frozenset[str]] = set()
        for table in (identity_review_queue, identity_decisions):
            named = select(table.c.record_id_l, table.c.record_id_r)
            for column in (table.c.record_id_l, table.c.record_id_r):
                for where in member_of(self.conn, column, ids):
                    known.update(frozenset(p) for p in self.conn.execute(named.where(where)))
        now = datetime.now(UTC)
        rows = []
        for item in items:
            pair = frozenset((item.record_id_l, item.record_id_r))
            if pair in known:
                continue
            known.add(pair)
            rows.append({**item.__dict__, "queued_at": now})
        if rows:
            self.conn.execute(insert(identity_review_queue), rows)

    def load_review_queue(self) -> list[ReviewItem]:
        query = select(identity_review_queue).order_by(
            identity_review_queue.c.match_probability.desc(), identity_review_queue.c.id
        )
        return [
            ReviewItem(r.record_id_l, r.record_id_r, r.match_probability, r.match_weight)
            for r in self.conn.execute(query)
        ]

    # --- trained models ----------------------------------------------------------------------

    def save_model(self, model_json: str) -> int:
        latest = self.conn.execute(select(func.max(identity_models.c.version))).scalar_one()
        version = int(latest or 0) + 1
        self.conn.execute(
            insert(identity_models).values(
                version=version, model_json=model_json, saved_at=datetime.now(UTC)
            )
        )
        return version

    def load_model(self, version: int | None = None) -> SavedModel | None:
        query = select(identity_models)
        if version is None:
            query = query.order_by(identity_models.c.version.desc()).limit(1)
        else:
            query = query.where(identity_models.c.version == version)
        row = self.conn.execute(query).first()
        return (
            None if row is None else SavedModel(row.version, row.model_json, _aware(row.saved_at))
        )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
