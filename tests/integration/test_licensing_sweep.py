"""The licensing sweep on both stores: a licence granted after a refusal elsewhere raises one
notice to the granting authority, with the evidence; one granted before it does not."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from safeguard.bootstrap import Platform
from safeguard.domain.actors import Account, User
from safeguard.synth.identifiers import driving_licence
from tests.samples import events_csv, persons_csv

HOME, AWAY, EARLY = "LIC-E08000018", "LIC-E08000005", "LIC-E08000004"
DL = driving_licence("Shah", "Imran", None, date(1980, 5, 7), "M")
DRIVER = {"first_name": "Imran", "surname": "Shah", "dob": "1980-05-07", "sex": "M",
          "ethnicity": "NS", "nationality": "NS", "nhs_number": "",
          "postcode": "OL11 1AA"}  # fmt: skip
# a second driver known only by name and date of birth (no DVLA number anywhere)
OTHER = {**DRIVER, "first_name": "Tariq", "surname": "Hussain", "dob": "1975-11-20"}
OFFICER = User("lo", HOME, ("licensing_officer",))


def decision(local_id: str, on: str, subject: str, **d: str) -> dict[str, str]:
    return {"local_id": local_id, "event_type": "licensing_decision", "occurred_at": on,
            "participants": f"subject:{subject}", "postcode": "",
            "details": json.dumps({"licence_type": "phv", **d})}  # fmt: skip


def send(platform: Platform, agency: str, people: bytes, events: bytes) -> None:
    who = Account("sys", "agency_system", agency)
    platform.ingest.submit(people, "persons.csv", agency, who)
    platform.ingest.submit(events, "events.csv", agency, who)


def load(platform: Platform) -> None:
    # Rotherham refuses Imran Shah on 2021-01-10; Rochdale grants him on 2021-09-01 (the
    # loophole); Oldham had granted him on 2020-03-01, before the refusal (not a loophole).
    send(platform, HOME, persons_csv({**DRIVER, "local_id": "D1"}),
         events_csv(decision("L1", "2021-01-10", "D1", decision="refused",
                             driving_licence=DL, reason_category="safeguarding")))  # fmt: skip
    send(platform, AWAY,
         persons_csv({**DRIVER, "first_name": "Imraan", "local_id": "D9"},
                     {**OTHER, "first_name": "Tarik", "local_id": "D8"}),
         events_csv(decision("L9", "2021-09-01", "D9", decision="granted", driving_licence=DL,
                             licence_number="R1"),
                    decision("L8", "2022-04-04", "D8", decision="granted", licence_number="R2"),
                    decision("L7", "2022-04-04", "D9", decision="granted", licence_number="R3"),
                    decision("L6", "2022-06-01", "D9", decision="revoked", licence_number="R3"),
                    ))  # fmt: skip
    send(platform, EARLY, persons_csv({**DRIVER, "local_id": "D5"}),
         events_csv(decision("L5", "2020-03-01", "D5", decision="granted", driving_licence=DL,
                             licence_number="O1")))  # fmt: skip


def test_sweep_flags_the_licence_granted_after_a_refusal(platform: Platform) -> None:
    load(platform)
    lic = platform.licensing
    assert lic.sync(OFFICER) == 2  # the refusal (and R3's revocation) enter the register, swept
    notices = [n for n in lic.notices() if n["subject"].startswith("register:")]
    assert [(n["agency_code"], n["event_local_id"]) for n in notices] == [(AWAY, "L9")]
    [notice] = notices
    evidence = json.loads(notice["evidence"])
    assert (evidence["authority"], evidence["decision"], evidence["decided_on"]) == (
        "E08000018",
        "refused",
        "2021-01-10",
    )
    assert evidence["reason"] == "safeguarding" and evidence["strength"] == "licence"
    assert "E08000018 refused the same driver on 2021-01-10" in notice["reason"]
    assert lic.notices(EARLY) == []  # granted before the refusal; R3 was revoked since

    # idempotent: the nightly sweep and a second sync raise nothing new
    assert lic.sweep(OFFICER) == 0 and lic.sync(OFFICER) == 0
    assert len([n for n in lic.notices() if n["subject"].startswith("register:")]) == 1
    with platform.uow() as uow:
        sweeps = [e for e in uow.audit.entries() if e.action == "licensing.sweep"]
    assert [e.subject for e in sweeps] == ["notices:1", "notices:0"]


def test_an_added_entry_is_checked_against_current_licences(platform: Platform) -> None:
    load(platform)
    lic = platform.licensing
    # an officer records an old revocation of Tariq Hussain (no DVLA number): Rochdale's
    # licence of 2022 to "Tarik Hussain" is found by name and date of birth when it is added
    entry = lic.add_entry(
        {"authority": "E08000004", "decision": "revoked", "decided_on": "2019-02-02",
         "reason": "safeguarding", "first_name": "Tariq", "surname": "Hussain",
         "dob": "1975-11-20", "sex": "M"},
        OFFICER,
    )  # fmt: skip
    [notice] = lic.notices(AWAY)
    assert notice["subject"] == f"register:{entry}" and notice["event_local_id"] == "L8"
    assert json.loads(notice["evidence"])["strength"] in ("strong", "possible")
    assert lic.sweep(OFFICER) == 0  # the Rotherham refusal is not on the register until sync
    assert lic.sync(OFFICER) == 2 and len(lic.notices(AWAY)) == 2


def test_api_lists_the_authoritys_notices_with_evidence(platform: Platform) -> None:
    from fastapi.testclient import TestClient

    from safeguard.api import create_app

    load(platform)
    platform.licensing.sync(OFFICER)
    rochdale = platform.accounts.add_user("lo-r", AWAY, ["licensing_officer"])
    oldham = platform.accounts.add_user("lo-o", EARLY, ["licensing_officer"])
    police = platform.accounts.add_user("pc", "POLICE-E23000011", ["practitioner"])
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:

        def get(token: str) -> Any:
            return client.get("/api/v1/licensing/notices",
                              headers={"Authorization": f"Bearer {token}"})  # fmt: skip

        [notice] = get(rochdale).json()
        assert notice["event"] == f"{AWAY}/L9" and notice["event_type"] == "licensing_decision"
        assert notice["evidence"]["authority"] == "E08000018"
        assert notice["created_at"].endswith(("Z", "+00:00"))
        assert get(oldham).json() == []
        assert get(police).status_code == 403


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", url)
    return url


def test_cli_sweep(cli_store: str) -> None:
    from safeguard.bootstrap import bootstrap
    from safeguard.cli import app
    from safeguard.config import Settings

    platform = bootstrap(Settings(database_url=cli_store, environment="test"))
    try:
        load(platform)
        platform.licensing.add_entry(
            {"authority": "E08000018", "decision": "refused", "decided_on": "2021-01-10",
             "first_name": "Imran", "surname": "Shah", "dob": "1980-05-07",
             "driving_licence": DL},
            OFFICER,
        )  # fmt: skip
    finally:
        platform.close()
    runner = CliRunner(env={"COLUMNS": "250"})
    first = runner.invoke(app, ["licensing", "sweep"])
    assert first.exit_code == 0, first.output
    assert "Raised 0 new notices" in first.output  # already raised when the entry was added
    assert "LIC-E08000005" in first.output and "register:1" in first.output
    assert "Raised 0 new notices" in runner.invoke(app, ["licensing", "sweep"]).output
