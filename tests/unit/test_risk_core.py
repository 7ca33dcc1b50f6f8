"""Risk core: each indicator, rule loading, refusal of protected fields, explanations."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
import yaml

from safeguard.risk import (
    EventView,
    RiskRulesError,
    SuspectContext,
    assess,
    detect,
    load_risk_rules,
    parse_rules,
)
from safeguard.risk.rules import _read

RULES = load_risk_rules()
D0 = date(2024, 1, 1)
_ids = iter(range(1, 1_000_000))


def ev(
    event_type: str,
    day: int = 0,
    *,
    kind: str = "police",
    role: str = "subject",
    age: int | None = 14,
    **kw: Any,
) -> EventView:
    return EventView(
        event_id=next(_ids),
        person_id="P1",
        event_type=event_type,
        occurred_on=D0 + timedelta(days=day),
        agency_code=f"{kind.upper()}-X",
        agency_kind=kind,
        role=role,
        age=age,
        **kw,
    )


def codes(events: list[EventView], ctx: SuspectContext | None = None) -> set[str]:
    return {o.indicator for o in detect(RULES.indicators, events, ctx or SuspectContext())}


def test_repeated_missing_needs_three_within_90_days() -> None:
    assert "repeated_missing" not in codes([ev("missing_episode", d) for d in (0, 10)])
    assert "repeated_missing" in codes([ev("missing_episode", d) for d in (0, 10, 80)])
    assert "repeated_missing" not in codes([ev("missing_episode", d) for d in (0, 100, 200)])


def test_persistent_absence_and_exclusion() -> None:
    school = [ev("school_absence", d, kind="education") for d in (0, 30, 60)]
    assert "persistent_absence" in codes(school)
    assert "persistent_absence" not in codes(school[:2])
    assert "exclusion" in codes([ev("exclusion", kind="education")])


def test_sexual_health_and_pregnancy_only_under_16() -> None:
    assert "sexual_health_under16" in codes([ev("sexual_health_attendance", kind="health")])
    assert "sexual_health_under16" in codes([ev("pregnancy", kind="health", age=15)])
    assert "sexual_health_under16" not in codes([ev("pregnancy", kind="health", age=16)])
    assert "sexual_health_under16" not in codes([ev("pregnancy", kind="health", age=None)])


def test_ae_intoxication_or_injury_twice() -> None:
    one = [ev("ae_attendance", 0, kind="health", details={"reason": "intoxication"})]
    two = one + [ev("ae_attendance", 20, kind="health", details={"reason": "injury"})]
    other = one + [ev("ae_attendance", 20, kind="health", details={"reason": "other"})]
    assert "ae_intoxication_injury" not in codes(one)
    assert "ae_intoxication_injury" in codes(two)
    assert "ae_intoxication_injury" not in codes(other)


def test_association_with_suspect() -> None:
    ctx = SuspectContext(suspects=frozenset({"ADULT"}))
    e = ev("found_in_vehicle", others=("ADULT",))
    assert "associates_with_suspect" in codes([e], ctx)
    assert "associates_with_suspect" not in codes([e], SuspectContext())


def test_found_in_vehicle_and_suspect_vehicle_or_address() -> None:
    e = ev("found_in_vehicle", objects=("vehicle:AB12CDE",))
    assert "found_in_vehicle" in codes([e])
    assert "suspect_vehicle_or_place" not in codes([e])
    assert "suspect_vehicle_or_place" in codes(
        [e], SuspectContext(objects=frozenset({"vehicle:AB12CDE"}))
    )
    at_address = ev("missing_episode", postcode="LS1 1AA")
    assert "suspect_vehicle_or_place" in codes(
        [at_address], SuspectContext(postcodes=frozenset({"LS1 1AA"}))
    )


def test_behaviour_change_online_report_and_self_harm() -> None:
    assert "behaviour_change" in codes([ev("behaviour_change", kind="education")])
    assert "online_grooming_report" in codes([ev("online_report", role="victim")])
    assert "self_harm" in codes(
        [ev("ae_attendance", kind="health", details={"reason": "self_harm"})]
    )


def test_role_matters() -> None:
    assert "online_grooming_report" not in codes([ev("online_report", role="reporter")])


def test_combined_agencies_raise_where_one_agency_does_not() -> None:
    events = [ev("missing_episode", d) for d in (0, 10, 20)] + [
        ev("behaviour_change", 30, kind="education")
    ]
    combined = assess("P1", events, SuspectContext(), RULES)
    assert combined.alert and combined.first_alert_on == D0 + timedelta(days=30)
    text = combined.explanation()
    assert "repeated_missing" in text and "behaviour_change" in text and "education" in text
    police_alone = assess("P1", events, SuspectContext(), RULES, only_agency_kind="police")
    assert not police_alone.alert


def test_window_keeps_old_signs_out() -> None:
    events = [ev("missing_episode", d) for d in (0, 10, 20)] + [
        ev("behaviour_change", 400, kind="education")
    ]
    assert not assess("P1", events, SuspectContext(), RULES).alert


def test_packaged_files_load_with_sources() -> None:
    assert len(RULES.indicators) >= 8 and all(i.source for i in RULES.indicators)
    assert RULES.deadline_hours == 24 and RULES.rules


def _docs() -> tuple[dict[str, Any], dict[str, Any]]:
    return _read(None, "risk_indicators.yaml"), _read(None, "risk_rules.yaml")


@pytest.mark.parametrize(
    "field", ["ethnicity", "nationality", "religion", "immigration_status", "ethnicity_observed"]
)
def test_rule_naming_a_protected_field_is_refused(field: str) -> None:
    inds, rules = _docs()
    rules["rules"][0]["weights"][field] = 1
    with pytest.raises(RiskRulesError, match="protected field"):
        parse_rules(inds, rules)


@pytest.mark.parametrize("field", ["ethnicity", "nationality", "religion", "immigration_status"])
def test_indicator_reading_a_protected_detail_is_refused(field: str) -> None:
    inds, rules = _docs()
    inds["indicators"][0]["details"] = {field: ["x"]}
    with pytest.raises(RiskRulesError, match="protected field"):
        parse_rules(inds, rules)


def test_protected_field_hidden_in_a_value_is_refused(tmp_path: Any) -> None:
    inds, rules = _docs()
    rules["rules"].append(
        {
            "code": "x",
            "window_days": 1,
            "threshold": 1,
            "weights": {"exclusion": 1},
            "filter": {"where": "Nationality"},
        }
    )
    p = tmp_path / "rules.yaml"
    p.write_text(yaml.safe_dump(rules))
    i = tmp_path / "ind.yaml"
    i.write_text(yaml.safe_dump(inds))
    with pytest.raises(RiskRulesError, match="protected"):
        load_risk_rules(i, p)


def test_unknown_indicator_in_rule_is_refused() -> None:
    inds, rules = _docs()
    rules["rules"][0]["weights"]["nonsense"] = 1
    with pytest.raises(RiskRulesError, match="unknown indicators"):
        parse_rules(inds, rules)


def test_scoring_cannot_see_protected_fields() -> None:
    names = {f.name for f in dataclasses.fields(EventView)}
    assert not names & {
        "ethnicity",
        "ethnicity_observed",
        "nationality",
        "immigration_status",
        "religion",
    }
