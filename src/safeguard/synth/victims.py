"""Fitting a planned victim to their scenario: age and sex at exploitation start.

Only age and sex are adjusted (the profiles in ``scenarios.VICTIM_PROFILE``); the child's
ethnicity, nationality, family and address stay what the household draw gave them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from safeguard.synth.names import NamePools
from safeguard.synth.params import SynthParams
from safeguard.synth.population import Person
from safeguard.synth.scenarios import VICTIM_PROFILE, Scenario


def place_victim(
    child: Person,
    siblings: list[Person],
    sc: Scenario,
    rng: random.Random,
    params: SynthParams,
    names: NamePools,
) -> date:
    """Set the victim's dob and sex to fit the scenario; returns their exploitation start."""
    (lo, hi), share_female = VICTIM_PROFILE[sc.type]
    as_of = params.as_of
    latest = as_of - timedelta(days=90)
    span = max(1, (latest - sc.start).days)
    start = min(sc.start + timedelta(days=rng.randrange(min(span, 120))), latest)
    years = (as_of - start).days // 365 + 1
    top = min(hi, 17 - years)
    if top < lo:
        start = as_of - timedelta(days=200)
        years, top = 1, min(hi, 16)
    age = rng.randint(lo, top)
    ordinal = start.toordinal() - int(age * 365.25) - rng.randrange(0, 360)
    dob = date.fromordinal(ordinal)
    twin = next((s for s in siblings if s.person_id == child.twin_of), None)
    child.dob = dob
    child.namesake_of = ""
    if twin is not None:
        twin.dob = dob
        twin.namesake_of = ""
    sex = "F" if rng.random() < share_female else "M"
    if sex != child.sex:
        child.sex = sex
        taken = {s.first_name for s in siblings if s is not child}
        name = names.first_name(child.community, sex, True, rng)
        while name in taken:
            name = names.first_name(child.community, sex, True, rng)
        child.first_name = name
    return start
