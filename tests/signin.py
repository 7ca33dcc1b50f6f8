"""Signing in through the web form as a browser does: fetch the form, post it with its token."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient


def sign_in(client: TestClient, token: str, **kwargs: Any) -> Any:
    """GET /login (which sets the sign-in cookie), then POST the form with its CSRF token."""
    form = client.get("/login")
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text)
    assert found, "the sign-in form carries no CSRF token"
    return client.post("/login", data={"token": token, "csrf": found.group(1)}, **kwargs)
