"""The sharing API and pages in-process: inbox, acknowledge, report, chronology, break-glass."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from safeguard.api import create_app
from safeguard.domain.actors import Account
from safeguard.web.templating import SESSION_COOKIE, csrf_token
from tests.conftest import Clocked
from tests.samples import CRIME, CSC, MASH, OTHER_CSC, POLICE, TWO_CHILDREN
from tests.signin import sign_in


@pytest.fixture
def client(clocked: Clocked) -> Iterator[TestClient]:
    system = Account("police-rms", "agency_system", POLICE)
    clocked.platform.ingest.submit(TWO_CHILDREN, "p.csv", POLICE, system)
    clocked.platform.ingest.submit(CRIME, "e.csv", POLICE, system)
    with TestClient(create_app(clocked.platform), raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_inbox_acknowledge_and_report_over_the_api(client: TestClient, clocked: Clocked) -> None:
    sw = bearer(clocked.platform.accounts.add_user("sw", CSC, ["practitioner"]))
    inbox = client.get("/api/v1/sharing/inbox", headers=sw).json()
    assert [i["event_local_id"] for i in inbox] == ["C1", "C2"]
    done = client.post(f"/api/v1/sharing/shares/{inbox[0]['id']}/acknowledge", headers=sw)
    assert done.status_code == 200 and done.json()["acknowledged_by"] == "sw"
    missing = client.post("/api/v1/sharing/shares/999/acknowledge", headers=sw)
    assert missing.status_code == 404
    # the report is about agencies: a hub, the statistician and the auditor read it, not anyone
    for path in ("/api/v1/sharing/report", "/api/v1/sharing/report.csv"):
        assert client.get(path, headers=sw).status_code == 403
    stats = bearer(clocked.platform.accounts.add_user("st", POLICE, ["statistician"]))
    report = client.get("/api/v1/sharing/report", params={"from": "2024-01-01"}, headers=stats)
    assert {r["obligation"] for r in report.json()} >= {"police-csc-child-sexual-offence"}
    csv = client.get("/api/v1/sharing/report.csv", headers=stats)
    assert csv.text.startswith("agency,obligation,due,on_time,late,not_shared,timing_unknown")


def test_chronology_api_needs_a_relationship_or_break_glass(
    client: TestClient, clocked: Clocked
) -> None:
    with clocked.platform.uow() as uow:
        child = uow.records.history(POLICE, "P1")[0].person_id
    sw = bearer(clocked.platform.accounts.add_user("sw", CSC, ["practitioner"]))
    leeds = bearer(clocked.platform.accounts.add_user("leeds", OTHER_CSC, ["practitioner"]))
    ok = client.get(f"/api/v1/children/{child}/chronology", headers=sw)
    assert ok.status_code == 200 and ok.json()["events"][0]["local_id"] == "C1"
    refused = client.get(f"/api/v1/children/{child}/chronology", headers=leeds)
    assert refused.status_code == 403
    glass = client.get(
        f"/api/v1/children/{child}/chronology",
        params={"break_glass": "child at immediate risk, police unreachable tonight"},
        headers=leeds,
    )
    assert glass.status_code == 200 and glass.json()["basis"].startswith("break-glass")
    assert client.get("/api/v1/children/SG-nobody/chronology", headers=sw).status_code == 404


def test_pages_render_and_acknowledge_needs_csrf(client: TestClient, clocked: Clocked) -> None:
    token = clocked.platform.accounts.add_user("sw", CSC, ["practitioner"])
    sign_in(client, token)
    page = client.get("/sharing/inbox")
    assert page.status_code == 200 and "Acknowledge" in page.text
    share = clocked.platform.sharing.inbox(clocked.platform.accounts.authenticate(token))[0]  # type: ignore[arg-type]
    forged = client.post(f"/sharing/shares/{share.id}/acknowledge", data={"csrf": "x"})
    assert forged.status_code == 403
    secret = clocked.platform.settings.secret_key
    good = csrf_token(secret, client.cookies[SESSION_COOKIE])
    done = client.post(f"/sharing/shares/{share.id}/acknowledge", data={"csrf": good})
    assert (
        done.status_code == 200
        and "acknowledged by sw" in client.get("/sharing/inbox?all=true").text
    )
    assert client.get("/sharing/report").status_code == 403  # a practitioner: not the report
    hub = TestClient(client.app)
    sign_in(hub, clocked.platform.accounts.add_user("hub", MASH, ["mash"]))
    report = hub.get("/sharing/report")
    inline_script = re.search(r"<script(?![^>]*\bsrc=)", report.text)
    assert report.status_code == 200 and "<svg" in report.text and inline_script is None


def test_person_view_pseudonymised_for_analysts_and_break_glass_for_others(
    client: TestClient, clocked: Clocked
) -> None:
    with clocked.platform.uow() as uow:
        child = uow.records.history(POLICE, "P1")[0].person_id
    analyst = bearer(clocked.platform.accounts.add_user("an", POLICE, ["analyst"]))
    body = client.get(f"/api/v1/persons/{child}", headers=analyst).json()
    assert body["person_id"].startswith("P-") and child not in str(body)
    record = body["records"][0]
    assert "first_name" not in record and "nhs_number" not in record
    assert record["dob"] == "2010" and record["postcode"] == "S60"
    stats = bearer(clocked.platform.accounts.add_user("st", POLICE, ["statistician"]))
    assert client.get(f"/api/v1/persons/{child}", headers=stats).status_code == 403
    leeds = bearer(clocked.platform.accounts.add_user("leeds", OTHER_CSC, ["practitioner"]))
    assert client.get(f"/api/v1/persons/{child}", headers=leeds).status_code == 403
    short = client.get(f"/api/v1/persons/{child}", params={"break_glass": "urgent"}, headers=leeds)
    assert short.status_code == 403 and "20 characters" in short.json()["error"]["message"]
    glass = client.get(
        f"/api/v1/persons/{child}",
        params={"break_glass": "child missing overnight, police unreachable"},
        headers=leeds,
    )
    assert glass.status_code == 200 and glass.json()["records"][0]["first_name"] == "Amelia"
    assert [b["user_name"] for b in clocked.platform.audit.break_glass_queue()] == ["leeds"]
