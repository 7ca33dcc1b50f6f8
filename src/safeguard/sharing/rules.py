"""Which shares an event triggers, to which concrete agency, and when they fall due. Pure.

Partner resolution (documented in docs/sharing.md): the child's local authority is the one whose
outward postcodes hold the postcode on the submitting agency's record of the child; failing that,
the event's postcode; failing that, the submitting agency's own local authority; failing that
(a police force), the force's only local authority when it covers just one. The partner is
``<KIND>-<LA>`` (``POLICE-<force of that LA>`` for police). No area means the share cannot be
made and counts as never made.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from safeguard.domain.clock import utc
from safeguard.domain.codes import Agency, CodeLists
from safeguard.domain.obligations import ObligationSet, SharingObligation, age_on

_PREFIX = {"csc": "CSC", "mash": "MASH", "health": "HEALTH", "education": "EDU"}
MADE = "made"
NEVER_MADE = "never_made"
#: Why a share is never made, as recorded on it.
UNIDENTIFIED = "the child victim was not identified in the submission"
AGE_UNKNOWN = "the child's age is unknown"
NO_AREA = "the child's local authority could not be resolved"


class ChildFacts(NamedTuple):
    """One participant as the submitting agency recorded them. (These three are named tuples:
    an events file makes one or more of each per row.)"""

    role: str
    person_id: str
    dob: date | None
    postcode: str | None


class EventFacts(NamedTuple):
    event_id: int
    agency: Agency
    local_id: str
    event_type: str
    occurred_at: datetime
    offence_code: str | None
    postcode: str | None
    details: dict[str, Any]
    participants: tuple[ChildFacts, ...]


class ShareDecision(NamedTuple):
    obligation: SharingObligation
    person_id: str | None
    to_agency: str | None
    status: str  # made | never_made
    note: str
    due_at: datetime


def due_at(obligation: SharingObligation, occurred_at: datetime) -> datetime:
    return utc(occurred_at) + timedelta(hours=obligation.within_hours)


class _AreaIndex:
    """Lookups over one code list's areas and offences, built once: every share of an events
    file asks."""

    def __init__(self, codes: CodeLists) -> None:
        self.areas = codes.areas
        self.agencies = codes.agencies
        # Outward code -> local authority, the first area listing it winning (as a scan would).
        self.by_outward: dict[str, str] = {}
        for area in codes.areas:
            for outward in area.outward_codes:
                self.by_outward.setdefault(outward, area.la_code)
        self.by_postcode: dict[str, str | None] = {}
        self.partners: dict[tuple[str, str], str | None] = {}
        self.force_las: dict[str, str | None] = {}
        self.child_victim: frozenset[str] | None = None  # offence codes implying a child victim

    def la_of_postcode(self, postcode: str) -> str | None:
        try:
            return self.by_postcode[postcode]
        except KeyError:
            outward = postcode.strip().upper().split()[0] if postcode.strip() else ""
            la = self.by_postcode[postcode] = self.by_outward.get(outward)
            return la

    def only_la_of_force(self, force_code: str) -> str | None:
        """The force's local authority when it covers just one."""
        if force_code not in self.force_las:
            las = {a.la_code for a in self.areas if a.force_code == force_code}
            self.force_las[force_code] = las.pop() if len(las) == 1 else None
        return self.force_las[force_code]

    def partner(self, partner_kind: str, la: str) -> str | None:
        key = (partner_kind, la)
        if key not in self.partners:
            if partner_kind == "police":
                forces = [a.force_code for a in self.areas if a.la_code == la]
                code = f"POLICE-{forces[0]}" if forces else None
            else:
                code = f"{_PREFIX[partner_kind]}-{la}"
            self.partners[key] = code if code in self.agencies else None
        return self.partners[key]


_INDEXES: dict[int, tuple[CodeLists, _AreaIndex]] = {}


def _index(codes: CodeLists) -> _AreaIndex:
    hit = _INDEXES.get(id(codes))
    if hit is None or hit[0] is not codes:
        hit = _INDEXES[id(codes)] = (codes, _AreaIndex(codes))
    return hit[1]


def resolve_partner(
    partner_kind: str, child: ChildFacts, event: EventFacts, codes: CodeLists
) -> str | None:
    """The concrete receiving agency code, or None when no area can be found."""
    return area_partner(partner_kind, child.postcode, event.postcode, event.agency, codes)


def area_partner(
    partner_kind: str,
    home: str | None,
    event_postcode: str | None,
    agency: Agency,
    codes: CodeLists,
) -> str | None:
    """``resolve_partner`` from its parts: the child's postcode on the submitting agency's
    record, the event's postcode and the submitting agency."""
    index = _index(codes)
    la = (
        (home and index.la_of_postcode(home))
        or (event_postcode and index.la_of_postcode(event_postcode))
        or agency.la_code
    )
    if not la and agency.force_code:
        la = index.only_la_of_force(agency.force_code)
    if not la:
        return None
    return index.partner(partner_kind, la)


def child_victim_codes(codes: CodeLists) -> frozenset[str]:
    index = _index(codes)
    if index.child_victim is None:
        extra = codes.offences.extra.items()
        index.child_victim = frozenset(c for c, row in extra if row["child_victim"] == "yes")
    return index.child_victim


def decide_shares(event: EventFacts, rules: ObligationSet, codes: CodeLists) -> list[ShareDecision]:
    """Every share the event triggers: made, or never made with the reason.

    Never made: the event is withheld (``details.withheld`` true, reason in
    ``details.withheld_reason``); the offence implies a child victim but no victim was
    identified; the child's age is unknown; or the child's area cannot be resolved.
    """
    withheld = event.details.get("withheld") is True
    why_withheld = str(event.details.get("withheld_reason") or "no reason given")
    flags = event.details.get("flags", [])
    decisions: list[ShareDecision] = []
    for rule in rules.obligations:
        if not rule.matches_event(
            event.agency.kind, event.event_type, event.offence_code, flags, event.details
        ):
            continue
        deadline = due_at(rule, event.occurred_at)
        children = [p for p in event.participants if p.role in rule.roles]
        if not children:
            implied = "victim" in rule.roles and (
                event.offence_code in child_victim_codes(codes)
                or event.details.get("child_unidentified") is True
            )
            if implied:
                note = UNIDENTIFIED
                decisions.append(ShareDecision(rule, None, None, NEVER_MADE, note, deadline))
            continue
        for child in children:
            if child.dob is None:
                note = AGE_UNKNOWN
                decisions.append(
                    ShareDecision(rule, child.person_id, None, NEVER_MADE, note, deadline)
                )
                continue
            if age_on(child.dob, event.occurred_at) > rule.max_age:
                continue
            partner = resolve_partner(rule.partner, child, event, codes)
            if withheld:
                note = f"withheld: {why_withheld}"
                decisions.append(
                    ShareDecision(rule, child.person_id, partner, NEVER_MADE, note, deadline)
                )
            elif partner is None:
                note = NO_AREA
                decisions.append(
                    ShareDecision(rule, child.person_id, None, NEVER_MADE, note, deadline)
                )
            else:
                decisions.append(ShareDecision(rule, child.person_id, partner, MADE, "", deadline))
    return decisions
