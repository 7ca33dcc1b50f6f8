"""Need to know: whether a user may read a child's data, in what form, and why (or why not).

Pure: the service gathers the facts (``Relationships``) and this module decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from safeguard.accounts.roles import CHILD_DATA_ROLES
from safeguard.domain.actors import User
from safeguard.domain.codes import CodeLists

#: Roles that read identified records, given a relationship with the child.
IDENTIFIED_ROLES = CHILD_DATA_ROLES | {"licensing_officer"}
#: Roles that read pseudonymised records, given their agency's involvement.
PSEUDONYMISED_ROLES = frozenset({"analyst"})
IDENTIFIED = "identified"
PSEUDONYMISED = "pseudonymised"
BREAK_GLASS_MIN_CHARS = 20


@dataclass(frozen=True)
class AccessDecision:
    """Allowed or not, with the relationship that justified it (written to the audit log)."""

    allowed: bool
    basis: str
    view: str = IDENTIFIED
    break_glass: bool = False


@dataclass(frozen=True)
class Relationships:
    """What ties the user (and their agency) to the child."""

    own_agency_holds_record: bool = False
    mash_of_holding_area: bool = False
    share_received: bool = False
    alert_assigned: bool = False


class AlertAssignments(Protocol):
    """Port to the risk capability: is an alert about this person assigned to this user?"""

    def assigned(self, user_name: str, person_id: str) -> bool: ...


class NoAlertAssignments:
    """Until the risk capability lands, no alert is assigned to anyone."""

    def assigned(self, user_name: str, person_id: str) -> bool:
        return False


def visible_agencies(user: User, codes: CodeLists) -> set[str] | None:
    """Agencies whose records this user may search: their own, or their LA's for MASH.

    None means the role may not search identified records at all.
    """
    if not user.has(*CHILD_DATA_ROLES):
        return None
    own = codes.agencies.get(user.agency)
    if own is not None and own.kind == "mash" and user.has("mash"):
        return {
            a.code
            for a in codes.agencies.values()
            if a.la_code == own.la_code or (a.kind == "police" and a.force_code == own.force_code)
        }
    return {user.agency}


def decide_access(
    user: User, facts: Relationships, break_glass_reason: str | None = None
) -> AccessDecision:
    """Role first, then relationship, then (for identified roles) a recorded break-glass reason."""
    involved = _basis(facts)
    if user.has(*IDENTIFIED_ROLES):
        if involved:
            return AccessDecision(True, involved)
        reason = (break_glass_reason or "").strip()
        if len(reason) >= BREAK_GLASS_MIN_CHARS:
            return AccessDecision(True, "break-glass (flagged for DPO review)", break_glass=True)
        if reason:
            return AccessDecision(
                False, f"a break-glass reason needs at least {BREAK_GLASS_MIN_CHARS} characters"
            )
        return AccessDecision(
            False,
            "no involvement: your agency holds no record and received no share about "
            "this child, and no alert about them is assigned to you",
        )
    if user.has(*PSEUDONYMISED_ROLES):
        if involved:
            return AccessDecision(True, involved, view=PSEUDONYMISED)
        return AccessDecision(
            False, "analysts read pseudonymised records of their agency's cases only"
        )
    if user.has("statistician"):
        return AccessDecision(False, "statisticians see aggregates only, never a child's records")
    return AccessDecision(False, f"role {user.role} may not read a child's records")


def _basis(facts: Relationships) -> str:
    if facts.own_agency_holds_record:
        return "own agency holds a record"
    if facts.share_received:
        return "your agency received a share about this child"
    if facts.alert_assigned:
        return "an alert about this child is assigned to you"
    if facts.mash_of_holding_area:
        return "MASH of an agency holding a record"
    return ""


def may_read_person(
    user: User, holding_agencies: Iterable[str], codes: CodeLists
) -> AccessDecision:
    """The spine's check from the records held alone (kept for callers written against it);
    services use ``NeedToKnow``, which also knows shares, alerts and break-glass."""
    holding = set(holding_agencies)
    visible = visible_agencies(user, codes) or set()
    facts = Relationships(
        own_agency_holds_record=user.agency in holding,
        mash_of_holding_area=user.has("mash") and bool(holding & visible),
    )
    return decide_access(user, facts)
