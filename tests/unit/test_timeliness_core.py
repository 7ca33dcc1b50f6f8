"""Timeliness and referral outcomes without a store: compliance verdicts from recording to
receipt, receipts by partner kind, duties that need details values, the referral lifecycle and
court outcomes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from safeguard.crime.lifecycle import ReferralUpdateError, latest_court_outcomes, load_lifecycle
from safeguard.domain.codes import load_code_lists
from safeguard.domain.obligations import load_obligations
from safeguard.sharing.compliance import LATE, NOT_SHARED, ON_TIME, UNKNOWN, compliance, timeliness
from safeguard.sharing.receipts import partner_receipts

CODES = load_code_lists()
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def share(event: str, recorded: str | None, to: str = "CSC-E08000018") -> SimpleNamespace:
    return SimpleNamespace(
        from_agency="POLICE-E23000011",
        obligation_id="police-csc-child-sexual-offence",
        status="made",
        to_agency=to,
        event_local_id=event,
        recorded_at=at(recorded) if recorded else None,
    )


def receipt(agency: str, when: str, event: str) -> SimpleNamespace:
    details = {"source_agency": "POLICE-E23000011", "source_event": event}
    return SimpleNamespace(agency_code=agency, occurred_at=at(when), details=json.dumps(details))


RECEIPTS = partner_receipts(
    [
        receipt("CSC-E08000018", "2024-03-01T18:00:00", "C1"),
        receipt("CSC-E08000018", "2024-03-01T16:00:00", "C1"),  # the earliest counts
        receipt("CSC-E08000035", "2024-03-09T09:00:00", "C2"),  # another authority's receipt
        SimpleNamespace(agency_code="CSC-E08000018", occurred_at=at("2024-03-01"), details="{"),
    ]
)


def test_each_verdict_and_its_delay() -> None:
    assert timeliness(share("C1", "2024-03-01T12:00:00"), RECEIPTS, 24, NOW) == (ON_TIME, 4.0)
    verdict, delay = timeliness(share("C2", "2024-03-06T09:00:00"), RECEIPTS, 24, NOW)
    assert (verdict, delay) == (LATE, 72.0)
    assert timeliness(share("C3", "2024-03-06T09:00:00"), RECEIPTS, 24, NOW)[0] == NOT_SHARED
    # not yet due, no recording time, or a partner that records no receipts: unknown
    assert timeliness(share("C3", "2024-12-31T12:00:00"), RECEIPTS, 24, NOW)[0] == UNKNOWN
    assert timeliness(share("C1", None), RECEIPTS, 24, NOW)[0] == UNKNOWN
    silent = share("C3", "2024-03-06T09:00:00", to="CSC-E06000020")
    assert timeliness(silent, RECEIPTS, 24, NOW)[0] == UNKNOWN


def test_the_report_row() -> None:
    shares = [share("C1", "2024-03-01T12:00:00"), share("C2", "2024-03-06T09:00:00"),
              share("C3", "2024-03-06T09:00:00"), share("C4", None),
              SimpleNamespace(**{**vars(share("C5", None)), "status": "never_made"})]  # fmt: skip
    [row] = compliance(shares, RECEIPTS, {"police-csc-child-sexual-offence": 24}, NOW)
    assert (row.due, row.on_time, row.late, row.not_shared, row.timing_unknown) == (5, 1, 1, 1, 1)
    assert row.never_made == 1 and row.median_delay_hours == 38.0
    assert row.on_time_rate == pytest.approx(1 / 3)


def test_duties_that_need_details_values() -> None:
    duties = load_obligations(CODES).by_id()
    ae = duties["health-csc-ae-self-harm"]
    assert ae.matches_event("health", "ae_attendance", None, [], {"reason": "self_harm"})
    assert not ae.matches_event("health", "ae_attendance", None, [], {"reason": "injury"})
    assert not ae.matches_event("health", "ae_attendance", None, [])
    lic = duties["licensing-police-adverse-decision"]
    assert lic.matches_event("licensing", "licensing_decision", None, [], {"decision": "revoked"})
    assert not lic.matches_event(
        "licensing", "licensing_decision", None, [], {"decision": "granted"}
    )
    assert all("20" in d.reason for d in duties.values())  # every duty names a dated source


def test_a_when_details_that_is_not_a_mapping_of_lists_is_refused() -> None:
    text = """obligations:
  - id: x-rule
    from: health
    event_types: [ae_attendance]
    roles: [subject]
    when_details: {reason: self_harm}
    partner: csc
    within_hours: 24
    reason: because
"""
    with pytest.raises(ValueError, match="'when_details' must map a details key to a list"):
        load_obligations(CODES, text)


def test_the_lifecycle() -> None:
    life = load_lifecycle()
    life.check("received", "under_consideration", "")
    life.check("under_consideration", "no_action", "insufficient evidence")
    with pytest.raises(ReferralUpdateError, match="not a referral status"):
        life.check("received", "deported", "")
    with pytest.raises(ReferralUpdateError, match="nothing: the referral is closed"):
        life.check("closed", "received", "")
    with pytest.raises(ReferralUpdateError, match="say in the note"):
        life.check("under_consideration", "action_taken", " ")


def test_the_latest_court_outcome_per_crime_and_defendant() -> None:
    def row(eid: int, day: str, crime: str, suspect: str, outcome: str) -> dict[str, object]:
        return {"event_id": eid, "agency_code": "POLICE-E23000011", "occurred_at": at(day),
                "details": json.dumps({"crime": crime, "outcome": outcome}),
                "record_local_id": suspect}  # fmt: skip

    found = latest_court_outcomes(
        [
            row(2, "2024-09-01", "CR1", "S1", "convicted"),
            row(1, "2024-06-01", "CR1", "S1", "charged"),
            row(3, "2024-06-01", "CR1", "S2", "charged"),
            row(4, "2024-07-01", "CR1", "S2", "guilty"),  # not a court outcome code: ignored
        ]
    )
    assert found == {
        ("POLICE-E23000011", "CR1", "S1"): "convicted",
        ("POLICE-E23000011", "CR1", "S2"): "charged",
    }
