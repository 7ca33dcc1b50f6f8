"""The quick sharing path for events without details decides exactly as ``decide_shares``:
the same shares, in the same order, for generated events, participants, dates of birth and
postcodes, from every kind of agency."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from safeguard.domain.codes import load_code_lists
from safeguard.domain.obligations import load_obligations
from safeguard.domain.records import Participant, ParticipantFacts
from safeguard.sharing.plain import PlainShares
from safeguard.sharing.rules import ChildFacts, EventFacts, decide_shares

CODES = load_code_lists()
RULES = load_obligations(CODES)
AGENCIES = [
    CODES.agencies[code]
    for code in (
        "POLICE-E23000011",  # one force, several authorities
        "POLICE-E23000005",  # Greater Manchester
        "HEALTH-E08000018",
        "CSC-E08000018",
        "EDU-E08000018",
    )
    if code in CODES.agencies
]
POSTCODES = st.sampled_from([None, "", "S60 1AA", "M1 1AE", "ZZ9 9ZZ", "s61 2bb", "LS1 4AP"])
PEOPLE = ["P1", "P2", "P3"]
OUTCOMES: set[tuple[str, str]] = set()


@st.composite
def _events(draw: st.DrawFn) -> tuple[Any, ...]:
    agency = draw(st.sampled_from(AGENCIES))
    event_type = draw(st.sampled_from(sorted(CODES.event_types.codes())))
    offence = draw(st.sampled_from([None, "71", "88A", "19C", "17A", "22B", "21"]))
    when = datetime(2024, 2, 29, 23, 30, tzinfo=UTC) + timedelta(
        days=draw(st.integers(-800, 800)), hours=draw(st.integers(0, 3))
    )
    roles = sorted(CODES.roles.descriptions)
    participants = tuple(
        Participant(draw(st.sampled_from(roles)), draw(st.sampled_from(PEOPLE)))
        for _ in range(draw(st.integers(0, 3)))
    )
    facts: dict[str, ParticipantFacts] = {}
    for local_id in PEOPLE:
        dob = draw(
            st.one_of(
                st.none(),
                st.dates(date(1990, 1, 1), date(2024, 12, 31)),
                # birthdays near the event's day, where an age turns over
                st.integers(-1, 1).map(
                    lambda d, when=when: (
                        _years_before(when.date(), draw(st.integers(11, 19))) + timedelta(days=d)
                    )
                ),
            )
        )
        facts[local_id] = (f"person-{local_id}", dob, draw(POSTCODES))
    return agency, event_type, offence, when, draw(POSTCODES), participants, facts


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# Each outcome at least once whatever the random draws reach (they missed one in a CI run):
# a Greater Manchester missing child with an unknown postcode — the force covers several
# authorities, so no area can be found — then made, age unknown, victim not identified.
_GMP = CODES.agencies["POLICE-E23000005"]
_WHEN = datetime(2024, 2, 29, 23, 30, tzinfo=UTC)
_CHILD = ("person-P1", date(2012, 1, 1), "ZZ9 9ZZ")


@settings(max_examples=600, deadline=None)
@given(_events())
@example((_GMP, "missing_episode", None, _WHEN, None, (Participant("subject", "P1"),),
          {"P1": _CHILD}))  # fmt: skip
@example((_GMP, "missing_episode", None, _WHEN, "M1 1AE", (Participant("subject", "P1"),),
          {"P1": _CHILD}))  # fmt: skip
@example((_GMP, "missing_episode", None, _WHEN, "M1 1AE", (Participant("subject", "P1"),),
          {"P1": ("person-P1", None, None)}))  # fmt: skip
@example((_GMP, "crime", "71", _WHEN, "M1 1AE", (), {}))
def test_plain_shares_are_decide_shares(drawn: tuple[Any, ...]) -> None:
    agency, event_type, offence, when, postcode, participants, facts = drawn
    event = EventFacts(
        7, agency, "E1", event_type, when, offence, postcode, {},
        tuple(ChildFacts(p.role, *facts[p.local_id]) for p in participants),
    )  # fmt: skip
    duties = tuple(
        o for o in RULES.obligations if o.matches_event(agency.kind, event_type, offence, [])
    )
    quick = PlainShares(agency, CODES)
    expected = decide_shares(event, RULES, CODES)
    assert quick(duties, when, offence, postcode, participants, facts) == expected
    OUTCOMES.update((d.status, d.note[:20]) for d in expected)
    # and again, from what it remembered
    assert quick(duties, when, offence, postcode, participants, facts) == expected


def test_the_generated_events_reach_every_outcome() -> None:
    """Made, and each reason a share is never made without details, were all drawn above."""
    test_plain_shares_are_decide_shares()
    assert {status for status, _ in OUTCOMES} == {"made", "never_made"}
    assert len(OUTCOMES) == 4, OUTCOMES
