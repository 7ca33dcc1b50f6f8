"""What makes support due, and what becomes of an offer: pure rules, no storage.

A child (under 18 on the day) named as victim of a CSAE crime, an alert decided with an outcome
that confirms exploitation, and the end of a missing episode each make offers due: one per
service the pathways name for that situation, due ``deadline_hours`` after the situation arose.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from safeguard.domain.records import EventRecord
from safeguard.support.pathways import Pathways

#: Offer statuses: not yet made (due, escalated), made, and what became of it.
NOT_MADE = ("due", "escalated")
#: An offer in one of these is still live: a "once" service is not offered again.
LIVE = ("due", "escalated", "referred", "offered", "accepted", "started")
#: Actions that count as the offer being made (the first contact with the child or family).
CONTACT = frozenset({"referred", "offered", "accepted", "declined", "started"})
UPTAKE = frozenset({"accepted", "started", "completed"})
ACTIONS = ("referred", "offered", "accepted", "declined", "started", "completed", "closed")


@dataclass(frozen=True)
class Situation:
    """One child in one situation that makes support due."""

    person_id: str
    situation: str
    trigger: str  # "event:<id>" or "alert:<id>": an offer is made once per trigger
    identified_at: datetime


def is_child(dob: date | None, on: date) -> bool:
    """Under 18 on the day (an unknown date of birth is not assumed to be a child's)."""
    if dob is None:
        return False
    age = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    return 0 <= age < 18


def from_event(
    event_id: int,
    event: EventRecord,
    person_of: Mapping[str, str],
    dobs: Mapping[str, date | None],
    csae: bool,
    pathways: Pathways,
) -> list[Situation]:
    """The situations this event creates: victims of a CSAE crime, a child's return home."""
    out: list[Situation] = []
    trigger = f"event:{event.agency}/{event.local_id}"
    if event.event_type == "crime" and csae:
        typology = event.details.get("typology")
        typologies = set(typology) if isinstance(typology, list) else {typology}
        trafficked = bool(typologies & pathways.trafficking_typologies)
        for p in event.participants:
            pid = person_of.get(p.local_id)
            if p.role != "victim" or pid is None:
                continue
            if not is_child(dobs.get(pid), event.occurred_at.date()):
                continue
            out.append(Situation(pid, "csae_victim", trigger, event.occurred_at))
            if trafficked:
                out.append(Situation(pid, "trafficking_victim", trigger, event.occurred_at))
    elif event.event_type == "missing_episode":
        hours = event.details.get("duration_hours", 0)
        hours = hours if isinstance(hours, int | float) and 0 <= hours < 24 * 365 else 0
        returned = event.occurred_at + timedelta(hours=float(hours))
        for p in event.participants:
            pid = person_of.get(p.local_id)
            if p.role in ("subject", "victim") and pid is not None:
                if is_child(dobs.get(pid), event.occurred_at.date()):
                    out.append(Situation(pid, "missing_returned", trigger, returned))
    return out


def plan_offers(
    situations: Iterable[Situation],
    existing: Iterable[Any],
    pathways: Pathways,
) -> list[tuple[Situation, str, datetime]]:
    """(situation, service, due) for each offer to create: none twice for one trigger, and a
    service offered ``once`` not again while an earlier offer of it is live."""
    made = {(o.person_id, o.service, o.trigger) for o in existing}
    live = {(o.person_id, o.service) for o in existing if o.status in LIVE}
    out: list[tuple[Situation, str, datetime]] = []
    for s in situations:
        for service in pathways.for_situation(s.situation):
            key = (s.person_id, service.code)
            if (*key, s.trigger) in made or (service.repeat == "once" and key in live):
                continue
            made.add((*key, s.trigger))
            live.add(key)
            out.append((s, service.code, s.identified_at + timedelta(hours=service.deadline_hours)))
    return out


def after(offer: Any, action: str, at: datetime, reason: str | None) -> dict[str, Any]:
    """The offer's new values once ``action`` is recorded at ``at``."""
    values: dict[str, Any] = {"status": action, "last_action_at": at}
    if action in CONTACT and offer.first_contact_at is None:
        values["first_contact_at"] = at
    if action in UPTAKE and offer.accepted_at is None:
        values["accepted_at"] = at
    if action == "declined":
        values["decline_reason"] = (reason or "").strip()[:500]
    return values


def latest_for(offers: Collection[Any], person_id: str, service: str) -> Any | None:
    """The offer a support event about (person, service) belongs to: the latest live one, else
    the latest of any status."""
    mine = [o for o in offers if o.person_id == person_id and o.service == service]
    live = [o for o in mine if o.status in LIVE]
    return max(live or mine, key=lambda o: o.id, default=None)
