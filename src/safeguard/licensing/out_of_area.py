"""Licensed vehicles repeatedly seen working away from the authority that licensed them.

A sighting (ANPR or reported, from a police ``vehicle_sighting`` or ``found_in_vehicle``
event) names a taxi plate and a postcode; the postcode's outward code gives the local authority
(``data/areas.csv``), and the plate's licensing authority comes from licensing decisions. A
plate is working out of area in an authority other than its own when it is seen there at least
``min_sightings`` times on at least ``min_days`` distinct days (``data/licensing.yaml``). Every
local authority in ``areas.csv`` is treated as far from every other: the file has no adjacency
or distances, so a neighbouring authority counts (documented in docs/licensing.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Sighting:
    """A plate seen at a place and time, and the event that reported it."""

    plate: str
    seen_on: date
    postcode: str
    event: str  # "AGENCY/local_id"
    source: str = ""  # ANPR, reported …


@dataclass(frozen=True)
class OutOfArea:
    """One plate working in one area away from home, with the sightings that show it."""

    plate: str
    licensing_la: str
    seen_in_la: str
    sightings: tuple[Sighting, ...]

    @property
    def days(self) -> int:
        return len({s.seen_on for s in self.sightings})


def outward_code(postcode: str) -> str:
    pc = re.sub(r"[^A-Z0-9]", "", postcode.upper())
    return pc[:-3] if 5 <= len(pc) <= 7 else ""


def detect(
    sightings: Iterable[Sighting],
    plate_authority: Mapping[str, str],
    outward_to_la: Mapping[str, str],
    min_sightings: int,
    min_days: int,
) -> list[OutOfArea]:
    """Plates seen often enough away from home, per (plate, area), most sightings first.

    Sightings of plates no licensing decision names, or at postcodes outside known areas, are
    skipped: without both ends there is nothing to compare.
    """
    groups: dict[tuple[str, str], list[Sighting]] = defaultdict(list)
    for s in sightings:
        home = plate_authority.get(s.plate.upper())
        seen = outward_to_la.get(outward_code(s.postcode))
        if home and seen and home != seen:
            groups[(s.plate.upper(), seen)].append(s)
    found = [
        OutOfArea(plate, plate_authority[plate], la, tuple(sorted(ss, key=lambda x: x.seen_on)))
        for (plate, la), ss in groups.items()
        if len(ss) >= min_sightings and len({x.seen_on for x in ss}) >= min_days
    ]
    return sorted(found, key=lambda o: (o.seen_in_la, -len(o.sightings), o.plate))
