"""Taxi and private-hire driver licences, and the licensing decisions agencies submit.

Drivers licensed by an authority other than the one they live in are "out of area"; in the
group-based rings some drivers were refused at home and licensed elsewhere, the pattern the
national register is meant to catch.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from safeguard.synth import identifiers as ids
from safeguard.synth.agencies import Recorder
from safeguard.synth.output import FeedWriter
from safeguard.synth.params import SynthParams
from safeguard.synth.population import AreaContext, Person


@dataclass
class Licence:
    """A driver's licence with one licensing authority, and the vehicle it plates."""

    driver: Person
    licensing: AreaContext
    licence_type: str
    licence_number: str
    plate: str
    vehicle: str
    driving_licence: str
    granted: date
    scenario_id: str

    @property
    def out_of_area(self) -> bool:
        return self.licensing.area.la_code != self.driver.area.la_code


class LicensingBook:
    """Issues licence numbers and plates per authority, in order, so reruns agree."""

    def __init__(self) -> None:
        self.serial: dict[str, int] = {}
        self.issued: list[Licence] = []

    def grant(
        self, driver: Person, ctx: AreaContext, rng: random.Random, before: date, scenario_id: str
    ) -> Licence:
        la = ctx.area.la_code
        n = self.serial.get(la, 0) + 1
        self.serial[la] = n
        kind = "phv" if rng.random() < 0.8 else "hackney"
        granted = before - timedelta(days=rng.randint(30, 900))
        lic = Licence(
            driver=driver,
            licensing=ctx,
            licence_type=kind,
            licence_number=ids.licence_number(la, kind, n),
            plate=ids.taxi_plate(la, kind, n),
            vehicle=ids.vehicle_registration(rng, granted.year - rng.randint(0, 8)),
            driving_licence=ids.driving_licence(
                driver.surname, driver.first_name, driver.middle_name, driver.dob, driver.sex
            ),
            granted=granted,
            scenario_id=scenario_id,
        )
        self.issued.append(lic)
        return lic


_REASONS = ("driving", "dishonesty", "conduct", "medical", "violence", "other", "not_stated")
_OFFENDER_REASONS = ("safeguarding", "sexual_offence", "conduct", "violence", "not_stated")


def _refusal(
    lic: Licence,
    agency: str,
    on: date,
    rec: Recorder,
    rng: random.Random,
    reasons: tuple[str, ...],
    params: SynthParams,
) -> bool:
    """A refusal of ``lic``'s driver by ``agency``; True when it carries the DVLA number."""
    with_dvla = rng.random() >= params.refusal_without_dvla
    details = {"decision": "refused", "licence_type": lic.licence_type,
               "reason_category": rng.choice(reasons)}  # fmt: skip
    if with_dvla:
        details["driving_licence"] = lic.driving_licence
    rec.event(agency, "licensing_decision", on, [("subject", lic.driver)], rng,
              details=details, scenario_id=lic.scenario_id)  # fmt: skip
    return with_dvla


def write_licence(
    lic: Licence,
    rec: Recorder,
    w: FeedWriter,
    rng: random.Random,
    params: SynthParams,
    contexts: Sequence[AreaContext] = (),
) -> None:
    """Licensing decisions for one licence: a refusal at home for some out-of-area ring
    drivers, and for some ordinary drivers a refusal by another authority before the grant
    (the loophole the sweep closes) or after it (not a loophole). Refusals granted over are
    written to ``truth/licence_loopholes.csv`` while the licence stays in force."""
    as_of = params.as_of
    d = lic.driver
    own = random.Random(f"licence:{lic.licence_number}")  # keeps the region's main stream
    base = {
        "licence_type": lic.licence_type,
        "licence_number": lic.licence_number,
        "driving_licence": lic.driving_licence,
        "plate": lic.plate,
    }
    agency = f"LIC-{lic.licensing.area.la_code}"
    earlier: list[tuple[str, date, bool]] = []
    if lic.out_of_area and lic.scenario_id and rng.random() < 0.5:
        home_agency = f"LIC-{d.area.la_code}"
        refused = lic.granted - timedelta(days=rng.randint(30, 300))
        dvla = _refusal(lic, home_agency, refused, rec, own, _OFFENDER_REASONS, params)
        earlier.append((home_agency, refused, dvla))
    others = [c for c in contexts if c.area.la_code != lic.licensing.area.la_code]
    if not lic.scenario_id and others:
        draw = own.random()
        where = f"LIC-{own.choice(others).area.la_code}"
        if draw < params.refused_elsewhere_before:
            refused = lic.granted - timedelta(days=own.randint(30, 400))
            earlier.append((where, refused, _refusal(lic, where, refused, rec, own, _REASONS,
                                                     params)))  # fmt: skip
        elif draw < params.refused_elsewhere_before + params.refused_elsewhere_after:
            later = lic.granted + timedelta(days=own.randint(30, 400))
            if later <= as_of:
                _refusal(lic, where, later, rec, own, _REASONS, params)
    rec.event(
        agency,
        "licensing_decision",
        lic.granted,
        [("subject", d)],
        rng,
        objects=[("taxi_plate", lic.plate), ("vehicle", lic.vehicle)],
        details={**base, "decision": "granted"},
        scenario_id=lic.scenario_id,
    )
    ended = False
    if not lic.scenario_id and rng.random() < 0.03:
        later = min(lic.granted + timedelta(days=rng.randint(30, 400)), as_of)
        decision = rng.choice(("suspended", "revoked"))
        ended = True
        rec.event(
            agency,
            "licensing_decision",
            later,
            [("subject", d)],
            rng,
            details={**base, "decision": decision},
        )
    for entry_agency, on, dvla in [] if ended else earlier:
        granted = lic.granted.isoformat()
        row = [d.person_id, entry_agency, "refused", on.isoformat(), agency, granted]
        w.truth("licence_loopholes", [*row, "1" if dvla else "0"])
    w.truth(
        "licences",
        [
            d.person_id,
            lic.licensing.area.la_code,
            d.area.la_code,
            lic.licence_type,
            lic.licence_number,
            lic.plate,
            lic.vehicle,
            lic.driving_licence,
            "1" if lic.out_of_area else "0",
            lic.scenario_id,
        ],
    )
