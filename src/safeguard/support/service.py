"""Support offers: made due by triggers, worked by the responsible agency, escalated when late.

Every change goes to the offer, its support events and the audit log. ``clock`` is "now" for
deadlines so tests and the benchmark control time.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from safeguard.accounts.roles import SUPPORT_REPORT_ROLES
from safeguard.crime.rules import CrimeRules
from safeguard.crime.validation import is_csae_crime
from safeguard.domain.actors import User
from safeguard.domain.clock import utc
from safeguard.domain.codes import CodeLists
from safeguard.domain.records import EventRecord, ParticipantFacts
from safeguard.sharing.refusals import refuse
from safeguard.store.uow import UnitOfWork
from safeguard.support.errors import (
    SupportError,
    SupportForbidden,
    SupportNotFound,
    refused,
)
from safeguard.support.feeds import SCHOOL_ROLL, SUPPORT_ACTIONS
from safeguard.support.intake import raise_offers
from safeguard.support.pathways import Pathways
from safeguard.support.report import SupportRow, build, published
from safeguard.support.triggers import (
    ACTIONS,
    NOT_MADE,
    Situation,
    after,
    from_event,
    latest_for,
)

Clock = Callable[[], datetime]
When = datetime | None
__all__ = ["SupportError", "SupportForbidden", "SupportNotFound", "SupportService", "refused"]


class SupportService:
    """What ingest, risk, the API, pages and CLI call for support offers."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codes: CodeLists,
        pathways: Pathways,
        crime_rules: CrimeRules,
        clock: Clock,
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        self.pathways = pathways
        self.crime_rules = crime_rules
        self.clock = clock

    def raise_offers(
        self, uow: UnitOfWork, situations: Sequence[Situation], hint: dict[str, str] | None = None
    ) -> int:
        """Create the offers these situations make due (see ``intake.raise_offers``)."""
        return raise_offers(uow, self.codes, self.pathways, self.clock(), situations, hint)

    def _serves(self, agency_code: str, la: str) -> bool:
        """Whether ``la`` is in the agency's own area (its authority, or its force's)."""
        agency = self.codes.agencies.get(agency_code)
        if agency is None:
            return False
        if agency.la_code:
            return agency.la_code == la
        return any(a.la_code == la and a.force_code == agency.force_code for a in self.codes.areas)

    def on_events_written(
        self,
        uow: UnitOfWork,
        agency: str,
        written: Sequence[tuple[int, EventRecord]],
        people: dict[str, ParticipantFacts],
    ) -> None:
        """Ingest hook: offers made due by crimes and returns; support events and school rolls
        recorded as they arrive."""
        person_of = {local_id: fact[0] for local_id, fact in people.items()}
        dobs = {fact[0]: fact[1] for fact in people.values()}
        situations: list[Situation] = []
        for event_id, rec in written:
            csae = is_csae_crime(rec, self.codes, self.crime_rules)
            situations += from_event(event_id, rec, person_of, dobs, csae, self.pathways)
        # the child's area when no record of theirs names one: their record's postcode, else
        # where the event happened, if that is in the recording agency's own area (a child
        # found far from home is not the far hub's child); else the offer is made unplaced
        hint = {pid: la for _, r in written for p in r.participants
                if (pid := person_of.get(p.local_id)) is not None
                and (la := self.codes.la_of_postcode(r.postcode)) is not None
                and self._serves(agency, la)}  # fmt: skip
        hint |= {
            fact[0]: la
            for fact in people.values()
            if (la := self.codes.la_of_record(agency, fact[2])) is not None
        }
        self.raise_offers(uow, situations, hint)
        for event_id, rec in written:
            if rec.event_type == SCHOOL_ROLL:
                for p in rec.participants:
                    if p.local_id in person_of:
                        school = str(rec.details["school"])
                        uow.support.set_pupil(
                            person_of[p.local_id], school, agency, p.local_id, rec.occurred_at
                        )
            elif rec.event_type in SUPPORT_ACTIONS:
                for p in rec.participants:
                    if p.local_id in person_of:
                        self._record(
                            uow,
                            person_of[p.local_id],
                            str(rec.details["service"]),
                            SUPPORT_ACTIONS[rec.event_type],
                            rec.occurred_at,
                            agency,
                            f"feed:{agency}",
                            "feed",
                            rec.details.get("reason"),
                            event_id,
                            about=f"event:{agency}/{rec.details['event']}"
                            if rec.details.get("event")
                            else None,
                        )

    def on_alert_decided(self, uow: UnitOfWork, alert: Any, outcome: str, at: datetime) -> None:
        """Risk hook: an alert decided as exploitation makes support due."""
        if outcome in self.pathways.exploitation_outcomes:
            trigger = f"alert:{alert.id}"
            self.raise_offers(
                uow, [Situation(alert.person_id, "exploitation_confirmed", trigger, at)]
            )

    # --- recording what happened --------------------------------------------------------------
    def _record(
        self,
        uow: UnitOfWork,
        person_id: str,
        service: str,
        action: str,
        at: datetime,
        agency: str,
        by: str,
        source: str,
        reason: Any,
        event_id: int | None = None,
        offer: Any = None,
        about: str | None = None,
    ) -> int | None:
        """Apply an action to its offer: the one ``about`` names (the triggering event), else
        the latest live offer of that service to that child; and keep the support event."""
        if offer is None:
            offers = uow.support.offers_of([person_id])
            named = [o for o in offers if o.service == service and o.trigger == about]
            offer = named[-1] if named else latest_for(offers, person_id, service)
        text = reason.strip()[:500] if isinstance(reason, str) and reason.strip() else None
        if offer is not None:
            uow.support.set_offer(offer.id, **after(offer, action, at, text))
        uow.support.add_event(
            offer_id=None if offer is None else offer.id,
            person_id=person_id,
            service=service,
            action=action,
            at=at,
            agency_code=agency,
            recorded_by=by[:100],
            source=source,
            event_id=event_id,
            reason=text,
        )
        return None if offer is None else int(offer.id)

    def may_work(self, user: User, offer: Any) -> bool:
        """The hub of the child's area, or a practitioner of the agency that must offer."""
        hub = user.has("mash") and user.agency == f"MASH-{offer.la_code}"
        return hub or (user.has("practitioner") and user.agency == offer.responsible_agency)

    def record(
        self, user: User, offer_id: int, action: str, reason: str = "", at: datetime | None = None
    ) -> Row[Any]:
        """A practitioner records what became of an offer (page and API)."""
        subject = f"support-offer:{offer_id}"
        with self.uow_factory() as uow:
            offer = uow.support.offer(offer_id)
            if offer is None:
                raise SupportNotFound(f"support offer {offer_id} does not exist")
            problem: SupportError | None = None
            if not self.may_work(user, offer):
                problem = SupportForbidden(
                    f"support offer {offer_id} is recorded by its area's MASH and the agency "
                    "that must make it"
                )
            elif action not in ACTIONS:
                problem = SupportError(f"action {action!r} is not one of {', '.join(ACTIONS)}")
            elif action == "declined" and len(reason.strip()) < 5:
                problem = SupportError("a declined offer needs the reason the child or family gave")
            if problem is not None:
                refused(uow, user, "support.record", subject, problem)
            when = at or self.clock()
            self._record(
                uow, offer.person_id, offer.service, action, when, user.agency, user.name,
                "practitioner", reason, offer=offer,
            )  # fmt: skip
            self._audit(uow, user, "support.record", subject, offer.person_id, {"action": action})
            row = uow.support.offer(offer_id)
            assert row is not None
            return row

    @staticmethod
    def _audit(
        uow: UnitOfWork, user: User, action: str, subject: str, person_id: str | None, detail: Any
    ) -> None:
        uow.audit.record(
            user,
            reason="support for a child victim",
            action=action,
            subject=subject,
            outcome="written" if action.endswith(("record", "give")) else "shown",
            detail={"person_id": person_id, **detail} if person_id else detail,
        )

    # --- reading and escalating ---------------------------------------------------------------
    def offers(self, user: User, statuses: Collection[str] = ()) -> list[Row[Any]]:
        """The hub's offers (every agency's in its area), or those a practitioner's agency must
        make."""
        subject = f"support-offers:{user.agency}"
        if not user.has("mash", "practitioner"):
            error = SupportForbidden("only MASH and agency practitioners see support offers")
            refuse(self.uow_factory, user, "support.list", subject, error)
        with self.uow_factory() as uow:
            if user.has("mash"):
                hub = self.codes.agencies.get(user.agency)
                la = hub.la_code if hub and hub.kind == "mash" else None
                rows = uow.support.offers(la, statuses) if la else []
            else:
                rows = [r for r in uow.support.offers(None, statuses)
                        if r.responsible_agency == user.agency]  # fmt: skip
            self._audit(uow, user, "support.list", subject, None, {"offers": [r.id for r in rows]})
            return rows

    def escalate_overdue(self) -> list[int]:
        """Every offer not made by its deadline escalates to the responsible agency's manager."""
        now = self.clock()
        with self.uow_factory() as uow:
            ids: list[int] = []
            for offer in uow.support.offers(None, ("due",)):
                if utc(offer.due_at) >= utc(now):
                    continue
                to = f"manager, {offer.responsible_agency}"
                uow.support.set_offer(
                    offer.id, status="escalated", escalated_at=now, escalated_to=to
                )
                ids.append(int(offer.id))
            if ids:
                uow.audit.append(
                    user_name="system",
                    role="admin",
                    agency_code="system",
                    reason="support offers past their deadline",
                    action="support.escalate",
                    subject="support-offers",
                    outcome="written",
                    detail={"offers": ids},
                )
            return ids

    def is_overdue(self, offer: Any) -> bool:
        return offer.status in NOT_MADE and utc(offer.due_at) < utc(self.clock())

    def report(
        self,
        start: When = None,
        end: When = None,
        protected: bool = True,
        hub_la: str | None = None,
    ) -> list[SupportRow]:
        """Per LA, offers whose situation arose in [start, end) (see ``report.published``)."""
        with self.uow_factory() as uow:
            rows = build(uow.support.offers(identified=(start, end)), self.clock())
        return published(rows, self.crime_rules.disclosure.threshold, self.codes, protected, hub_la)

    def report_for(self, user: User, start: When = None, end: When = None) -> list[SupportRow]:
        """The report as this user may read it: a hub its own area in full, others protected."""
        if not user.has(*SUPPORT_REPORT_ROLES):
            raise SupportForbidden(
                "the support report is for MASH practitioners, auditors and statisticians"
            )
        hub = self.codes.agencies.get(user.agency) if user.has("mash") else None
        return self.report(start, end, True, hub.la_code if hub and hub.kind == "mash" else None)
