"""Support events in agency feeds: the event types, the action each records, and the row check
ingest runs on their ``details`` (a service from the pathways; a reason for a refusal; a school's
DfE URN on a roll event)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from safeguard.support.pathways import Pathways, load_pathways

#: Feed event type → the support action it records.
SUPPORT_ACTIONS: dict[str, str] = {
    "support_referred": "referred",
    "support_offered": "offered",
    "support_accepted": "accepted",
    "support_declined": "declined",
    "support_started": "started",
    "support_completed": "completed",
    "support_closed": "closed",
}
SCHOOL_ROLL = "school_roll"
#: Event types whose details are required: the quick ingest path leaves them to the validator.
DETAILED_TYPES = frozenset(SUPPORT_ACTIONS) | {SCHOOL_ROLL}
_URN = re.compile(r"^[0-9]{6}$")


@cache
def packaged_pathways() -> Pathways:
    """The packaged pathways, read once (bootstrap has already refused a malformed file)."""
    return load_pathways()


def details_problems(
    event_type: str, details: Mapping[str, Any], pathways: Pathways | None = None
) -> list[tuple[str, str]]:
    """(value, sentence) for each problem in a support or roll event's details; none if fine."""
    if event_type == SCHOOL_ROLL:
        school = details.get("school")
        if not isinstance(school, str) or not _URN.match(school):
            return [
                (str(school), "school_roll needs details.school: the school's six-digit DfE URN")
            ]
        return []
    if event_type not in SUPPORT_ACTIONS:
        return []
    pathways = pathways or packaged_pathways()
    problems: list[tuple[str, str]] = []
    service = details.get("service")
    if not isinstance(service, str) or service not in pathways.codes():
        problems.append(
            (
                str(service),
                f"{event_type} needs details.service, one of {', '.join(pathways.codes())} "
                "(data/support_pathways.yaml)",
            )
        )
    about = details.get("event")
    if about is not None and (not isinstance(about, str) or not 0 < len(about) <= 100):
        problems.append((str(about), "details.event must be the local id of the event the "
                         "support follows (this agency's), up to 100 characters"))  # fmt: skip
    reason = details.get("reason")
    if event_type == "support_declined" and (not isinstance(reason, str) or not reason.strip()):
        problems.append((str(reason), "support_declined needs details.reason: why it was declined"))
    return problems
