"""Truth rows the platform never reads: who each person really is, and each scenario's shape."""

from __future__ import annotations

from safeguard.synth.output import FeedWriter
from safeguard.synth.population import Person
from safeguard.synth.scenarios import Plan


def write_person(w: FeedWriter, p: Person) -> None:
    """One row of truth/persons.csv."""
    w.truth(
        "persons",
        [
            p.person_id,
            p.kind,
            ";".join(dict.fromkeys(p.roles)),
            p.first_name,
            p.middle_name or "",
            p.surname,
            p.dob.isoformat(),
            p.sex,
            p.area.la_code,
            p.postcode,
            p.ethnicity,
            ";".join(p.nationality),
            p.household_id,
            p.twin_of,
            p.namesake_of,
            p.nhs_number,
        ],
    )


def write_scenarios(w: FeedWriter, plan: Plan) -> None:
    """truth/scenarios.csv and truth/groups.csv (every offender, with their group if any)."""
    for sc in plan.scenarios:
        w.truth(
            "scenarios",
            [
                sc.scenario_id,
                sc.type,
                sc.group_id,
                ";".join(c.area.la_code for c in sc.areas),
                sc.start.isoformat(),
                ";".join(sc.victims),
                ";".join(o.person_id for o in sc.offenders),
                _describe(plan, sc.scenario_id),
            ],
        )
        for o in sc.offenders:
            w.truth(
                "groups",
                [sc.group_id, sc.type, sc.scenario_id, o.person_id, sc.roles[o.person_id]],
            )


def _describe(plan: Plan, scenario_id: str) -> str:
    sc = next(s for s in plan.scenarios if s.scenario_id == scenario_id)
    out_of_area = sum(1 for lic in sc.licences if lic.out_of_area)
    parts = [f"{len(sc.victims)} victims", f"{len(sc.offenders)} offenders"]
    if sc.licences:
        parts.append(f"{len(sc.licences)} licensed drivers ({out_of_area} out of area)")
    if sc.vehicles:
        parts.append(f"vehicles {' '.join(sc.vehicles)}")
    if sc.phones:
        parts.append(f"phones {' '.join(sc.phones)}")
    if sc.accounts:
        parts.append(f"accounts {' '.join(sc.accounts)}")
    return "; ".join(parts)
