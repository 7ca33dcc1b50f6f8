"""True people of the synthetic region: households of children and their parents or carers.

Everything here is the ground truth; agencies only ever see noisy copies (see ``noise.py``).
Ethnicity follows Census 2021 proportions of the household's local authority and is never read
by any rule that decides who is a victim or an offender.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from safeguard.domain.codes import Area, load_code_lists, read_data_csv
from safeguard.synth import identifiers as ids
from safeguard.synth.names import NamePools, Pool, load_name_pools
from safeguard.synth.nationality import immigration_status, nationality
from safeguard.synth.params import SynthParams

CHILD_SIZE = (1, 2, 3, 4)
CHILD_SIZE_WEIGHTS = (0.45, 0.39, 0.12, 0.04)  # ONS Families and households: dependent children


@dataclass(slots=True)
class Person:
    """One true person; every agency record of them points back here through ``person_id``."""

    person_id: str
    index: int
    kind: str
    roles: list[str]
    first_name: str
    middle_name: str | None
    surname: str
    dob: date
    sex: str
    area: Area
    postcode: str
    address: str
    ethnicity: str
    nationality: tuple[str, ...]
    community: str
    household_id: str
    nhs_number: str
    immigration_status: str = "NS"
    twin_of: str = ""
    namesake_of: str = ""
    alt_surname: str = ""
    prev_postcode: str = ""
    prev_address: str = ""
    local_ids: dict[str, str] = field(default_factory=dict)  # agency -> its local id for us

    def age_at(self, when: date) -> int:
        return when.year - self.dob.year - ((when.month, when.day) < (self.dob.month, self.dob.day))


@dataclass
class AreaContext:
    """An LA with sampling helpers: its ethnicity mix and its share of the region's children."""

    area: Area
    ethnicity: Pool


def load_area_contexts(las: int | None) -> tuple[list[AreaContext], Pool]:
    """The first ``las`` areas from areas.csv with census ethnicity mixes and child shares."""
    areas = load_code_lists().areas[: las or None]
    eth: dict[str, list[tuple[str, float]]] = {}
    kids: dict[str, float] = {}
    for r in read_data_csv("census2021_ethnic_group_by_area.csv"):
        if r["ons2021_code"] == "children_0_17":
            kids[r["area_code"]] = float(r["population"])
        elif r["ons2021_code"].isdigit():
            eth.setdefault(r["area_code"], []).append((r["ons2021_code"], float(r["population"])))
    contexts = []
    for a in areas:
        rows = eth[a.la_code]
        pool = Pool(tuple(c for c, _ in rows), tuple(accumulate(w for _, w in rows)))
        contexts.append(AreaContext(a, pool))
    weights = tuple(accumulate(kids[a.la_code] for a in areas))
    return contexts, Pool(tuple(str(i) for i in range(len(areas))), weights)


class PersonFactory:
    """Makes true people with unique ids and NHS numbers, in a deterministic order."""

    def __init__(self, seed: int, params: SynthParams) -> None:
        self.seed = seed
        self.params = params
        self.names: NamePools = load_name_pools()
        self.next_index = 0
        self.next_household = 0

    def new_household_id(self) -> str:
        self.next_household += 1
        return f"H{self.next_household:07d}"

    def person(
        self,
        rng: random.Random,
        *,
        kind: str,
        sex: str,
        dob: date,
        ctx: AreaContext,
        ethnicity: str,
        community: str,
        surname: str,
        household_id: str,
        postcode: str,
        address: str,
        roles: list[str],
    ) -> Person:
        """One person with a fresh id; first and middle names drawn from their community."""
        self.next_index += 1
        idx = self.next_index
        child = kind == "child"
        first = self.names.first_name(community, sex, child, rng)
        middle = self.names.first_name(community, sex, child, rng) if rng.random() < 0.4 else None
        if middle == first:
            middle = None
        nat = nationality(ethnicity, child, rng)
        return Person(
            person_id=f"P{idx:07d}",
            index=idx,
            kind=kind,
            roles=roles,
            first_name=first,
            middle_name=middle,
            surname=surname,
            dob=dob,
            sex=sex,
            area=ctx.area,
            postcode=postcode,
            address=address,
            ethnicity=ethnicity,
            nationality=nat,
            community=community,
            household_id=household_id,
            nhs_number=ids.nhs_number(idx, self.seed),
            immigration_status="NS" if child else immigration_status(nat, rng),
        )


def random_dob(rng: random.Random, as_of: date, min_age: int, max_age: int) -> date:
    """A date of birth giving an age between ``min_age`` and ``max_age`` (inclusive) on as_of."""
    lo = as_of.toordinal() - int((max_age + 1) * 365.25) + 1
    hi = as_of.toordinal() - int(min_age * 365.25)
    return date.fromordinal(rng.randrange(lo, hi + 1))


def make_household(
    factory: PersonFactory,
    rng: random.Random,
    ctx: AreaContext,
    n_children: int,
    namesake: Person | None,
    child_ages: tuple[int, int] = (0, 17),
) -> tuple[list[Person], list[Person]]:
    """Adults and children of one household; returns (adults, children)."""
    p = factory.params
    names = factory.names
    ethnicity = ctx.ethnicity.draw(rng)
    community = names.community(ethnicity, rng)
    hid = factory.new_household_id()
    outward = rng.choice(ctx.area.outward_codes)
    pc = ids.postcode(outward, rng)
    addr = ids.address(names.surname("british", rng), rng)
    lone = rng.random() < p.lone_parent_rate
    father_surname = names.surname(community, rng)
    mother_surname = father_surname if rng.random() < 0.75 else names.surname(community, rng)
    kids_surname = father_surname if (not lone or rng.random() < 0.5) else mother_surname
    other_surname = mother_surname if kids_surname == father_surname else father_surname

    oldest = rng.randint(*child_ages)
    children: list[Person] = []
    prev: Person | None = None
    while len(children) < n_children:
        twin = prev is not None and prev.twin_of == "" and rng.random() < p.twin_birth_rate
        if prev is not None and twin:
            dob = prev.dob
            sex = prev.sex if rng.random() < 0.5 else ("F" if prev.sex == "M" else "M")
        else:
            age = oldest if prev is None else max(child_ages[0], oldest - rng.randint(0, 6))
            dob = random_dob(rng, p.as_of, age, age)
            sex = "M" if rng.random() < 0.512 else "F"
        child = factory.person(
            rng,
            kind="child",
            sex=sex,
            dob=dob,
            ctx=ctx,
            ethnicity=ethnicity,
            community=community,
            surname=kids_surname,
            household_id=hid,
            postcode=pc,
            address=addr,
            roles=["child"],
        )
        child.alt_surname = other_surname
        if twin and prev is not None:
            while child.first_name == prev.first_name:
                child.first_name = names.first_name(community, sex, True, rng)
            child.twin_of = prev.person_id
            prev.twin_of = child.person_id
        children.append(child)
        prev = child
    if namesake is not None and children[-1].twin_of == "":
        c = children[-1]
        c.first_name, c.surname, c.dob, c.sex = (
            namesake.first_name,
            namesake.surname,
            namesake.dob,
            namesake.sex,
        )
        c.namesake_of = namesake.person_id

    youngest_parent_age = max(c.age_at(p.as_of) for c in children) + rng.randint(18, 40)
    adults: list[Person] = []
    parents = [("F", mother_surname), ("M", father_surname)]
    if lone:
        parents = [parents[0]] if rng.random() < 0.9 else [parents[1]]
    for sex, surname in parents:
        age = min(youngest_parent_age + rng.randint(-2, 4), 75)
        adult = factory.person(
            rng,
            kind="adult",
            sex=sex,
            dob=random_dob(rng, p.as_of, age, age),
            ctx=ctx,
            ethnicity=ethnicity,
            community=community,
            surname=surname,
            household_id=hid,
            postcode=pc,
            address=addr,
            roles=["parent"],
        )
        adults.append(adult)
    for person in adults + children:
        prev_out = rng.choice(ctx.area.outward_codes)
        person.prev_postcode = ids.postcode(prev_out, rng)
        person.prev_address = ids.address(names.surname("british", rng), rng)
    return adults, children


def days_between(rng: random.Random, start: date, end: date) -> date:
    """A uniformly random date in [start, end]."""
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))
