"""Sightings of licensed vehicles, as police would submit them (``SightingRates``).

- **ANPR reads** (``anpr_read`` events, which the network does not count as offending: a
  camera on a main road is no evidence that two drivers know each other) over the last
  ``anpr_days`` before the as-of date: every driver works about ``shifts_per_week`` shifts,
  each giving a few reads at fixed camera sites, mostly in the authority that licensed them. A
  driver licensed away from home works at home half the time (cross-border hiring, lawful for
  private hire); every driver takes some fares into other authorities. Some shifts are at
  night.
- **Reported sightings** (``source`` = ``reported``): enforcement stops and patrol checks of
  ordinary taxis at venues (hotels, takeaways, ranks), a few a year; and some innocent drivers
  have a regular night fare at the same venue in another authority.
- **Ring drivers** (out-of-area offenders) also take victims to the ring's places at night on
  several nights after the ring starts: ANPR reads in the ring's area when within the
  extract, and sometimes a report by hotel staff or a patrol.

Ground truth: ``truth/out_of_area_offenders.csv`` lists each ring driver licensed away from
the area where they take victims. Randomness comes from streams named by seed and plate, so
the rest of the region does not change with these volumes.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from safeguard.synth import identifiers as ids
from safeguard.synth.agencies import Recorder
from safeguard.synth.licensing import Licence
from safeguard.synth.output import FeedWriter
from safeguard.synth.params import SightingRates, SynthParams
from safeguard.synth.population import AreaContext
from safeguard.synth.scenarios import Scenario

NIGHT_HOURS = (20, 21, 22, 23, 0, 1, 2, 3, 4, 5)
_VENUE_TYPES = ("hotel", "takeaway", "taxi_rank", "other")


def _sites(ctx: AreaContext, kind: str, n: int) -> list[str]:
    rng = random.Random(f"{kind}:{ctx.area.la_code}")
    return [ids.postcode(rng.choice(ctx.area.outward_codes), rng) for _ in range(n)]


class _Places:
    """Camera sites and venues per authority (fixed per authority, not per seed)."""

    def __init__(self, contexts: Sequence[AreaContext], scenarios: Sequence[Scenario]) -> None:
        self.by_la = {c.area.la_code: c for c in contexts}
        self.cameras = {la: _sites(c, "anpr", 12) for la, c in self.by_la.items()}
        self.venues: dict[str, list[tuple[str, str]]] = {}
        for la, c in self.by_la.items():
            rng = random.Random(f"venues:{la}")
            pcs = _sites(c, "venue", 30)
            self.venues[la] = [(rng.choice(_VENUE_TYPES), pc) for pc in pcs]
        for sc in scenarios:  # a ring's hotel and takeaway are ordinary venues to other taxis
            self.venues[sc.home.area.la_code].extend(
                p for p in sc.places if p[0] in ("hotel", "takeaway")
            )


def _at(day: date, rng: random.Random, night: bool) -> datetime:
    hour = rng.choice(NIGHT_HOURS) if night else rng.randint(6, 19)
    return datetime.combine(day, time(hour, rng.randrange(60)))


def _work_area(lic: Licence, las: list[str], r: SightingRates, rng: random.Random) -> str:
    own, home = lic.licensing.area.la_code, lic.driver.area.la_code
    if rng.random() < r.cross_border_share:
        return rng.choice(las)
    if own != home and rng.random() < r.home_share_if_licensed_away:
        return home
    return own


def write_sightings(
    licences: Sequence[Licence],
    scenarios: Sequence[Scenario],
    contexts: Sequence[AreaContext],
    rec: Recorder,
    w: FeedWriter,
    params: SynthParams,
    seed: int,
) -> None:
    places = _Places(contexts, scenarios)
    rings = {id(lic): sc for sc in scenarios for lic in sc.licences}
    for lic in licences:
        rng = random.Random(f"sightings:{seed}:{lic.plate}")
        _ordinary(lic, places, rec, rng, params)
        sc = rings.get(id(lic))
        if sc is not None:
            _ring_trips(lic, sc, places, rec, w, rng, params)


def _sighting(
    lic: Licence,
    places: _Places,
    rec: Recorder,
    rng: random.Random,
    la: str,
    when: datetime,
    source: str,
    venue: tuple[str, str] | None = None,
    scenario_id: str = "",
) -> None:
    ctx = places.by_la[la]
    kind, pc = venue or ("other", rng.choice(places.cameras[la]))
    rec.event(
        f"POLICE-{ctx.area.force_code}",
        "anpr_read" if source == "ANPR" else "vehicle_sighting",
        when,
        [("subject", lic.driver)],
        rng,
        objects=[("taxi_plate", lic.plate), ("vehicle", lic.vehicle)],
        postcode=pc,
        place_type=kind,
        details={"source": source},
        scenario_id=scenario_id,
    )


def _ordinary(
    lic: Licence, places: _Places, rec: Recorder, rng: random.Random, p: SynthParams
) -> None:
    r, las = p.sightings, sorted(places.by_la)
    first = max(p.as_of - timedelta(days=r.anpr_days), lic.granted)
    for offset in range((p.as_of - first).days):
        if rng.random() >= r.shifts_per_week / 7:
            continue
        day, night = first + timedelta(days=offset), rng.random() < r.night_share
        la = _work_area(lic, las, r, rng)
        for _ in range(rng.randint(*r.reads_per_shift)):
            _sighting(lic, places, rec, rng, la, _at(day, rng, night), "ANPR")
    start = max(p.as_of - timedelta(days=p.window_days), lic.granted)
    span = max((p.as_of - start).days, 1)
    for _ in range(_poisson(rng, r.routine_reports_per_year * span / 365)):
        la = _work_area(lic, las, r, rng)
        day = start + timedelta(days=rng.randrange(span))
        when = _at(day, rng, rng.random() < r.night_share)
        _sighting(lic, places, rec, rng, la, when, "reported", rng.choice(places.venues[la]))
    if lic.scenario_id or rng.random() >= r.regular_client_rate:
        return
    away = [la for la in las if la != lic.licensing.area.la_code]
    if not away:
        return
    la = rng.choice(away)
    venue = rng.choice(places.venues[la])
    for _ in range(rng.randint(*r.regular_client_visits)):
        day = start + timedelta(days=rng.randrange(span))
        if day >= p.as_of - timedelta(days=r.anpr_days):
            _sighting(lic, places, rec, rng, la, _at(day, rng, True), "ANPR")
        if rng.random() < r.routine_report_per_visit:
            _sighting(lic, places, rec, rng, la, _at(day, rng, True), "reported", venue)


def _ring_trips(
    lic: Licence,
    sc: Scenario,
    places: _Places,
    rec: Recorder,
    w: FeedWriter,
    rng: random.Random,
    p: SynthParams,
) -> None:
    r, la = p.sightings, sc.home.area.la_code
    if la == lic.licensing.area.la_code:
        return  # licensed where the ring works: not out of area
    w.truth("out_of_area_offenders", [lic.driver.person_id, lic.plate,
                                      lic.licensing.area.la_code, la, sc.scenario_id])  # fmt: skip
    venues = [v for v in sc.places if v[0] != "home"] or places.venues[la]
    end = min(sc.start + timedelta(days=300), p.as_of)
    span = max((end - sc.start).days - 7, 1)
    for _ in range(rng.randint(*r.offender_trips)):
        day = sc.start + timedelta(days=7 + rng.randrange(span))
        venue = rng.choice(venues)
        if day >= p.as_of - timedelta(days=r.anpr_days):
            _sighting(lic, places, rec, rng, la, _at(day, rng, True), "ANPR")
        if rng.random() < r.suspicious_report:
            when = _at(day, rng, True)
            _sighting(lic, places, rec, rng, la, when, "reported", venue, sc.scenario_id)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; the means here are small."""
    limit, k, prod = pow(2.718281828459045, -mean), 0, rng.random()
    while prod > limit:
        k += 1
        prod *= rng.random()
    return k
