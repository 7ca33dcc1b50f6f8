"""A referral's lifecycle at the immigration enforcement agency, and court outcomes. Pure.

The statuses and the moves allowed between them are data (data/referral_lifecycle.csv); court
outcomes (data/court_outcomes.csv) arrive as police ``court_outcome`` events naming the crime
and the defendant, and the latest one for a suspect replaces the crime's own outcome when the
referral rule reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from safeguard.domain.codes import read_data_csv

FIRST_STATUS = "received"


class ReferralUpdateError(ValueError):
    """The requested status cannot follow the referral's current one; the message says why."""


class ReferralNotFound(LookupError):
    """No referral with that id."""


@dataclass(frozen=True)
class Lifecycle:
    next: Mapping[str, tuple[str, ...]]
    descriptions: Mapping[str, str]

    def check(self, current: str, new: str, note: str) -> None:
        """Raise ReferralUpdateError unless ``new`` may follow ``current`` with this note."""
        if new not in self.next:
            raise ReferralUpdateError(
                f"{new!r} is not a referral status; use one of {', '.join(self.next)}"
            )
        allowed = self.next.get(current, ())
        if new not in allowed:
            options = ", ".join(allowed) if allowed else "nothing: the referral is closed"
            raise ReferralUpdateError(
                f"a referral that is {current.replace('_', ' ')} can move to {options}, "
                f"not {new.replace('_', ' ')}"
            )
        if new in ("action_taken", "no_action") and not note.strip():
            raise ReferralUpdateError(
                f"say in the note why the decision is {new.replace('_', ' ')}"
            )


@lru_cache(maxsize=1)
def load_lifecycle() -> Lifecycle:
    rows = read_data_csv("referral_lifecycle.csv")
    moves = {r["code"]: tuple(filter(None, r["next"].split(";"))) for r in rows}
    unknown = {n for targets in moves.values() for n in targets} - moves.keys()
    if unknown or FIRST_STATUS not in moves:
        raise ValueError(f"data/referral_lifecycle.csv names unknown statuses {sorted(unknown)}")
    return Lifecycle(moves, {r["code"]: r["description"] for r in rows})


@lru_cache(maxsize=1)
def court_outcome_codes() -> frozenset[str]:
    return frozenset(r["code"] for r in read_data_csv("court_outcomes.csv"))


CourtKey = tuple[str, str, str]  # (police agency, crime local id, suspect's local id)


def latest_court_outcomes(rows: Iterable[Mapping[str, Any]]) -> dict[CourtKey, str]:
    """From current ``court_outcome`` events (agency_code, occurred_at, details, suspect's
    record_local_id): the latest outcome per crime and defendant (ties: the later event)."""
    latest: dict[CourtKey, tuple[Any, int, str]] = {}
    for row in rows:
        details = json.loads(row["details"] or "{}")
        crime, outcome = details.get("crime"), details.get("outcome")
        if not isinstance(crime, str) or outcome not in court_outcome_codes():
            continue
        key = (str(row["agency_code"]), crime, str(row["record_local_id"]))
        order = (row["occurred_at"], int(row["event_id"]), str(outcome))
        if key not in latest or order[:2] > latest[key][:2]:
            latest[key] = order
    return {k: v[2] for k, v in latest.items()}
