"""Content hashes decide unchanged / changed on re-send, so their digests must never drift:
a faster hash that changed them would turn every record of the next file into a new version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from safeguard.domain.records import EventRecord, ObjectRef, Participant, PersonRecord


def _reference(payload: list[Any]) -> str:
    """The hash exactly as first written (commit 312b14a), kept here as the reference."""
    parts = [
        json.dumps(v, sort_keys=True, default=str) if isinstance(v, dict) else repr(v)
        for v in payload
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _event_reference(e: EventRecord) -> str:
    return _reference(
        [
            e.agency,
            e.local_id,
            e.event_type,
            e.occurred_at,
            [(p.role, p.local_id) for p in e.participants],
            [(o.type, o.value) for o in e.objects],
            e.postcode,
            e.place_type,
            e.offence_code,
            e.details,
        ]
    )


def test_digests_of_known_records_are_unchanged() -> None:
    person = PersonRecord(
        "POLICE-E23000011",
        "P1",
        "Amelia",
        "Khan",
        date(2010, 3, 4),
        "F",
        "A2",
        ("GBR", "PAK"),
        postcode="S60 1AA",
        nhs_number="9434765919",
    )
    event = EventRecord(
        "POLICE-E23000011",
        "E1",
        "crime",
        datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
        (Participant("victim", "P1"), Participant("suspect", "P2")),
        (ObjectRef("vehicle", "AB12CDE"),),
        "S60 1AA",
        "hotel",
        "22B",
        {"flags": ["CSE"], "a": 1},
    )
    bare = EventRecord(
        "POLICE-E23000011",
        "E2",
        "missing_episode",
        datetime(2023, 1, 1, tzinfo=UTC),
        (Participant("subject", "P9"),),
    )
    assert person.content_hash() == (
        "2e3902c63d60dfab0d6b4cf4eef4d2a7110381426e64ecfd72aa78e9b8d47b66"
    )
    assert event.content_hash() == (
        "d635b3b7a972c0478ba33f98bb259610cda45e5734475958cf275f24b9207878"
    )
    assert bare.content_hash() == (
        "1038a2444e9fe54ea505e4707de404d5c09bfbc755b8fbdfd4bc642326d85cd6"
    )


_text = st.text(max_size=12)
_ZONES = st.sampled_from([UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5))])
_maybe = st.none() | _text


@given(
    st.builds(
        PersonRecord,
        agency=_text,
        local_id=_text,
        first_name=_text,
        surname=_text,
        dob=st.dates(),
        sex=_text,
        ethnicity=_text,
        nationality=st.lists(_text, max_size=3).map(tuple),
        middle_name=_maybe,
        postcode=_maybe,
        address=_maybe,
        nhs_number=_maybe,
        ethnicity_observed=_maybe,
        immigration_status=_maybe,
    )
)
def test_person_hash_matches_the_reference(person: PersonRecord) -> None:
    assert person.content_hash() == _reference(
        [getattr(person, f.name) for f in fields(PersonRecord)]
    )


@given(
    st.builds(
        EventRecord,
        agency=_text,
        local_id=_text,
        event_type=_text,
        occurred_at=st.datetimes(timezones=_ZONES),
        participants=st.lists(st.builds(Participant, _text, _text), max_size=3).map(tuple),
        objects=st.lists(st.builds(ObjectRef, _text, _text), max_size=2).map(tuple),
        postcode=_maybe,
        place_type=_maybe,
        offence_code=_maybe,
        details=st.dictionaries(_text, st.integers() | _text | st.lists(_text), max_size=3),
    )
)
def test_event_hash_matches_the_reference(event: EventRecord) -> None:
    assert event.content_hash() == _event_reference(event)


def test_the_same_instant_in_two_zones_keeps_two_digests() -> None:
    """Times written the way the agency sent them hash as sent; the remembered text of one
    must never stand in for another that merely compares equal."""
    utc_time = datetime(2024, 5, 6, 7, tzinfo=UTC)
    local_time = utc_time.astimezone(timezone(timedelta(hours=1)))
    assert utc_time == local_time
    one, other = (
        EventRecord("POLICE-E23000011", "E1", "crime", moment, (Participant("victim", "P1"),))
        for moment in (utc_time, local_time)
    )
    assert one.content_hash() == _event_reference(one)
    assert other.content_hash() == _event_reference(other)
    assert one.content_hash() != other.content_hash()
