"""Small hand-made agency feeds for tests (synthetic people, invented names)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

POLICE = "POLICE-E23000011"  # South Yorkshire
CSC = "CSC-E08000018"  # Rotherham children's social care
HEALTH = "HEALTH-E08000018"
MASH = "MASH-E08000018"
OTHER_CSC = "CSC-E08000035"  # Leeds: not involved with these children

PERSON_DEFAULTS: dict[str, str] = {
    "local_id": "P1",
    "first_name": "Amelia",
    "middle_name": "",
    "surname": "Hartley",
    "dob": "2010-05-01",
    "sex": "F",
    "postcode": "S60 1AA",
    "address": "1 Mill Lane",
    "nhs_number": "9434765919",
    "ethnicity": "13",
    "ethnicity_observed": "",
    "nationality": "GBR",
    "immigration_status": "",
}

EVENT_DEFAULTS: dict[str, str] = {
    "local_id": "E1",
    "event_type": "missing_episode",
    "occurred_at": "2024-03-02",
    "participants": "subject:P1",
    "objects": "",
    "postcode": "S60 1AA",
    "place_type": "",
    "offence_code": "",
    "details": "",
    "recorded_at": "",
}


def to_csv(rows: list[dict[str, Any]], defaults: dict[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(defaults), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**defaults, **row})
    return buffer.getvalue().encode()


def persons_csv(*rows: dict[str, Any]) -> bytes:
    return to_csv(list(rows) or [{}], PERSON_DEFAULTS)


def events_csv(*rows: dict[str, Any]) -> bytes:
    return to_csv(list(rows) or [{}], EVENT_DEFAULTS)


def to_jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


TWO_CHILDREN = persons_csv(
    {"local_id": "P1", "ethnicity_observed": "IC1"},
    {
        "local_id": "P2",
        "first_name": "Bilal",
        "surname": "Hussain",
        "dob": "2009-11-20",
        "sex": "M",
        "nhs_number": "",
        "ethnicity": "A2",
        "nationality": "GBR;PAK",
        "postcode": "S65 2BB",
    },
    {
        "local_id": "A1",
        "first_name": "Darren",
        "surname": "Cole",
        "dob": "1985-02-14",
        "sex": "M",
        "nhs_number": "",
        "ethnicity": "NS",
        "ethnicity_observed": "IC9",
        "nationality": "NS",
        "immigration_status": "NS",
    },
)
CRIME = events_csv(
    {
        "local_id": "C1",
        "event_type": "crime",
        "occurred_at": "2024-04-01T21:30:00",
        "participants": "victim:P1;suspect:A1",
        "objects": "vehicle:AB12CDE;phone:07700900123",
        "offence_code": "71",
        "place_type": "takeaway",
        "details": json.dumps({"flags": ["CSE"], "typology": ["group_based"]}),
    },
    {
        "local_id": "C2",
        "event_type": "missing_episode",
        "occurred_at": "2024-03-02",
        "participants": "subject:P2",
    },
)
