"""Exploitation indicators as data: which agency events, seen about one child, make a sign.

Scoring sees only an :class:`EventView`, an explicit projection of an event and the child's
role in it; the person record (and with it ethnicity, nationality, religion and immigration
status) never reaches this module.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class EventView:
    """What scoring may know about one event about one child."""

    event_id: int
    person_id: str
    event_type: str
    occurred_on: date
    agency_code: str
    agency_kind: str
    role: str
    age: int | None
    details: Mapping[str, str] = field(default_factory=dict)
    others: tuple[str, ...] = ()  # other participants' person ids
    objects: tuple[str, ...] = ()  # "type:value" of vehicles, plates, phones, accounts
    postcode: str | None = None


@dataclass(frozen=True)
class SuspectContext:
    """Who is already suspected of a sexual offence, and what is linked to them."""

    suspects: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()  # "type:value" objects seen with a suspect
    postcodes: frozenset[str] = frozenset()  # addresses of events naming a suspect


@dataclass(frozen=True)
class Indicator:
    """One indicator definition, loaded from ``data/risk_indicators.yaml``."""

    code: str
    description: str
    source: str
    event_types: frozenset[str]
    roles: frozenset[str]
    details: Mapping[str, frozenset[str]] = field(default_factory=dict)
    max_age: int | None = None
    min_count: int = 1
    window_days: int = 0
    with_suspect: bool = False
    with_suspect_object: bool = False

    def matches(self, ev: EventView, ctx: SuspectContext) -> bool:
        """Does this single event count towards the indicator?"""
        if ev.event_type not in self.event_types or ev.role not in self.roles:
            return False
        if self.max_age is not None and (ev.age is None or ev.age > self.max_age):
            return False
        for key, allowed in self.details.items():
            if ev.details.get(key) not in allowed:
                return False
        if self.with_suspect and not any(o in ctx.suspects for o in ev.others):
            return False
        if self.with_suspect_object:
            linked = any(o in ctx.objects for o in ev.objects) or (
                ev.postcode is not None and ev.postcode in ctx.postcodes
            )
            if not linked:
                return False
        return True


@dataclass(frozen=True)
class Occurrence:
    """An indicator seen on a date, with the events (and agencies) that make it."""

    indicator: str
    on: date
    agency_kinds: frozenset[str]
    agency_codes: frozenset[str]
    event_ids: tuple[int, ...]


def detect(
    indicators: Sequence[Indicator], events: Iterable[EventView], ctx: SuspectContext
) -> list[Occurrence]:
    """Every occurrence of every indicator in one child's events, in date order."""
    ordered = sorted(events, key=lambda e: (e.occurred_on, e.event_id))
    found: list[Occurrence] = []
    for ind in indicators:
        window: deque[EventView] = deque()
        for ev in ordered:
            if not ind.matches(ev, ctx):
                continue
            window.append(ev)
            horizon = ev.occurred_on - timedelta(days=ind.window_days)
            while ind.window_days and window[0].occurred_on < horizon:
                window.popleft()
            if len(window) >= ind.min_count:
                used = list(window)[-ind.min_count :] if ind.min_count > 1 else [ev]
                found.append(
                    Occurrence(
                        ind.code,
                        ev.occurred_on,
                        frozenset(e.agency_kind for e in used),
                        frozenset(e.agency_code for e in used),
                        tuple(e.event_id for e in used),
                    )
                )
    found.sort(key=lambda o: (o.on, o.indicator))
    return found


def details_keys(indicators: Iterable[Indicator]) -> frozenset[str]:
    """The only ``details`` keys scoring may read (the projection keeps no others)."""
    return frozenset(k for ind in indicators for k in ind.details)
