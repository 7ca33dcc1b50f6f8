"""Who saw this child: the auditor's access log of one child, by API and page, itself audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from safeguard.api import create_app
from tests.api_world import World, seeded_world
from tests.signin import sign_in


@pytest.fixture
def world(store_url: str) -> Iterator[World]:
    with seeded_world(store_url) as seeded:
        yield seeded


def test_the_auditor_sees_every_look_and_refusal_and_is_recorded(world: World) -> None:
    plat, child = world.platform, world.child
    client = TestClient(create_app(plat))
    police = {"Authorization": f"Bearer {world.tokens['practitioner']}"}
    statistician = {"Authorization": f"Bearer {world.tokens['statistician']}"}
    client.get(
        f"/api/v1/children/{child}/chronology", params={"reason": "s47 enquiry"}, headers=police
    )
    client.get(
        f"/api/v1/children/{child}/chronology", params={"reason": "curious"}, headers=statistician
    )
    auditor = {"Authorization": f"Bearer {world.tokens['auditor']}"}
    url = f"/api/v1/audit/children/{child}/access"
    body = client.get(url, params={"reason": "complaint from the mother"}, headers=auditor).json()
    reasons = [(e["role"], e["reason"], e["outcome"]) for e in body["entries"]]
    assert ("practitioner", "s47 enquiry", "allowed") in reasons
    assert ("statistician", "curious", "denied") in reasons
    assert body["refused"] >= 1 and body["people"] >= 2
    # The auditor's look is on the record: the next answer shows it.
    again = client.get(url, params={"reason": "follow-up"}, headers=auditor).json()
    assert ("auditor", "complaint from the mother", "allowed") in [
        (e["role"], e["reason"], e["outcome"]) for e in again["entries"]
    ]
    # Nobody else may ask, and asking is itself recorded as a refusal.
    refused = client.get(url, params={"reason": "just looking"}, headers=police)
    assert refused.status_code == 403 and "auditors" in refused.json()["error"]["message"]
    with plat.uow() as uow:
        seq, _ = uow.audit.last()
        last = uow.audit.entries(after_seq=seq - 1, limit=1)[0]
    assert (last.action, last.outcome, last.role) == (
        "audit.access_history",
        "denied",
        "practitioner",
    )
    assert client.get(url, headers=auditor).status_code == 422  # no reason, no look
    missing = client.get(
        "/api/v1/audit/children/SG-99999999-9/access", params={"reason": "x" * 5}, headers=auditor
    )
    assert missing.status_code == 404


def test_the_auditor_page_asks_for_a_reason_and_lists_the_log(world: World) -> None:
    client = TestClient(create_app(world.platform))
    assert sign_in(client, world.tokens["auditor"]).status_code == 200
    home = client.get("/")
    assert 'href="/audit/children"' in home.text
    form = client.get("/audit/children", params={"ref": world.child})
    assert form.status_code == 400 and "Say why you are looking" in form.text
    went = client.get(
        "/audit/children",
        params={"ref": world.child, "reason": "subject access request"},
        follow_redirects=False,
    )
    assert went.status_code == 303
    page = client.get(went.headers["location"])
    assert page.status_code == 200 and "access-log" in page.text
    assert "subject access request" in page.text
    client.cookies.clear()
    assert sign_in(client, world.tokens["practitioner"]).status_code == 200
    assert client.get("/audit/children").status_code == 403
    assert 'href="/audit/children"' not in client.get("/").text
