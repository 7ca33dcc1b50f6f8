"""The API over both stores: tokens, roles, agencies, need to know and clear JSON errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from safeguard.api import create_app
from safeguard.bootstrap import Platform
from safeguard.domain.actors import Account
from safeguard.store.tables import users
from safeguard.web.templating import SESSION_COOKIE
from tests.samples import CRIME, MASH, OTHER_CSC, POLICE, TWO_CHILDREN
from tests.signin import sign_in


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform), raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def upload(
    client: TestClient, token: str, agency: str, content: bytes, name: str = "p.csv"
) -> tuple[int, dict[str, object]]:
    response = client.post(
        "/api/v1/submissions",
        headers=bearer(token),
        files={"file": (name, content, "text/csv")},
        data={"agency": agency},
    )
    return response.status_code, response.json()


def test_no_token_and_bad_token_are_401_json(client: TestClient) -> None:
    for headers in ({}, bearer("sg_not-a-real-token")):
        response = client.get("/api/v1/persons", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/json")
        assert "token" in response.json()["error"]["message"]


def test_submission_needs_the_right_role_and_agency(client: TestClient, platform: Platform) -> None:
    system = platform.accounts.add_user("police-rms", POLICE, ["agency_system"])
    worker = platform.accounts.add_user("officer", POLICE, ["practitioner"])
    status, body = upload(client, system, OTHER_CSC, TWO_CHILDREN)
    assert status == 403 and "may not submit for" in body["error"]["message"]  # type: ignore[index]
    status, body = upload(client, worker, POLICE, TWO_CHILDREN)
    assert status == 403 and "may not submit" in body["error"]["message"]  # type: ignore[index]
    status, body = upload(client, system, POLICE, TWO_CHILDREN)
    assert status == 200 and body["new_records"] == 3
    status, body = upload(client, system, POLICE, TWO_CHILDREN)
    assert status == 200 and body["duplicate"] is True


def test_a_bad_submission_is_422_with_row_errors(client: TestClient, platform: Platform) -> None:
    system = platform.accounts.add_user("police-rms", POLICE, ["agency_system"])
    bad = TWO_CHILDREN.replace(b"2010-05-01", b"2010-02-30")
    status, body = upload(client, system, POLICE, bad)
    assert status == 422
    errors = body["error"]["errors"]  # type: ignore[index]
    assert errors == [
        {
            "row": 1,
            "field": "dob",
            "value": "2010-02-30",
            "message": "is not a real date in YYYY-MM-DD form",
        }
    ]


def _load(platform: Platform) -> str:
    system = Account("police-rms", "agency_system", POLICE)
    platform.ingest.submit(TWO_CHILDREN, "p.csv", POLICE, system)
    platform.ingest.submit(CRIME, "e.csv", POLICE, system)
    with platform.uow() as uow:
        return str(uow.records.history(POLICE, "P1")[0].person_id)


def test_need_to_know_on_the_person_view(client: TestClient, platform: Platform) -> None:
    person_id = _load(platform)
    allowed = {
        "own agency": platform.accounts.add_user("officer", POLICE, ["practitioner"]),
        "MASH of the child's area": platform.accounts.add_user("hub", MASH, ["mash"]),
    }
    denied = {
        "other agency": platform.accounts.add_user("leeds", OTHER_CSC, ["practitioner"]),
        "statistician": platform.accounts.add_user("stats", POLICE, ["statistician"]),
        "admin": platform.accounts.add_user("root", POLICE, ["admin"]),
    }
    for who, token in allowed.items():
        response = client.get(f"/api/v1/persons/{person_id}", headers=bearer(token))
        assert response.status_code == 200, who
        assert response.json()["events"][0]["offence_code"] == "71"
    for who, token in denied.items():
        response = client.get(f"/api/v1/persons/{person_id}", headers=bearer(token))
        assert response.status_code == 403, who
        assert response.json()["error"]["message"].startswith("access denied")
    with platform.uow() as uow:
        reads = [e for e in uow.audit.for_subject(f"person:{person_id}")]
    assert sorted(e.outcome for e in reads) == ["allowed"] * 2 + ["denied"] * 3


def test_search_sees_only_what_the_agency_may(client: TestClient, platform: Platform) -> None:
    _load(platform)
    officer = platform.accounts.add_user("officer", POLICE, ["practitioner"])
    leeds = platform.accounts.add_user("leeds", OTHER_CSC, ["practitioner"])
    hits = client.get("/api/v1/persons", params={"name": "hart"}, headers=bearer(officer)).json()
    assert [h["surname"] for h in hits] == ["Hartley"]
    assert (
        client.get("/api/v1/persons", params={"name": "hart"}, headers=bearer(leeds)).json() == []
    )


def test_unknown_person_is_404_and_bad_query_is_422(client: TestClient, platform: Platform) -> None:
    officer = platform.accounts.add_user("officer", POLICE, ["practitioner"])
    response = client.get("/api/v1/persons/nobody", headers=bearer(officer))
    assert response.status_code == 404 and "nobody" in response.json()["error"]["message"]
    response = client.get("/api/v1/persons", params={"dob": "not-a-date"}, headers=bearer(officer))
    assert response.status_code == 422 and response.json()["error"]["problems"]


def test_revoked_and_expired_tokens_are_refused(client: TestClient, platform: Platform) -> None:
    token = platform.accounts.add_user("officer", POLICE, ["practitioner"])
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    platform.accounts.revoke("officer")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    other = platform.accounts.add_user("officer2", POLICE, ["practitioner"])
    with platform.engine.begin() as conn:
        conn.execute(
            update(users).where(users.c.name == "officer2").values(expires_at=users.c.created_at)
        )
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 401


def test_docs_are_served_locally_with_security_headers(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/openapi.json").json()
    assert "/api/v1/submissions" in schema["paths"]
    page = client.get("/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"


def test_sign_in_is_throttled_after_repeated_failures(client: TestClient) -> None:
    from safeguard.web.routes import LOGIN_THROTTLE

    LOGIN_THROTTLE._failures.clear()
    try:
        for _ in range(10):
            assert sign_in(client, "sg_wrong").status_code == 401
        blocked = sign_in(client, "sg_wrong")
        assert blocked.status_code == 429 and "Retry-After" in blocked.headers
        assert "Too many failed sign-ins" in blocked.text
    finally:
        LOGIN_THROTTLE._failures.clear()


def test_a_forged_sign_in_is_refused(platform: Platform) -> None:
    """Login CSRF: a form posted from another site (no sign-in cookie, or a token for another
    browser's cookie) must not sign the browser in as the attacker's account."""
    token = platform.accounts.add_user("sw", "CSC-E08000018", ["practitioner"])
    client = TestClient(create_app(platform))
    forged = client.post("/login", data={"token": token}, follow_redirects=False)
    assert forged.status_code == 403 and "did not come from this site" in forged.text
    assert SESSION_COOKIE not in forged.cookies
    other = TestClient(create_app(platform))
    other.get("/login")
    stolen = sign_in(other, token, follow_redirects=False).request
    client.get("/login")
    replay = client.post(
        "/login", content=stolen.content, headers={"content-type": stolen.headers["content-type"]}
    )
    assert replay.status_code == 403
    signed_in = sign_in(client, token, follow_redirects=False)
    assert signed_in.status_code == 303 and SESSION_COOKIE in signed_in.cookies
