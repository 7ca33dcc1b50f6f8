"""Page sessions are held on the server (issue 19): the cookie carries a random session id, not
the API token; only its hash is stored, with an end time; signing out deletes it so a copied
cookie stops working; signing in again makes a new one; revoking the user ends it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from safeguard.accounts.service import hash_token
from safeguard.api import create_app
from safeguard.bootstrap import Platform
from safeguard.store.tables import web_sessions
from safeguard.web.templating import SESSION_COOKIE
from tests.samples import MASH
from tests.signin import sign_in


def signed_in(platform: Platform, token: str) -> tuple[TestClient, str]:
    client = TestClient(create_app(platform), follow_redirects=False)
    response = sign_in(client, token)
    assert response.status_code == 303, response.text
    return client, response.cookies[SESSION_COOKIE]


def home(platform: Platform, cookie: str) -> int:
    """Status of the home page for a browser presenting ``cookie`` (303 to /login if none)."""
    client = TestClient(create_app(platform), follow_redirects=False)
    client.cookies.set(SESSION_COOKIE, cookie)
    return client.get("/").status_code


def test_the_cookie_is_a_random_id_stored_only_as_its_hash(platform: Platform) -> None:
    token = platform.accounts.add_user("hub", MASH, ["mash"])
    _, cookie = signed_in(platform, token)
    assert token not in cookie and cookie.startswith("sgs_") and len(cookie) > 40
    with platform.uow() as uow:
        rows = list(uow.connection.execute(select(web_sessions)))
    assert [r.id_hash for r in rows] == [hash_token(cookie)]
    ends = (
        rows[0].expires_at if rows[0].expires_at.tzinfo else rows[0].expires_at.replace(tzinfo=UTC)
    )
    assert ends - datetime.now(UTC) <= timedelta(hours=8)
    assert home(platform, cookie) == 200
    assert home(platform, token) == 303  # the API token itself is not a session


def test_signing_out_ends_the_session_so_the_old_cookie_stops_working(platform: Platform) -> None:
    token = platform.accounts.add_user("hub", MASH, ["mash"])
    client, cookie = signed_in(platform, token)
    page = client.get("/")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert csrf is not None
    out = client.post("/logout", data={"csrf": csrf.group(1)})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert home(platform, cookie) == 303  # a copy of the cookie opens nothing now
    with platform.uow() as uow:
        assert list(uow.connection.execute(select(web_sessions))) == []
        actions = [e.action for e in uow.audit.entries() if e.user_name == "hub"]
    assert "auth.sign_in" in actions and actions[-1] == "auth.sign_out"


def test_signing_in_again_rotates_the_session(platform: Platform) -> None:
    token = platform.accounts.add_user("hub", MASH, ["mash"])
    client, first = signed_in(platform, token)
    again = sign_in(client, token)  # the browser still holds the first cookie
    second = again.cookies[SESSION_COOKIE]
    assert second != first
    assert home(platform, first) == 303 and home(platform, second) == 200


def test_an_expired_session_or_a_revoked_user_opens_nothing(platform: Platform) -> None:
    token = platform.accounts.add_user("hub", MASH, ["mash"])
    _, cookie = signed_in(platform, token)
    with platform.uow() as uow:
        uow.connection.execute(
            update(web_sessions).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    assert home(platform, cookie) == 303
    _, cookie = signed_in(platform, token)
    platform.accounts.revoke("hub")
    assert home(platform, cookie) == 303
    with platform.uow() as uow:
        last = uow.audit.entries()[-1]
    assert (last.action, last.outcome, last.user_name) == ("auth.token", "denied", "hub")
