"""The immigration-enforcement referral rule: the only individual-level use of immigration
status on the platform. It creates referral records for a referral officer to review; it
never feeds risk, matching or ranking (a test greps the source to hold that line).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from safeguard.crime.rules import ReferralRule
from safeguard.domain.codes import CodeLists


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
    suspects: Iterable[Mapping[str, Any]], rule: ReferralRule, codes: CodeLists
) -> list[ReferralCandidate]:
    """Suspects of crimes that meet the rule: a child sexual offence (by the offence list's
    child_victim column), an outcome in the rule's set and a status in the rule's set."""
    due = []
    for row in suspects:
        offence = row["offence_code"]
        if offence not in codes.offences:
            continue
        if codes.offences.extra[offence].get("child_victim") not in rule.offence_child_victim:
            continue
        details = json.loads(row["details"] or "{}")
        outcome = str(details.get("outcome") or "")
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
