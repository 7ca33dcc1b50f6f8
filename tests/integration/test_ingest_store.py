"""Ingest on SQLite and PostgreSQL: the same bodies run on both stores."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from safeguard.bootstrap import Platform
from safeguard.domain.actors import Account
from safeguard.ingest.errors import SubmissionRejected
from safeguard.store.tables import (
    audit_log,
    event_participants,
    events,
    persons,
    source_records,
    submissions,
)
from tests.samples import CRIME, CSC, POLICE, TWO_CHILDREN, events_csv, persons_csv, to_jsonl

SYSTEM = Account("police-rms", "agency_system", POLICE)


def counts(platform: Platform) -> dict[str, int]:
    with platform.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (source_records, events, persons, submissions)
        }


def test_a_valid_file_is_stored_whole(platform: Platform) -> None:
    result = platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)
    assert (result.rows, result.new_records, result.duplicate) == (3, 3, False)
    assert counts(platform)["source_records"] == 3


def test_resending_the_same_file_is_idempotent(platform: Platform) -> None:
    first = platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)
    before = counts(platform)
    again = platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)
    assert again.duplicate and again.submission_id == first.submission_id
    assert counts(platform) == before


def test_a_changed_record_becomes_a_new_version_never_an_overwrite(platform: Platform) -> None:
    platform.ingest.submit(persons_csv({"local_id": "P1"}), "v1.csv", POLICE, SYSTEM)
    moved = persons_csv({"local_id": "P1", "postcode": "S61 3CC", "address": "9 New Road"})
    result = platform.ingest.submit(moved, "v2.csv", POLICE, SYSTEM)
    assert (result.new_records, result.new_versions) == (0, 1)
    with platform.uow() as uow:
        history = uow.records.history(POLICE, "P1")
    assert [(r.version, r.is_current, r.postcode) for r in history] == [
        (1, False, "S60 1AA"),
        (2, True, "S61 3CC"),
    ]
    assert history[0].person_id == history[1].person_id


def test_unchanged_rows_in_a_new_file_are_counted_not_stored(platform: Platform) -> None:
    platform.ingest.submit(persons_csv({"local_id": "P1"}), "v1.csv", POLICE, SYSTEM)
    both = persons_csv({"local_id": "P1"}, {"local_id": "P9", "nhs_number": ""})
    result = platform.ingest.submit(both, "v2.csv", POLICE, SYSTEM)
    assert (result.new_records, result.new_versions, result.unchanged) == (1, 0, 1)


BAD_PERSON_ROWS = {
    "unknown sex code": ({"sex": "Q"}, "sex"),
    "unknown ethnicity code": ({"ethnicity": "99"}, "ethnicity"),
    "unknown country": ({"nationality": "XXX"}, "nationality"),
    "impossible date": ({"dob": "2010-02-30"}, "dob"),
    "future date": ({"dob": "2999-01-01"}, "dob"),
    "bad NHS number": ({"nhs_number": "9434765918"}, "nhs_number"),
    "missing required value": ({"first_name": ""}, "first_name"),
    "missing nationality (not stated must be said)": ({"nationality": ""}, "nationality"),
    "bad postcode": ({"postcode": "NOT A CODE"}, "postcode"),
}


@pytest.mark.parametrize("case", list(BAD_PERSON_ROWS), ids=list(BAD_PERSON_ROWS))
def test_each_bad_row_rejects_the_whole_file_and_writes_nothing(
    platform: Platform, case: str
) -> None:
    bad, field = BAD_PERSON_ROWS[case]
    content = persons_csv({"local_id": "OK1", "nhs_number": ""}, {"local_id": "BAD", **bad})
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(content, "bad.csv", POLICE, SYSTEM)
    assert [(e.row, e.field) for e in caught.value.errors] == [(2, field)]
    assert counts(platform) == {"source_records": 0, "events": 0, "persons": 0, "submissions": 0}


def test_wrong_type_in_json_lines_is_a_row_error(platform: Platform) -> None:
    row = json.loads(
        json.dumps(
            {
                "local_id": "P1",
                "first_name": 5,
                "surname": "Hartley",
                "dob": "2010-05-01",
                "sex": "F",
                "ethnicity": "13",
                "nationality": ["GBR"],
            }
        )
    )
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(to_jsonl([row]), "p.jsonl", POLICE, SYSTEM)
    assert caught.value.errors[0].field == "first_name"
    assert "must be text" in caught.value.errors[0].message


def test_json_lines_are_accepted(platform: Platform) -> None:
    row = {
        "local_id": "P1",
        "first_name": "Amelia",
        "surname": "Hartley",
        "dob": "2010-05-01",
        "sex": "F",
        "ethnicity": "13",
        "nationality": ["GBR", "IRL"],
    }
    assert platform.ingest.submit(to_jsonl([row]), "p.jsonl", POLICE, SYSTEM).new_records == 1
    with platform.uow() as uow:
        assert uow.records.history(POLICE, "P1")[0].nationality == "GBR;IRL"


def test_duplicate_local_id_with_different_content_is_rejected(platform: Platform) -> None:
    content = persons_csv({"local_id": "P1"}, {"local_id": "P1", "first_name": "Amy"})
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(content, "dup.csv", POLICE, SYSTEM)
    assert caught.value.errors[0].field == "local_id" and "row 1" in caught.value.errors[0].message
    assert counts(platform)["source_records"] == 0


def test_unknown_and_missing_columns_are_refused(platform: Platform) -> None:
    content = b"local_id,first_name,surname,dob,sex,ethnicity,shoe_size\nP1,A,B,2010-01-01,F,13,9\n"
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(content, "cols.csv", POLICE, SYSTEM)
    fields = {e.field for e in caught.value.errors}
    assert fields == {"shoe_size", "nationality"}


def test_events_link_people_objects_and_reject_unknown_people(platform: Platform) -> None:
    platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)
    result = platform.ingest.submit(CRIME, "events.csv", POLICE, SYSTEM)
    assert result.new_records == 2
    with platform.uow() as uow:
        person_id = uow.records.history(POLICE, "P1")[0].person_id
        crime = uow.events.for_person(person_id)
    assert [(e["event_type"], e["role"], e["offence_code"]) for e in crime] == [
        ("crime", "victim", "71")
    ]
    assert {"type": "vehicle", "value": "AB12CDE"} in crime[0]["objects"]
    assert crime[0]["details"]["flags"] == ["CSE"]
    stranger = events_csv({"local_id": "E9", "participants": "subject:NOBODY"})
    before = counts(platform)
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(stranger, "e2.csv", POLICE, SYSTEM)
    assert caught.value.errors[0].field == "participants"
    assert counts(platform) == before


def test_event_rules_offence_code_and_agency_kind(platform: Platform) -> None:
    platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)
    no_offence = events_csv({"event_type": "crime", "participants": "victim:P1"})
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(no_offence, "e.csv", POLICE, SYSTEM)
    assert caught.value.errors[0].field == "offence_code"
    school = events_csv({"event_type": "exclusion"})
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(school, "e.csv", POLICE, SYSTEM)
    assert "cannot be submitted by a police agency" in caught.value.errors[0].message


def test_an_nhs_number_joins_records_from_two_agencies(platform: Platform) -> None:
    platform.ingest.submit(persons_csv({"local_id": "P1"}), "p.csv", POLICE, SYSTEM)
    csc = Account("csc-system", "agency_system", CSC)
    platform.ingest.submit(persons_csv({"local_id": "C77", "first_name": "Amy"}), "c.csv", CSC, csc)
    with platform.uow() as uow:
        police = uow.records.history(POLICE, "P1")[0]
        social = uow.records.history(CSC, "C77")[0]
        assert police.person_id == social.person_id
        assert uow.records.agencies_for_person(police.person_id) == {POLICE, CSC}


def test_every_write_is_in_the_hash_chained_audit_log(platform: Platform) -> None:
    platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)
    platform.ingest.submit(CRIME, "events.csv", POLICE, SYSTEM)
    with platform.uow() as uow:
        entries = uow.audit.entries()
    # The crime triggers mandatory shares (issue 5), written in the same transaction.
    assert [e.action for e in entries] == ["ingest.persons", "sharing.create", "ingest.events"]
    assert all(b.prev_hash == a.entry_hash for a, b in zip(entries, entries[1:], strict=False))
    assert all(e.entry_hash == e.computed_hash() for e in entries)
    with platform.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 3


def test_each_event_written_gets_its_own_participants(platform: Platform) -> None:
    """Event ids come back in file order (on SQLite without a read back): every participant
    row must point at the event that named it, for new events and new versions alike."""
    platform.ingest.submit(TWO_CHILDREN, "people.csv", POLICE, SYSTEM)
    first = events_csv(
        {"local_id": "E1", "participants": "subject:P1"},
        {"local_id": "E2", "participants": "subject:P2"},
    )
    platform.ingest.submit(first, "e1.csv", POLICE, SYSTEM)
    second = events_csv(
        {"local_id": "E3", "participants": "subject:P2"},
        {"local_id": "E1", "participants": "subject:P2", "postcode": "S61 3CC"},
        {"local_id": "E4", "participants": "subject:P1"},
    )
    result = platform.ingest.submit(second, "e2.csv", POLICE, SYSTEM)
    assert (result.new_records, result.new_versions) == (2, 1)
    with platform.engine.connect() as conn:
        rows = conn.execute(
            select(events.c.local_id, event_participants.c.record_local_id)
            .join(event_participants, event_participants.c.event_id == events.c.id)
            .where(events.c.is_current)
            .order_by(events.c.local_id)
        ).all()
    assert [tuple(r) for r in rows] == [("E1", "P2"), ("E2", "P2"), ("E3", "P2"), ("E4", "P1")]
