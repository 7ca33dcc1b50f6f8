"""Everyday events of children who are not being exploited: the background any signal sits in.

Rates are per child over the whole window (default three years) and documented, with sources,
in docs/synthetic-data.md. Exploited children get these too, plus their scenario's signs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from safeguard.synth.agencies import Recorder
from safeguard.synth.names import Pool
from safeguard.synth.params import SynthParams
from safeguard.synth.population import Person, days_between

CP_CATEGORIES = Pool(
    ("neglect", "emotional_abuse", "physical_abuse", "sexual_abuse", "multiple"),
    (0.50, 0.86, 0.93, 0.97, 1.0),
)  # DfE Characteristics of children in need 2023-24, initial category of plan (rounded)
AE_REASONS = Pool(("injury", "other", "self_harm", "intoxication"), (0.60, 0.96, 0.985, 1.0))
REFERRAL_SOURCES = Pool(
    ("police", "education", "health", "individual", "other"), (0.29, 0.49, 0.63, 0.80, 1.0)
)  # DfE CIN 2023-24 referral sources (rounded)


@dataclass(frozen=True)
class ChildAgencies:
    """The agencies of a child's local authority and police force."""

    police: str
    csc: str
    health: str
    education: str
    licensing: str

    @classmethod
    def of(cls, p: Person) -> ChildAgencies:
        la, force = p.area.la_code, p.area.force_code
        return cls(f"POLICE-{force}", f"CSC-{la}", f"HEALTH-{la}", f"EDU-{la}", f"LIC-{la}")


def window_start(p: Person, params: SynthParams) -> date:
    start = params.as_of - timedelta(days=params.window_days)
    return max(start, p.dob)


def in_window(rng: random.Random, p: Person, params: SynthParams) -> date:
    return days_between(rng, window_start(p, params), params.as_of)


def _count(rng: random.Random, mean: float) -> int:
    """Geometric count with the given mean, a heavy-ish tail as agency contacts have."""
    n = 0
    q = mean / (1 + mean)
    while rng.random() < q:
        n += 1
    return n


def baseline_events(
    child: Person,
    parents: list[Person],
    rec: Recorder,
    rng: random.Random,
    params: SynthParams,
    force_health: bool = False,
    force_school: bool = False,
) -> None:
    """Records and everyday events of one child with each agency."""
    ag = ChildAgencies.of(child)
    age = child.age_at(params.as_of)
    if force_health or rng.random() < params.health_coverage:
        rec.record(child, ag.health, rng)
        for _ in range(_count(rng, 0.5)):
            reason = AE_REASONS.draw(rng)
            if reason in ("self_harm", "intoxication") and age < 11:
                reason = "injury"
            rec.event(
                ag.health,
                "ae_attendance",
                in_window(rng, child, params),
                [("subject", child)],
                rng,
                details={"reason": reason},
            )
        if age >= 13 and rng.random() < 0.03:
            rec.event(
                ag.health,
                "sexual_health_attendance",
                in_window(rng, child, params),
                [("subject", child)],
                rng,
            )
    if 4 <= age and (force_school or rng.random() < params.education_coverage):
        rec.record(child, ag.education, rng)
        if rng.random() < 0.25:
            for _ in range(rng.randint(1, 4)):
                school_absence(child, rec, rng, params, ag)
        if age >= 7 and rng.random() < 0.04:
            rec.event(
                ag.education,
                "exclusion",
                in_window(rng, child, params),
                [("subject", child)],
                rng,
                details={"type": "suspension", "days": rng.randint(1, 5)},
            )
    # Missing episodes, behaviour changes, finds in vehicles, online reports and pregnancies
    # come from synth/background.py at the rates in data/background_signs.yaml.
    if rng.random() < params.police_contact_rate:
        rec.event(
            ag.police,
            "referral",
            in_window(rng, child, params),
            [("subject", child)] + [("associate", a) for a in parents],
            rng,
            details={"reason": "domestic_abuse_notification"},
        )
    if rng.random() < params.csc_referral_rate:
        social_care_pathway(child, parents, rec, rng, params, in_window(rng, child, params), None)


def school_absence(
    child: Person,
    rec: Recorder,
    rng: random.Random,
    params: SynthParams,
    ag: ChildAgencies,
    when: date | None = None,
    scenario_id: str = "",
) -> None:
    """One recorded block of unauthorised absence."""
    rec.event(
        ag.education,
        "school_absence",
        when or in_window(rng, child, params),
        [("subject", child)],
        rng,
        place_type="school",
        details={"sessions": rng.randint(1, 10), "authorised": False},
        scenario_id=scenario_id,
    )


def social_care_pathway(
    child: Person,
    parents: list[Person],
    rec: Recorder,
    rng: random.Random,
    params: SynthParams,
    when: date,
    sexual: str | None,
    scenario_id: str = "",
    s47_rate: float = 0.25,
    plan_rate: float = 0.4,
) -> list[date]:
    """Referral, then perhaps strategy discussion, section 47 enquiry and a CP plan."""
    ag = ChildAgencies.of(child)
    people = [("subject", child)] + [("associate", a) for a in parents]
    source = REFERRAL_SOURCES.draw(rng)
    dates = [when]
    rec.event(
        ag.csc, "referral", when, people, rng, details={"source": source}, scenario_id=scenario_id
    )
    if rng.random() < s47_rate:
        d = min(when + timedelta(days=rng.randint(1, 10)), params.as_of)
        rec.event(ag.csc, "strategy_discussion", d, people, rng, scenario_id=scenario_id)
        d2 = min(d + timedelta(days=rng.randint(1, 15)), params.as_of)
        rec.event(ag.csc, "section47_enquiry", d2, people, rng, scenario_id=scenario_id)
        dates += [d, d2]
        if rng.random() < plan_rate:
            d3 = min(d2 + timedelta(days=rng.randint(10, 30)), params.as_of)
            category = sexual or CP_CATEGORIES.draw(rng)
            rec.event(
                ag.csc,
                "cp_plan",
                d3,
                people,
                rng,
                details={"category": category},
                scenario_id=scenario_id,
            )
            dates.append(d3)
    return dates
