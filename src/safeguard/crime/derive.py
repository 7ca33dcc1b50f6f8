"""The group-based flag, derived from who is linked to a crime, never typed by an officer.

A crime is group-based when two or more distinct suspects are linked to it, or to crimes
against the same victim within the same exploitation episode (crimes no more than
``window_days`` apart, chained). The reason is kept so anyone can see how it was decided.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CrimeLinks:
    """A crime, when it happened, and the people linked to it as victims or suspects."""

    crime_id: int
    occurred_on: date
    victims: frozenset[str]
    suspects: frozenset[str]


@dataclass(frozen=True)
class GroupFlag:
    crime_id: int
    group_based: bool
    suspects: int
    reason: str


def _episodes(crimes: list[CrimeLinks], window_days: int) -> list[list[CrimeLinks]]:
    """Split one victim's crimes into episodes: a gap longer than the window starts a new one."""
    ordered = sorted(crimes, key=lambda c: (c.occurred_on, c.crime_id))
    episodes: list[list[CrimeLinks]] = []
    for crime in ordered:
        if episodes and (crime.occurred_on - episodes[-1][-1].occurred_on).days <= window_days:
            episodes[-1].append(crime)
        else:
            episodes.append([crime])
    return episodes


def derive_group_flags(
    crimes: Iterable[CrimeLinks], window_days: int, min_suspects: int = 2
) -> dict[int, GroupFlag]:
    """The flag and its reason for every crime (pure: same input, same answer)."""
    crimes = list(crimes)  # iterated twice
    by_victim: dict[str, list[CrimeLinks]] = defaultdict(list)
    for crime in crimes:
        for victim in crime.victims:
            by_victim[victim].append(crime)
    # the largest episode-suspect set each crime belongs to, with the crimes that formed it
    episode_of: dict[int, tuple[frozenset[str], list[int], str]] = {}
    for victim, theirs in sorted(by_victim.items()):
        for episode in _episodes(theirs, window_days):
            suspects = frozenset().union(*(c.suspects for c in episode))
            ids = sorted(c.crime_id for c in episode)
            for crime in episode:
                best = episode_of.get(crime.crime_id)
                if best is None or len(suspects) > len(best[0]):
                    episode_of[crime.crime_id] = (suspects, ids, victim)
    flags: dict[int, GroupFlag] = {}
    for crime in crimes:
        n = len(crime.suspects)
        if n >= min_suspects:
            flags[crime.crime_id] = GroupFlag(
                crime.crime_id, True, n, f"{n} suspects linked to the crime"
            )
            continue
        found = episode_of.get(crime.crime_id)
        if found is not None and len(found[0]) >= min_suspects and len(found[1]) > 1:
            suspects, ids, _victim = found
            others = ", ".join(str(i) for i in ids if i != crime.crime_id)
            flags[crime.crime_id] = GroupFlag(
                crime.crime_id,
                True,
                len(suspects),
                f"{len(suspects)} suspects linked to the same victim within one episode "
                f"(crimes {others} within {window_days} days)",
            )
            continue
        flags[crime.crime_id] = GroupFlag(
            crime.crime_id,
            False,
            n,
            "no suspect linked" if n == 0 else f"{n} suspect, none other in the victim's episode",
        )
    return flags
