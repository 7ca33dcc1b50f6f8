"""Obligations as data: the packaged file loads, bad files fail with a sentence naming the rule,
and events trigger the right shares (pure, no store)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from safeguard.domain.codes import load_code_lists
from safeguard.domain.obligations import ObligationError, age_on, load_obligations
from safeguard.sharing.rules import MADE, NEVER_MADE, ChildFacts, EventFacts, decide_shares

CODES = load_code_lists()
RULES = load_obligations(CODES)
POLICE = CODES.agencies["POLICE-E23000011"]  # South Yorkshire
GMP = CODES.agencies["POLICE-E23000005"]  # Greater Manchester: three LAs in areas.csv
HEALTH = CODES.agencies["HEALTH-E08000018"]
WHEN = datetime(2024, 4, 1, 21, 30, tzinfo=UTC)


def event(
    agency=POLICE, event_type="crime", offence="71", details=None, participants=None, postcode=None
):  # type: ignore[no-untyped-def]
    child = ChildFacts("victim", "p1", date(2010, 5, 1), "S60 1AA")
    return EventFacts(
        1, agency, "C1", event_type, WHEN, offence, postcode, details or {},
        tuple(participants if participants is not None else [child]),
    )  # fmt: skip


def test_the_packaged_obligations_load_and_name_their_reasoning() -> None:
    assert len(RULES.obligations) >= 5
    assert all(len(o.reason) > 40 for o in RULES.obligations)
    police_csc = RULES.by_id()["police-csc-child-sexual-offence"]
    assert (police_csc.partner, police_csc.within_hours) == ("csc", 24)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("obligations: 3", "top-level 'obligations' list"),
        ("obligations: [{id: x-rule}]", "missing 'from'"),
        (
            "obligations: [{id: a-rule, from: police, event_types: [tea], roles: [victim], "
            "partner: csc, within_hours: 1, reason: r}]",
            "unknown value(s) tea",
        ),
        (
            "obligations: [{id: a-rule, from: health, event_types: [crime], roles: [victim], "
            "partner: csc, within_hours: 1, reason: r}]",
            "health agencies never submit crime",
        ),
        (
            "obligations: [{id: a-rule, from: police, event_types: [crime], roles: [victim], "
            "partner: csc, within_hours: soon, reason: r}]",
            "'within_hours' must be a whole number",
        ),
        ("obligations: [\n  - id: [", "not valid YAML"),
    ],
)
def test_a_bad_obligations_file_fails_with_a_sentence(text: str, message: str) -> None:
    with pytest.raises(ObligationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_obligations(CODES, text)


def test_age_is_whole_years_on_the_day() -> None:
    assert age_on(date(2010, 5, 1), date(2023, 4, 30)) == 12
    assert age_on(date(2010, 5, 1), date(2023, 5, 1)) == 13


def test_a_child_victim_of_a_cse_crime_is_shared_with_csc_and_mash() -> None:
    decisions = decide_shares(event(details={"flags": ["CSE"]}), RULES, CODES)
    made = {(d.obligation.id, d.to_agency, d.status) for d in decisions}
    assert made == {
        ("police-csc-child-sexual-offence", "CSC-E08000018", MADE),
        ("police-mash-child-sexual-offence", "MASH-E08000018", MADE),
    }
    assert decisions[0].due_at == datetime(2024, 4, 2, 21, 30, tzinfo=UTC)


def test_an_adult_victim_or_another_offence_triggers_nothing() -> None:
    adult = ChildFacts("victim", "a1", date(1985, 1, 1), "S60 1AA")
    assert decide_shares(event(participants=[adult]), RULES, CODES) == []
    assert decide_shares(event(offence="19C"), RULES, CODES) == []


def test_unidentified_child_unknown_area_and_withheld_are_never_made() -> None:
    suspect = ChildFacts("suspect", "s1", date(1980, 1, 1), None)
    unidentified = decide_shares(event(participants=[suspect]), RULES, CODES)
    assert [(d.status, d.note) for d in unidentified] == [
        (NEVER_MADE, "the child victim was not identified in the submission")
    ]
    nowhere = ChildFacts("victim", "p1", date(2010, 5, 1), None)
    lost = decide_shares(event(agency=GMP, participants=[nowhere]), RULES, CODES)
    assert [d.status for d in lost] == [NEVER_MADE]
    assert "could not be resolved" in lost[0].note
    held = decide_shares(event(details={"withheld": True, "withheld_reason": "op"}), RULES, CODES)
    assert [(d.status, d.note) for d in held] == [(NEVER_MADE, "withheld: op")]


def test_health_shares_under_13_with_mash_and_under_16_with_csc() -> None:
    child = ChildFacts("subject", "p1", date(2012, 1, 1), "S60 1AA")
    visit = event(agency=HEALTH, event_type="sexual_health_attendance", offence=None,
                  participants=[child])  # fmt: skip
    partners = sorted(str(d.to_agency) for d in decide_shares(visit, RULES, CODES))
    assert partners == ["CSC-E08000018", "MASH-E08000018"]
    older = ChildFacts("subject", "p1", date(2009, 1, 1), "S60 1AA")
    visit = event(agency=HEALTH, event_type="sexual_health_attendance", offence=None,
                  participants=[older])  # fmt: skip
    assert [d.to_agency for d in decide_shares(visit, RULES, CODES)] == ["CSC-E08000018"]
