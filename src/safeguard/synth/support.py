"""Support for the synthetic region's child victims, and its truth (issue 17).

Every event the region writes passes through here: the same trigger rules the platform runs
(``support.triggers``) say which offers it makes due, from what the agency recorded (its date
of birth of the child, its crime's offence and typology). Each offer then gets a fate drawn
from ``SupportRates`` (made on time, late, or never; accepted, declined or no answer), written
as support events in the feed of the agency that recorded the trigger, naming that event in
``details.event``, so the platform attaches them whatever the linkage does. The truth file
``truth/support_offers.csv`` holds what the report must show for each offer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

from safeguard.crime.rules import load_crime_rules
from safeguard.crime.validation import is_csae_crime
from safeguard.domain.codes import load_code_lists
from safeguard.domain.records import EventRecord, Participant
from safeguard.support.pathways import load_pathways
from safeguard.support.triggers import from_event, plan_offers
from safeguard.synth.output import FeedWriter, details_json

REASONS = ("child did not want to talk to anyone new", "family declined", "already supported")


@dataclass(frozen=True)
class SupportRates:
    """What becomes of offers: synthetic assumptions chosen so every outcome occurs, not
    measured national rates."""

    never_made: float = 0.12
    late: float = 0.18  # of offers made
    declined: float = 0.20  # of offers made
    accepted: float = 0.60  # of offers made; the rest have no answer recorded


def _moment(when: date | datetime) -> datetime:
    return when if isinstance(when, datetime) else datetime.combine(when, time())


class SupportBook:
    """Offers owed to the region's children, their support events and truth."""

    def __init__(self, writer: FeedWriter, seed: int, as_of: date, rates: SupportRates) -> None:
        self.w = writer
        self.rng = random.Random(f"support:{seed}")
        self.now = datetime.combine(as_of, time()) + timedelta(days=1)  # the end of as_of
        self.rates = rates
        self.pathways = load_pathways()
        self.codes = load_code_lists()
        self.crime_rules = load_crime_rules()
        #: Offers made so far, by child: ``plan_offers`` needs only the event's children's
        #: (handing it every offer made it quadratic: 1M children took 24 min, not 3).
        self.offers: dict[str, list[Any]] = {}
        self.count = 0

    def on_event(
        self,
        agency: str,
        local_id: str,
        event_type: str,
        when: date | datetime,
        people: list[tuple[str, Any, str, date | None]],  # (role, person, local id, its dob)
        offence_code: str,
        details: dict[str, Any] | None,
    ) -> None:
        if event_type not in ("crime", "missing_episode"):
            return
        record = EventRecord(
            agency=agency, local_id=local_id, event_type=event_type, occurred_at=_moment(when),
            participants=tuple(Participant(role, lid) for role, _, lid, _ in people),
            offence_code=offence_code or None, details=dict(details or {}),
        )  # fmt: skip
        person_of = {lid: p.person_id for _, p, lid, _ in people}
        dobs = {p.person_id: dob for _, p, _, dob in people}
        child = {p.person_id: (p, lid) for _, p, lid, _ in people}
        csae = is_csae_crime(record, self.codes, self.crime_rules)
        situations = from_event(0, record, person_of, dobs, csae, self.pathways)
        theirs = [o for pid in child for o in self.offers.get(pid, ())]
        for s, code, due in plan_offers(situations, theirs, self.pathways):
            self.offers.setdefault(s.person_id, []).append(
                SimpleNamespace(person_id=s.person_id, service=code, trigger=s.trigger,
                                status="due")
            )  # fmt: skip
            person, lid = child[s.person_id]
            self._fate(agency, local_id, person, lid, s.situation, s.identified_at, code, due)

    def _event(
        self, agency: str, kind: str, at: datetime, lid: str, details: dict[str, Any]
    ) -> None:
        self.count += 1
        # recorded_at is left unknown: the support feed does not say when it was typed in
        row = [f"SUP{self.count:08d}", kind, at.isoformat(timespec="seconds"), f"subject:{lid}",
               "", "", "", "", details_json(details), ""]  # fmt: skip
        self.w.event(agency, row)

    def _fate(
        self, agency: str, trigger: str, person: Any, lid: str, situation: str,
        identified: datetime, code: str, due: datetime,
    ) -> None:  # fmt: skip
        r, rng = self.rates, self.rng
        hours = (due - identified).total_seconds() / 3600
        contact: datetime | None = None
        if rng.random() >= r.never_made:
            late = rng.random() < r.late
            share = rng.uniform(1.1, 3.0) if late else rng.uniform(0.05, 0.95)
            contact = identified + timedelta(hours=round(hours * share, 1))
            if contact > self.now:
                contact = None  # not happened yet by the region's date
        outcome = ""
        about = {"service": code, "event": trigger}
        if contact is None:
            fate = "never_made" if due < self.now else "pending"
        else:
            fate = "on_time" if contact <= due else "late"
            self._event(agency, "support_offered", contact, lid, about)
            answer = rng.random()
            later = contact + timedelta(days=rng.randint(1, 10))
            if later <= self.now and answer < r.declined:
                outcome = "declined"
                self._event(agency, "support_declined", later, lid,
                            {**about, "reason": rng.choice(REASONS)})  # fmt: skip
            elif later <= self.now and answer < r.declined + r.accepted:
                outcome = "accepted"
                self._event(agency, "support_accepted", later, lid, about)
        self.w.truth(
            "support_offers",
            [person.person_id, person.area.la_code, agency, lid, trigger, code, situation,
             identified.isoformat(), due.isoformat(), fate,
             "" if contact is None else contact.isoformat(), outcome],
        )  # fmt: skip
