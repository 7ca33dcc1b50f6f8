"""The access matrix, generated from the route table: every route marked as serving a child's
data (``safeguard.api.marks``), JSON and page alike, called as every role × relationship —
including an expired and a revoked token — with the outcome checked against the one rule the
route names, and every attempt, allowed or refused, found in the audit log. Every other route
is listed here as not serving a child's data, so a new route cannot slip through unclassified.
Pages also carry the security headers; every form post needs its CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import update
from starlette.routing import Mount, WebSocketRoute

from safeguard.accounts.roles import ROLES
from safeguard.api import create_app
from safeguard.api.marks import CHILD_DATA
from safeguard.bootstrap import Platform
from safeguard.store.tables import users
from safeguard.web.templating import SESSION_COOKIE, csrf_token
from tests.api_world import HOME_AGENCY, SCHOOL, World, seeded_world
from tests.samples import CSC, HEALTH, MASH, OTHER_CSC, POLICE

OTHER_MASH = "MASH-E08000035"
REASON = "child reported at immediate risk tonight, no partner reachable"
TOKEN_STATES = ("expired token", "revoked token")
NEED_TO_KNOW = ("own agency", "share received", "alert assigned", "break-glass", "none")
ELSEWHERE = ("own agency", "other agency")

#: Routes that serve no child's data, each with why.
NOT_CHILD_DATA: dict[tuple[str, str], str] = {
    ("MOUNT", "/static/swagger"): "Swagger UI's files",
    ("MOUNT", "/static"): "stylesheets, scripts and icons",
    ("GET", "/openapi.json"): "the API description",
    ("GET", "/docs"): "Swagger UI",
    ("GET", "/api/v1/me"): "the caller's own account",
    ("POST", "/api/v1/submissions"): "an agency system's own file; answers with counts",
    ("POST", "/api/v1/identity/resolve"): "an agency system's own record and its reference",
    ("GET", "/api/v1/sharing/report"): "per-agency compliance counts",
    ("GET", "/api/v1/sharing/report.csv"): "per-agency compliance counts",
    ("GET", "/api/v1/stats/overview"): "aggregates under disclosure control",
    ("POST", "/api/v1/licensing/checks"): "an adult applicant's licensing check",
    ("GET", "/api/v1/licensing/checks/{check_id}"): "an adult applicant's licensing check",
    ("POST", "/api/v1/licensing/checks/{check_id}/decision"): "a licensing decision",
    ("GET", "/api/v1/licensing/notices"): "notices about adult drivers and plates",
    ("GET", "/api/v1/risk/report"): "per-LA alert counts",
    ("POST", "/api/v1/risk/notifications/{notification_id}/read"): (
        "marks one of the caller's own notifications read; answers with a flag only"
    ),
    ("GET", "/audit/children"): "the auditor's lookup form; sends on to the child's access log",
    ("GET", "/login"): "sign-in form",
    ("POST", "/login"): "sign-in",
    ("POST", "/logout"): "sign-out",
    ("GET", "/"): "home page",
    ("GET", "/submissions/new"): "upload form",
    ("POST", "/submissions"): "an agency system's own file; answers with counts",
    ("GET", "/sharing/report"): "per-agency compliance counts",
    ("GET", "/stats"): "aggregates under disclosure control",
    ("GET", "/risk/report"): "per-LA alert counts",
    ("GET", "/api/v1/support/report"): "per-LA support counts (disclosure control outside a hub)",
    ("GET", "/api/v1/support/report.csv"): "per-LA support counts",
    ("GET", "/support/report"): "per-LA support counts",
    ("GET", "/api/v1/research/projects"): "research project records (no child data)",
    ("POST", "/api/v1/research/projects"): "a research project request",
    ("POST", "/api/v1/research/projects/{project_id}/decision"): "the DPO's project decision",
    ("POST", "/api/v1/research/projects/{project_id}/extracts"): "a de-identified extract",
    ("POST", "/api/v1/research/projects/{project_id}/outputs"): "aggregate tables, checked",
    ("GET", "/api/v1/research/outputs"): "aggregate tables under output checking",
    ("POST", "/api/v1/research/outputs/{output_id}/decision"): "an output checker's decision",
    ("GET", "/research/outputs"): "aggregate tables under output checking",
    ("POST", "/research/outputs/{output_id}/decision"): "an output checker's decision",
    ("GET", "/licensing"): "licensing register summary",
    ("POST", "/licensing/checks"): "an adult applicant's licensing check",
    ("GET", "/licensing/checks/{check_id}"): "an adult applicant's licensing check",
    ("POST", "/licensing/checks/{check_id}/decision"): "a licensing decision",
    ("GET", "/licensing/compliance"): "per-authority counts",
    ("GET", "/licensing/out-of-area"): "drivers working out of area (adults)",
}
#: Form posts that need no CSRF token, each with why.


@dataclass(frozen=True)
class Entry:
    """One route as the table holds it."""

    method: str
    path: str
    rule: str | None
    page: bool
    params: frozenset[str]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def route_table(app: Any) -> list[Entry]:
    """Every (method, path) the app answers, with its child-data rule, walked from app.routes
    (routers included by FastAPI are expanded into their effective routes; a mounted app's
    routes are walked under its prefix; a mount with no route table, such as static files, and
    a websocket are entries of their own, method MOUNT or WEBSOCKET, so they need naming too)."""
    found: list[Entry] = []

    def visit(route: Any, context: Any = None, prefix: str = "") -> None:
        if hasattr(route, "effective_route_contexts"):
            for ctx in route.effective_route_contexts():
                visit(ctx.original_route, ctx, prefix)
            return
        if isinstance(route, Mount):
            inner = getattr(route.app, "routes", None)
            if inner is None:  # an ASGI app (static files): named as a whole
                found.append(Entry("MOUNT", prefix + route.path, None, True, frozenset()))
            for sub in inner or ():
                visit(sub, None, prefix + route.path)
            return
        if isinstance(route, WebSocketRoute):
            found.append(Entry("WEBSOCKET", prefix + route.path, None, True, frozenset()))
            return
        path = getattr(context or route, "path", None)
        methods = getattr(context or route, "methods", None)
        if path is None or methods is None:  # anything else unknown is named, not skipped
            found.append(Entry("UNKNOWN", f"{prefix}{path or type(route).__name__}", None,
                               True, frozenset()))  # fmt: skip
            return
        path = prefix + path
        extra = getattr(context or route, "openapi_extra", None) or {}
        params: set[str] = set()
        if isinstance(route, APIRoute):
            dependant = route.dependant
            params = {p.name for p in dependant.query_params + dependant.body_params}
        page = not path.startswith("/api/")
        for method in sorted(set(methods) - {"HEAD"}):
            found.append(Entry(method, path, extra.get(CHILD_DATA), page, frozenset(params)))

    for route in app.routes:
        visit(route)
    return found


def unclassified(routes: list[Entry]) -> list[tuple[str, str]]:
    """Routes neither marked ``child_data(rule)`` nor named in NOT_CHILD_DATA."""
    return [(e.method, e.path) for e in routes if not e.rule and (e.method, e.path)
            not in NOT_CHILD_DATA]  # fmt: skip


ROUTES = route_table(create_app(cast(Platform, None)))
CHILD_ROUTES = [e for e in ROUTES if e.rule]


def relationships(rule: str) -> tuple[str, ...]:
    return (NEED_TO_KNOW if rule == "need-to-know" else ELSEWHERE) + TOKEN_STATES


def expected(rule: str, role: str, relationship: str, entry: Entry) -> bool:
    """Whether ``role`` through ``relationship`` may use a route under ``rule``."""
    if relationship in TOKEN_STATES:
        return False
    if rule == "need-to-know":
        if relationship == "break-glass" and "break_glass" not in entry.params:
            relationship = "none"  # the route takes no justification: no relationship at all
        if role in ("practitioner", "mash", "licensing_officer"):
            return relationship != "none"
        return role == "analyst" and relationship not in ("none", "break-glass")
    own = relationship == "own agency"
    return {
        "alert": role == "mash" and own,
        "mash-alerts": role == "mash",
        "network": role == "analyst" or (role == "practitioner" and own),  # own = police
        "search": role in ("practitioner", "mash"),
        # the inbox lists what reached the user's agency; acknowledging needs the share's
        # recipient ("own agency" here is the agency the share was sent to)
        "inbox": role in ("practitioner", "mash") and (own or "{share_id}" not in entry.path),
        # a hub reviews pairs in its own area: another area's hub gets its own (filtered) queue
        # but neither the explanation nor a decision about these records
        "identity-review": role == "mash" and (own or entry.path.endswith("/identity/review")),
        "referrals": role == "referral_officer" or (role == "immigration_enforcement" and own),
        # one referral: read by referral officers, the hub and police practitioners (own =
        # police) and Immigration Enforcement at its own agency; only the last moves it on
        "referral-outcome": (role == "immigration_enforcement" and own)
        or (
            entry.method == "GET"
            and (
                role in ("referral_officer", "mash")
                or (role in ("practitioner", "analyst") and own)
            )
        ),
        "audit": role == "auditor",
        # a hub works its area's offers; a practitioner those their agency must make
        "support-offers": role in ("practitioner", "mash"),
        "support-offer": role in ("practitioner", "mash") and own,
        # a school lead sees their own school's pupils only ("own" leads the child's school)
        "school-pupils": role == "school_mh_lead",
        "school-pupil": role == "school_mh_lead" and own,
    }[rule]


def agency_of(rule: str, role: str, relationship: str) -> str:
    if rule == "need-to-know":
        return {
            "own agency": POLICE,
            "share received": CSC,
            "alert assigned": MASH,  # an alert is assigned only to a user of its MASH
        }.get(relationship, OTHER_CSC if relationship in ("break-glass", "none") else POLICE)
    if relationship == "other agency":
        return OTHER_MASH if role == "mash" else OTHER_CSC
    return CSC if rule == "inbox" else HOME_AGENCY[role]


@dataclass
class Matrix:
    world: World
    client: TestClient
    users: dict[tuple[str, str, str], tuple[str, str]]  # (rule, role, relationship) -> name, token
    share_id: int
    sessions: dict[str, str]  # token -> page session id (opened before any revocation)

    def session(self, token: str) -> str:
        if token not in self.sessions:
            started = self.world.platform.sessions.start(token)
            assert started is not None
            self.sessions[token] = started[0]
        return self.sessions[token]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    folder: Path = tmp_path_factory.mktemp("matrix")
    with seeded_world(f"sqlite:///{folder}/s.db") as world:
        yield build_matrix(world)


def build_matrix(world: World, rules: set[str] | None = None, roles: Any = ROLES) -> Matrix:
    plat = world.platform
    made: dict[tuple[str, str, str], tuple[str, str]] = {}
    sessions: dict[str, str] = {}
    for rule in sorted(rules or {e.rule for e in CHILD_ROUTES if e.rule}):
        for role in roles:
            for relationship in relationships(rule):
                name = f"{rule}/{role}/{relationship}"
                token = plat.accounts.add_user(name, agency_of(rule, role, relationship), [role])
                made[(rule, role, relationship)] = (name, token)
                started = plat.sessions.start(token)  # signed in, then revoked or expired
                assert started is not None
                sessions[token] = started[0]
                if relationship == "revoked token":
                    plat.accounts.revoke(name)
                if relationship == "expired token":
                    with plat.uow() as uow:
                        uow.connection.execute(
                            update(users)
                            .where(users.c.name == name)
                            .values(expires_at=datetime.now(UTC) - timedelta(days=1))
                        )
    for (_rule, role, relationship), (name, _) in made.items():
        if role == "school_mh_lead" and relationship in ("own agency", "other agency"):
            plat.school.assign(name, SCHOOL if relationship == "own agency" else "100002")
    csc = plat.accounts.authenticate(plat.accounts.add_user("csc-reader", CSC, ["practitioner"]))
    assert csc is not None
    share_id = plat.sharing.inbox(csc)[0].id
    client = TestClient(create_app(plat), raise_server_exceptions=False, follow_redirects=False)
    return Matrix(world, client, made, share_id, sessions)


def bodies(entry: Entry, relationship: str) -> dict[str, Any]:
    """A request body the route accepts; one that changes nothing where one is possible (an
    unknown assignee, an unknown outcome), so the matrix can run in any order."""
    pair = {"left": f"{POLICE}/P1", "right": f"{HEALTH}/H1"}
    if entry.path.endswith("/assign"):
        return {"assignee": "nobody-at-all"}
    if entry.path.endswith("/alerts/{alert_id}/decision"):
        return {"outcome": "not-an-outcome", "reason": "checking access, not deciding"}
    if entry.path == "/api/v1/identity/review/decisions":
        return {
            "record_id_l": pair["left"],
            "record_id_r": pair["right"],
            "decision": "same",
            "reason": "access matrix",
        }
    if entry.path == "/identity/review/decide":
        return {**pair, "decision": "same", "reason": "access matrix"}
    if entry.path.endswith("/referrals/{referral_id}/status"):
        return {"status": "not-a-status"}  # refused as a move, after the role is checked
    if entry.path == "/licensing/checks":
        return {"first_name": "Imran", "surname": "Shah", "dob": "1980-05-07"}
    if entry.path == "/licensing/checks/{check_id}/decision":
        return {"decision": "granted"}
    if entry.path.endswith("/offers/{offer_id}/events"):
        return {"action": "not-an-action"}
    if entry.path.endswith("/pupils/{person_id}/support"):
        return {"service": "not-a-service", "action": "offered"}
    if entry.path == "/children/{ref}/chronology":
        # the form always carries a justification; only a long enough one can open the record
        return {"break_glass": REASON if relationship == "break-glass" else "too short"}
    return {}


def call(m: Matrix, entry: Entry, token: str, relationship: str) -> httpx.Response:
    world = m.world
    values = {
        "person_id": world.child,
        "ref": world.child,
        "alert_id": str(world.alert_id),
        "share_id": str(m.share_id),
        "offer_id": str(world.offer_id),
        "group_id": "no-such-group",
        "referral_id": "1",
        "fmt": "csv",
    }
    url = re.sub(r"\{(\w+)\}", lambda g: values[g.group(1)], entry.path)
    query: dict[str, str] = {}
    if "reason" in entry.params and entry.method == "GET":
        query["reason"] = "access matrix check"
    if relationship == "break-glass" and "break_glass" in entry.params and entry.method == "GET":
        query["break_glass"] = REASON
    if entry.rule == "search":
        query["name"] = "Hartley"
    if entry.path.endswith("/identity/explain"):
        query.update(left=f"{POLICE}/P1", right=f"{HEALTH}/H1")
    body = bodies(entry, relationship)
    if entry.page:
        secret = world.platform.settings.secret_key
        cookie = m.session(token)
        m.client.cookies.set(SESSION_COOKIE, cookie)
        data = {**body, "csrf": csrf_token(secret, cookie)} if entry.method == "POST" else None
        try:
            return m.client.request(entry.method, url, params=query, data=data)
        finally:
            m.client.cookies.clear()
    headers = {"Authorization": f"Bearer {token}"}
    return m.client.request(entry.method, url, params=query, json=body or None, headers=headers)


def refused(entry: Entry, response: httpx.Response, relationship: str) -> bool:
    if relationship in TOKEN_STATES:
        if entry.page:
            location = response.headers["location"]
            assert response.status_code == 303 and location.split("?")[0] == "/login"
        else:
            assert response.status_code == 401, response.text
        return True
    assert response.status_code < 500, response.text
    if entry.page and response.status_code == 303:
        assert response.headers["location"].split("?")[0] != "/login"
    # someone else's share is "not in your inbox": a 404 that does not confirm it exists
    return response.status_code == 403 or (entry.rule == "inbox" and response.status_code == 404)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("entry", CHILD_ROUTES, ids=str)
def test_every_child_data_route_as_every_role_and_relationship(
    matrix: Matrix, entry: Entry, role: str
) -> None:
    check_every_relationship(matrix, entry, role)


PG_ROUTES = [
    e
    for e in CHILD_ROUTES
    if str(e) in ("GET /api/v1/children/{ref}/chronology", "GET /risk/alerts/{alert_id}")
]


@pytest.mark.postgres
def test_representative_cases_on_postgres(postgres_url: str) -> None:
    """The same checks on PostgreSQL for a chronology (JSON) and an alert (page), three roles."""
    assert len(PG_ROUTES) == 2
    roles = ("practitioner", "mash", "analyst")
    with seeded_world(postgres_url) as world:
        m = build_matrix(world, {"need-to-know", "alert"}, roles)
        for entry in PG_ROUTES:
            for role in roles:
                check_every_relationship(m, entry, role)


def check_every_relationship(matrix: Matrix, entry: Entry, role: str) -> None:
    plat = matrix.world.platform
    assert entry.rule is not None
    for relationship in relationships(entry.rule):
        name, token = matrix.users[(entry.rule, role, relationship)]
        if relationship == "alert assigned":
            hub = plat.accounts.authenticate(matrix.world.tokens["mash"])
            assert hub is not None
            plat.risk.assign(hub, matrix.world.alert_id, name)
        with plat.uow() as uow:
            before, _ = uow.audit.last()
        response = call(matrix, entry, token, relationship)
        allowed = not refused(entry, response, relationship)
        case = (str(entry), role, relationship, response.status_code)
        assert allowed is expected(entry.rule, role, relationship, entry), case
        with plat.uow() as uow:
            mine = [e for e in uow.audit.entries(after_seq=before) if e.user_name == name]
        assert mine, f"no audit entry for {case}"
        outcomes = {e.outcome for e in mine}
        if relationship in TOKEN_STATES:
            assert [e.action for e in mine] == ["auth.token"] and outcomes == {"denied"}, case
        elif allowed:
            assert "denied" not in outcomes, case
        else:
            assert "denied" in outcomes, case
        if entry.page:
            assert_security_headers(response)


def assert_security_headers(response: httpx.Response) -> None:
    csp = response.headers["content-security-policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith(("script-src", "default-src")))
    assert "'unsafe-inline'" not in script and "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_every_route_is_classified() -> None:
    table = {(e.method, e.path): e for e in ROUTES}
    assert unclassified(ROUTES) == [], "mark these child_data(rule) or list them in NOT_CHILD_DATA"
    both = [k for k in NOT_CHILD_DATA if k in table and table[k].rule]
    stale = [k for k in NOT_CHILD_DATA if k not in table]
    assert both == [] and stale == []
    assert len(CHILD_ROUTES) >= 30  # the JSON API and the pages
    pages = [e for e in ROUTES if e.page and e.method in ("GET", "POST")]
    assert len(pages) >= 40 and any(e.rule for e in pages)  # the pages are walked too


def test_a_new_route_of_any_kind_fails_the_matrix_until_named() -> None:
    """The guard can fail: a page, an API route, a websocket, a mounted app (its routes) and
    a mounted ASGI app added to the real app are each reported until classified."""
    from fastapi import APIRouter, FastAPI, WebSocket
    from fastapi.responses import HTMLResponse
    from starlette.staticfiles import StaticFiles

    app = create_app(cast(Platform, None))
    extra = APIRouter()

    @extra.get("/new-page", response_class=HTMLResponse)
    def new_page() -> str:
        return "<p>new</p>"

    @extra.post("/api/v1/new-thing")
    def new_thing() -> dict[str, str]:
        return {}

    @extra.websocket("/live")
    async def live(socket: WebSocket) -> None:
        await socket.close()

    app.include_router(extra)
    admin = FastAPI()

    @admin.get("/children")
    def children() -> list[str]:
        return []

    app.mount("/admin", admin)
    app.mount("/exports", StaticFiles(directory=str(Path(__file__).parent)))
    assert unclassified(route_table(app)) == [
        ("GET", "/new-page"),
        ("POST", "/api/v1/new-thing"),
        ("WEBSOCKET", "/live"),
        ("GET", "/admin/openapi.json"),
        ("GET", "/admin/docs"),
        ("GET", "/admin/docs/oauth2-redirect"),
        ("GET", "/admin/redoc"),
        ("GET", "/admin/children"),
        ("MOUNT", "/exports"),
    ]


@pytest.mark.parametrize("entry", [e for e in ROUTES if e.page and e.method == "POST"], ids=str)
def test_every_form_post_needs_its_csrf_token(matrix: Matrix, entry: Entry) -> None:
    world = matrix.world
    token = world.tokens["mash"]
    secret = world.platform.settings.secret_key
    cookie = matrix.session(token)
    url = re.sub(r"\{(\w+)\}", lambda g: {"alert_id": str(world.alert_id)}.get(g.group(1), "1"),
                 entry.path)  # fmt: skip
    files = {"file": ("p.csv", b"local_id\n", "text/csv")} if "submissions" in url else None
    for csrf in (None, "0" * 40, csrf_token(secret, "another-session")):
        data = {**bodies(entry, "none"), **({"csrf": csrf} if csrf else {})}
        if entry.path == "/login":  # a forged sign-in carries a real token
            data["token"] = token
        matrix.client.cookies.set(SESSION_COOKIE, cookie)
        try:
            response = matrix.client.post(url, data=data, files=files)
        finally:
            matrix.client.cookies.clear()
        assert response.status_code == 403, (str(entry), csrf, response.text[:200])
        assert "did not come from this site" in response.text
        assert_security_headers(response)


@pytest.mark.parametrize("entry", [e for e in ROUTES if e.page and e.method == "GET"], ids=str)
def test_every_page_sends_the_security_headers(matrix: Matrix, entry: Entry) -> None:
    world = matrix.world
    values = {"alert_id": str(world.alert_id), "person_id": world.child, "ref": world.child}
    url = re.sub(r"\{(\w+)\}", lambda g: values.get(g.group(1), "1"), entry.path)
    matrix.client.cookies.set(SESSION_COOKIE, matrix.session(world.tokens["mash"]))
    try:
        response = matrix.client.get(url, params={"left": "x"})
    finally:
        matrix.client.cookies.clear()
    assert response.status_code < 500, response.text[:300]
    if entry.path == "/docs":  # Swagger UI starts itself with an inline script, there only
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        return
    assert_security_headers(response)
