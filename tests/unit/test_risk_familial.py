"""Familial abuse: its indicators (with sources) and the rule that combines them."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from safeguard.risk import EventView, SuspectContext, assess, load_risk_rules

RULES = load_risk_rules()
D0 = date(2024, 1, 1)
_ids = count(1)


def ev(event_type: str, day: int, kind: str, **details: str) -> EventView:
    return EventView(
        event_id=next(_ids),
        person_id="C1",
        event_type=event_type,
        occurred_on=D0 + timedelta(days=day),
        agency_code=f"{kind.upper()}-X",
        agency_kind=kind,
        role="subject",
        age=9,
        details=details,
    )


def rules_hit(events: list[EventView]) -> set[str]:
    return {h.rule for h in assess("C1", events, SuspectContext(), RULES).hits}


def test_the_familial_indicators_name_their_sources() -> None:
    inds = {i.code: i for i in RULES.indicators}
    for code in ("cp_plan_sexual_abuse", "section47_enquiry", "ae_injury"):
        assert inds[code].source.strip()
    rule = next(r for r in RULES.rules if r.code == "familial_abuse")
    assert "Children's Commissioner" in rule.description and "CSA Centre" in rule.description


def test_a_sexual_abuse_plan_and_a_school_concern_within_a_year_alert() -> None:
    events = [
        ev("cp_plan", 0, "csc", category="sexual_abuse"),
        ev("behaviour_change", 200, "education"),
    ]
    assert rules_hit(events) == {"familial_abuse"}


def test_neglect_plan_or_signs_a_year_apart_or_one_agency_do_not() -> None:
    assert rules_hit([ev("cp_plan", 0, "csc", category="neglect"),
                      ev("behaviour_change", 30, "education")]) == set()  # fmt: skip
    assert rules_hit([ev("cp_plan", 0, "csc", category="sexual_abuse"),
                      ev("behaviour_change", 400, "education")]) == set()  # fmt: skip
    one_agency = [ev("cp_plan", 0, "csc", category="sexual_abuse"),
                  ev("section47_enquiry", 5, "csc")]  # fmt: skip
    assert rules_hit(one_agency) == set()


def test_a_section_47_enquiry_school_concern_and_self_harm_together_alert() -> None:
    events = [
        ev("section47_enquiry", 0, "csc"),
        ev("behaviour_change", 60, "education"),
        ev("ae_attendance", 90, "health", reason="self_harm"),
    ]
    assert "familial_abuse" in rules_hit(events)
    injury = [*events[:2], ev("ae_attendance", 90, "health", reason="injury")]
    assert rules_hit(injury) == set()  # 2 + 2 + 1 < 6: an injury alone weighs little
