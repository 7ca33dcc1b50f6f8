"""The after-write list in bootstrap: what acts on each write, and a failing handler undoing it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from safeguard.bootstrap import Platform
from safeguard.domain.actors import Account
from safeguard.domain.messages import (
    AlertDecided,
    EventsWritten,
    NoticesRaised,
    PersonsAdded,
    PersonsChanged,
)
from safeguard.store.tables import events, submissions
from tests.samples import POLICE, TWO_CHILDREN, events_csv

SYSTEM = Account("police-rms", "agency_system", POLICE)


def test_every_service_publishes_on_the_one_bus_bootstrap_wired(platform: Platform) -> None:
    bus = platform.ingest.bus
    assert platform.identity.bus is bus and platform.risk.bus is bus
    assert platform.licensing.bus is bus
    assert [len(bus.handlers(k)) for k in (EventsWritten, AlertDecided, PersonsAdded)] == [3, 1, 1]
    assert len(bus.handlers(PersonsChanged)) == len(bus.handlers(NoticesRaised)) == 1


def test_a_persons_submission_tells_identity_after_it_commits(platform: Platform) -> None:
    told: list[PersonsAdded] = []
    platform.ingest.bus.subscribe(PersonsAdded, told.append)
    platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)
    platform.ingest.submit(TWO_CHILDREN, "again.csv", POLICE, SYSTEM)  # the same bytes: nothing new
    assert [(m.agency, sorted(m.local_ids)) for m in told] == [(POLICE, ["A1", "P1", "P2"])]


def test_a_failing_after_write_handler_leaves_nothing_of_the_submission(
    platform: Platform,
) -> None:
    platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)

    def fails(_m: EventsWritten) -> None:
        raise RuntimeError("a share could not be recorded")

    platform.ingest.bus.subscribe(EventsWritten, fails)
    with pytest.raises(RuntimeError, match="share could not be recorded"):
        platform.ingest.submit(events_csv({"participants": "subject:P1"}), "e.csv", POLICE, SYSTEM)
    with platform.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(submissions)).scalar_one() == 1
