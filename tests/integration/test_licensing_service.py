"""Licensing on both stores: register sync and entry, checks and decisions (audited),
compliance, out-of-area working and safeguarding notices from ingested feeds."""

from __future__ import annotations

import json
from datetime import date

import pytest

from safeguard.bootstrap import Platform
from safeguard.domain.actors import Account, User
from safeguard.licensing.service import LicensingError
from safeguard.synth.identifiers import driving_licence
from tests.samples import events_csv, persons_csv

HOME, AWAY = "LIC-E08000018", "LIC-E08000005"  # Rotherham refused; Rochdale licensed
POLICE = "POLICE-E23000011"  # South Yorkshire: sightings in Rotherham
DL = driving_licence("Shah", "Imran", None, date(1980, 5, 7), "M")
PLATE = "005P0001"
DRIVER = {
    "first_name": "Imran",
    "surname": "Shah",
    "dob": "1980-05-07",
    "sex": "M",
    "ethnicity": "NS",
    "nationality": "NS",
    "nhs_number": "",
    "postcode": "OL11 1AA",
}
OFFICER = User("lo", AWAY, ("licensing_officer",))


def details(**d: str) -> str:
    return json.dumps({"licence_type": "phv", "driving_licence": DL, **d})


def load(platform: Platform) -> None:
    def send(agency: str, people: bytes, events: bytes) -> None:
        who = Account("sys", "agency_system", agency)
        platform.ingest.submit(people, "persons.csv", agency, who)
        platform.ingest.submit(events, "events.csv", agency, who)

    send(
        HOME,
        persons_csv({**DRIVER, "local_id": "D1"}),
        events_csv(
            {
                "local_id": "L1",
                "event_type": "licensing_decision",
                "occurred_at": "2021-01-10",
                "participants": "subject:D1",
                "postcode": "",
                "details": details(decision="refused"),
            }
        ),
    )
    send(
        AWAY,
        persons_csv({**DRIVER, "local_id": "D9"}),
        events_csv(
            {
                "local_id": "L9",
                "event_type": "licensing_decision",
                "occurred_at": "2021-09-01",
                "participants": "subject:D9",
                "objects": f"taxi_plate:{PLATE};vehicle:AB12CDE",
                "postcode": "",
                "details": details(decision="granted", plate=PLATE),
            }
        ),
    )
    sighting = {
        "event_type": "vehicle_sighting",
        "participants": "subject:D",
        "objects": f"taxi_plate:{PLATE}",
        "details": '{"source": "ANPR"}',
    }
    send(
        POLICE,
        persons_csv({**DRIVER, "local_id": "D"}, {"local_id": "C"}),
        events_csv(
            {**sighting, "local_id": "S1", "occurred_at": "2024-03-01", "postcode": "S60 1AA"},
            {**sighting, "local_id": "S2", "occurred_at": "2024-03-01", "postcode": "S61 2AB"},
            {**sighting, "local_id": "S3", "occurred_at": "2024-03-05", "postcode": "S60 3AD"},
            {
                "local_id": "F1",
                "event_type": "found_in_vehicle",
                "occurred_at": "2024-03-05",
                "participants": "subject:C;associate:D",
                "objects": f"taxi_plate:{PLATE}",
                "postcode": "S60 3AD",
            },
        ),
    )


def test_register_check_decide_and_oversight(platform: Platform) -> None:
    load(platform)
    lic = platform.licensing
    assert lic.sync(OFFICER) == 1 and lic.sync(OFFICER) == 0  # idempotent
    [entry] = lic.entries()
    assert (entry["authority"], entry["decision"], entry["driving_licence"]) == (
        "E08000018",
        "refused",
        DL,
    )

    # the applicant in Rochdale, as an officer types him: transposed date, misspelt surname
    result = lic.check(
        {"first_name": "Imran", "surname": "Shaw", "dob": "1980-07-05", "driving_licence": DL},
        OFFICER,
    )
    [cand] = result.candidates
    assert cand["strength"] == "licence" and cand["authority"] == "E08000018"
    assert {e["comparison"] for e in cand["evidence"]} >= {"dob", "surname", "driving_licence"}
    nobody = lic.check({"first_name": "Ann", "surname": "Wood", "dob": "1990-01-01"}, OFFICER)
    assert nobody.candidates == []
    decided = lic.decide(result.check_id, "enquiry_sent", "asked Rotherham", OFFICER)
    assert decided["decision"] == "enquiry_sent" and decided["decided_by"] == "lo"
    with pytest.raises(PermissionError):
        lic.decide(result.check_id, "granted", "", User("x", HOME, ("licensing_officer",)))
    with platform.uow() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions.count("licensing.check") == 2 and "licensing.decide" in actions

    rochdale = {c["authority"]: c for c in lic.compliance()}["E08000005"]
    assert (rochdale["applications"], rochdale["checked"], rochdale["checks"]) == (1, 1, 2)
    assert rochdale["checks_with_matches"] == 1
    assert rochdale["decisions"] == {"enquiry_sent": 1, "undecided": 1}

    [away] = lic.out_of_area()
    assert (away.plate, away.licensing_la, away.seen_in_la, away.days) == (
        PLATE,
        "E08000005",
        "E08000018",
        2,
    )
    assert len(away.sightings) == 4  # three ANPR sightings and the child found in the car

    assert lic.raise_notices(OFFICER) >= 1 and lic.raise_notices(OFFICER) == 0
    notices = lic.notices(AWAY)
    assert any(n["subject"] == f"plate:{PLATE}" for n in notices)
    platform.network.refresh()
    graph = platform.network.graph
    assert graph.code_of(graph.objects, f"taxi_plate:{PLATE}") >= 0


def test_register_entries_validated_and_expire(platform: Platform) -> None:
    lic = platform.licensing
    good = {
        "authority": "E08000018",
        "decision": "revoked",
        "decided_on": "2010-01-01",
        "reason": "safeguarding",
        "first_name": "Old",
        "surname": "Case",
        "dob": "1960-01-01",
    }
    with pytest.raises(LicensingError) as bad:
        lic.import_entries([good, {**good, "decision": "granted", "dob": "1-1-60"}], OFFICER)
    assert "row 2: decision" in str(bad.value) and "row 2: dob" in str(bad.value)
    assert lic.entries() == []  # all or nothing
    lic.add_entry(good, OFFICER)  # decided over 11 years ago: kept but out of checks
    lic.add_entry(
        {**good, "decided_on": "2020-01-01", "first_name": "New", "dob": "1970-06-01"}, OFFICER
    )
    live = {e["first_name"]: e["live"] for e in lic.entries()}
    assert live == {"Old": False, "New": True}
    found = lic.check({"first_name": "Old", "surname": "Case", "dob": "1960-01-01"}, OFFICER)
    assert found.candidates == []
    found = lic.check({"first_name": "New", "surname": "Case", "dob": "1970-06-01"}, OFFICER)
    assert len(found.candidates) == 1


def test_api_check_and_decision(platform: Platform) -> None:
    from fastapi.testclient import TestClient

    from safeguard.api import create_app

    load(platform)
    platform.licensing.sync(OFFICER)
    officer = platform.accounts.add_user("lo-api", AWAY, ["licensing_officer"])
    other = platform.accounts.add_user("lo-home", HOME, ["licensing_officer"])
    police = platform.accounts.add_user("pc", POLICE, ["practitioner"])
    auth = {"Authorization": f"Bearer {officer}"}
    body = {"first_name": "Imran", "surname": "Shah", "dob": "1980-05-07"}
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        denied = client.post(
            "/api/v1/licensing/checks", json=body, headers={"Authorization": f"Bearer {police}"}
        )
        assert denied.status_code == 403
        bad = client.post("/api/v1/licensing/checks", json={**body, "dob": "7/5/80"}, headers=auth)
        assert bad.status_code == 422 and "dob" in bad.json()["error"]["message"]
        made = client.post("/api/v1/licensing/checks", json=body, headers=auth)
        assert made.status_code == 201, made.text
        check = made.json()
        assert check["candidates"][0]["strength"] == "strong"
        url = f"/api/v1/licensing/checks/{check['check_id']}/decision"
        assert client.post(url, json={"decision": "maybe"}, headers=auth).status_code == 422
        other_auth = {"Authorization": f"Bearer {other}"}
        assert client.post(url, json={"decision": "granted"}, headers=other_auth).status_code == 403
        done = client.post(url, json={"decision": "refused", "note": "NR3S match"}, headers=auth)
        assert done.status_code == 200 and done.json()["decision"] == "refused"
