"""What the load benchmark sends: requests that look like the platform's real traffic, drawn
from the store it serves.

- resolve: a record arriving from an agency system — a re-typed variant of a child already
  known (another local id, one slip of the kind agencies make) or a child never seen before;
- chronology: a practitioner reading a linked child their agency holds a record of;
- alert decision: a MASH practitioner deciding an open alert assigned to them, each once;
- ingest: a 50-row feed from an agency system — new records and changed ones (a move), or
  events about the agency's own children.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from safeguard.bootstrap import Platform
from safeguard.synth.names import load_name_pools
from safeguard.synth.noise import keyboard_slip

#: The event an agency of each kind reports most (data/event_types.csv).
EVENT_OF_KIND = {
    "POLICE": "missing_episode",
    "CSC": "missing_episode",
    "EDU": "school_absence",
    "HEALTH": "ae_attendance",
}
PERSON_FIELDS = [
    "local_id", "first_name", "surname", "dob", "sex", "postcode", "nhs_number",
    "ethnicity", "nationality",
]  # fmt: skip


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    token: str
    json: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    data: dict[str, str] | None = None


@dataclass
class Sample:
    """Current child records of the store, drawn at random, and who may ask about them."""

    records: list[dict[str, Any]]
    postcodes: list[str]
    alerts: list[tuple[int, str]]  # open alert id, its MASH
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)  # (role, agency) → token


def draw_sample(platform: Platform, size: int, alerts: int, seed: int) -> Sample:
    """Up to ``size`` linked children's current records and ``alerts`` open alerts (oldest
    first), read once before the run (not timed)."""
    rng = random.Random(seed)
    cutoff = date.today() - timedelta(days=17 * 365)
    with platform.engine.connect() as conn:
        low, high = conn.execute(text("SELECT min(id), max(id) FROM source_records")).one()
        ids = sorted({rng.randint(low or 0, high or 0) for _ in range(size * 3)})
        rows: list[dict[str, Any]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found = conn.execute(
                text(
                    "SELECT r.agency_code, r.local_id, r.first_name, r.surname, r.dob, r.sex, "
                    "r.postcode, r.nhs_number, p.child_ref FROM source_records r "
                    "JOIN persons p ON p.id = r.person_id WHERE r.is_current AND "
                    "p.child_ref IS NOT NULL AND r.dob > :cutoff AND r.agency_code NOT LIKE "
                    "'LIC-%' AND r.id IN (" + ",".join(str(i) for i in chunk) + ")"
                ),
                {"cutoff": cutoff},
            )
            rows.extend(dict(r._mapping) for r in found)
        open_alerts = conn.execute(
            text(
                "SELECT id, mash_code FROM risk_alerts WHERE status IN "
                "('raised', 'assigned', 'escalated', 'reopened') ORDER BY id LIMIT :n"
            ),
            {"n": alerts},
        ).all()
    rng.shuffle(rows)
    rows = rows[:size]
    postcodes = [r["postcode"] for r in rows if r["postcode"]] or ["S60 1AA"]
    return Sample(rows, postcodes, [(a.id, a.mash_code) for a in open_alerts])


def grant(platform: Platform, sample: Sample, run: str) -> None:
    """Tokens for every caller (created through the accounts service, as an admin would), and
    the sampled alerts assigned to their MASH's benchmark user (setup, not timed)."""
    agencies = sorted({r["agency_code"] for r in sample.records})
    for agency in agencies:
        for role in ("agency_system", "practitioner"):
            name = f"load-{role}-{agency}".lower()
            sample.tokens[(role, agency)] = platform.accounts.ensure_user(name, agency, [role])
    for mash in sorted({m for _, m in sample.alerts}):
        name = f"load-mash-{mash}".lower()
        sample.tokens[("mash", mash)] = platform.accounts.ensure_user(name, mash, ["mash"])
    for alert_id, mash in sample.alerts:
        user = platform.accounts.authenticate(sample.tokens[("mash", mash)])
        assert user is not None
        platform.risk.assign(user, alert_id, user.name)
    del run


class Traffic:
    """Endless request makers per operation (the alert decisions end when the alerts do)."""

    def __init__(self, sample: Sample, run: str, seed: int, feed_rows: int = 50) -> None:
        self.sample = sample
        self.feed_rows = feed_rows
        self.run = run
        self.rng = random.Random(seed)
        self.pools = load_name_pools()
        self.communities = sorted({c for c, _ in self.pools.first} & set(self.pools.last))
        self.serial = 0
        self.alerts = iter(sample.alerts)

    def _local_id(self) -> str:
        self.serial += 1
        return f"LOAD-{self.run}-{self.serial}"

    def _arrival(self, agency: str) -> dict[str, str]:
        """A person record as an agency system sends it: 70% a variant of a known child."""
        rng = self.rng
        if rng.random() < 0.7:
            known = rng.choice(self.sample.records)
            first, surname = str(known["first_name"]), str(known["surname"])
            dob = date.fromisoformat(str(known["dob"])[:10])
            slip = rng.randrange(4)
            if slip == 0:
                first = keyboard_slip(first, rng)
            elif slip == 1:
                surname = keyboard_slip(surname, rng)
            elif slip == 2 and dob.day <= 12 and dob.day != dob.month:
                dob = date(dob.year, dob.day, dob.month)
            nhs = str(known["nhs_number"] or "") if rng.random() < 0.5 else ""
            postcode, sex = str(known["postcode"] or ""), str(known["sex"])
        else:
            sex = rng.choice("MF")
            community = rng.choice(self.communities)
            first = self.pools.first_name(community, sex, True, rng)
            surname = self.pools.surname(community, rng)
            dob = date.today() - timedelta(days=rng.randrange(365, 17 * 365))
            nhs, postcode = "", rng.choice(self.sample.postcodes)
        return {
            "local_id": self._local_id(),
            "first_name": first,
            "surname": surname,
            "dob": dob.isoformat(),
            "sex": sex,
            "postcode": postcode,
            "nhs_number": nhs,
            "ethnicity": "NS",
            "nationality": "NS",
        }

    def _system_agency(self) -> str:
        return str(self.rng.choice(self.sample.records)["agency_code"])

    def resolve(self) -> Request:
        agency = self._system_agency()
        return Request(
            "POST",
            "/api/v1/identity/resolve",
            self.sample.tokens[("agency_system", agency)],
            json={"agency": agency, "record": self._arrival(agency)},
        )

    def chronology(self) -> Request:
        known = self.rng.choice(self.sample.records)
        return Request(
            "GET",
            f"/api/v1/children/{known['child_ref']}/chronology?reason=case+work",
            self.sample.tokens[("practitioner", known["agency_code"])],
        )

    def decision(self) -> Request | None:
        nxt = next(self.alerts, None)
        if nxt is None:
            return None
        alert_id, mash = nxt
        return Request(
            "POST",
            f"/api/v1/risk/alerts/{alert_id}/decision",
            self.sample.tokens[("mash", mash)],
            json={
                "outcome": self.rng.choice(["no_further_action", "strategy_discussion"]),
                "reason": "Reviewed at the MASH daily meeting; load benchmark decision.",
            },
        )

    def ingest(self) -> Request:
        rows = self.feed_rows
        agency = self._system_agency()
        own = [r for r in self.sample.records if r["agency_code"] == agency]
        buffer = io.StringIO()
        if self.rng.random() < 0.5:
            writer = csv.DictWriter(buffer, PERSON_FIELDS, lineterminator="\n")
            writer.writeheader()
            movers = self.rng.sample(own, min(len(own), max(1, rows // 5)))
            for i in range(rows):
                if i % 5 == 0 and movers:  # a changed record: the child has moved
                    moved = movers.pop()
                    record = {k: str(moved.get(k) or "") for k in PERSON_FIELDS}
                    record.update(
                        dob=str(moved["dob"])[:10],
                        postcode=self.rng.choice(self.sample.postcodes),
                        ethnicity="NS",
                        nationality="NS",
                    )
                else:
                    record = self._arrival(agency)
                writer.writerow(record)
            name = f"persons-{self.run}-{self.serial}.csv"
        else:
            kind = agency.split("-")[0]
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["local_id", "event_type", "occurred_at", "participants"])
            for _ in range(rows):
                child = self.rng.choice(own)
                when = date.today() - timedelta(days=self.rng.randrange(1, 60))
                writer.writerow(
                    [self._local_id(), EVENT_OF_KIND[kind], when.isoformat(),
                     f"subject:{child['local_id']}"]
                )  # fmt: skip
            name = f"events-{self.run}-{self.serial}.csv"
        return Request(
            "POST",
            "/api/v1/submissions",
            self.sample.tokens[("agency_system", agency)],
            files={"file": (name, buffer.getvalue().encode(), "text/csv")},
            data={"agency": agency},
        )

    def maker(self, operation: str) -> Iterator[Request]:
        make = {
            "resolve": self.resolve,
            "chronology": self.chronology,
            "decision": self.decision,
            "ingest": self.ingest,
        }[operation]
        while (request := make()) is not None:
            yield request
