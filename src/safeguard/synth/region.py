"""``generate_region``: a whole synthetic region, streamed to disk household by household.

One ``random.Random`` per stage, seeded from the run's seed through a string (hashed with SHA-512
by Python, so independent of PYTHONHASHSEED), and a strictly sequential order of work make the
output byte-identical for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from safeguard.domain.codes import load_code_lists
from safeguard.synth.agencies import Recorder
from safeguard.synth.background import background_signs
from safeguard.synth.events import baseline_events
from safeguard.synth.licensing import LicensingBook, write_licence
from safeguard.synth.names import load_name_pools, load_name_variants
from safeguard.synth.output import FeedWriter
from safeguard.synth.params import SynthParams
from safeguard.synth.population import (
    CHILD_SIZE,
    CHILD_SIZE_WEIGHTS,
    AreaContext,
    Person,
    PersonFactory,
    load_area_contexts,
    make_household,
)
from safeguard.synth.scenarios import Plan, Scenario, plan_scenarios
from safeguard.synth.sightings import write_sightings
from safeguard.synth.signs import write_signs
from safeguard.synth.support import SupportBook, SupportRates
from safeguard.synth.truth import write_person, write_scenarios
from safeguard.synth.victims import place_victim

MIN_CHILDREN = 50


@dataclass(frozen=True)
class RegionSummary:
    """What was generated: counts for the CLI table, the demo and the benchmark."""

    out_dir: Path
    seed: int
    children: int
    adults: int
    records: dict[str, int]
    events: int
    agencies: tuple[str, ...]
    scenarios: dict[str, int] = field(default_factory=dict)
    exploited_children: int = 0

    @property
    def persons(self) -> int:
        return self.children + self.adults

    @property
    def total_records(self) -> int:
        return sum(self.records.values())


def agency_codes(contexts: list[AreaContext]) -> list[str]:
    """Every submitting agency of the region, police forces first, in areas.csv order."""
    forces = list(dict.fromkeys(f"POLICE-{c.area.force_code}" for c in contexts))
    las = [f"{k}-{c.area.la_code}" for c in contexts for k in ("CSC", "HEALTH", "EDU", "LIC")]
    return forces + las


def generate_region(
    out_dir: Path | str,
    children: int,
    seed: int,
    las: int | None = None,
    params: SynthParams | None = None,
    progress: Callable[[int], None] | None = None,
) -> RegionSummary:
    """Write one feed per agency and the truth folder for ``children`` children under ``seed``."""
    if children < MIN_CHILDREN:
        raise ValueError(f"a region needs at least {MIN_CHILDREN} children, not {children}")
    params = params or SynthParams()
    n_areas = len(load_code_lists().areas)
    if las is not None and not 1 <= las <= n_areas:
        raise ValueError(f"the number of local authorities must be 1 to {n_areas}, not {las}")
    contexts, la_pool = load_area_contexts(las)
    out = Path(out_dir)
    writer = FeedWriter(out)
    agencies = agency_codes(contexts)
    writer.ensure_headers(agencies)
    factory = PersonFactory(seed, params)
    book = LicensingBook()
    plan = plan_scenarios(factory, book, contexts, children, random.Random(f"plan:{seed}"))
    rec = Recorder(writer, params, load_name_pools(), load_name_variants(), seed)
    support = SupportBook(writer, seed, params.as_of, SupportRates())
    rec.on_event = support.on_event
    rng = random.Random(f"people:{seed}")
    bg = random.Random(f"background:{seed}")
    persistent = [o for sc in plan.scenarios for o in sc.offenders]
    adults = len(persistent)
    made = 0
    last_child: Person | None = None
    while made < children:
        n = min(rng.choices(CHILD_SIZE, CHILD_SIZE_WEIGHTS)[0], children - made)
        victims = [(i, plan.victim_of[i]) for i in range(made, made + n) if i in plan.victim_of]
        ctx = contexts[int(la_pool.draw(rng))]
        if victims:  # a victim lives in one of their scenario's areas (its home if only one)
            ctx = rng.choice(victims[0][1].areas)
        namesake = last_child if rng.random() < params.namesake_rate * n else None
        h_adults, h_children = make_household(factory, rng, ctx, n, namesake)
        adults += len(h_adults)
        starts: dict[str, tuple[Scenario, date]] = {}
        for i, sc in victims:
            child = h_children[i - made]
            starts[child.person_id] = (
                sc,
                place_victim(child, h_children, sc, rng, params, rec.names),
            )
            if sc.type == "familial":
                _familial_offender(sc, h_adults)
        _household_records(h_adults, h_children, starts, rec, writer, (rng, bg), params, book,
                           contexts)  # fmt: skip
        made += n
        last_child = h_children[-1]
        if progress is not None:
            progress(n)
    for sc in plan.scenarios:
        for lic in sc.licences:
            write_licence(lic, rec, writer, rng, params, contexts)
    write_sightings(book.issued, plan.scenarios, contexts, rec, writer, params, seed)
    for o in persistent:
        write_person(writer, o)
    write_scenarios(writer, plan)
    writer.close()
    summary = _summary(out, seed, children, adults, rec, agencies, plan)
    return replace(summary, events=summary.events + support.count)  # with support events


def _familial_offender(sc: Scenario, adults: list[Person]) -> None:
    men = [a for a in adults if a.sex == "M"]
    off = (men or adults)[0]
    off.roles.append("suspect")
    sc.offenders = [off]
    sc.roles[off.person_id] = "offender"


def _household_records(
    adults: list[Person],
    kids: list[Person],
    starts: dict[str, tuple[Scenario, date]],
    rec: Recorder,
    writer: FeedWriter,
    rngs: tuple[random.Random, random.Random],
    params: SynthParams,
    book: LicensingBook,
    contexts: list[AreaContext],
) -> None:
    """Truth rows, baseline events, background signs (their own stream) and scenario signs
    for one household, in a fixed order."""
    rng, bg = rngs
    for a in adults:
        if rng.random() < params.driver_rate_per_adult:
            a.roles.append("driver")
            home = next(c for c in contexts if c.area is a.area)
            lic_ctx = home if rng.random() < 0.95 else rng.choice(contexts)
            lic = book.grant(a, lic_ctx, rng, params.as_of, "")
            write_licence(lic, rec, writer, rng, params, contexts)
    for person in adults + kids:
        write_person(writer, person)
    for child in kids:
        placed = starts.get(child.person_id)
        baseline_events(
            child,
            adults,
            rec,
            rng,
            params,
            force_health=placed is not None,
            force_school=placed is not None,
        )
        background_signs(child, rec, bg, params)
        if placed is None:
            continue
        sc, start = placed
        first = write_signs(child, adults, sc, start, rec, rng, params)
        sc.victims.append(child.person_id)
        writer.truth(
            "exploited_children",
            [child.person_id, sc.type, sc.scenario_id, start.isoformat(), first.isoformat()],
        )


def _summary(
    out: Path,
    seed: int,
    children: int,
    adults: int,
    rec: Recorder,
    agencies: list[str],
    plan: Plan,
) -> RegionSummary:
    kinds: dict[str, int] = {}
    for sc in plan.scenarios:
        kinds[sc.type] = kinds.get(sc.type, 0) + 1
    return RegionSummary(
        out_dir=out,
        seed=seed,
        children=children,
        adults=adults,
        records=dict(sorted(rec.records_by_kind.items())),
        events=sum(rec.event_counters.values()),
        agencies=tuple(agencies),
        scenarios=kinds,
        exploited_children=len(plan.victim_of),
    )


DEMO_CHILDREN = 8000
DEMO_SEED = 2025
#: The demo concentrates exploitation and taxi drivers so that every page has something to
#: show (statistics cells above the disclosure threshold, groups, alerts, licensing matches).
#: These are not national rates: docs/synthetic-data.md gives those, and every benchmark and
#: evaluation uses them, never these.
DEMO_SCENARIO_FACTOR = 6.0
DEMO_DRIVER_FACTOR = 4.0


def demo_params() -> SynthParams:
    """The documented rates with exploitation and drivers concentrated for the demo, and the
    partners' receipts so that the sharing report shows each agency's timeliness."""
    base = SynthParams(partner_receipts=True)
    s = base.scenarios
    scenarios = replace(
        s,
        group_based_per_child=s.group_based_per_child * DEMO_SCENARIO_FACTOR,
        online_grooming_per_child=s.online_grooming_per_child * DEMO_SCENARIO_FACTOR,
        familial_per_child=s.familial_per_child * DEMO_SCENARIO_FACTOR,
        county_lines_per_child=s.county_lines_per_child * DEMO_SCENARIO_FACTOR,
    )
    return replace(
        base,
        scenarios=scenarios,
        driver_rate_per_adult=base.driver_rate_per_adult * DEMO_DRIVER_FACTOR,
    )


def demo_region(out_dir: Path | str) -> RegionSummary:
    """The region ``safeguard demo`` loads: a fixed seed, all areas, concentrated events."""
    return generate_region(out_dir, DEMO_CHILDREN, DEMO_SEED, params=demo_params())
