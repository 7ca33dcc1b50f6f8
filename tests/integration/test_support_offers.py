"""Support offers (issue 17): made due by a child's CSAE crime, a return from a missing episode
and an alert decided as exploitation; worked from agency feeds and by practitioners; escalated
when not made by the deadline. SQLite and PostgreSQL, the same bodies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from safeguard.ingest.errors import SubmissionRejected
from safeguard.store.tables import audit_log
from safeguard.support.service import SupportError, SupportForbidden
from tests.risk_samples import Env, make_env, raise_alert
from tests.samples import CRIME, CSC, MASH, OTHER_CSC, POLICE, TWO_CHILDREN, events_csv


@pytest.fixture
def env(store_url: str) -> Iterator[Env]:
    yield from make_env(store_url)


def offers(env: Env) -> dict[tuple[str, str], object]:
    with env.platform.uow() as uow:
        rows = uow.support.offers()
        ids = {r.person_id: r for r in rows}
        refs = {p: uow.persons.get(p).child_ref for p in ids}  # type: ignore[union-attr]
        local = {uow.records.history(POLICE, lid)[0].person_id: lid for lid in ("P1", "P2", "A1")}
    assert refs
    return {(local[r.person_id], r.service): r for r in rows}


def support_event(local_id: str, kind: str, day: str, **details: str) -> bytes:
    return events_csv(
        {
            "local_id": local_id,
            "event_type": kind,
            "occurred_at": day,
            "participants": "subject:P1",
            "details": json.dumps(details),
        }
    )


def test_a_child_victim_and_a_returned_child_are_owed_offers_with_deadlines(env: Env) -> None:
    env.submit(TWO_CHILDREN, POLICE)
    env.submit(CRIME, POLICE)  # C1: CSE crime against P1 (a child); C2: P2 missing, returned
    found = offers(env)
    assert set(found) == {("P1", "isva"), ("P1", "camhs"), ("P1", "mhst"),
                          ("P2", "return_interview")}  # fmt: skip
    isva = found[("P1", "isva")]
    assert isva.responsible_agency == POLICE and isva.status == "due"  # type: ignore[attr-defined]
    assert isva.la_code == "E08000018"  # type: ignore[attr-defined]
    due = isva.due_at.replace(tzinfo=None)  # type: ignore[attr-defined]
    assert due == datetime(2024, 4, 3, 21, 30)  # 48 hours after the crime
    ri = found[("P2", "return_interview")]
    assert ri.responsible_agency.startswith("CSC-")  # type: ignore[attr-defined]
    assert ri.due_at.replace(tzinfo=None) == datetime(2024, 3, 5)  # type: ignore[attr-defined]
    # a second crime against the same child: no second ISVA while the first offer is live
    again = CRIME.replace(b"C1,", b"C3,").replace(b"C2,", b"C4,")
    env.submit(again, POLICE)
    services = [s for (who, s) in offers(env) if who == "P1"]
    assert sorted(services) == ["camhs", "isva", "mhst"]
    # ...but each return from a missing episode needs its own return interview
    assert len([1 for r in _all(env) if r.service == "return_interview"]) == 2


def _all(env: Env) -> list:  # type: ignore[type-arg]
    with env.platform.uow() as uow:
        return uow.support.offers()


def test_feed_support_events_record_what_became_of_the_offer(env: Env) -> None:
    env.submit(TWO_CHILDREN, POLICE)
    env.submit(CRIME, POLICE)
    env.submit(
        support_event("S1", "support_offered", "2024-04-02T10:00:00", service="isva"), POLICE
    )
    env.submit(support_event("S2", "support_accepted", "2024-04-04", service="isva"), POLICE)
    isva = offers(env)[("P1", "isva")]
    assert isva.status == "accepted"  # type: ignore[attr-defined]
    first = isva.first_contact_at.replace(tzinfo=None)  # type: ignore[attr-defined]
    assert first == datetime(2024, 4, 2, 10, 0)
    with pytest.raises(SubmissionRejected) as err:
        env.submit(support_event("S3", "support_declined", "2024-04-05", service="isva"), POLICE)
    assert err.value.errors[0].field == "details"
    assert "support_declined needs details.reason" in err.value.errors[0].message
    with pytest.raises(SubmissionRejected) as err:
        env.submit(support_event("S4", "support_offered", "2024-04-05", service="yoga"), POLICE)
    assert "needs details.service, one of isva, camhs" in err.value.errors[0].message
    with pytest.raises(SubmissionRejected):  # no details at all: the quick path must not pass it
        env.submit(support_event("S5", "support_started", "2024-04-05"), POLICE)
    env.submit(
        support_event("S6", "support_declined", "2024-04-05", service="mhst", reason="family"),
        POLICE,
    )
    mhst = offers(env)[("P1", "mhst")]
    assert mhst.status == "declined" and mhst.decline_reason == "family"  # type: ignore[attr-defined]


def test_an_offer_not_made_in_time_escalates_to_the_agency_manager(env: Env) -> None:
    env.submit(TWO_CHILDREN, POLICE)
    env.submit(CRIME, POLICE)
    env.clock.now = datetime(2024, 4, 10, 9, 0, tzinfo=UTC)
    escalated = env.platform.support.escalate_overdue()
    found = offers(env)
    assert sorted(escalated) == sorted(
        [found[("P1", "isva")].id, found[("P2", "return_interview")].id]  # type: ignore[attr-defined]
    )
    ri = found[("P2", "return_interview")]
    assert ri.status == "escalated"  # type: ignore[attr-defined]
    assert ri.escalated_to == f"manager, {ri.responsible_agency}"  # type: ignore[attr-defined]
    assert found[("P1", "camhs")].status == "due"  # type: ignore[attr-defined]  # due 29 April
    assert env.platform.support.escalate_overdue() == []  # once only


def test_practitioners_record_outcomes_for_their_own_offers_only(env: Env) -> None:
    env.submit(TWO_CHILDREN, POLICE)
    env.submit(CRIME, POLICE)
    isva = offers(env)[("P1", "isva")]
    officer = env.user("officer", POLICE, "practitioner")
    row = env.platform.support.record(officer, isva.id, "offered")  # type: ignore[attr-defined]
    assert row.status == "offered" and row.first_contact_at is not None
    outsider = env.user("leeds", OTHER_CSC, "practitioner")
    with pytest.raises(SupportForbidden):
        env.platform.support.record(outsider, isva.id, "accepted")  # type: ignore[attr-defined]
    hub = env.user("hub", MASH, "mash")
    with pytest.raises(SupportError, match="needs the reason"):
        env.platform.support.record(hub, isva.id, "declined", "")  # type: ignore[attr-defined]
    assert [r.id for r in env.platform.support.offers(hub)] != []
    csc = env.user("csc", CSC, "practitioner")
    assert {r.service for r in env.platform.support.offers(csc)} == {"return_interview"}
    with env.platform.uow() as uow:
        outcomes = [
            (r.user_name, r.outcome)
            for r in uow.connection.execute(
                select(audit_log).where(audit_log.c.action == "support.record")
            )
        ]
    assert ("officer", "written") in outcomes and ("leeds", "denied") in outcomes


@pytest.mark.parametrize(("outcome", "owed"), [("section_47", True), ("no_further_action", False)])
def test_an_alert_decided_as_exploitation_makes_support_due(
    env: Env, outcome: str, owed: bool
) -> None:
    alert_id = raise_alert(env)
    hub = env.user("hub2")
    env.platform.risk.decide(hub, alert_id, outcome, "strategy meeting held with partners")
    with env.platform.uow() as uow:
        rows = [r for r in uow.support.offers() if r.trigger == f"alert:{alert_id}"]
    assert sorted(r.service for r in rows) == (["camhs", "mhst"] if owed else [])
    assert all(r.situation == "exploitation_confirmed" for r in rows)


def test_a_child_no_record_places_still_gets_an_offer_unplaced(env: Env) -> None:
    # A police record without a postcode (the force covers several authorities), missing and
    # found far outside the force's area: no hub can be named yet, but the offer is still made,
    # by the police who know the child, and reported under "unknown" until linking places her.
    from safeguard.support.intake import AREA_NOT_KNOWN
    from tests.samples import persons_csv

    env.submit(persons_csv({"local_id": "P9", "postcode": "", "dob": "2011-05-05"}), POLICE)
    env.submit(
        events_csv(
            {
                "local_id": "M9",
                "event_type": "missing_episode",
                "occurred_at": "2024-04-01T20:00:00",
                "participants": "subject:P9",
                "postcode": "M1 1AA",  # Manchester: not this force's area
                "details": json.dumps({"duration_hours": 12}),
            }
        ),
        POLICE,
    )
    with env.platform.uow() as uow:
        person = uow.records.history(POLICE, "P9")[0].person_id
        mine = [o for o in uow.support.offers() if o.person_id == person]
    assert [(o.service, o.la_code, o.responsible_agency) for o in mine] == [
        ("return_interview", AREA_NOT_KNOWN, POLICE)
    ]
    rows = {r.la_code: r for r in env.platform.support.report(protected=False)}
    assert rows[AREA_NOT_KNOWN].offers_due == 1
