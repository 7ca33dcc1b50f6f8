"""The signs an exploited child shows to each agency, and the crimes reported, per scenario.

Each victim's signs begin after their exploitation start; the earliest sign any agency records
is the truth's ``first_sign_date``, the date an ideal multi-agency system could first have acted.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from safeguard.synth import identifiers as ids
from safeguard.synth.agencies import Recorder
from safeguard.synth.events import ChildAgencies, school_absence, social_care_pathway
from safeguard.synth.params import SynthParams
from safeguard.synth.population import Person
from safeguard.synth.scenarios import Scenario

OUTCOMES = (
    "charged",
    "cautioned",
    "evidential_difficulties",
    "victim_does_not_support",
    "under_investigation",
    "no_further_action",
)
OUTCOME_WEIGHTS = (0.12, 0.02, 0.38, 0.20, 0.18, 0.10)
TYPOLOGY = {
    "group_based_cse": ["group_based"],
    "online_grooming": ["online_initiated"],
    "familial": ["familial"],
    "county_lines": ["group_based", "county_lines"],
}


def _offence(kind: str, age: int, sex: str, rng: random.Random) -> str:
    if kind == "online_grooming":
        return rng.choice(("88A", "88E", "86", "22B") if age < 16 else ("88A", "86"))
    if age < 13:
        return rng.choice(("21", "19E" if sex == "F" else "19H", "17B" if sex == "F" else "20B"))
    if kind == "familial":
        return rng.choice(("23", "23", "22B"))
    if kind == "county_lines":
        return rng.choice(("71", "72"))
    if age < 16:
        return rng.choice(("71", "19D" if sex == "F" else "19G", "22B"))
    return rng.choice(("71", "72", "17A" if sex == "F" else "20A"))


class SignWriter:
    """Writes one victim's sign events, remembering the dates for the truth."""

    def __init__(
        self,
        child: Person,
        sc: Scenario,
        start: date,
        rec: Recorder,
        rng: random.Random,
        p: SynthParams,
    ) -> None:
        self.child, self.sc, self.start, self.rec, self.rng, self.p = child, sc, start, rec, rng, p
        self.ag = ChildAgencies.of(child)
        self.dates: list[date] = []

    def when(self, start: date, spread: int = 300) -> date:
        """A date in the months after ``start``, never after the region's as-of date."""
        hi = min(start + timedelta(days=spread), self.p.as_of)
        lo = min(start + timedelta(days=7), hi)
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def event(
        self, agency: str, kind: str, d: date, people: list[tuple[str, Person]], **kw: Any
    ) -> None:
        suspects = frozenset(o.person_id for o in self.sc.offenders)
        self.rec.event(
            agency,
            kind,
            d,
            people,
            self.rng,
            scenario_id=self.sc.scenario_id,
            suspects=suspects,
            **kw,
        )
        self.dates.append(d)


def write_signs(
    child: Person,
    parents: list[Person],
    sc: Scenario,
    start: date,
    rec: Recorder,
    rng: random.Random,
    p: SynthParams,
) -> date:
    """All sign events of one victim; returns the first sign's date."""
    s = SignWriter(child, sc, start, rec, rng, p)
    ag = s.ag
    kind = sc.type
    age = child.age_at(start)
    chance = rng.random
    place_kind, place_pc = sc.places[0] if sc.places else ("home", child.postcode)
    if kind in ("group_based_cse", "county_lines"):
        for _ in range(rng.randint(2, 6) if kind == "group_based_cse" else rng.randint(3, 8)):
            details: dict[str, Any] = {"duration_hours": rng.randint(4, 72)}
            if kind == "county_lines":
                other = rng.choice(sc.areas[1:] or sc.areas)
                details["found_in_la"] = other.area.la_code
            else:
                details["found_with_adult"] = chance() < 0.5
            s.event(
                ag.police,
                "missing_episode",
                s.when(start),
                [("subject", child)],
                postcode=place_pc,
                details=details,
            )
        if chance() < 0.5:
            off = rng.choice(sc.offenders)
            objs = [("vehicle", rng.choice(sc.vehicles))] if sc.vehicles else []
            lic = next((x for x in sc.licences if x.driver is off), None)
            if lic is not None:
                objs = [("taxi_plate", lic.plate), ("vehicle", lic.vehicle)]
            s.event(
                ag.police,
                "found_in_vehicle",
                s.when(start),
                [("subject", child), ("associate", off)],
                objects=objs,
                postcode=place_pc,
                place_type="other",
            )
        for lic in sc.licences:
            pc = ids.postcode(rng.choice(child.area.outward_codes), rng)
            s.event(
                ag.police,
                "vehicle_sighting",
                s.when(start),
                [("subject", lic.driver)],
                objects=[("taxi_plate", lic.plate), ("vehicle", lic.vehicle)],
                postcode=pc,
                place_type=rng.choice(("taxi_rank", "other")),
                details={"source": "ANPR", "licensing_la": lic.licensing.area.la_code},
            )
    if kind == "online_grooming" and chance() < 0.8:
        objs = [("online_account", a) for a in sc.accounts]
        s.event(
            ag.police,
            "online_report",
            s.when(start),
            [("victim", child)],
            objects=objs,
            place_type="online",
            details={"source": rng.choice(("parent", "school", "NCMEC"))},
        )
    if child.local_ids.get(ag.education) or age >= 5:
        absences = {"group_based_cse": 5, "county_lines": 8, "familial": 2}.get(kind, 1)
        for _ in range(rng.randint(0, absences) + 1):
            d = s.when(start)
            school_absence(child, rec, rng, p, ag, when=d, scenario_id=sc.scenario_id)
            s.dates.append(d)
        if chance() < {"county_lines": 0.7, "group_based_cse": 0.4}.get(kind, 0.1):
            s.event(
                ag.education,
                "exclusion",
                s.when(start),
                [("subject", child)],
                details={"type": "suspension", "days": rng.randint(1, 5)},
            )
        if chance() < 0.6:
            s.event(
                ag.education,
                "behaviour_change",
                s.when(start),
                [("subject", child)],
                details={"note": "withdrawn, new older friends, new phone"},
            )
    _health_signs(s, kind, age)
    if chance() < {"online_grooming": 0.5, "county_lines": 0.8}.get(kind, 0.85):
        sexual = None if kind == "county_lines" else "sexual_abuse"
        plan_rate = 0.3 if kind == "online_grooming" else 0.5
        s.dates += social_care_pathway(
            child,
            parents,
            rec,
            rng,
            p,
            s.when(start),
            sexual,
            sc.scenario_id,
            s47_rate=0.7,
            plan_rate=plan_rate,
        )
    crime_rate = p.scenarios.crime_reported * (0.4 if kind == "county_lines" else 1.0)
    if chance() < crime_rate and sc.offenders:
        _crime(s, kind, age, place_kind, place_pc)
    return min(s.dates) if s.dates else p.as_of


def _health_signs(s: SignWriter, kind: str, age: int) -> None:
    rng, child, ag = s.rng, s.child, s.ag
    reasons = {
        "group_based_cse": (("intoxication", 0.4), ("injury", 0.2)),
        "county_lines": (("injury", 0.4), ("intoxication", 0.2)),
        "online_grooming": (("self_harm", 0.15),),
        "familial": (("injury", 0.3),),
    }[kind]
    for reason, rate in reasons:
        if rng.random() < rate:
            s.event(
                ag.health,
                "ae_attendance",
                s.when(s.start),
                [("subject", child)],
                details={"reason": reason},
            )
    if kind == "group_based_cse" and age >= 13 and rng.random() < 0.5:
        s.event(ag.health, "sexual_health_attendance", s.when(s.start), [("subject", child)])
        if child.sex == "F" and rng.random() < 0.15:
            s.event(
                ag.health,
                "pregnancy",
                s.when(s.start),
                [("subject", child)],
                details={"outcome": rng.choice(("termination", "ongoing"))},
            )


def _crime(s: SignWriter, kind: str, age: int, place_kind: str, place_pc: str) -> None:
    rng, child, sc = s.rng, s.child, s.sc
    if kind in ("group_based_cse", "county_lines"):
        suspects = rng.sample(sc.offenders, min(len(sc.offenders), rng.randint(2, 4)))
    else:
        suspects = sc.offenders[:1]
    group_based = len(suspects) >= 2
    flags = ["CSA"] + (["CSE"] if kind in ("group_based_cse", "county_lines") else [])
    if kind == "online_grooming":
        flags.append("online")
    details = {
        "flags": flags,
        "typology": TYPOLOGY[kind],
        "outcome": rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0],
        "group_based": group_based,
        "group_based_basis": "two_or_more_suspects" if group_based else "single_suspect",
    }
    objs = [("phone", ph) for ph in sc.phones[:2]] + [("online_account", a) for a in sc.accounts]
    people = [("victim", child)] + [("suspect", o) for o in suspects]
    s.event(
        s.ag.police,
        "crime",
        s.when(s.start),
        people,
        objects=objs,
        postcode=place_pc,
        place_type=place_kind if kind != "online_grooming" else "online",
        offence_code=_offence(kind, age, child.sex, rng),
        details=details,
    )
