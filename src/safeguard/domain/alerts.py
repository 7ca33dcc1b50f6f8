"""A MASH alert and its history as the store returns them: plain values, not database rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Alert:
    """One alert about one child, raised by the risk rules for the child's hub (``mash_code``)."""

    id: int
    person_id: str
    mash_code: str
    la_code: str
    status: str
    score: int
    rules: str
    explanation: str
    evidence: str  # JSON: the events behind the score
    evidence_key: str
    raised_at: datetime
    deadline_at: datetime
    assigned_to: str | None
    assigned_at: datetime | None
    decided_at: datetime | None
    decided_by: str | None
    outcome: str | None
    reason: str | None
    escalated_at: datetime | None
    reopened: int
    #: The child's reference (read with the alert for lists and pages; ``None`` where the
    #: store read the alert alone).
    child_ref: str | None = None


@dataclass(frozen=True)
class AlertHistoryEntry:
    """Something done to an alert: raised, assigned, decided, escalated, reopened."""

    id: int
    alert_id: int
    at: datetime
    action: str
    by: str
    detail: str  # JSON
