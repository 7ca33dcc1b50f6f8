"""Compliance runs from the agency's recording of an event to the partner's receipt, both taken
from the feeds, never from load time; a partner that records receipts and holds none for a
shared event shows the agency did not share — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from safeguard.domain.actors import Account
from safeguard.ingest.errors import SubmissionRejected
from tests.conftest import Clocked
from tests.samples import CSC, POLICE, TWO_CHILDREN, events_csv, persons_csv

POLICE_SYSTEM = Account("police-rms", "agency_system", POLICE)
CSC_SYSTEM = Account("csc-case", "agency_system", CSC)


def crime(local_id: str, occurred: str, recorded: str, victim: str = "P1") -> dict[str, str]:
    return {
        "local_id": local_id,
        "event_type": "crime",
        "occurred_at": occurred,
        "recorded_at": recorded,
        "participants": f"victim:{victim}",
        "offence_code": "71",
    }


def receipt(local_id: str, at: str, source_event: str) -> dict[str, str]:
    details = {"source": "police", "source_agency": POLICE, "source_event": source_event}
    return {
        "local_id": local_id,
        "event_type": "referral",
        "occurred_at": at,
        "participants": "subject:K1",
        "details": json.dumps(details),
    }


def test_recording_to_receipt_on_time_late_and_not_shared(clocked: Clocked) -> None:
    plat = clocked.platform
    # Everything is loaded a year later: a back-fill. Only the feeds' own times count.
    clocked.clock.now = datetime(2025, 6, 1, tzinfo=UTC)
    plat.ingest.submit(TWO_CHILDREN, "p.csv", POLICE, POLICE_SYSTEM)
    police = events_csv(
        crime("C1", "2024-03-01T10:00:00", "2024-03-01T12:00:00"),  # received 6 hours later
        crime("C2", "2024-03-05T10:00:00", "2024-03-06T09:00:00"),  # received 3 days later
        crime("C3", "2024-03-09T10:00:00", "2024-03-09T11:00:00"),  # never received
        {**crime("C4", "2024-03-10T10:00:00", ""), "recorded_at": ""},  # no recording time
    )
    plat.ingest.submit(police, "e.csv", POLICE, POLICE_SYSTEM)
    plat.ingest.submit(persons_csv({"local_id": "K1"}), "k.csv", CSC, CSC_SYSTEM)
    receipts = events_csv(
        receipt("R1", "2024-03-01T18:00:00", "C1"),
        receipt("R2", "2024-03-09T09:00:00", "C2"),
        receipt("R4", "2024-03-10T12:00:00", "C4"),
    )
    plat.ingest.submit(receipts, "r.csv", CSC, CSC_SYSTEM)
    row = {r.obligation: r for r in plat.sharing.report()}["police-csc-child-sexual-offence"]
    assert (row.due, row.on_time, row.late, row.not_shared, row.timing_unknown) == (4, 1, 1, 1, 1)
    assert row.median_delay_hours == pytest.approx((6 + 72) / 2)


def test_a_partner_that_records_no_receipts_leaves_the_timing_unknown(clocked: Clocked) -> None:
    plat = clocked.platform
    clocked.clock.now = datetime(2025, 6, 1, tzinfo=UTC)
    plat.ingest.submit(TWO_CHILDREN, "p.csv", POLICE, POLICE_SYSTEM)
    police = events_csv(crime("C1", "2024-03-01T10:00:00", "2024-03-01T12:00:00"))
    plat.ingest.submit(police, "e.csv", POLICE, POLICE_SYSTEM)
    row = {r.obligation: r for r in plat.sharing.report()}["police-csc-child-sexual-offence"]
    assert (row.due, row.not_shared, row.timing_unknown) == (1, 0, 1)


def test_a_recording_time_before_the_event_is_refused(clocked: Clocked) -> None:
    plat = clocked.platform
    plat.ingest.submit(TWO_CHILDREN, "p.csv", POLICE, POLICE_SYSTEM)
    bad = events_csv(crime("C1", "2024-03-01T10:00:00", "2024-02-28T10:00:00"))
    with pytest.raises(SubmissionRejected) as caught:
        plat.ingest.submit(bad, "e.csv", POLICE, POLICE_SYSTEM)
    text = " ".join(e.sentence() for e in caught.value.errors)
    assert "recorded_at" in text and "before occurred_at" in text
    assert plat.sharing.report() == []
