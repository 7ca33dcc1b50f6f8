"""Submissions under fuzz, on each store: accepted, or rejected with row errors and nothing
written. Catches what only a real database refuses (NULs, lone surrogates, over-long values)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from safeguard.bootstrap import Platform
from safeguard.ingest.errors import SubmissionRejected
from safeguard.ingest.files import CLI_SUBMITTER
from safeguard.store.tables import metadata
from tests.feed_fuzz import AGENCY_OF_KIND, Feed, any_feed, assert_clear, valid_persons


def table_counts(platform: Platform) -> dict[str, int]:
    with platform.engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
        }


def _submit(platform: Platform, feed: Feed) -> object:
    kind = feed.kind if feed.kind in ("persons", "events") else None
    return platform.ingest.submit(
        feed.content,
        feed.filename,
        feed.agency,
        CLI_SUBMITTER.for_agency(feed.agency),
        kind,  # type: ignore[arg-type]
    )


def test_fuzzed_submissions_are_accepted_or_rejected_whole(platform: Platform) -> None:
    for kind in AGENCY_OF_KIND:
        _submit(platform, valid_persons(kind))

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(any_feed)
    def check(feed: Feed) -> None:
        before = table_counts(platform)
        try:
            _submit(platform, feed)
        except SubmissionRejected as exc:
            assert_clear(exc.errors)
            assert "nothing was written" in str(exc)
            assert table_counts(platform) == before

    check()


def _rejected(platform: Platform, feed: Feed) -> list[tuple[int, str]]:
    before = table_counts(platform)
    try:
        _submit(platform, feed)
    except SubmissionRejected as exc:
        assert table_counts(platform) == before
        return [(e.row, e.field) for e in exc.errors]
    raise AssertionError("the submission was accepted")


def test_values_a_database_would_refuse_are_row_errors(platform: Platform) -> None:
    """Found by the fuzz test: PostgreSQL refuses NUL in text, and a lone surrogate cannot be
    encoded, so these crashed the submission inside the transaction instead of naming the row."""
    from tests.feed_fuzz import person_rows, render

    rows = person_rows()
    rows[0]["first_name"] = "Ann\x00e"
    rows[1]["surname"] = "Hu\ud800ssain"
    feed = Feed("CSC-E08000018", "persons", "jsonl", render(rows, [], "jsonl"))
    assert _rejected(platform, feed) == [(1, "first_name"), (2, "surname")]


def test_an_over_long_object_or_odd_crime_details_are_row_errors(platform: Platform) -> None:
    """Found by the fuzz test: an object value wider than its column failed on PostgreSQL only,
    and a crime's outcome given as a list raised TypeError in the CSAE check."""
    from tests.feed_fuzz import EVENT_COLUMNS, event_rows, render

    _submit(platform, valid_persons("police"))
    rows = event_rows("police")
    rows[1]["objects"] = "phone:" + "7" * 250
    feed = Feed("POLICE-E23000011", "events", "csv", render(rows, EVENT_COLUMNS, "csv"))
    assert _rejected(platform, feed) == [(2, "objects")]
    rows = event_rows("police")
    rows[0]["details"] = '{"flags": ["CSE"], "outcome": ["1"]}'
    feed = Feed("POLICE-E23000011", "events", "csv", render(rows, EVENT_COLUMNS, "csv"))
    assert _rejected(platform, feed) == [(1, "details")]
