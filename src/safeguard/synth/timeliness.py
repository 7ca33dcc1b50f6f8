"""Each agency's reporting delays, and the partners' records of receiving what it shared.

Every agency has a sharing profile: *prompt* (the partner has it within hours of recording),
*late* (days later) or *never* (the partner never hears). An event is recorded a little after
it happens (``recorded_at``); when it matches a duty in data/sharing_obligations.yaml the
partner writes a ``referral`` naming the sender and its reference (``source_agency``,
``source_event``) at the moment of receipt, unless the sender never shares. The true delays go
to ``truth/share_delays.csv`` so the compliance report can be scored against them.

Delays are drawn from a generator seeded by the agency and event, not the region's own, so
adding this model leaves every other synthetic record as it was. The profile shares and delay
ranges are this generator's assumptions (docs/synthetic-data.md): published timeliness of
inter-agency referrals is scarce; the Child Safeguarding Practice Review Panel's annual reports
(2022-2024) name late or absent sharing as a recurring finding.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from safeguard.domain.codes import load_code_lists
from safeguard.domain.obligations import ObligationSet, age_on, load_obligations
from safeguard.synth.population import Person

#: (profile, cumulative share of agencies); hours from recording to the partner's receipt.
PROFILES = (("prompt", 0.55), ("late", 0.85), ("never", 1.0))
RECEIPT_HOURS = {"prompt": (0.5, 12.0), "late": (30.0, 240.0)}
#: Hours from the event to the agency recording it.
RECORDING_HOURS = (0.5, 20.0)
_PARTNER_PREFIX = {"csc": "CSC", "health": "HEALTH", "education": "EDU"}


@lru_cache(maxsize=1)
def _duties() -> ObligationSet:
    return load_obligations(load_code_lists())


def profile_of(agency: str, seed: int) -> str:
    """The agency's sharing profile, fixed for the region."""
    draw = random.Random(f"{seed}:profile:{agency}").random()
    return next(name for name, upper in PROFILES if draw < upper)


@dataclass(frozen=True)
class Receipt:
    partner: str
    person: Person
    obligation: str
    received_at: datetime | None  # None: the sender never shared


def as_moment(when: date | datetime) -> datetime:
    return when if isinstance(when, datetime) else datetime.combine(when, time(9, 0))


def recorded_at(seed: int, agency: str, local_id: str, when: date | datetime) -> datetime:
    low, high = RECORDING_HOURS
    hours = random.Random(f"{seed}:recorded:{agency}:{local_id}").uniform(low, high)
    return as_moment(when) + timedelta(hours=round(hours, 2))


def receipts(
    seed: int,
    agency: str,
    kind: str,
    local_id: str,
    event_type: str,
    recorded: datetime,
    participants: Sequence[tuple[str, Person]],
    offence_code: str,
    details: dict[str, Any] | None,
    as_of: date,
) -> list[Receipt]:
    """The receipts the event's duties call for (one per duty and person), partners resolved
    in the person's own area as the platform resolves them."""
    flags = (details or {}).get("flags", [])
    out = []
    profile = profile_of(agency, seed)
    for duty in _duties().obligations:
        if not duty.matches_event(kind, event_type, offence_code or None, flags, details):
            continue
        for role, person in participants:
            if role not in duty.roles or age_on(person.dob, recorded) > duty.max_age:
                continue
            partner = _partner(duty.partner, person)
            if partner is None:
                continue
            received = None
            if profile != "never":
                low, high = RECEIPT_HOURS[profile]
                draw = random.Random(f"{seed}:receipt:{agency}:{local_id}:{duty.id}")
                received = recorded + timedelta(hours=round(draw.uniform(low, high), 2))
                if received.date() >= as_of:
                    received = None  # not yet received by the end of the window
            out.append(Receipt(partner, person, duty.id, received))
    return out


def _partner(kind: str, person: Person) -> str | None:
    if kind == "police":
        return f"POLICE-{person.area.force_code}"
    prefix = _PARTNER_PREFIX.get(kind)
    return f"{prefix}-{person.area.la_code}" if prefix else None  # the MASH sends no feed


def write_receipts(
    found: list[Receipt],
    agency: str,
    local_id: str,
    recorded: datetime,
    profile: str,
    write_event: Callable[[Receipt], str | None],
    write_truth: Callable[[list[str]], None],
) -> None:
    for r in found:
        if r.received_at is not None:
            write_event(r)
        delay = (
            ""
            if r.received_at is None
            else f"{(r.received_at - recorded).total_seconds() / 3600:.2f}"
        )
        write_truth(
            [
                agency,
                local_id,
                r.obligation,
                r.partner,
                profile,
                recorded.isoformat(),
                "" if r.received_at is None else r.received_at.isoformat(),
                delay,
            ]
        )
