"""Lists that grow with the store go to the database in pieces: a re-link of a 1,000,000-
children store once asked SQLite which of 681,903 persons still held records in one IN, past
the driver's limit on parameters (32,766 on SQLite, 65,535 on PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from safeguard.bootstrap import Platform
from safeguard.domain.actors import Account
from safeguard.store.bulk import member_of
from safeguard.store.tables import persons
from tests.samples import POLICE, TWO_CHILDREN

SYSTEM = Account("police-rms", "agency_system", POLICE)


def test_membership_of_more_values_than_any_driver_takes_at_once(platform: Platform) -> None:
    platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)
    with platform.engine.connect() as conn:
        stored = sorted(pid for (pid,) in conn.execute(select(persons.c.id)))
        asked = [f"absent-{i}" for i in range(70_000)] + stored
        found = {
            pid
            for where in member_of(conn, persons.c.id, asked)
            for (pid,) in conn.execute(select(persons.c.id).where(where))
        }
    assert found == set(stored)
    assert list(member_of(conn, persons.c.id, [])) == []
