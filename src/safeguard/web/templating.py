"""Templates, the session cookie (a random server-side session id) and form tokens."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from fastapi.templating import Jinja2Templates

from safeguard.accounts.sessions import SESSION_HOURS
from safeguard.web import labels

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
labels.install(templates.env)

SESSION_COOKIE = "sg_session"
SESSION_MAX_AGE = SESSION_HOURS * 3600
#: Before sign-in there is no session to bind a form token to: the sign-in page sets this
#: random, same-site-only cookie and binds the form to it (no forged sign-in from elsewhere).
LOGIN_COOKIE = "sg_login"
LOGIN_MAX_AGE = 3600


def login_binding(nonce: str) -> str:
    """What the sign-in form's token is bound to (never a valid session cookie)."""
    return f"login:{nonce}"


def local_path(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another host), else '/'."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def csrf_token(secret: str, session_cookie: str) -> str:
    """A form token bound to the session, so another site cannot post on the user's behalf."""
    return hmac.new(secret.encode(), session_cookie.encode(), hashlib.sha256).hexdigest()[:40]


def csrf_ok(secret: str, session_cookie: str | None, submitted: str | None) -> bool:
    if not session_cookie or not submitted:
        return False
    return hmac.compare_digest(csrf_token(secret, session_cookie), submitted)
