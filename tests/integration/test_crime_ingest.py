"""A CSAE crime is rejected when a victim's or suspect's protected field is simply missing."""

from __future__ import annotations

import json

import pytest

from safeguard.bootstrap import Platform
from safeguard.domain.actors import Account
from safeguard.ingest.errors import SubmissionRejected
from tests.samples import POLICE, events_csv, persons_csv

SYSTEM = Account("police-system", "agency_system", POLICE)

VICTIM = {"local_id": "V1", "ethnicity": "W1", "ethnicity_observed": "IC1", "nationality": "GBR"}
SUSPECT = {
    "local_id": "S1",
    "first_name": "Dean",
    "surname": "Marsh",
    "dob": "1980-01-01",
    "sex": "M",
    "nhs_number": "",
    "ethnicity": "NS",
    "ethnicity_observed": "IC9",
    "nationality": "NS",
    "immigration_status": "NS",
}


def crime(**details: object) -> bytes:
    return events_csv(
        {
            "local_id": "CR1",
            "event_type": "crime",
            "occurred_at": "2024-05-01",
            "participants": "victim:V1;suspect:S1",
            "offence_code": "22B",
            "details": json.dumps(
                {"flags": ["CSA"], "typology": [], "outcome": "charged", **details}
            ),
        }
    )


def test_a_complete_csae_crime_is_accepted(platform: Platform) -> None:
    platform.ingest.submit(persons_csv(VICTIM, SUSPECT), "p.csv", POLICE, SYSTEM)
    assert platform.ingest.submit(crime(), "e.csv", POLICE, SYSTEM).new_records == 1


@pytest.mark.parametrize(
    ("who", "field"),
    [
        ("victim", "ethnicity_observed"),
        ("suspect", "ethnicity_observed"),
        ("suspect", "immigration_status"),
    ],
)
def test_missing_protected_field_rejects_the_crime(
    platform: Platform, who: str, field: str
) -> None:
    victim, suspect = dict(VICTIM), dict(SUSPECT)
    (victim if who == "victim" else suspect)[field] = ""
    platform.ingest.submit(persons_csv(victim, suspect), "p.csv", POLICE, SYSTEM)
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(crime(), "e.csv", POLICE, SYSTEM)
    [error] = caught.value.errors
    local_id = "V1" if who == "victim" else "S1"
    assert (error.row, error.field, error.value) == (1, "participants", local_id)
    assert f"{who} {local_id} has no {field}" in error.message
    with platform.uow() as uow:
        assert uow.crime.crime_participants() == []


def test_person_records_still_require_ethnicity_and_nationality(platform: Platform) -> None:
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(
            persons_csv({**SUSPECT, "ethnicity": "", "nationality": ""}), "p.csv", POLICE, SYSTEM
        )
    assert {e.field for e in caught.value.errors} == {"ethnicity", "nationality"}


def test_unknown_typology_or_outcome_is_rejected(platform: Platform) -> None:
    platform.ingest.submit(persons_csv(VICTIM, SUSPECT), "p.csv", POLICE, SYSTEM)
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(crime(typology=["gang"], outcome="done"), "e.csv", POLICE, SYSTEM)
    messages = " ".join(e.message for e in caught.value.errors)
    assert "typology must be a list" in messages and "outcome must be one of" in messages


def test_a_witness_needs_no_ic_code(platform: Platform) -> None:
    witness = {**SUSPECT, "local_id": "W1", "ethnicity_observed": "", "immigration_status": ""}
    platform.ingest.submit(persons_csv(VICTIM, SUSPECT, witness), "p.csv", POLICE, SYSTEM)
    content = crime().replace(b"suspect:S1", b"suspect:S1;witness:W1")
    assert platform.ingest.submit(content, "e.csv", POLICE, SYSTEM).new_records == 1
