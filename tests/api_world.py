"""A small seeded world for driving the whole API: a child held by police and health with an
alert raised to the Rotherham MASH, a crime shared with children's social care, and one user
(with a bearer token) per role. Shared by the fuzz tests, the access matrix and the fuzz
benchmark (synthetic people, invented names)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from safeguard.accounts.roles import ROLES
from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.domain.actors import Account
from safeguard.domain.codes import IMMIGRATION_ENFORCEMENT
from tests.conftest import FakeClock
from tests.risk_samples import MISSING, clinic
from tests.samples import (
    CRIME,
    CSC,
    HEALTH,
    MASH,
    POLICE,
    TWO_CHILDREN,
    events_csv,
    persons_csv,
)

LICENSING = "LIC-E08000018"
EDU = "EDU-E08000018"
SCHOOL = "100001"  # the school P1 attends (a DfE URN); the school_mh_lead user leads it
#: P1 on the roll of SCHOOL, from the education agency's own record of her.
ROLL = events_csv(
    {
        "local_id": "R1",
        "event_type": "school_roll",
        "occurred_at": "2023-09-04",
        "participants": "subject:S1",
        "details": json.dumps({"school": SCHOOL}),
    }
)
#: The agency each role's user belongs to in the world.
HOME_AGENCY: dict[str, str] = {
    "agency_system": POLICE,
    "practitioner": POLICE,
    "mash": MASH,
    "analyst": POLICE,
    "statistician": POLICE,
    "referral_officer": POLICE,
    "immigration_enforcement": IMMIGRATION_ENFORCEMENT,
    "licensing_officer": LICENSING,
    "auditor": POLICE,
    "admin": POLICE,
    "researcher": POLICE,
    "output_checker": POLICE,
    "school_mh_lead": EDU,
}


@dataclass
class World:
    platform: Platform
    clock: FakeClock
    tokens: dict[str, str] = field(default_factory=dict)  # role -> bearer token
    child: str = ""  # person id of P1 (police and health hold records; an alert is raised)
    child_ref: str = ""
    alert_id: int = 0
    share_id: int = 0  # crime C1 about the child, shared with Rotherham CSC
    offer_id: int = 0  # the ISVA offer C1 makes due to the child (police must make it)

    def submit(self, content: bytes, agency: str, name: str) -> None:
        who = Account("sys", "agency_system", agency)
        self.platform.ingest.submit(content, name, agency, who)


def seed(platform: Platform, clock: FakeClock) -> World:
    """Load the feeds through the real ingest, raise the alert and add one user per role."""
    world = World(platform, clock)
    world.submit(TWO_CHILDREN, POLICE, "p.csv")
    world.submit(CRIME, POLICE, "c.csv")  # shares C1 about P1 with Rotherham CSC
    world.submit(persons_csv({"local_id": "H1"}), HEALTH, "h.csv")
    world.submit(MISSING, POLICE, "m.csv")
    world.submit(clinic("HE1", "2024-03-25"), HEALTH, "e.csv")
    world.submit(persons_csv({"local_id": "S1"}), EDU, "s.csv")
    world.submit(ROLL, EDU, "r.csv")
    for role in ROLES:
        world.tokens[role] = platform.accounts.add_user(role, HOME_AGENCY[role], [role])
    platform.school.assign("school_mh_lead", SCHOOL)
    hub = platform.accounts.authenticate(world.tokens["mash"])
    assert hub is not None
    alerts = platform.risk.alerts(hub)
    assert len(alerts) == 1, "the seeded feeds should raise exactly one alert"
    world.alert_id = int(alerts[0].id)
    with platform.uow() as uow:
        world.child = uow.records.history(POLICE, "P1")[0].person_id
        world.child_ref = uow.identity_ref_of(POLICE, "P1") or ""
        world.share_id = int(uow.shares.inbox(CSC, True)[0].id)
        isva = [o for o in uow.support.offers_of([world.child]) if o.service == "isva"]
        world.offer_id = int(isva[0].id)
    return world


@contextmanager
def seeded_world(database_url: str) -> Iterator[World]:
    """A platform on ``database_url`` seeded by ``seed``; closed afterwards."""
    clock = FakeClock(datetime(2024, 4, 1, 9, 0, tzinfo=UTC))
    plat = bootstrap(Settings(database_url=database_url, environment="test"), clock=clock)
    try:
        yield seed(plat, clock)
    finally:
        plat.close()
