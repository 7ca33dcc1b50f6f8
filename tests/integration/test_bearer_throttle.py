"""Unknown bearer tokens are limited per client address (issue 19): after twenty in five
minutes the API answers 429 with Retry-After, even to a valid token from that address, and other
addresses are not affected. Known but revoked tokens are audited, not counted."""

from __future__ import annotations

from fastapi.testclient import TestClient

from safeguard.api import create_app
from safeguard.bootstrap import Platform
from tests.samples import MASH


def me(client: TestClient, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_guessing_tokens_is_stopped_with_429_and_retry_after(platform: Platform) -> None:
    good = platform.accounts.add_user("hub", MASH, ["mash"])
    app = create_app(platform)
    guesser = TestClient(app, client=("203.0.113.7", 5000))
    elsewhere = TestClient(app, client=("198.51.100.2", 5000))
    assert [me(guesser, f"sg_guess{i}") for i in range(20)] == [401] * 20
    blocked = guesser.get("/api/v1/me", headers={"Authorization": f"Bearer {good}"})
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= 301
    assert "too many unknown tokens from your address" in blocked.json()["error"]["message"]
    assert me(elsewhere, good) == 200


def test_a_revoked_token_is_audited_not_counted(platform: Platform) -> None:
    token = platform.accounts.add_user("gone", MASH, ["mash"])
    platform.accounts.revoke("gone")
    client = TestClient(create_app(platform), client=("203.0.113.8", 5000))
    assert [me(client, token) for _ in range(25)] == [401] * 25
    with platform.uow() as uow:
        denied = [e for e in uow.audit.entries() if e.action == "auth.token"]
    assert len(denied) == 25
