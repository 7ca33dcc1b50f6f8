"""The risk API and pages in-process: list, read, assign, decide (CSRF), report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from safeguard.api import create_app
from safeguard.web.templating import SESSION_COOKIE, csrf_token
from tests.risk_samples import MASH, POLICE, Env, make_env, raise_alert
from tests.signin import sign_in


@pytest.fixture
def env(store_url: str) -> Iterator[Env]:
    yield from make_env(store_url)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_alerts_over_the_api(env: Env) -> None:
    aid = raise_alert(env)
    hub = bearer(env.platform.accounts.add_user("hub1", MASH, ["mash"]))
    other = bearer(env.platform.accounts.add_user("leeds", "MASH-E08000035", ["mash"]))
    police = bearer(env.platform.accounts.add_user("pc", POLICE, ["practitioner"]))
    with TestClient(create_app(env.platform), raise_server_exceptions=False) as client:
        listed = client.get("/api/v1/risk/alerts", headers=hub).json()
        assert [a["id"] for a in listed] == [aid] and listed[0]["status"] == "raised"
        assert "child_ref" in listed[0]  # set once identity has issued the child a reference
        assert client.get("/api/v1/risk/alerts", headers=police).status_code == 403
        assert client.get(f"/api/v1/risk/alerts/{aid}", headers=other).status_code == 403
        assert client.get("/api/v1/risk/alerts/999", headers=hub).status_code == 404
        one = client.get(f"/api/v1/risk/alerts/{aid}", headers=hub).json()
        assert {e["indicator"] for e in one["alert"]["evidence"]} >= {"repeated_missing"}
        done = client.post(
            f"/api/v1/risk/alerts/{aid}/assign", json={"assignee": "hub1"}, headers=hub
        )
        assert done.status_code == 200 and done.json()["alert"]["assigned_to"] == "hub1"
        bad = client.post(
            f"/api/v1/risk/alerts/{aid}/decision",
            json={"outcome": "shrug", "reason": "no reason at all here"},
            headers=hub,
        )
        assert bad.status_code == 422 and "not one of" in bad.text
        ok = client.post(
            f"/api/v1/risk/alerts/{aid}/decision",
            json={"outcome": "police_referral", "reason": "Crime suspected; refer"},
            headers=hub,
        )
        assert ok.json()["alert"]["status"] == "decided"
        assert [h["action"] for h in ok.json()["history"]] == ["raised", "assigned", "decided"]
        report = client.get("/api/v1/risk/report", headers=hub).json()
        assert report[0]["decided_on_time"] == 1


def test_alert_pages_and_decision_form(env: Env) -> None:
    aid = raise_alert(env)
    token = env.platform.accounts.add_user("hub1", MASH, ["mash"])
    with TestClient(create_app(env.platform), raise_server_exceptions=False) as client:
        sign_in(client, token, follow_redirects=False)
        page = client.get("/risk/alerts")
        assert page.status_code == 200 and f"/risk/alerts/{aid}" in page.text
        alert = client.get(f"/risk/alerts/{aid}")
        assert "Evidence chronology" in alert.text and "repeated missing" in alert.text
        forged = client.post(
            f"/risk/alerts/{aid}/decision",
            data={"outcome": "section_47", "reason": "x" * 20, "csrf": "bad"},
        )
        assert forged.status_code == 403
        csrf = csrf_token(env.platform.settings.secret_key, client.cookies.get(SESSION_COOKIE))
        short = client.post(
            f"/risk/alerts/{aid}/decision",
            data={"outcome": "section_47", "reason": "short", "csrf": csrf},
        )
        assert short.status_code == 422 and "reason" in short.text
        done = client.post(
            f"/risk/alerts/{aid}/decision",
            data={"outcome": "section_47", "reason": "Threshold met for s47", "csrf": csrf},
        )
        assert done.status_code == 200 and "Threshold met for s47" in done.text
        report = client.get("/risk/report")
        assert report.status_code == 200 and "<svg" in report.text
