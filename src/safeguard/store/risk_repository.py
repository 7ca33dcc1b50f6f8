"""Risk storage: the event projection scoring reads, and the alerts table.

The projection selects named columns only: an event's type, date, agency, the child's role,
``details`` (trimmed later to the keys indicators name), other participants, objects and the
child's date of birth. No protected column of a person record is ever selected here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from safeguard.domain.alerts import Alert, AlertHistoryEntry
from safeguard.risk.indicators import EventView, SuspectContext
from safeguard.store.bulk import select_in
from safeguard.store.tables import (
    agencies,
    event_objects,
    event_participants,
    events,
    persons,
    risk_alert_history,
    risk_alerts,
    source_records,
)

_CHUNK = 500
#: Alerts are about children only: at this age (on the day of scoring) a person is not scored.
ADULT_AGE = 18


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _age(dob: date | None, on: date) -> int | None:
    if dob is None:
        return None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


class RiskRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- the projection scoring reads -------------------------------------------------
    def event_views(
        self, person_ids: Collection[str], details_keys: Collection[str]
    ) -> dict[str, list[EventView]]:
        """Every current event about each person, projected for scoring."""
        ids = sorted(set(person_ids))
        dob: dict[str, date] = {}
        rows: list[Any] = []
        for part in _chunks(ids):
            for pid, d in self.conn.execute(
                select(source_records.c.person_id, source_records.c.dob).where(
                    source_records.c.person_id.in_(part), source_records.c.is_current
                )
            ):
                dob.setdefault(pid, d)
            rows += self.conn.execute(
                select(
                    events.c.id,
                    event_participants.c.person_id,
                    event_participants.c.role,
                    events.c.event_type,
                    events.c.occurred_at,
                    events.c.agency_code,
                    agencies.c.kind,
                    events.c.details,
                    events.c.postcode,
                )
                .join(events, events.c.id == event_participants.c.event_id)
                .join(agencies, agencies.c.code == events.c.agency_code)
                .where(event_participants.c.person_id.in_(part), events.c.is_current)
            ).all()
        event_ids = sorted({r.id for r in rows})
        others: dict[int, list[tuple[str, str]]] = defaultdict(list)
        objects: dict[int, list[str]] = defaultdict(list)
        for part in _chunks(event_ids):
            for eid, pid, role in self.conn.execute(
                select(
                    event_participants.c.event_id,
                    event_participants.c.person_id,
                    event_participants.c.role,
                ).where(event_participants.c.event_id.in_(part))
            ):
                others[eid].append((pid, role))
            for eid, otype, value in self.conn.execute(
                select(
                    event_objects.c.event_id, event_objects.c.object_type, event_objects.c.value
                ).where(event_objects.c.event_id.in_(part))
            ):
                objects[eid].append(f"{otype}:{value}")
        keys = set(details_keys)
        out: dict[str, list[EventView]] = defaultdict(list)
        for r in rows:
            on = r.occurred_at.date()
            raw = json.loads(r.details) if r.details else {}
            details = {k: str(raw[k]) for k in keys if isinstance(raw, dict) and k in raw}
            out[r.person_id].append(
                EventView(
                    event_id=r.id,
                    person_id=r.person_id,
                    event_type=r.event_type,
                    occurred_on=on,
                    agency_code=r.agency_code,
                    agency_kind=r.kind,
                    role=r.role,
                    age=_age(dob.get(r.person_id), on),
                    details=details,
                    others=tuple(sorted({p for p, _ in others[r.id] if p != r.person_id})),
                    objects=tuple(sorted(objects[r.id])),
                    postcode=r.postcode,
                )
            )
        return dict(out)

    def suspect_context(self, views: Iterable[EventView]) -> SuspectContext:
        """What these events' children need to know about suspects: which of the other people
        in their events are named as suspects on a current crime, which of their events'
        objects were seen in any event with such a suspect, and which of their events'
        postcodes are the scene (not home, not online) of a crime with a suspect."""
        views = list(views)
        others = sorted({o for v in views for o in v.others})
        pairs = sorted({tuple(o.split(":", 1)) for v in views for o in v.objects if ":" in o})
        postcodes = sorted({v.postcode for v in views if v.postcode})
        is_suspect = (
            select(event_participants.c.person_id)
            .join(events, events.c.id == event_participants.c.event_id)
            .where(
                events.c.is_current,
                events.c.event_type == "crime",
                event_participants.c.role == "suspect",
            )
        )
        suspects: set[str] = set()
        for part in _chunks(others):
            q = is_suspect.where(event_participants.c.person_id.in_(part))
            suspects |= {p for (p,) in self.conn.execute(q)}
        objs: set[str] = set()
        for part in _chunks([v for _, v in pairs]):
            q = (
                select(event_objects.c.object_type, event_objects.c.value)
                .join(event_participants, event_participants.c.event_id == event_objects.c.event_id)
                .join(events, events.c.id == event_objects.c.event_id)
                .where(
                    events.c.is_current,
                    event_objects.c.value.in_(part),
                    event_participants.c.person_id.in_(is_suspect.scalar_subquery()),
                )
            )
            objs |= {f"{t}:{v}" for t, v in self.conn.execute(q)}
        places: set[str] = set()
        for part in _chunks(postcodes):
            q = (
                select(events.c.postcode)
                .join(event_participants, event_participants.c.event_id == events.c.id)
                .where(
                    events.c.is_current,
                    events.c.event_type == "crime",
                    event_participants.c.role == "suspect",
                    events.c.postcode.in_(part),
                    events.c.place_type.is_not(None),
                    events.c.place_type.not_in(["home", "online"]),
                )
            )
            places |= {pc for (pc,) in self.conn.execute(q)}
        return SuspectContext(frozenset(suspects), frozenset(objs), frozenset(places))

    def home_las(self, person_ids: Collection[str]) -> dict[str, str]:
        """Each person's local authority: the LA most of their agency records belong to."""
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for part in _chunks(sorted(set(person_ids))):
            q = (
                select(source_records.c.person_id, agencies.c.la_code)
                .join(agencies, agencies.c.code == source_records.c.agency_code)
                .where(
                    source_records.c.person_id.in_(part),
                    source_records.c.is_current,
                    agencies.c.la_code.is_not(None),
                )
            )
            for pid, la in self.conn.execute(q):
                counts[pid][la] += 1
        return {p: min(c, key=lambda la: (-c[la], la)) for p, c in counts.items()}

    # --- alerts ---------------------------------------------------------------------------
    def latest_for(self, person_ids: Collection[str]) -> dict[str, Alert]:
        out: dict[str, Alert] = {}
        for part in _chunks(sorted(set(person_ids))):
            q = (
                select(risk_alerts)
                .where(risk_alerts.c.person_id.in_(part))
                .order_by(risk_alerts.c.id)
            )
            for r in self.conn.execute(q):
                out[r.person_id] = Alert(**r._mapping)
        return out

    def add(self, **values: Any) -> int:
        return int(
            self.conn.execute(insert(risk_alerts).returning(risk_alerts.c.id), values).scalar_one()
        )

    def set(self, alert_id: int, **values: Any) -> None:
        self.conn.execute(update(risk_alerts).where(risk_alerts.c.id == alert_id).values(**values))

    def _with_ref(self) -> Any:
        return select(risk_alerts, persons.c.child_ref).join(
            persons, persons.c.id == risk_alerts.c.person_id
        )

    def get(self, alert_id: int) -> Alert | None:
        row = self.conn.execute(self._with_ref().where(risk_alerts.c.id == alert_id)).first()
        return None if row is None else Alert(**row._mapping)

    def alerts(self, mash_code: str | None = None, statuses: Collection[str] = ()) -> list[Alert]:
        q = self._with_ref().order_by(risk_alerts.c.deadline_at, risk_alerts.c.id)
        if mash_code is not None:
            q = q.where(risk_alerts.c.mash_code == mash_code)
        if statuses:
            q = q.where(risk_alerts.c.status.in_(list(statuses)))
        return [Alert(**r._mapping) for r in self.conn.execute(q)]

    def alert_ids_about(self, person_id: str) -> list[int]:
        q = select(risk_alerts.c.id).where(risk_alerts.c.person_id == person_id)
        return [int(i) for i in self.conn.execute(q.order_by(risk_alerts.c.id)).scalars()]

    def assigned(self, user_name: str, person_id: str) -> bool:
        q = select(risk_alerts.c.id).where(
            risk_alerts.c.assigned_to == user_name, risk_alerts.c.person_id == person_id
        )
        return self.conn.execute(q.limit(1)).first() is not None

    def log(
        self, alert_id: int, at: datetime, action: str, by: str, detail: dict[str, Any]
    ) -> None:
        self.conn.execute(
            insert(risk_alert_history),
            {
                "alert_id": alert_id,
                "at": at,
                "action": action,
                "by": by,
                "detail": json.dumps(detail, sort_keys=True),
            },
        )

    def history(self, alert_id: int) -> list[AlertHistoryEntry]:
        q = select(risk_alert_history).where(risk_alert_history.c.alert_id == alert_id)
        q = q.order_by(risk_alert_history.c.id)
        return [AlertHistoryEntry(**r._mapping) for r in self.conn.execute(q)]

    def people_in_events(self, event_ids: Collection[int]) -> list[str]:
        sql = "SELECT person_id FROM event_participants WHERE event_id {values}"
        return sorted({p for (p,) in select_in(self.conn, sql, (), sorted(set(event_ids)))})

    def adults_among(self, person_ids: Collection[str], on: date) -> frozenset[str]:
        """Those 18 or over on ``on`` by date of birth. Where agencies disagree the latest dob
        counts: a person is an adult only if every current record makes them one, so one
        agency's typo can never take a child out of scoring."""
        dob: dict[str, date] = {}
        for part in _chunks(sorted(set(person_ids))):
            q = select(source_records.c.person_id, source_records.c.dob).where(
                source_records.c.person_id.in_(part),
                source_records.c.is_current,
                source_records.c.dob.is_not(None),
            )
            for pid, d in self.conn.execute(q):
                dob[pid] = max(d, dob.get(pid, d))
        return frozenset(p for p, d in dob.items() if (_age(d, on) or 0) >= ADULT_AGE)

    def people_with_events(self) -> list[str]:
        q = (
            select(event_participants.c.person_id)
            .join(events, events.c.id == event_participants.c.event_id)
            .where(events.c.is_current)
            .distinct()
        )
        return sorted(p for (p,) in self.conn.execute(q))
