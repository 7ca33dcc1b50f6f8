"""Alert lifecycle on SQLite and PostgreSQL: raised at ingest across agencies, assigned,
decided by a deadline, escalated when not, reopened by new indicators; protected fields
change nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from safeguard.risk.service import AlertError, AlertForbidden
from tests.risk_samples import (
    HEALTH,
    MASH,
    POLICE,
    Env,
    clinic,
    events_csv,
    make_env,
    persons_csv,
    raise_alert,
)


@pytest.fixture
def env(store_url: str) -> Iterator[Env]:
    yield from make_env(store_url)


def test_alert_raised_across_agencies_with_explanation(env: Env) -> None:
    aid = raise_alert(env)
    alert, history = env.platform.risk.alert(env.user("hub2"), aid)
    assert alert.mash_code == MASH and alert.status == "raised"
    assert "repeated_missing" in alert.explanation and "sexual_health_under16" in alert.explanation
    assert "police" in alert.explanation and "health" in alert.explanation
    kinds = {k for e in json.loads(alert.evidence) for k in e["agency_kinds"]}
    assert kinds == {"police", "health"}
    assert [h.action for h in history] == ["raised"]


def test_lifecycle_deadline_escalation_and_reopening(env: Env) -> None:
    aid = raise_alert(env)
    risk = env.platform.risk
    lead = env.user("lead")
    worker = env.user("worker")
    outsider = env.user("leeds", "MASH-E08000035")
    with pytest.raises(AlertForbidden):
        risk.assign(outsider, aid, "worker")
    assert not risk.assigned("worker", risk.alerts(lead)[0].person_id)
    assigned = risk.assign(lead, aid, "worker")
    assert assigned.status == "assigned" and risk.assigned("worker", assigned.person_id)
    assert risk.escalate_overdue() == []
    env.clock.now += timedelta(hours=25)
    assert risk.escalate_overdue() == [aid]
    assert risk.escalate_overdue() == []  # once only
    with pytest.raises(AlertError, match="reason"):
        risk.decide(worker, aid, "section_47", "")
    with pytest.raises(AlertError, match="not one of"):
        risk.decide(worker, aid, "ignore", "because it is fine really")
    decided = risk.decide(worker, aid, "strategy_discussion", "Strategy meeting with police today")
    assert decided.status == "decided" and decided.outcome == "strategy_discussion"
    with pytest.raises(AlertError, match="already decided"):
        risk.decide(worker, aid, "section_47", "Second thoughts on the case")
    # the same evidence again changes nothing; a new indicator reopens the decided alert
    env.submit(clinic("HE1", "2024-03-25"), HEALTH, "again.csv")
    assert risk.alerts(lead)[0].status == "decided"
    env.submit(clinic("HE2", "2024-04-01", "pregnancy"), HEALTH)
    env.submit(
        events_csv(
            {
                "local_id": "HE3",
                "event_type": "ae_attendance",
                "occurred_at": "2024-04-01",
                "participants": "subject:H1",
                "details": json.dumps({"reason": "intoxication"}),
            },
            {
                "local_id": "HE4",
                "event_type": "ae_attendance",
                "occurred_at": "2024-04-02",
                "participants": "subject:H1",
                "details": json.dumps({"reason": "injury"}),
            },
        ),
        HEALTH,
    )
    alert, history = risk.alert(lead, aid)
    assert alert.status == "reopened" and alert.reopened >= 1 and alert.escalated_at is None
    assert "ae_intoxication_injury" in alert.explanation
    actions = [h.action for h in history]
    assert actions[:4] == ["raised", "assigned", "escalated", "decided"] and "reopened" in actions
    late = json.loads(history[3].detail)["late"]
    assert late is True


def test_protected_fields_change_nothing(env: Env) -> None:
    aid = raise_alert(env)
    before, _ = env.platform.risk.alert(env.user("a"), aid)
    env.submit(
        persons_csv(
            {"local_id": "P1", "ethnicity": "A2", "nationality": "PAK", "immigration_status": "NS"}
        ),
        POLICE,
        "changed.csv",
    )
    env.submit(
        persons_csv({"local_id": "H1", "ethnicity": "4", "nationality": "PAK"}), HEALTH, "h2.csv"
    )
    with env.platform.uow() as uow:
        result = env.platform.risk.evaluate(uow, [before.person_id])
    assert (result.raised, result.reopened, result.updated) == (0, 0, 0)
    after, _ = env.platform.risk.alert(env.user("b"), aid)
    assert (after.score, after.explanation, after.evidence) == (
        before.score,
        before.explanation,
        before.evidence,
    )


def test_batch_run_finds_the_same_alert(env: Env) -> None:
    aid = raise_alert(env)
    assert env.platform.risk.run().raised == 0
    assert [a.id for a in env.platform.risk.alerts(env.user("c"))] == [aid]


def test_report_counts_on_time_late_never_decided_and_reopened(env: Env) -> None:
    aid = raise_alert(env)
    risk = env.platform.risk
    [row] = risk.report()
    assert (row.la_code, row.raised, row.open_in_time, row.never_decided) == ("E08000018", 1, 1, 0)
    env.clock.now += timedelta(hours=30)
    [row] = risk.report()
    assert (row.open_in_time, row.never_decided) == (0, 1)
    risk.decide(env.user("w"), aid, "section_47", "Threshold met for a section 47 enquiry")
    [row] = risk.report("E08000018")
    assert (row.late, row.on_time, row.never_decided) == (1, 0, 0)
    assert row.outcomes == {"section_47": 1}
    assert row.as_dict()["by_month"] == {"2024-04": {"raised": 1, "late": 1}}
    assert risk.report("E09000001") == []
    from safeguard.risk.report import chart_svg

    svg = chart_svg(row)
    assert svg.startswith("<svg") and "2024-04: 1 late" in svg


def test_suspects_their_vehicles_and_places_come_from_the_store(env: Env) -> None:
    from safeguard.risk import detect
    from tests.samples import CRIME, TWO_CHILDREN

    env.submit(TWO_CHILDREN, POLICE)
    env.submit(CRIME, POLICE)
    env.submit(
        events_csv(
            {"local_id": "F1", "event_type": "found_in_vehicle", "occurred_at": "2024-04-02",
             "participants": "subject:P2", "objects": "vehicle:AB12CDE", "postcode": "S65 2BB"},
            {"local_id": "F2", "occurred_at": "2024-04-03", "postcode": "S60 1AA",
             "participants": "subject:P2;associate:A1"},
        ),
        POLICE,
    )  # fmt: skip
    risk = env.platform.risk
    with env.platform.uow() as uow:
        pid = uow.records.person_ids_for_local_ids(POLICE, ["P2"])["P2"]
        views = uow.risk.event_views([pid], risk.keys)[pid]
        ctx = uow.risk.suspect_context(views)
    assert ctx.objects == {"vehicle:AB12CDE"} and ctx.postcodes == {"S60 1AA"}
    found = {o.indicator for o in detect(risk.rules.indicators, views, ctx)}
    assert {"associates_with_suspect", "suspect_vehicle_or_place", "found_in_vehicle"} <= found


def test_an_assigned_alert_is_a_need_to_know_relationship(env: Env) -> None:
    aid = raise_alert(env)
    lead, worker = env.user("lead"), env.user("worker")
    gate = env.platform.people.need_to_know
    pid = env.platform.risk.alerts(lead)[0].person_id
    with env.platform.uow() as uow:
        assert not gate.relationships(uow, worker, pid).alert_assigned
    env.platform.risk.assign(lead, aid, "worker")
    with env.platform.uow() as uow:
        assert gate.relationships(uow, worker, pid).alert_assigned
        assert not gate.relationships(uow, lead, pid).alert_assigned
