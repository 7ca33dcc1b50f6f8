"""Opening a licensing check (issue 19): only the checking authority's officer, with a reason
from data/licensing_read_reasons.csv; no reason is refused; every read and every refusal (wrong
role, another authority, no or unknown reason) is on the audit log, in the API and the pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from safeguard.api import create_app
from safeguard.bootstrap import Platform
from tests.integration.test_licensing_service import AWAY, HOME, OFFICER, POLICE, load
from tests.signin import sign_in

APPLICANT = {"first_name": "Imran", "surname": "Shah", "dob": "1980-05-07"}


def audit_of(platform: Platform, user: str) -> list[tuple[str, str, str]]:
    with platform.uow() as uow:
        return [(e.action, e.outcome, e.reason) for e in uow.audit.entries() if e.user_name == user]


def test_api_reads_need_the_authority_and_a_reason_and_are_audited(platform: Platform) -> None:
    load(platform)
    platform.licensing.sync(OFFICER)
    officer = platform.accounts.add_user("lo-api", AWAY, ["licensing_officer"])
    other = platform.accounts.add_user("lo-home", HOME, ["licensing_officer"])
    police = platform.accounts.add_user("pc", POLICE, ["practitioner"])
    client = TestClient(create_app(platform))
    auth = {"Authorization": f"Bearer {officer}"}
    made = client.post("/api/v1/licensing/checks", json=APPLICANT, headers=auth)
    assert made.status_code == 201, made.text
    url = f"/api/v1/licensing/checks/{made.json()['check_id']}"

    missing = client.get(url, headers=auth)
    assert missing.status_code == 422
    assert "no reason given; give reason= one of application, renewal" in missing.text
    assert client.get(url, params={"reason": "curious"}, headers=auth).status_code == 422
    read = client.get(url, params={"reason": "renewal"}, headers=auth)
    assert read.status_code == 200 and read.json()["candidates"]
    assert audit_of(platform, "lo-api")[-3:] == [
        ("licensing.check.read", "denied", "(none given)"),
        ("licensing.check.read", "denied", "curious"),
        ("licensing.check.read", "allowed", "renewal"),
    ]
    elsewhere = client.get(url, params={"reason": "review"},
                           headers={"Authorization": f"Bearer {other}"})  # fmt: skip
    assert elsewhere.status_code == 403
    assert audit_of(platform, "lo-home")[-1] == ("licensing.check.read", "denied", "review")
    not_officer = client.get(url, params={"reason": "review"},
                             headers={"Authorization": f"Bearer {police}"})  # fmt: skip
    assert not_officer.status_code == 403
    assert audit_of(platform, "pc")[-1][:2] == ("licensing.check.read", "denied")
    refused_check = client.post("/api/v1/licensing/checks", json=APPLICANT,
                                headers={"Authorization": f"Bearer {police}"})  # fmt: skip
    assert refused_check.status_code == 403
    assert audit_of(platform, "pc")[-1][:2] == ("licensing.check", "denied")
    decide = client.post(f"{url}/decision", json={"decision": "granted"},
                         headers={"Authorization": f"Bearer {other}"})  # fmt: skip
    assert decide.status_code == 403
    assert audit_of(platform, "lo-home")[-1][:2] == ("licensing.decide", "denied")


def test_the_check_page_asks_why_before_opening(platform: Platform) -> None:
    load(platform)
    platform.licensing.sync(OFFICER)
    officer = platform.accounts.add_user("lo-web", AWAY, ["licensing_officer"])
    check_id = platform.licensing.check(APPLICANT, OFFICER).check_id
    client = TestClient(create_app(platform), follow_redirects=False)
    sign_in(client, officer)
    asked = client.get(f"/licensing/checks/{check_id}")
    assert asked.status_code == 422 and "Why are you opening licensing check" in asked.text
    assert f'href="/licensing/checks/{check_id}?reason=appeal"' in asked.text
    opened = client.get(f"/licensing/checks/{check_id}", params={"reason": "appeal"})
    assert opened.status_code == 200 and "Shah" in opened.text
    assert audit_of(platform, "lo-web")[-2:] == [
        ("licensing.check.read", "denied", "(none given)"),
        ("licensing.check.read", "allowed", "appeal"),
    ]
    police = platform.accounts.add_user("pc-web", POLICE, ["practitioner"])
    other = TestClient(create_app(platform), follow_redirects=False)
    sign_in(other, police)
    assert other.get("/licensing").status_code == 403
    assert audit_of(platform, "pc-web")[-1][:2] == ("licensing.page", "denied")
