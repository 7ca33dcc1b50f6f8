"""Parsing and validating agency files without a store."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.domain.codes import load_code_lists
from safeguard.ingest.errors import RowError
from safeguard.ingest.feeds import parse_feed
from safeguard.ingest.validation import normalise_postcode, validate_event, validate_person

CODES = load_code_lists()
TODAY = date(2026, 1, 1)


def test_postcodes_are_normalised_or_refused() -> None:
    assert normalise_postcode("s601aa") == "S60 1AA"
    assert normalise_postcode(" BD1  1AB ") == "BD1 1AB"
    assert normalise_postcode("M1 1AE") == "M1 1AE"
    assert normalise_postcode("12345") is None
    assert normalise_postcode("S60") is None


def test_ragged_csv_rows_and_bad_json_lines_become_row_errors() -> None:
    feed = parse_feed(b"a,b\n1,2\n1,2,3\n", "csv")
    assert [(e.row, e.field) for e in feed.errors] == [(2, "(row)")]
    feed = parse_feed(b'{"a": 1}\nnot json\n[1]\n', "jsonl")
    assert [e.row for e in feed.errors] == [2, 3]
    assert parse_feed(b"\xff\xfe\x00", "csv").errors[0].field == "(file)"


def test_a_person_row_with_several_problems_reports_each() -> None:
    errors: list[RowError] = []
    raw = {
        "local_id": "P1",
        "first_name": "A",
        "surname": "",
        "dob": "2030-01-01",
        "sex": "F",
        "ethnicity": "W1",
        "nationality": "GBR;ZZZ",
    }
    assert validate_person(7, raw, "POLICE-E23000011", CODES, TODAY, errors) is None
    assert [(e.row, e.field) for e in errors] == [(7, "surname"), (7, "dob"), (7, "nationality")]


def test_events_parse_participants_objects_and_details() -> None:
    errors: list[RowError] = []
    raw = {
        "local_id": "E1",
        "event_type": "crime",
        "occurred_at": "2024-01-02T10:00:00Z",
        "participants": "victim:P1; suspect:A1",
        "objects": "phone:07700900123",
        "offence_code": "88A",
        "details": '{"flags": ["CSE"]}',
    }
    event = validate_event(
        1, raw, "POLICE-E23000011", "police", CODES, datetime(2026, 1, 1, tzinfo=UTC), errors
    )
    assert errors == [] and event is not None
    assert [(p.role, p.local_id) for p in event.participants] == [
        ("victim", "P1"),
        ("suspect", "A1"),
    ]
    assert event.details == {"flags": ["CSE"]}
    bad = {**raw, "participants": "boss:P1", "objects": "car", "details": "[1]"}
    assert (
        validate_event(
            2, bad, "POLICE-E23000011", "police", CODES, datetime(2026, 1, 1, tzinfo=UTC), errors
        )
        is None
    )
    assert {e.field for e in errors} == {"participants", "objects", "details"}


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_parse_without_raising(content: bytes) -> None:
    for fmt in ("csv", "jsonl"):
        feed = parse_feed(content, fmt)  # type: ignore[arg-type]
        assert isinstance(feed.errors, list)
        for number, raw in feed.rows:
            errors: list[RowError] = []
            validate_person(number, raw, "POLICE-E23000011", CODES, TODAY, errors)


def test_a_quote_left_open_is_named_as_such() -> None:
    feed = parse_feed(b'local_id,first_name\n"P1,Amy\nP2,Bo\n', "csv")
    assert [e.message for e in feed.errors] == [
        "unreadable CSV: the file ends inside a quoted value; close the quote"
    ]
