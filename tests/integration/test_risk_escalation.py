"""Escalation reaches the hub's named manager: an inbox entry on the platform always, and an
e-mail through a real SMTP server (aiosmtpd, run in-process) where one is configured. The
e-mail names the alert and the child's reference and nothing else about the child."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from safeguard.api import create_app
from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from safeguard.ingest.files import CLI_SUBMITTER
from safeguard.risk.inbox import InboxForbidden, ManagerError
from tests.conftest import FakeClock
from tests.risk_samples import MASH, Env, make_env, raise_alert
from tests.samples import PERSON_DEFAULTS


class Collect:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.received: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Collect]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


@pytest.fixture
def env(store_url: str) -> Iterator[Env]:
    yield from make_env(store_url)


@pytest.fixture
def mailing_env(store_url: str, smtp: tuple[int, Collect]) -> Iterator[Env]:
    clock = FakeClock(datetime(2024, 4, 1, 9, 0, tzinfo=UTC))
    settings = Settings(
        database_url=store_url,
        environment="test",
        smtp_host="127.0.0.1",
        smtp_port=smtp[0],
        smtp_from="safeguard@platform.example",
    )
    plat = bootstrap(settings, clock=clock)
    try:
        yield Env(plat, clock)
    finally:
        plat.close()


def test_the_named_manager_gets_an_email_naming_only_the_reference(
    mailing_env: Env, smtp: tuple[int, Collect]
) -> None:
    env, (_, handler) = mailing_env, smtp
    aid = raise_alert(env)
    env.platform.identity.link(CLI_SUBMITTER.operator())  # the child gets a reference
    lead = env.user("lead")
    env.platform.risk.inbox.name_manager(MASH, "lead", "lead@mash.example")
    assert env.platform.risk.escalate_overdue() == []
    env.clock.now += timedelta(hours=25)
    assert env.platform.risk.escalate_overdue() == [aid]
    assert env.platform.risk.escalate_overdue() == []  # once only: one e-mail
    [mail] = handler.received
    assert mail.rcpt_tos == ["lead@mash.example"]
    assert mail.mail_from == "safeguard@platform.example"
    alert, history = env.platform.risk.alert(lead, aid)
    message = BytesParser(policy=policy.default).parsebytes(mail.content)
    assert message["To"] == "lead@mash.example"
    text = message.get_body().get_content() + message["Subject"]
    assert f"Alert {aid}" in text and alert.child_ref and alert.child_ref in text
    child = PERSON_DEFAULTS
    for detail in ("first_name", "surname", "dob", "postcode", "address", "nhs_number"):
        assert child[detail] not in text, detail
    assert alert.person_id not in text
    for word in ("repeated_missing", "sexual_health", "missing", "clinic", "health"):
        assert word not in text.lower()  # no evidence either
    [note] = env.platform.risk.inbox.notifications(lead)
    assert (note.alert_id, note.email) == (aid, "sent")
    assert [h.action for h in history][-2:] == ["escalated", "emailed"]


def test_without_smtp_the_inbox_entry_is_still_recorded(env: Env) -> None:
    aid = raise_alert(env)
    lead, worker = env.user("lead"), env.user("worker")
    env.platform.risk.inbox.name_manager(MASH, "lead", "lead@mash.example")
    env.clock.now += timedelta(hours=25)
    assert env.platform.risk.escalate_overdue() == [aid]
    [note] = env.platform.risk.inbox.notifications(lead)
    assert note.email == "not configured" and note.read_at is None
    assert env.platform.risk.inbox.notifications(worker) == []
    hub = {"Authorization": f"Bearer {env.platform.accounts.issue_token('lead')}"}
    other = {"Authorization": f"Bearer {env.platform.accounts.issue_token('worker')}"}
    with TestClient(create_app(env.platform), raise_server_exceptions=False) as client:
        [listed] = client.get("/api/v1/risk/notifications", headers=hub).json()
        assert listed["alert_id"] == aid and listed["email"] == "not configured"
        path = f"/api/v1/risk/notifications/{listed['id']}/read"
        assert client.post(path, headers=other).status_code == 404  # not theirs
        assert client.post(path, headers=hub).json() == {"read": True}
        assert client.get("/api/v1/risk/notifications", headers=hub).json()[0]["read_at"]


def test_escalation_with_no_manager_named_says_so(env: Env) -> None:
    aid = raise_alert(env)
    env.clock.now += timedelta(hours=25)
    assert env.platform.risk.escalate_overdue() == [aid]
    _, history = env.platform.risk.alert(env.user("lead"), aid)
    assert "none named for MASH-E08000018" in history[-1].detail


def test_a_manager_must_be_a_practitioner_of_that_hub(env: Env) -> None:
    env.user("leeds", "MASH-E08000035")
    with pytest.raises(ManagerError, match="not a MASH practitioner of MASH-E08000018"):
        env.platform.risk.inbox.name_manager(MASH, "leeds")
    with pytest.raises(ManagerError, match="not a MASH agency"):
        env.platform.risk.inbox.name_manager("POLICE-E23000011", "leeds")
    env.user("lead")
    with pytest.raises(ManagerError, match="not an e-mail address"):
        env.platform.risk.inbox.name_manager(MASH, "lead", "lead at hub")


def test_only_mash_practitioners_have_an_inbox(env: Env) -> None:
    police = env.user("pc", "POLICE-E23000011", "practitioner")
    with pytest.raises(InboxForbidden):
        env.platform.risk.inbox.notifications(police)
    with env.platform.uow() as uow:
        last, _ = uow.audit.last()
        [entry] = uow.audit.entries(after_seq=last - 1)
    assert (entry.action, entry.outcome) == ("risk.notifications", "denied")
