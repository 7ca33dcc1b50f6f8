"""Need to know: whether a user may read a person's data, and why (or why not)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from safeguard.accounts.roles import CHILD_DATA_ROLES
from safeguard.accounts.service import User
from safeguard.domain.codes import CodeLists


@dataclass(frozen=True)
class AccessDecision:
    """Allowed or not, with the relationship that justified it (written to the audit log)."""

    allowed: bool
    basis: str


class AccessDenied(Exception):
    """The user may not read this; the message says why in one sentence."""


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


def may_read_person(
    user: User, holding_agencies: Iterable[str], codes: CodeLists
) -> AccessDecision:
    """A user reads a person only through a role and a relationship with them."""
    holding = set(holding_agencies)
    if not user.has(*CHILD_DATA_ROLES):
        return AccessDecision(False, f"role {user.role} may not read identified records")
    if user.agency in holding:
        return AccessDecision(True, "own agency holds a record")
    visible = visible_agencies(user, codes) or set()
    if holding & visible:
        return AccessDecision(True, "MASH of an agency holding a record")
    return AccessDecision(False, "no involvement: your agency holds no record of this person")
