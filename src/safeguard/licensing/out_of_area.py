"""Licensed vehicles repeatedly seen working away from the authority that licensed them.

A sighting (ANPR or reported, from a police ``vehicle_sighting`` or ``found_in_vehicle``
event) names a taxi plate and a postcode; the postcode's outward code gives the local authority
(``data/areas.csv``), and the plate's licensing authority comes from licensing decisions. A
plate is working out of area in an authority other than its own when it is seen there at least
``min_sightings`` times on at least ``min_days`` distinct days (``data/licensing.yaml``). Every
local authority in ``areas.csv`` is treated as far from every other: the file has no adjacency
or distances, so a neighbouring authority counts (documented in docs/licensing.md).

Working across a boundary is lawful (cross-border hiring), so most plates found that way are
innocent. A (plate, area) is *of concern* when, away from home, the plate was seen at night
(``night_from``–``night_to``) on at least ``concern_min_nights`` distinct nights either in a
reported sighting (not ANPR: a patrol, hotel staff or a member of the public wrote it down) or
at a *hotspot*, a postcode where a safeguarding event (crime, missing episode, child found in a
vehicle) happened. The thresholds were chosen on one synthetic seed and are measured on others
(benchmarks/licensing.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Sighting:
    """A plate seen at a place and time, and the event that reported it."""

    plate: str
    seen_on: date
    postcode: str
    event: str  # "AGENCY/local_id"
    source: str = ""  # ANPR, reported …
    hour: int | None = None  # hour of the day, when the feed gave a time


@dataclass(frozen=True)
class ConcernRule:
    """When out-of-area working is of safeguarding concern (``data/licensing.yaml``)."""

    min_nights: int
    night_from: int
    night_to: int

    def night_of(self, s: Sighting) -> date | None:
        """The night a sighting falls in (after midnight counts as the evening before)."""
        if s.hour is None:
            return None
        if s.hour >= self.night_from:
            return s.seen_on
        if s.hour < self.night_to:
            return s.seen_on - timedelta(days=1)
        return None


@dataclass(frozen=True)
class OutOfArea:
    """One plate working in one area away from home, with the sightings that show it."""

    plate: str
    licensing_la: str
    seen_in_la: str
    sightings: tuple[Sighting, ...]
    concern_nights: int = 0
    of_concern: bool = False

    @property
    def days(self) -> int:
        return len({s.seen_on for s in self.sightings})


def outward_code(postcode: str) -> str:
    pc = re.sub(r"[^A-Z0-9]", "", postcode.upper())
    return pc[:-3] if 5 <= len(pc) <= 7 else ""


def concern_nights(sightings: Iterable[Sighting], hotspots: Set[str], rule: ConcernRule) -> int:
    """Distinct nights with a reported sighting or one at a safeguarding hotspot."""
    nights = set()
    for s in sightings:
        night = rule.night_of(s)
        if night is not None and (s.source != "ANPR" or _pc(s.postcode) in hotspots):
            nights.add(night)
    return len(nights)


def _pc(postcode: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", postcode.upper())


def detect(
    sightings: Iterable[Sighting],
    plate_authority: Mapping[str, str],
    outward_to_la: Mapping[str, str],
    min_sightings: int,
    min_days: int,
    rule: ConcernRule | None = None,
    hotspots: Set[str] = frozenset(),
) -> list[OutOfArea]:
    """Plates seen often enough away from home, or of concern there, per (plate, area).

    Sightings of plates no licensing decision names, or at postcodes outside known areas, are
    skipped: without both ends there is nothing to compare. ``hotspots`` are postcodes
    without spaces, upper case.
    """
    groups: dict[tuple[str, str], list[Sighting]] = defaultdict(list)
    for s in sightings:
        home = plate_authority.get(s.plate.upper())
        seen = outward_to_la.get(outward_code(s.postcode))
        if home and seen and home != seen:
            groups[(s.plate.upper(), seen)].append(s)
    found = []
    for (plate, la), ss in groups.items():
        nights = concern_nights(ss, hotspots, rule) if rule else 0
        concern = rule is not None and nights >= rule.min_nights
        working = len(ss) >= min_sightings and len({x.seen_on for x in ss}) >= min_days
        if working or concern:
            ordered = tuple(sorted(ss, key=lambda x: (x.seen_on, x.hour or 0)))
            found.append(OutOfArea(plate, plate_authority[plate], la, ordered, nights, concern))
    return sorted(found, key=lambda o: (o.seen_in_la, not o.of_concern, -len(o.sightings), o.plate))
