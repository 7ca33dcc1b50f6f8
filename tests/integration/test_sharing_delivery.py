"""Shares made at ingest reach the partners' inboxes, are acknowledged, turn overdue, and the
compliance report counts on time, late and never made — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from safeguard.domain.actors import AccessDenied, Account
from tests.conftest import Clocked
from tests.samples import CRIME, CSC, MASH, POLICE, TWO_CHILDREN, events_csv

SYSTEM = Account("police-rms", "agency_system", POLICE)


def load(env: Clocked, events: bytes = CRIME) -> None:
    env.platform.ingest.submit(TWO_CHILDREN, "p.csv", POLICE, SYSTEM)
    env.platform.ingest.submit(events, "e.csv", POLICE, SYSTEM)


def test_obligations_fire_into_the_partners_inboxes(clocked: Clocked) -> None:
    load(clocked)
    plat = clocked.platform
    csc = plat.accounts.add_user("sw", CSC, ["practitioner"])
    hub = plat.accounts.add_user("hub", MASH, ["mash"])
    social = plat.accounts.authenticate(csc)
    mash = plat.accounts.authenticate(hub)
    assert social is not None and mash is not None
    inbox = plat.sharing.inbox(social)
    assert sorted((i.obligation, i.event_local_id) for i in inbox) == [
        ("police-csc-child-sexual-offence", "C1"),
        ("police-csc-missing-child", "C2"),
    ]
    assert [i.obligation for i in plat.sharing.inbox(mash)] == ["police-mash-child-sexual-offence"]
    assert not any(i.overdue for i in inbox)
    clocked.clock.now += timedelta(hours=25)
    assert all(i.overdue for i in plat.sharing.inbox(social))
    plat.sharing.acknowledge(social, inbox[0].id)
    assert [i.id for i in plat.sharing.inbox(social)] == [inbox[1].id]
    done = plat.sharing.inbox(social, include_acknowledged=True)
    assert done[0].acknowledged_by == "sw" and not done[0].overdue
    try:
        plat.sharing.acknowledge(mash, inbox[1].id)
    except LookupError as exc:
        assert "no share" in str(exc)
    else:
        raise AssertionError("another agency acknowledged a share not sent to it")


def test_a_new_version_of_an_event_does_not_share_again(clocked: Clocked) -> None:
    load(clocked)
    changed = CRIME.replace(b"takeaway", b"hotel")
    clocked.platform.ingest.submit(changed, "e2.csv", POLICE, SYSTEM)
    rows = clocked.platform.sharing.report()
    assert sum(r.due for r in rows) == 3


def test_report_counts_never_made_and_unknown_timing(clocked: Clocked) -> None:
    # The feed gives no recording times: however soon it is loaded, the timing is unknown
    # (load time is not the agency's sharing time).
    clocked.clock.now = datetime(2024, 4, 1, 22, 0, tzinfo=UTC)
    load(clocked)
    withheld = events_csv(
        {
            "local_id": "C3",
            "event_type": "crime",
            "occurred_at": "2024-04-03T10:00:00",
            "participants": "victim:P1",
            "offence_code": "88A",
            "details": json.dumps({"withheld": True, "withheld_reason": "covert operation"}),
        },
        {
            "local_id": "C4",
            "event_type": "crime",
            "occurred_at": "2024-04-03T11:00:00",
            "participants": "suspect:A1",
            "offence_code": "19E",
        },
    )
    clocked.clock.now = datetime(2024, 4, 5, tzinfo=UTC)
    clocked.platform.ingest.submit(withheld, "e3.csv", POLICE, SYSTEM)
    rows = {r.obligation: r for r in clocked.platform.sharing.report()}
    sexual = rows["police-csc-child-sexual-offence"]
    assert (sexual.due, sexual.on_time, sexual.late, sexual.never_made) == (3, 0, 0, 2)
    assert (sexual.timing_unknown, sexual.median_delay_hours) == (1, None)
    missing = rows["police-csc-missing-child"]
    assert (missing.due, missing.timing_unknown, missing.never_made) == (1, 1, 0)
    assert rows["police-mash-child-sexual-offence"].timing_unknown == 1
    april = clocked.platform.sharing.report(
        datetime(2024, 4, 2, tzinfo=UTC), datetime(2024, 5, 1, tzinfo=UTC)
    )
    assert [(r.obligation, r.due, r.never_made) for r in april] == [
        ("police-csc-child-sexual-offence", 2, 2)
    ]


def test_only_practitioners_and_mash_have_an_inbox(clocked: Clocked) -> None:
    token = clocked.platform.accounts.add_user("stats", CSC, ["statistician"])
    user = clocked.platform.accounts.authenticate(token)
    assert user is not None
    try:
        clocked.platform.sharing.inbox(user)
    except AccessDenied as exc:
        assert "no sharing inbox" in str(exc)
    else:
        raise AssertionError("a statistician opened an inbox")
