"""Signs every child may show without being exploited, at published background rates.

The rates are data (``data/background_signs.yaml``, each with its source). Every child gets a
draw for every year of the window, exploited or not, so a missing episode, a school's note of a
change in behaviour or a child found in a car is never evidence of exploitation by
construction: a rule has to rise above these to be precise. The draws use their own random
stream so the rest of the region is unchanged by them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from safeguard.domain.rules_file import parse_yaml_mapping, reading
from safeguard.synth import identifiers as ids
from safeguard.synth.agencies import Recorder
from safeguard.synth.events import ChildAgencies, window_start
from safeguard.synth.params import SynthParams
from safeguard.synth.population import Person, days_between

FILE = "background_signs.yaml"


@dataclass(frozen=True)
class BackgroundSign:
    event_type: str
    agency: str
    min_age: int
    max_age: int
    per_year: float
    source: str
    sex: str | None = None
    episodes: float = 1.0  # mean events when it happens (geometric), for repeat missing
    repeat_within_days: int = 0


def parse(doc: dict[str, Any]) -> tuple[BackgroundSign, ...]:
    with reading(FILE):
        out = tuple(
            BackgroundSign(
                event_type=str(raw["event_type"]),
                agency=str(raw["agency"]),
                min_age=int(raw["min_age"]),
                max_age=int(raw["max_age"]),
                per_year=float(raw["children_per_year"]),
                source=str(raw["source"]),
                sex=raw.get("sex"),
                episodes=float(raw.get("episodes_per_missing_child", 1.0)),
                repeat_within_days=int(raw.get("repeat_within_days", 0)),
            )
            for raw in doc["signs"]
        )
    for s in out:
        if not 0 <= s.per_year <= 1 or s.episodes < 1 or not s.source.strip():
            raise ValueError(f"{FILE}: {s.event_type} needs a rate in [0, 1] and a source")
    return out


@cache
def load_background() -> tuple[BackgroundSign, ...]:
    text = resources.files("safeguard.data").joinpath(FILE).read_text(encoding="utf-8")
    return parse(parse_yaml_mapping(text, FILE))


def _extra(rng: random.Random, mean: float) -> int:
    """Further episodes after the first: geometric with mean ``mean - 1``."""
    n, q = 0, (mean - 1) / mean
    while rng.random() < q:
        n += 1
    return n


def _details(s: BackgroundSign, rng: random.Random) -> dict[str, Any]:
    if s.event_type == "missing_episode":
        return {"duration_hours": rng.randint(2, 30)}
    if s.event_type == "behaviour_change":
        return {"note": rng.choice(("withdrawn", "disruptive in class", "low mood"))}
    if s.event_type == "online_report":
        return {"source": rng.choice(("parent", "school", "NCMEC"))}
    if s.event_type == "pregnancy":
        return {"outcome": rng.choice(("termination", "ongoing"))}
    return {}


def background_signs(child: Person, rec: Recorder, rng: random.Random, params: SynthParams) -> int:
    """Write this child's background signs over the window; returns how many were written."""
    ag = ChildAgencies.of(child)
    agency = {"police": ag.police, "education": ag.education, "health": ag.health}
    start, end = window_start(child, params), params.as_of
    written = 0
    year = start
    while year < end:
        year_end = min(year + timedelta(days=365), end)
        for s in load_background():
            age = child.age_at(year)
            if not s.min_age <= age <= s.max_age or (s.sex and child.sex != s.sex):
                continue
            if rng.random() >= s.per_year:
                continue
            first = days_between(rng, year, year_end)
            dates = [first]
            for _ in range(_extra(rng, s.episodes)):
                gap = rng.randint(1, max(1, s.repeat_within_days))
                dates.append(min(first + timedelta(days=gap), end))
            for d in dates:
                _write(s, child, agency[s.agency], d, rec, rng)
                written += 1
        year = year_end
    return written


def _write(
    s: BackgroundSign, child: Person, agency: str, d: date, rec: Recorder, rng: random.Random
) -> None:
    objects: list[tuple[str, str]] = []
    place = ""
    if s.event_type == "found_in_vehicle":
        objects = [("vehicle", ids.vehicle_registration(rng, rng.randint(2008, 2024)))]
        place = "other"
    elif s.event_type == "online_report":
        place = "online"
    role = "victim" if s.event_type == "online_report" else "subject"
    rec.event(
        agency,
        s.event_type,
        d,
        [(role, child)],
        rng,
        objects=objects,
        place_type=place,
        details=_details(s, rng),
    )
