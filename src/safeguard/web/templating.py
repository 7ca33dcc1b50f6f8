"""Templates and the signed session cookie that carries a user's token between pages."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer

from safeguard.web import labels

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
labels.install(templates.env)

SESSION_COOKIE = "sg_session"
SESSION_MAX_AGE = 8 * 3600
#: Before sign-in there is no session to bind a form token to: the sign-in page sets this
#: random, same-site-only cookie and binds the form to it (no forged sign-in from elsewhere).
LOGIN_COOKIE = "sg_login"
LOGIN_MAX_AGE = 3600


def login_binding(nonce: str) -> str:
    """What the sign-in form's token is bound to (never a valid session cookie)."""
    return f"login:{nonce}"


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="safeguard-session")


def seal_session(secret: str, token: str) -> str:
    return _serializer(secret).dumps(token)


def open_session(secret: str, cookie: str | None) -> str | None:
    if not cookie:
        return None
    try:
        token = _serializer(secret).loads(cookie, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


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
