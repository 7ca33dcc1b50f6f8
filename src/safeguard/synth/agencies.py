"""Agencies' records of true people and their events, coded the way each agency codes them.

Health, education and social care record ONS 2021 ethnicity codes; police record the 18+1
self-defined code or ``NS`` (with an officer-observed IC code for some). A person gets at most
one record per agency; the local id is remembered on the person so later events can name them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from safeguard.domain.codes import load_code_lists
from safeguard.synth.names import NamePools, NameVariants
from safeguard.synth.noise import apply_noise
from safeguard.synth.output import FeedWriter, details_json
from safeguard.synth.params import SynthParams
from safeguard.synth.population import Person
from safeguard.synth.timeliness import (
    Receipt,
    profile_of,
    receipts,
    recorded_at,
    write_receipts,
)

_LOCAL_PREFIX = {
    "police": "PN",
    "csc": "LCS",
    "health": "HC",
    "education": "UPN",
    "licensing": "LD",
}
_EVENT_PREFIX = {"police": "CR", "csc": "CE", "health": "HE", "education": "SE", "licensing": "LE"}
_IC = {  # true ONS 2021 code -> the IC code an officer would most likely record
    "13": "IC1",
    "14": "IC1",
    "15": "IC1",
    "16": "IC2",
    "17": "IC2",
    "6": "IC3",
    "7": "IC3",
    "8": "IC3",
    "10": "IC3",
    "11": "IC3",
    "1": "IC4",
    "3": "IC4",
    "4": "IC4",
    "5": "IC4",
    "9": "IC4",
    "2": "IC5",
    "18": "IC6",
    "12": "IC9",
    "19": "IC9",
}


def _police_codes() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, row in load_code_lists().ethnicity_police.extra.items():
        for ons in filter(None, row["ons2021_codes"].split(";")):
            out[ons] = code
    return out


def agency_kind(agency: str) -> str:
    return load_code_lists().agencies[agency].kind


class Recorder:
    """Writes person records and events for every agency, with noise and truth alongside."""

    def __init__(
        self,
        writer: FeedWriter,
        params: SynthParams,
        names: NamePools,
        variants: NameVariants,
        seed: int = 0,
    ) -> None:
        self.seed = seed
        self.w = writer
        self.params = params
        self.names = names
        self.variants = variants
        self.police_code = _police_codes()
        self.counters: dict[str, int] = {}
        self.event_counters: dict[str, int] = {}
        self.records_by_kind: dict[str, int] = {}
        #: Each record's (noisy) date of birth, as the agency recorded it.
        self.dob_of: dict[tuple[str, str], date] = {}
        #: Told of every event written (the support book: offers owed to child victims).
        self.on_event: Callable[..., None] | None = None

    def record(self, p: Person, agency: str, rng: random.Random, suspect: bool = False) -> str:
        """The agency's local id for ``p``, writing its (noisy) record the first time."""
        known = p.local_ids.get(agency)
        if known is not None:
            return known
        kind = agency_kind(agency)
        n = self.counters.get(agency, 0) + 1
        self.counters[agency] = n
        self.records_by_kind[kind] = self.records_by_kind.get(kind, 0) + 1
        local_id = f"{_LOCAL_PREFIX[kind]}{n:07d}"
        p.local_ids[agency] = local_id
        rates = self.params.noise[kind]
        new_surname = self.names.surname(p.community, rng) if p.kind == "adult" else ""
        rec, log = apply_noise(p, rates, self.variants, rng, self.params.as_of, new_surname)
        eth_ns = rec.ethnicity_not_stated
        if suspect:
            eth_ns = rng.random() < self.params.scenarios.suspect_ethnicity_not_stated
        true_eth = p.ethnicity if kind != "police" else self.police_code[p.ethnicity]
        ethnicity = "NS" if eth_ns else true_eth
        if eth_ns:
            log.append(("ethnicity_not_stated", "ethnicity", true_eth, "NS"))
        observed = ""
        if kind == "police":
            # Every police record carries an IC code, IC9 ("unknown") when the officer recorded
            # none: a CSAE crime is rejected when a victim's or suspect's code is missing.
            observed = _IC[p.ethnicity] if rng.random() < (0.6 if eth_ns else 0.3) else "IC9"
        nat_true = ";".join(p.nationality)
        nationality = "NS" if rec.nationality_not_stated else nat_true
        if rec.nationality_not_stated:
            log.append(("nationality_not_stated", "nationality", nat_true, "NS"))
        status = ""
        if suspect:
            status = p.immigration_status if rng.random() < 0.5 else "NS"
        elif kind == "police" and p.kind == "adult":
            # An adult first recorded in another role may later be named as a suspect, and a
            # CSAE crime needs each suspect's immigration status, so "not stated" is explicit.
            status = "NS"
        self.w.person(
            agency,
            [
                local_id,
                rec.first_name,
                rec.middle_name or "",
                rec.surname,
                rec.dob.isoformat(),
                p.sex,
                rec.postcode,
                rec.address,
                rec.nhs_number,
                ethnicity,
                observed,
                nationality,
                status,
            ],
        )
        self.dob_of[(agency, local_id)] = rec.dob
        self.w.truth("record_person", [agency, local_id, p.person_id])
        for noise, field, true, recorded in log:
            self.w.truth("noise", [agency, local_id, p.person_id, noise, field, true, recorded])
        return local_id

    def event(
        self,
        agency: str,
        event_type: str,
        when: date | datetime,
        participants: list[tuple[str, Person]],
        rng: random.Random,
        *,
        objects: list[tuple[str, str]] | None = None,
        postcode: str = "",
        place_type: str = "",
        offence_code: str = "",
        details: dict[str, Any] | None = None,
        scenario_id: str = "",
        suspects: frozenset[str] = frozenset(),
        receipt: str | None = None,
    ) -> str:
        """Write one event; every participant gets a record in the same agency first."""
        kind = agency_kind(agency)
        n = self.event_counters.get(agency, 0) + 1
        self.event_counters[agency] = n
        local_id = f"{_EVENT_PREFIX[kind]}{n:08d}"
        recorded = recorded_at(self.seed, agency, local_id, when)
        parts = []
        people = []
        for role, person in participants:
            lid = self.record(person, agency, rng, suspect=person.person_id in suspects)
            parts.append(f"{role}:{lid}")
            people.append((role, person, lid, self.dob_of.get((agency, lid))))
        self.w.event(
            agency,
            [
                local_id,
                event_type,
                when.isoformat(),
                ";".join(parts),
                ";".join(f"{t}:{v}" for t, v in objects or ()),
                postcode,
                place_type,
                offence_code,
                details_json(details) if details else "",
                recorded.isoformat() if recorded.date() < self.params.as_of else "",
            ],
        )
        if receipt is None and self.params.partner_receipts:
            self._receipts(agency, kind, local_id, event_type, recorded, participants,
                           offence_code, details)  # fmt: skip
        if scenario_id:
            for _, person in participants:
                if person.kind == "child":
                    self.w.truth(
                        "event_scenario", [agency, local_id, scenario_id, person.person_id]
                    )
        if self.on_event is not None:
            self.on_event(agency, local_id, event_type, when, people, offence_code, details)
        return local_id

    def _receipts(
        self,
        agency: str,
        kind: str,
        local_id: str,
        event_type: str,
        recorded: datetime,
        participants: list[tuple[str, Person]],
        offence_code: str,
        details: dict[str, Any] | None,
    ) -> None:
        """The partners' records of receiving this event, as the agency's profile has it."""
        as_of = self.params.as_of
        if recorded.date() >= as_of:
            return
        found = receipts(self.seed, agency, kind, local_id, event_type, recorded,
                         participants, offence_code, details, as_of)  # fmt: skip
        if not found:
            return
        # Its own generator: the region's draws stay as they were without this model.
        rng = random.Random(f"{self.seed}:receipt-records:{agency}:{local_id}")

        def write(r: Receipt) -> str | None:
            assert r.received_at is not None
            source = {"source": kind, "source_agency": agency, "source_event": local_id}
            return self.event(r.partner, "referral", r.received_at, [("subject", r.person)],
                              rng, details=source, receipt=local_id)  # fmt: skip

        write_receipts(found, agency, local_id, recorded, profile_of(agency, self.seed), write,
                       lambda row: self.w.truth("share_delays", row))  # fmt: skip
