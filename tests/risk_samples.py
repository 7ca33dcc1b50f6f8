"""Hand-made feeds and a clocked platform for the risk tests (synthetic, invented names)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.domain.actors import Account, User
from tests.conftest import FakeClock
from tests.samples import HEALTH, MASH, POLICE, events_csv, persons_csv

EDU = "EDU-E08000018"
CHILD = persons_csv({"local_id": "P1"})
HEALTH_CHILD = persons_csv({"local_id": "H1"})
MISSING = events_csv(
    *(
        {"local_id": f"M{i}", "occurred_at": f"2024-03-{d:02d}", "participants": "subject:P1"}
        for i, d in enumerate((1, 10, 20))
    )
)


def clinic(local_id: str, day: str, event_type: str = "sexual_health_attendance") -> bytes:
    return events_csv(
        {
            "local_id": local_id,
            "event_type": event_type,
            "occurred_at": day,
            "participants": "subject:H1",
            "details": "",
        }
    )


@dataclass
class Env:
    platform: Platform
    clock: FakeClock

    def submit(self, content: bytes, agency: str, name: str = "f.csv") -> None:
        self.platform.ingest.submit(content, name, agency, Account("sys", "agency_system", agency))

    def user(self, name: str, agency: str = MASH, role: str = "mash") -> User:
        token = self.platform.accounts.add_user(name, agency, [role])
        user = self.platform.accounts.authenticate(token)
        assert user is not None
        return user


def make_env(store_url: str) -> Iterator[Env]:
    clock = FakeClock(datetime(2024, 4, 1, 9, 0, tzinfo=UTC))
    plat = bootstrap(Settings(database_url=store_url, environment="test"), clock=clock)
    try:
        yield Env(plat, clock)
    finally:
        plat.close()


def raise_alert(env: Env) -> int:
    env.submit(CHILD, POLICE)
    env.submit(HEALTH_CHILD, HEALTH)
    env.submit(MISSING, POLICE)
    hub = env.user("hub")
    assert env.platform.risk.alerts(hub) == []  # police alone: no alert
    env.submit(clinic("HE1", "2024-03-25"), HEALTH)
    alerts = env.platform.risk.alerts(hub)
    assert len(alerts) == 1
    return int(alerts[0].id)


__all__ = ["HEALTH", "MASH", "POLICE", "events_csv", "persons_csv"]
