"""Smaller gaps an outside probe found: deep or huge JSON in a feed is a row-level error (not a
500), backups are owner-only, a revocation is audited, HSTS over HTTPS."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from safeguard.api import create_app
from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from safeguard.store.backup import backup
from tests.api_world import seeded_world

EVENT = '{"local_id":"E9","event_type":"crime","occurred_at":"2024-01-01T00:00:00Z",'


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (EVENT + '"details":' + "[" * 60000 + "]" * 60000 + "}", "too deeply"),
        (EVENT + '"details":' + "[" * 40 + "]" * 40 + "}", "more than 32 levels deep"),
        (EVENT + '"offence_code":' + "9" * 5000 + "}", "a number too long"),
    ],
)
def test_hostile_json_in_a_feed_is_a_row_error(tmp_path: Path, line: str, says: str) -> None:
    with seeded_world(f"sqlite:///{tmp_path}/s.db") as world:
        client = TestClient(create_app(world.platform), raise_server_exceptions=False)
        response = client.post(
            "/api/v1/submissions",
            files={"file": ("e.jsonl", (line + "\n").encode())},
            data={"kind": "events", "agency": "POLICE-E23000011"},
            headers={"Authorization": f"Bearer {world.tokens['agency_system']}"},
        )
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["errors"][0]["row"] == 1 and says in body["errors"][0]["message"]
    assert "1 error;" in body["message"]


def test_a_backup_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    platform = bootstrap(Settings(database_url=f"sqlite:///{tmp_path}/s.db", environment="test"))
    try:
        path = backup(platform.engine, tmp_path / "b" / "store.backup")
    finally:
        platform.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_revoking_a_user_is_on_the_audit_log(tmp_path: Path) -> None:
    with seeded_world(f"sqlite:///{tmp_path}/s.db") as world:
        world.platform.accounts.revoke("analyst")
        with world.platform.uow() as uow:
            entries = [e for e in uow.audit.entries() if e.action == "user.revoke"]
    assert [e.subject for e in entries] == ["user:analyst"]


def test_hsts_only_over_https(tmp_path: Path) -> None:
    with seeded_world(f"sqlite:///{tmp_path}/s.db") as world:
        plain = TestClient(create_app(world.platform)).get("/login")
        secure = TestClient(create_app(world.platform), base_url="https://testserver").get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
