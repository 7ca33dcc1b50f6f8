"""Reads and writes for research: projects, checked outputs, and the rows an extract starts from.

The extract reads are plain column streams (no ORM objects): an extract of a million children
must not build a million Python objects per row before pandas takes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from safeguard.store.tables import (
    event_participants,
    events,
    persons,
    research_outputs,
    research_projects,
    source_records,
)

#: Columns of a child read for an extract (one current record per person).
CHILD_COLUMNS = (
    "person_key",
    "dob",
    "sex",
    "postcode",
    "ethnicity",
    "nationality",
    "immigration_status",
)
#: Columns of an event read for an extract (one row per event and child taking part in it).
EVENT_COLUMNS = (
    "person_key",
    "event_id",
    "event_type",
    "occurred_at",
    "event_postcode",
    "offence_code",
    "role",
)


class ResearchRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- projects ---------------------------------------------------------------------------

    def add_project(self, row: dict[str, Any]) -> int:
        result = self.conn.execute(insert(research_projects).values(**row))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def project(self, project_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            select(research_projects).where(research_projects.c.id == project_id)
        ).first()
        return dict(row._mapping) if row else None

    def projects(self) -> list[dict[str, Any]]:
        query = select(research_projects).order_by(research_projects.c.id)
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def decide_project(self, project_id: int, values: dict[str, Any]) -> None:
        self.conn.execute(
            update(research_projects).where(research_projects.c.id == project_id).values(**values)
        )

    # -- outputs ----------------------------------------------------------------------------

    def add_output(self, row: dict[str, Any]) -> int:
        result = self.conn.execute(insert(research_outputs).values(**row))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def output(self, output_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            select(research_outputs).where(research_outputs.c.id == output_id)
        ).first()
        return dict(row._mapping) if row else None

    def outputs(
        self, *, project_id: int | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        query = select(research_outputs).order_by(research_outputs.c.id)
        if project_id is not None:
            query = query.where(research_outputs.c.project_id == project_id)
        if status is not None:
            query = query.where(research_outputs.c.status == status)
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def decide_output(self, output_id: int, values: dict[str, Any]) -> None:
        self.conn.execute(
            update(research_outputs).where(research_outputs.c.id == output_id).values(**values)
        )

    # -- extract reads ----------------------------------------------------------------------

    def children(self, batch: int = 50_000) -> Iterator[list[tuple[Any, ...]]]:
        """Each person's earliest current record, as ``CHILD_COLUMNS`` tuples in batches.

        A person is keyed by the stable child reference when identity resolution gave one,
        so the same child keeps one key (and one pseudonym) across extracts.
        """
        r = source_records
        first = (
            select(func.min(r.c.id).label("rid"))
            .where(r.c.is_current.is_(True))
            .group_by(r.c.person_id)
            .subquery()
        )
        query = (
            select(
                func.coalesce(persons.c.child_ref, persons.c.id),
                r.c.dob,
                r.c.sex,
                r.c.postcode,
                r.c.ethnicity,
                r.c.nationality,
                r.c.immigration_status,
            )
            .select_from(r)
            .join(first, first.c.rid == r.c.id)
            .join(persons, persons.c.id == r.c.person_id)
        )
        result = self.conn.execution_options(yield_per=batch).execute(query)
        for part in result.partitions(batch):
            yield [tuple(row) for row in part]

    def event_rows(
        self, event_types: tuple[str, ...] | None = None, batch: int = 50_000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Current events with each person taking part, as ``EVENT_COLUMNS`` tuples."""
        e, p = events, event_participants
        query = (
            select(
                func.coalesce(persons.c.child_ref, persons.c.id),
                e.c.id,
                e.c.event_type,
                e.c.occurred_at,
                e.c.postcode,
                e.c.offence_code,
                p.c.role,
            )
            .select_from(e)
            .join(p, p.c.event_id == e.c.id)
            .join(persons, persons.c.id == p.c.person_id)
            .where(and_(e.c.is_current.is_(True)))
        )
        if event_types:
            query = query.where(e.c.event_type.in_(event_types))
        result = self.conn.execution_options(yield_per=batch).execute(query)
        for part in result.partitions(batch):
            yield [tuple(row) for row in part]
