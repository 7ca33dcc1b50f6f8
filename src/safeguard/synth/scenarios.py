"""Exploitation scenarios planned before any child exists, so victims can be placed as they are.

The plan picks victims by child index uniformly at random: nothing about a child, least of all
ethnicity or nationality, makes them more likely to be chosen. Offenders (except in familial
abuse, where the offender is a household adult) are adults made here, in the scenario's home
local authority, with ethnicity drawn from that authority's census mix like anyone else's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from safeguard.synth import identifiers as ids
from safeguard.synth.licensing import Licence, LicensingBook
from safeguard.synth.population import AreaContext, Person, PersonFactory, random_dob

SCENARIO_TYPES = ("group_based_cse", "online_grooming", "familial", "county_lines")
VICTIM_PROFILE: dict[str, tuple[tuple[int, int], float]] = {
    # (age range at exploitation start, share female): national audit and CSE/CCE literature
    "group_based_cse": ((12, 17), 0.85),
    "online_grooming": ((11, 16), 0.70),
    "familial": ((3, 15), 0.65),
    "county_lines": ((13, 17), 0.25),
}


@dataclass
class Scenario:
    """One instance of exploitation: a ring, a line, an online offender or a family."""

    scenario_id: str
    type: str
    group_id: str
    home: AreaContext
    areas: list[AreaContext]
    start: date
    offenders: list[Person] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    licences: list[Licence] = field(default_factory=list)
    vehicles: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    places: list[tuple[str, str]] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """All scenarios and which child index is a victim of which scenario."""

    scenarios: list[Scenario]
    victim_of: dict[int, Scenario]


def _count(n_children: int, rate: float) -> int:
    return max(1, round(n_children * rate))


def plan_scenarios(
    factory: PersonFactory,
    book: LicensingBook,
    contexts: list[AreaContext],
    n_children: int,
    rng: random.Random,
) -> Plan:
    """Decide every scenario, its offenders and its victims' indices, deterministically."""
    p = factory.params
    s = p.scenarios
    n_victims = {
        "group_based_cse": _count(n_children, s.group_based_per_child),
        "online_grooming": _count(n_children, s.online_grooming_per_child),
        "familial": _count(n_children, s.familial_per_child),
        "county_lines": _count(n_children, s.county_lines_per_child),
    }
    n_victims["group_based_cse"] = max(2, n_victims["group_based_cse"])
    n_victims["county_lines"] = max(2, n_victims["county_lines"])
    total = sum(n_victims.values())
    if total > n_children // 2:
        raise ValueError(f"{n_children} children are too few for the planned scenarios")
    chosen = rng.sample(range(n_children), total)
    scenarios: list[Scenario] = []
    victim_of: dict[int, Scenario] = {}
    earliest = p.as_of - timedelta(days=p.window_days - 60)
    latest = p.as_of - timedelta(days=150)
    pos = 0
    serial = 0

    def new(kind: str) -> Scenario:
        nonlocal serial
        serial += 1
        home = rng.choice(contexts)
        others = [c for c in contexts if c is not home]
        spread = rng.sample(others, min(len(others), rng.randint(1, 2)))
        grouped = kind in ("group_based_cse", "county_lines")
        sc = Scenario(
            scenario_id=f"S{serial:04d}",
            type=kind,
            group_id=f"G{serial:04d}" if grouped else "",
            home=home,
            areas=[home] + (spread if grouped else []),
            start=earliest + timedelta(days=rng.randrange(max(1, (latest - earliest).days))),
        )
        scenarios.append(sc)
        return sc

    for kind in SCENARIO_TYPES:
        per = {
            "group_based_cse": s.group_based_victims_per_ring,
            "county_lines": s.county_lines_victims_per_line,
        }.get(kind, 1)
        remaining = n_victims[kind]
        while remaining > 0:
            size = min(remaining, max(1, per + rng.randint(-2, 2)))
            if 0 < remaining - size < 2 and per > 1:
                size = remaining
            sc = new(kind)
            for _ in range(size):
                victim_of[chosen[pos]] = sc
                pos += 1
            remaining -= size
            _add_offenders(sc, factory, book, contexts, rng)
    return Plan(scenarios, victim_of)


def _offender(factory: PersonFactory, ctx: AreaContext, rng: random.Random, role: str) -> Person:
    p = factory.params
    names = factory.names
    ethnicity = ctx.ethnicity.draw(rng)
    community = names.community(ethnicity, rng)
    sex = "M" if rng.random() < 0.95 else "F"
    hid = factory.new_household_id()
    outward = rng.choice(ctx.area.outward_codes)
    person = factory.person(
        rng,
        kind="adult",
        sex=sex,
        dob=random_dob(rng, p.as_of, 19, 55),
        ctx=ctx,
        ethnicity=ethnicity,
        community=community,
        surname=names.surname(community, rng),
        household_id=hid,
        postcode=ids.postcode(outward, rng),
        address=ids.address(names.surname("british", rng), rng),
        roles=["suspect", role],
    )
    person.prev_postcode = ids.postcode(rng.choice(ctx.area.outward_codes), rng)
    person.prev_address = ids.address(names.surname("british", rng), rng)
    return person


def _add_offenders(
    sc: Scenario,
    factory: PersonFactory,
    book: LicensingBook,
    contexts: list[AreaContext],
    rng: random.Random,
) -> None:
    s = factory.params.scenarios
    if sc.type == "familial":
        return  # the offender is an adult of the victim's own household
    if sc.type == "online_grooming":
        off = _offender(factory, rng.choice(contexts), rng, "offender")
        sc.offenders.append(off)
        sc.roles[off.person_id] = "offender"
        word = rng.choice(("jay", "kez", "babe", "bigman", "angel", "king", "vip"))
        sc.accounts = [ids.online_account(rng, word) for _ in range(rng.randint(1, 3))]
        return
    lo, hi = (
        s.group_based_offenders_per_ring
        if sc.type == "group_based_cse"
        else s.county_lines_offenders_per_line
    )
    for i in range(rng.randint(lo, hi)):
        role = "organiser" if i == 0 else ("dealer" if sc.type == "county_lines" else "associate")
        off = _offender(factory, sc.home, rng, role)
        sc.offenders.append(off)
        sc.roles[off.person_id] = role
    sc.phones = [ids.phone_number(rng) for _ in range(rng.randint(2, 4))]
    year = sc.start.year
    sc.vehicles = [ids.vehicle_registration(rng, year - rng.randint(1, 10)) for _ in range(2)]
    place_kinds = (
        ("takeaway", "hotel", "home") if sc.type == "group_based_cse" else ("home", "park")
    )
    for kind in place_kinds:
        sc.places.append((kind, ids.postcode(rng.choice(sc.home.area.outward_codes), rng)))
    if sc.type != "group_based_cse":
        return
    drivers = sc.offenders[1 : 1 + rng.randint(1, min(3, len(sc.offenders) - 1))]
    for d in drivers:
        d.roles.append("driver")
        sc.roles[d.person_id] = "driver"
        elsewhere = [c for c in contexts if c is not sc.home]
        lic_ctx = rng.choice(elsewhere) if elsewhere else sc.home
        sc.licences.append(book.grant(d, lic_ctx, rng, sc.start, sc.scenario_id))
