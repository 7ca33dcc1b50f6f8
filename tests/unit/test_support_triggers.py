"""The pure support rules: who is a child on the day, which situations an event makes, which
offers are planned (once, or each time), what an action does to an offer, and classify."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from safeguard.domain.records import EventRecord, Participant
from safeguard.support.pathways import load_pathways
from safeguard.support.report import classify
from safeguard.support.triggers import Situation, after, from_event, is_child, plan_offers

P = load_pathways()
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_a_child_is_under_18_on_the_day() -> None:
    assert is_child(date(2007, 3, 2), date(2025, 3, 1))  # 17, a day before 18
    assert not is_child(date(2007, 3, 1), date(2025, 3, 1))  # 18 today
    assert not is_child(None, date(2025, 3, 1))


def crime(typology: list[str]) -> EventRecord:
    people = (Participant("victim", "V"), Participant("suspect", "S"), Participant("victim", "A"))
    return EventRecord("POLICE-X", "C1", "crime", T0, people, offence_code="71",
                       details={"typology": typology})  # fmt: skip


def test_a_csae_crime_makes_child_victims_situations_only() -> None:
    who = {"V": "child", "S": "adult", "A": "adult-victim"}
    dobs = {"child": date(2012, 1, 1), "adult": date(1980, 1, 1), "adult-victim": date(2000, 1, 1)}
    found = from_event(1, crime(["trafficking"]), who, dobs, True, P)
    assert [(s.person_id, s.situation) for s in found] == [
        ("child", "csae_victim"), ("child", "trafficking_victim")
    ]  # fmt: skip
    assert from_event(1, crime([]), who, dobs, False, P) == []  # not CSAE: nothing


def test_a_missing_episode_ends_when_the_child_returns() -> None:
    event = EventRecord("POLICE-X", "M1", "missing_episode", T0, (Participant("subject", "V"),),
                        details={"duration_hours": 30})  # fmt: skip
    [s] = from_event(1, event, {"V": "c"}, {"c": date(2012, 1, 1)}, False, P)
    assert s.identified_at == T0 + timedelta(hours=30)
    [(_, service, due)] = plan_offers([s], [], P)
    assert service == "return_interview" and due == s.identified_at + timedelta(hours=72)


def test_once_services_are_not_offered_again_while_live_but_interviews_are() -> None:
    a = Situation("c", "csae_victim", "event:P/C1", T0)
    b = Situation("c", "csae_victim", "event:P/C2", T0 + timedelta(days=3))
    assert sorted(s for _, s, _ in plan_offers([a, b], [], P)) == ["camhs", "isva", "mhst"]
    done = SimpleNamespace(person_id="c", service="isva", trigger="event:P/C1", status="closed")
    again = [s for _, s, _ in plan_offers([b], [done], P)]
    assert "isva" in again  # the earlier ISVA is closed: a new crime makes it due again
    m1 = Situation("c", "missing_returned", "event:P/M1", T0)
    m2 = Situation("c", "missing_returned", "event:P/M2", T0)
    assert len(plan_offers([m1, m2], [], P)) == 2


def test_an_action_makes_contact_once_and_classify_follows_the_deadline() -> None:
    offer = SimpleNamespace(first_contact_at=None, accepted_at=None, status="due",
                            due_at=T0 + timedelta(hours=48), identified_at=T0)  # fmt: skip
    assert classify(offer, T0) == "pending"
    assert classify(offer, T0 + timedelta(days=3)) == "never_made"
    late = T0 + timedelta(hours=50)
    values = after(offer, "declined", late, " family declined ")
    assert values["first_contact_at"] == late and values["decline_reason"] == "family declined"
    assert "accepted_at" not in values
    offer.__dict__.update(values)
    assert classify(offer, T0 + timedelta(days=9)) == "late"
    assert "first_contact_at" not in after(offer, "accepted", late, None)  # contact made once
