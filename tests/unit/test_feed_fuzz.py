"""Parsing and validation under fuzz: any bytes give records or row errors, never a traceback."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings

from safeguard.domain.codes import load_code_lists
from safeguard.ingest.errors import RowError
from safeguard.ingest.feeds import parse_feed
from safeguard.ingest.validation import check_columns, validate_event, validate_person
from tests.feed_fuzz import Feed, any_feed, assert_clear

CODES = load_code_lists()
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _validate(feed: Feed) -> tuple[int, list[RowError]]:
    parsed = parse_feed(feed.content, "jsonl" if feed.fmt == "jsonl" else "csv")
    errors = list(parsed.errors)
    if parsed.columns:
        errors += check_columns(parsed.columns, feed.kind)
    agency = CODES.agencies[feed.agency]
    good = 0
    for number, raw in parsed.rows:
        if feed.kind == "persons":
            rec = validate_person(number, raw, agency.code, CODES, date(2026, 1, 1), errors)
        else:
            rec = validate_event(number, raw, agency.code, agency.kind, CODES, NOW, errors)
        good += rec is not None
    return good, errors


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_feed)
def test_any_file_gives_records_or_row_errors_naming_the_place(feed: Feed) -> None:
    good, errors = _validate(feed)
    if errors:
        assert_clear(errors)
    else:
        assert good >= 0


def test_duplicated_header_is_an_error_not_a_silently_dropped_column() -> None:
    content = b"local_id,first_name,surname,surname,dob,sex,ethnicity,nationality\n" + (
        b"P1,Ann,Lee,Smith,2010-01-01,F,13,GBR\n"
    )
    _good, errors = _validate(Feed("CSC-E08000018", "persons", "csv", content))
    assert [(e.row, e.field) for e in errors] == [(0, "surname")]
    assert "more than once" in errors[0].message


def test_deeply_nested_json_line_is_a_row_error() -> None:
    content = b'{"local_id": "P1"}\n' + b"[" * 100_000 + b"]" * 100_000 + b"\n"
    feed = parse_feed(content, "jsonl")
    assert [(e.row, e.field) for e in feed.errors] == [(2, "(line)")]


def test_nul_and_lone_surrogates_are_refused_with_the_field_named() -> None:
    row = (
        '{"local_id": "P1", "first_name": "Ann\\u0000e", "surname": "Lee\\ud800", '
        '"dob": "2010-01-01", "sex": "F", "ethnicity": "13", "nationality": "GBR"}\n'
    )
    _good, errors = _validate(Feed("CSC-E08000018", "persons", "jsonl", row.encode()))
    assert [(e.row, e.field) for e in errors] == [(1, "first_name"), (1, "surname")]
