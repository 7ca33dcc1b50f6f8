"""The quick path gives the validator's answer or none: never a record the validator would
refuse, never a different record; and it does take the clean rows it exists for."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.domain.codes import load_code_lists
from safeguard.ingest.errors import RowError
from safeguard.ingest.quick import QuickEvents, QuickPersons
from safeguard.ingest.validation import validate_event, validate_person

CODES = load_code_lists()
TODAY = date(2026, 1, 1)
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
POLICE = "POLICE-E23000011"


_LISTED: dict[int, tuple[Any, ...]] = {}


def _one_of(*values: Any) -> st.SearchStrategy[Any]:
    """Good values, near misses and wrong types, so both sides of every check are drawn (the
    listed values three times as often as arbitrary text, so whole rows are often clean)."""
    listed = st.sampled_from(values)
    strategy = st.one_of(listed, listed, listed, st.text(max_size=6))
    _LISTED[id(strategy)] = values
    return strategy


_PERSON = {
    "local_id": _one_of("P1", " P2 ", "", "x" * 101, None, 7),
    "first_name": _one_of("Amelia", "  ", "Zoë", None),
    "middle_name": _one_of("Jo", "", "   ", None, "y" * 101, 3),
    "surname": _one_of("Khan", "", None),
    "dob": _one_of("2010-03-04", "2010-02-30", "1899-12-31", "2030-01-01", "20100304",
                   " 2011-01-01"),
    "sex": _one_of("F", "M", "f", "Q", "", None),
    "ethnicity": _one_of("W1", "A2", "NS", "7", "ns", "W9", None),
    "ethnicity_observed": _one_of("IC1", "IC9", "IC0", "", None),
    "nationality": _one_of("GBR", "NS", "ns", "GBR;PAK", "pak; gbr", "GBR;;PAK", "GBR;NS", "ZZZ",
                           "", ["GBR"], None),
    "immigration_status": _one_of(*CODES.immigration_status.codes(), "alien", "", None),
    "postcode": _one_of("S60 1AA", "s601aa", "S60", "12345", "", None, 5),
    "address": _one_of("1 High St", "", "z" * 301, None),
    "nhs_number": _one_of("9434765919", "943 476 5919", "9434765918", "943-476-5919", "", None),
}  # fmt: skip

_EVENT = {
    "local_id": _one_of("E1", "", None),
    "event_type": _one_of("crime", "missing_episode", "school_absence", "exclusion", "nope", None),
    "occurred_at": _one_of("2024-01-02", "2024-01-02T10:00:00Z", "2024-01-02T10:00:00",
                           "2024-01-02T10:00:00+05:00", "2027-01-01", "1899-01-01", "2024-13-01",
                           "2026-01-01T13:00:00Z", ""),
    "participants": _one_of("subject:P1", "victim:P1; suspect:A1", "boss:P1", "P1", ";", "victim:",
                            "subject:P1;;witness:P2", "", [{"role": "victim", "local_id": "P1"}]),
    "objects": _one_of("phone:07700900123", "car", "vehicle:AB12CDE;phone:1", ";", "", None),
    "postcode": _one_of("S60 1AA", "bad", "", None),
    "place_type": _one_of("hotel", "moon", "", None),
    "offence_code": _one_of("88A", "22B", "999", "", None),
    "details": _one_of("", None, "{}", '{"flags": ["CSE"]}', {"a": 1}, "[1]"),
    "recorded_at": _one_of("2024-01-02T12:00:00Z", "2024-01-01", "2024-01-02T09:00:00Z",
                           "2027-01-01", "soon", "", None, 5),
}  # fmt: skip


_MISSING = object()
_CLEAN_PERSON = {
    "local_id": "P1", "first_name": "Amelia", "surname": "Khan", "dob": "2010-03-04", "sex": "F",
    "ethnicity": "A2", "nationality": "pak;GBR", "postcode": "s601aa",
}  # fmt: skip
_CLEAN_EVENT = {
    "local_id": "E1", "event_type": "missing_episode", "occurred_at": "2024-01-02T10:00:00Z",
    "participants": "subject:P1",
}  # fmt: skip


def _rows(
    clean: dict[str, Any], fields: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """A clean row with up to three columns replaced by drawn values or left out (a missing
    key is what a JSON line can send), so clean rows and single near misses are both common."""
    change = st.sampled_from(sorted(fields)).flatmap(
        lambda name: st.tuples(st.just(name), fields[name] | st.just(_MISSING))
    )

    def apply(changes: list[tuple[str, Any]]) -> dict[str, Any]:
        row = dict(clean)
        for name, value in changes:
            if value is _MISSING:
                row.pop(name, None)
            else:
                row[name] = value
        return row

    return st.lists(change, max_size=3).map(apply)


@settings(max_examples=400, deadline=None)
@given(_rows(_CLEAN_PERSON, _PERSON))
def test_quick_person_is_the_validators_record_or_declines(raw: dict[str, Any]) -> None:
    errors: list[RowError] = []
    full = validate_person(1, raw, POLICE, CODES, TODAY, errors)
    quick = QuickPersons(POLICE, CODES, TODAY)(raw)
    if quick is not None:
        assert errors == [] and quick == full
        assert quick.content_hash() == full.content_hash()


@settings(max_examples=400, deadline=None)
@given(_rows(_CLEAN_EVENT, _EVENT))
def test_quick_event_is_the_validators_record_or_declines(raw: dict[str, Any]) -> None:
    errors: list[RowError] = []
    full = validate_event(1, raw, POLICE, "police", CODES, NOW, errors)
    quick = QuickEvents(POLICE, "police", CODES, NOW)(raw)
    if quick is not None:
        assert errors == [] and quick == full
        assert quick.content_hash() == full.content_hash()


def _same_answer_person(raw: dict[str, Any]) -> None:
    errors: list[RowError] = []
    full = validate_person(1, raw, POLICE, CODES, TODAY, errors)
    quick = QuickPersons(POLICE, CODES, TODAY)(raw)
    assert quick is None or (errors == [] and quick == full), raw


def _same_answer_event(raw: dict[str, Any]) -> None:
    errors: list[RowError] = []
    full = validate_event(1, raw, POLICE, "police", CODES, NOW, errors)
    quick = QuickEvents(POLICE, "police", CODES, NOW)(raw)
    assert quick is None or (errors == [] and quick == full), raw


def test_every_listed_near_miss_alone_in_a_clean_row() -> None:
    """Each listed value (and each column left out) in an otherwise clean row: the cases the
    random rows above reach only now and then."""
    for clean, fields, check in (
        (_CLEAN_PERSON, _PERSON, _same_answer_person),
        (_CLEAN_EVENT, _EVENT, _same_answer_event),
    ):
        for name, strategy in fields.items():
            for value in _LISTED[id(strategy)]:
                check({**clean, name: value})
            check({k: v for k, v in clean.items() if k != name})


def test_clean_rows_take_the_quick_path_and_memos_keep_answers_apart() -> None:
    people = QuickPersons(POLICE, CODES, TODAY)
    clean = {
        "local_id": "P1", "first_name": "Amelia", "surname": "Khan", "dob": "2010-03-04",
        "sex": "F", "ethnicity": "A2", "nationality": "pak;GBR", "postcode": "s601aa",
        "nhs_number": "943 476 5919", "middle_name": "", "address": "",
    }  # fmt: skip
    first = people(clean)
    assert first is not None and first == validate_person(1, clean, POLICE, CODES, TODAY, [])
    assert first.nationality == ("GBR", "PAK") and first.postcode == "S60 1AA"
    # A remembered good value never lets a bad neighbour through, nor the other way round.
    assert people({**clean, "dob": "2030-01-01"}) is None
    assert people({**clean, "postcode": "S60"}) is None
    assert people({**clean, "local_id": "P2"}) is not None
    events = QuickEvents(POLICE, "police", CODES, NOW)
    row = {"local_id": "E1", "event_type": "missing_episode", "occurred_at": "2024-01-02",
           "participants": "subject:P1", "objects": ""}  # fmt: skip
    event = events(row)
    assert event is not None and event == validate_event(1, row, POLICE, "police", CODES, NOW, [])
    assert events({**row, "occurred_at": "2027-01-01"}) is None
    assert events({**row, "event_type": "crime"}) is None  # a crime needs its offence code
    assert QuickEvents(POLICE, "education", CODES, NOW)(row) is None  # not a school's event
