"""Taxi and private-hire driver licences, and the licensing decisions agencies submit.

Drivers licensed by an authority other than the one they live in are "out of area"; in the
group-based rings some drivers were refused at home and licensed elsewhere, the pattern the
national register is meant to catch.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from safeguard.synth import identifiers as ids
from safeguard.synth.agencies import Recorder
from safeguard.synth.output import FeedWriter
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

    def grant(
        self, driver: Person, ctx: AreaContext, rng: random.Random, before: date, scenario_id: str
    ) -> Licence:
        la = ctx.area.la_code
        n = self.serial.get(la, 0) + 1
        self.serial[la] = n
        kind = "phv" if rng.random() < 0.8 else "hackney"
        granted = before - timedelta(days=rng.randint(30, 900))
        return Licence(
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


def write_licence(
    lic: Licence, rec: Recorder, w: FeedWriter, rng: random.Random, as_of: date
) -> None:
    """Licensing decisions for one licence (and a refusal at home for some out-of-area drivers)."""
    d = lic.driver
    base = {
        "licence_type": lic.licence_type,
        "licence_number": lic.licence_number,
        "driving_licence": lic.driving_licence,
        "plate": lic.plate,
    }
    if lic.out_of_area and lic.scenario_id and rng.random() < 0.5:
        home_agency = f"LIC-{d.area.la_code}"
        refused = lic.granted - timedelta(days=rng.randint(30, 300))
        rec.event(
            home_agency,
            "licensing_decision",
            refused,
            [("subject", d)],
            rng,
            details={
                "decision": "refused",
                "licence_type": lic.licence_type,
                "driving_licence": lic.driving_licence,
            },
            scenario_id=lic.scenario_id,
        )
    agency = f"LIC-{lic.licensing.area.la_code}"
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
    if not lic.scenario_id and rng.random() < 0.03:
        later = min(lic.granted + timedelta(days=rng.randint(30, 400)), as_of)
        decision = rng.choice(("suspended", "revoked"))
        rec.event(
            agency,
            "licensing_decision",
            later,
            [("subject", d)],
            rng,
            details={**base, "decision": decision},
        )
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
