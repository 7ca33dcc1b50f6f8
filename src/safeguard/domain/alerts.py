"""A MASH alert, its history and its escalations as the store returns them: plain values, not
database rows."""

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


@dataclass(frozen=True)
class Manager:
    """A hub's named manager, to whom overdue alerts are escalated."""

    mash_code: str
    user_name: str
    email: str | None
    named_at: datetime


@dataclass(frozen=True)
class Notification:
    """An escalation left in a manager's inbox (and e-mailed when a mailer is configured)."""

    id: int
    user_name: str
    alert_id: int
    created_at: datetime
    subject: str
    body: str
    email: str  # the e-mail's delivery status
    read_at: datetime | None
