"""The sharing service: shares created at ingest, partners' inboxes, acknowledgement,
compliance, and the child's chronology under need to know. Pages, API and CLI call this."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from safeguard.crime.rules import load_crime_rules
from safeguard.domain.actors import AccessDenied, User
from safeguard.domain.clock import utc
from safeguard.domain.codes import CodeLists
from safeguard.domain.obligations import ObligationSet, SharingObligation
from safeguard.domain.pseudonym import pseudonym
from safeguard.domain.records import EventRecord, ParticipantFacts
from safeguard.sharing.access import PSEUDONYMISED
from safeguard.sharing.compliance import ComplianceRow, compliance
from safeguard.sharing.compliance_protect import protect_compliance
from safeguard.sharing.need_to_know import Clock, NeedToKnow
from safeguard.sharing.plain import PlainDecision, PlainShares
from safeguard.sharing.pseudonymise import pseudonymise_event
from safeguard.sharing.receipts import RECEIPT_EVENT_TYPES, partner_receipts
from safeguard.sharing.refusals import refuse, refuse_in
from safeguard.sharing.rules import MADE, ChildFacts, EventFacts, ShareDecision, decide_shares
from safeguard.store.uow import UnitOfWork

INBOX_ROLES = ("practitioner", "mash")


class ShareNotFound(LookupError):
    """No share with that id in the user's inbox."""


class ChildNotFound(LookupError):
    """No child with that reference or id."""


@dataclass(frozen=True)
class InboxItem:
    id: int
    obligation: str
    reason: str
    from_agency: str
    event_type: str
    event_local_id: str
    occurred_at: datetime
    person_id: str | None
    child_ref: str | None
    shared_at: datetime
    acknowledge_by: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    overdue: bool


@dataclass(frozen=True)
class Chronology:
    person_id: str
    child_ref: str | None
    basis: str
    view: str
    events: list[dict[str, Any]] = field(default_factory=list)


#: Columns of a share as ``record_shares`` builds it (the sending agency is given once).
_SHARE_COLUMNS = (
    "obligation_id",
    "event_id",
    "event_local_id",
    "event_type",
    "occurred_at",
    "person_id",
    "to_agency",
    "status",
    "note",
    "due_at",
    "shared_at",
    "recorded_at",
)


class SharingService:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codes: CodeLists,
        obligations: ObligationSet,
        need_to_know: NeedToKnow,
        clock: Clock,
        pseudonym_key: str,
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        self.obligations = obligations
        self.need_to_know = need_to_know
        self.clock = clock
        self.pseudonym_key = pseudonym_key

    # --- delivery (called inside the ingest transaction) -------------------------------------

    def record_shares(
        self,
        uow: UnitOfWork,
        agency_code: str,
        written: Sequence[tuple[int, EventRecord]],
        revised: Collection[str] = (),
        people: Mapping[str, ParticipantFacts] | None = None,
    ) -> Counter[str]:
        """Create the shares the newly written events trigger; returns counts by status.

        ``revised`` are the local ids of events written as a new version: only they can
        already have shares (a first version cannot). ``people`` are the participants'
        (person id, dob, postcode) when the caller has already read them."""
        agency = self.codes.agencies[agency_code]
        # Only the duties of this kind of agency can match its events.
        duties = ObligationSet(
            tuple(o for o in self.obligations.obligations if o.from_kind == agency.kind),
            self.obligations.acknowledge_within_hours,
        )
        if not duties.obligations:
            return Counter()
        if people is None:
            local_ids = sorted({p.local_id for _, rec in written for p in rec.participants})
            people = uow.records.participant_facts(agency_code, local_ids)
        # The duties an event without details can match depend on its type and offence only.
        plain: dict[tuple[str, str | None], tuple[SharingObligation, ...]] = {}
        seen = uow.shares.existing_keys(agency_code, sorted(revised))
        now = self.clock()
        rows: list[tuple[Any, ...]] = []
        counts: Counter[str] = Counter()
        quick = PlainShares(agency, self.codes)
        decisions: Sequence[PlainDecision] | list[ShareDecision]
        for event_id, rec in written:
            if rec.details:
                facts = EventFacts(
                    event_id,
                    agency,
                    rec.local_id,
                    rec.event_type,
                    rec.occurred_at,
                    rec.offence_code,
                    rec.postcode,
                    rec.details,
                    tuple([ChildFacts(p.role, *people[p.local_id]) for p in rec.participants]),
                )
                decisions = decide_shares(facts, duties, self.codes)
            else:
                # Without details only the event's type and offence choose the duties, and
                # the quick path decides as decide_shares would (tests hold it to that).
                kind = (rec.event_type, rec.offence_code)
                plain_duties = plain.get(kind)
                if plain_duties is None:
                    plain_duties = plain[kind] = tuple(
                        o
                        for o in duties.obligations
                        if o.matches_event(agency.kind, kind[0], kind[1], [])
                    )
                if not plain_duties:
                    continue
                decisions = quick(
                    plain_duties,
                    rec.occurred_at,
                    rec.offence_code,
                    rec.postcode,
                    rec.participants,
                    people,
                )
            for obligation, person_id, to_agency, status, note, due in decisions:
                key = (obligation.id, rec.local_id, person_id)
                if key in seen:
                    continue
                seen.add(key)
                counts[f"{status}:{to_agency or '-'}"] += 1
                rows.append(
                    (
                        obligation.id,
                        event_id,
                        rec.local_id,
                        rec.event_type,
                        rec.occurred_at,
                        person_id,
                        to_agency,
                        status,
                        note[:300],
                        due,
                        now if status == MADE else None,
                        rec.recorded_at,
                    )
                )
        uow.shares.add_many(_SHARE_COLUMNS, rows, {"from_agency": agency_code})
        if rows:
            uow.audit.append(
                user_name="platform",
                role="system",
                agency_code=agency_code,
                reason="mandatory sharing obligations",
                action="sharing.create",
                subject=f"events:{agency_code}",
                outcome="written",
                detail={"shares": dict(counts)},
            )
        return counts

    # --- inbox -------------------------------------------------------------------------------

    def inbox(self, user: User, include_acknowledged: bool = False) -> list[InboxItem]:
        """Shares received by the user's agency, oldest first, with overdue ones marked."""
        self._inbox_role(user, "sharing.inbox", f"inbox:{user.agency}")
        ack = timedelta(hours=self.obligations.acknowledge_within_hours)
        reasons = {o.id: o.reason for o in self.obligations.obligations}
        now = utc(self.clock())
        with self.uow_factory() as uow:
            rows = uow.shares.inbox(user.agency, include_acknowledged)
            refs = uow.shares.child_refs([r.person_id for r in rows if r.person_id])
            uow.audit.record(
                user,
                reason="inbox",
                action="sharing.inbox",
                subject=f"inbox:{user.agency}",
                outcome="allowed",
                detail={"shares": [r.id for r in rows]},
            )
        items = []
        for r in rows:
            if r.shared_at is None:  # never: the inbox reads made shares, which have a time
                continue
            by = utc(r.shared_at) + ack
            items.append(
                InboxItem(
                    r.id,
                    r.obligation_id,
                    reasons.get(r.obligation_id, ""),
                    r.from_agency,
                    r.event_type,
                    r.event_local_id,
                    utc(r.occurred_at),
                    r.person_id,
                    refs.get(r.person_id or ""),
                    utc(r.shared_at),
                    by,
                    utc(r.acknowledged_at) if r.acknowledged_at else None,
                    r.acknowledged_by,
                    r.acknowledged_at is None and now > by,
                )
            )
        return items

    def acknowledge(self, user: User, share_id: int) -> None:
        """The receiving agency confirms it has the share; audited."""
        self._inbox_role(user, "sharing.acknowledge", f"share:{share_id}")
        with self.uow_factory() as uow:
            share = uow.shares.get(share_id)
            if share is None or share.to_agency != user.agency:
                error = ShareNotFound(f"no share {share_id} in the inbox of {user.agency}")
                refuse_in(uow, user, "sharing.acknowledge", f"share:{share_id}", error)
            done = uow.shares.acknowledge(share_id, self.clock(), user.name)
            uow.audit.record(
                user,
                reason="acknowledge share",
                action="sharing.acknowledge",
                subject=f"person:{share.person_id}",
                outcome="written" if done else "unchanged",
                detail={"share": share_id},
            )

    def _inbox_role(self, user: User, action: str, subject: str) -> None:
        if not user.has(*INBOX_ROLES):
            error = AccessDenied(f"role {user.role} has no sharing inbox")
            refuse(self.uow_factory, user, action, subject, error)

    # --- compliance --------------------------------------------------------------------------

    def report(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> list[ComplianceRow]:
        """Per agency and obligation: due, on time, late, not shared, timing unknown, never
        made, and the median delay from the agency's recording to the partner's receipt."""
        with self.uow_factory() as uow:
            shares = uow.shares.in_period(start, end)
            receipts = partner_receipts(uow.shares.receipt_events(RECEIPT_EVENT_TYPES))
        hours = {o.id: o.within_hours for o in self.obligations.obligations}
        return compliance(shares, receipts, hours, utc(self.clock()))

    def report_for(
        self, user: User, start: datetime | None = None, end: datetime | None = None
    ) -> list[ComplianceRow]:
        """The report as this user may read it: in full for the hubs that chase partners and for
        auditors; for everyone else (statisticians, who publish it) with small numbers withheld."""
        rows = self.report(start, end)
        if user.has("mash", "auditor"):
            return rows
        threshold = load_crime_rules().disclosure.threshold  # the published statistics' one
        return protect_compliance(rows, self.codes, threshold)

    # --- chronology --------------------------------------------------------------------------

    def chronology(
        self, user: User, ref: str, reason: str = "case work", break_glass: str | None = None
    ) -> Chronology:
        """Every agency's events for the child in time order, with their source."""
        with self.uow_factory() as uow:  # read only: no disk flush, no lock
            person = uow.chronology.find_child(ref)
            if person is None:
                raise ChildNotFound(f"no child with reference {ref!r}")
            decision = self.need_to_know.decide(uow, user, person.id, break_glass)
            events = uow.chronology.for_person(person.id) if decision.allowed else []
        detail = {"events": len(events)}
        if decision.break_glass or self.need_to_know.batcher is None:
            with self.uow_factory() as uow:
                self.need_to_know.record(
                    uow, user, person.id, "chronology.read", reason, decision, break_glass, detail
                )
        else:
            # Nothing is returned until the entry is durable (group commit, see audit_batch).
            self.need_to_know.record_read(
                user, person.id, "chronology.read", reason, decision, detail
            )
        if decision.view == PSEUDONYMISED:
            key = self.pseudonym_key
            return Chronology(
                pseudonym(key, person.id),
                None,
                decision.basis,
                decision.view,
                [pseudonymise_event(key, e) for e in events],
            )
        return Chronology(person.id, person.child_ref, decision.basis, decision.view, events)
