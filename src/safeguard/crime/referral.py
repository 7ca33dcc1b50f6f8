"""The immigration-enforcement referral rule: the only individual-level use of immigration
status on the platform. It creates referral records for a referral officer to review; it
never feeds risk, matching or ranking (a test greps the source to hold that line).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from safeguard.crime.lifecycle import FIRST_STATUS, CourtKey, latest_court_outcomes
from safeguard.crime.rules import ReferralRule
from safeguard.domain.actors import Actor
from safeguard.domain.codes import CodeLists

if TYPE_CHECKING:
    from safeguard.store.uow import UnitOfWork


@dataclass(frozen=True)
class ReferralCandidate:
    event_id: int
    person_id: str
    agency_code: str
    crime_local_id: str
    suspect_local_id: str
    offence_code: str
    outcome: str
    immigration_status: str


def referrals_due(
    suspects: Iterable[Mapping[str, Any]],
    rule: ReferralRule,
    codes: CodeLists,
    court: Mapping[CourtKey, str] | None = None,
) -> list[ReferralCandidate]:
    """Suspects of crimes that meet the rule: a child sexual offence (by the offence list's
    child_victim column), an outcome in the rule's set and a status in the rule's set. The
    outcome is the latest court outcome for the suspect on that crime when the police have
    sent one (``court``), else the crime's own ``details.outcome``."""
    court = court or {}
    due = []
    for row in suspects:
        offence = row["offence_code"]
        if offence not in codes.offences:
            continue
        if codes.offences.extra[offence].get("child_victim") not in rule.offence_child_victim:
            continue
        details = json.loads(row["details"] or "{}")
        key = (str(row["agency_code"]), str(row["local_id"]), str(row["record_local_id"]))
        outcome = court.get(key) or str(details.get("outcome") or "")
        status = row["immigration_status"] or ""
        if outcome in rule.outcomes and status in rule.immigration_statuses:
            due.append(
                ReferralCandidate(
                    int(row["event_id"]),
                    str(row["person_id"]),
                    str(row["agency_code"]),
                    str(row["local_id"]),
                    str(row["record_local_id"]),
                    str(offence),
                    outcome,
                    status,
                )
            )
    return due


def raise_referrals(
    uow: UnitOfWork, rule: ReferralRule, codes: CodeLists, actor: Actor, now: datetime
) -> int:
    """Create a referral, with an audit entry, for each suspect the rule newly selects."""
    known = uow.crime.referral_keys()
    new = 0
    court = latest_court_outcomes(uow.crime.court_outcomes())
    for c in referrals_due(uow.crime.referral_candidates(), rule, codes, court):
        if (c.event_id, c.person_id, rule.name) in known:
            continue
        referral_id = uow.crime.add_referral(
            event_id=c.event_id,
            person_id=c.person_id,
            agency_code=c.agency_code,
            crime_local_id=c.crime_local_id,
            suspect_local_id=c.suspect_local_id,
            rule=rule.name,
            offence_code=c.offence_code,
            outcome=c.outcome,
            immigration_status=c.immigration_status,
            status=FIRST_STATUS,
            created_at=now,
        )
        known.add((c.event_id, c.person_id, rule.name))
        uow.audit.record(
            actor,
            reason=f"referral rule {rule.name}",
            action="crime.referral.create",
            subject=f"referral:{referral_id}",
            outcome="written",
            detail={"event_id": c.event_id, "person_id": c.person_id, "rule": rule.name},
        )
        new += 1
    return new


#: What a reader without the referral roles may see of a referral: its progress, not the
#: immigration status that raised it.
PROGRESS_FIELDS = (
    "id",
    "agency_code",
    "crime_local_id",
    "suspect_local_id",
    "person_id",
    "rule",
    "offence_code",
    "outcome",
    "status",
    "created_at",
)


def referral_view(referral: Mapping[str, Any], full: bool) -> dict[str, Any]:
    """The referral as the reader may see it: whole for the referral roles, else its progress
    (the hub and the police follow what became of it, not why immigration was involved)."""
    if full:
        return dict(referral)
    return {k: referral[k] for k in PROGRESS_FIELDS} | {"immigration_status": None}
