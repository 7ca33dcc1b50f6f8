"""Alerts are about children only: a person 18 or over on the day of scoring is never scored,
at ingest or by ``risk run``; a 17-year-old with the same signs is (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.risk_samples import HEALTH, POLICE, Env, events_csv, make_env, persons_csv


@pytest.fixture
def env(store_url: str) -> Iterator[Env]:
    yield from make_env(store_url)  # the clock stands at 2024-04-01


def _signs(env: Env, dob: str) -> None:
    """Three missing episodes, a night in a car with adults and two A&E attendances
    (intoxication, injury): police and health both see them."""
    env.submit(persons_csv({"local_id": "P1", "dob": dob}), POLICE)
    env.submit(persons_csv({"local_id": "H1", "dob": dob}), HEALTH)
    police = [
        {"local_id": f"M{i}", "occurred_at": f"2024-03-{d:02d}", "participants": "subject:P1"}
        for i, d in enumerate((1, 10, 20))
    ]
    police.append(
        {"local_id": "F1", "event_type": "found_in_vehicle", "occurred_at": "2024-03-21",
         "participants": "subject:P1", "objects": "vehicle:AB12CDE"}
    )  # fmt: skip
    env.submit(events_csv(*police), POLICE)
    health = [
        {"local_id": f"A{i}", "event_type": "ae_attendance", "occurred_at": f"2024-03-{d:02d}",
         "participants": "subject:H1", "details": json.dumps({"reason": reason})}
        for i, (d, reason) in enumerate(((22, "intoxication"), (25, "injury")))
    ]  # fmt: skip
    env.submit(events_csv(*health), HEALTH)


def test_an_adult_with_many_signs_is_never_alerted(env: Env) -> None:
    _signs(env, "1998-01-15")  # 26 on the day of scoring
    hub = env.user("hub")
    assert env.platform.risk.alerts(hub) == []
    result = env.platform.risk.run()
    assert result.raised == 0 and result.children == 0
    assert env.platform.risk.alerts(hub) == []


def test_turning_eighteen_is_judged_on_the_day_of_scoring(env: Env) -> None:
    _signs(env, "2006-04-01")  # 18 today: no longer scored as a child
    assert env.platform.risk.run().raised == 0


def test_a_seventeen_year_old_with_the_same_signs_is_alerted(env: Env) -> None:
    _signs(env, "2006-04-02")  # 17 until tomorrow
    [alert] = env.platform.risk.alerts(env.user("hub"))
    assert "repeated_missing" in alert.explanation
    assert "ae_intoxication_injury" in alert.explanation
