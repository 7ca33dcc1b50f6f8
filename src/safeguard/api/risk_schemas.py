"""Public shapes of risk alerts and the accountability report (separate from the store rows)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from safeguard.api.schemas import Instant
from safeguard.domain.alerts import Alert, Notification
from safeguard.domain.clock import utc


class EvidencePublic(BaseModel):
    indicator: str
    on: str
    agency_kinds: list[str]
    agencies: list[str]
    event_ids: list[int]


class AlertPublic(BaseModel):
    id: int
    person_id: str
    child_ref: str | None
    mash_code: str
    la_code: str
    status: str
    score: int
    rules: list[str]
    explanation: str
    evidence: list[EvidencePublic]
    raised_at: Instant
    deadline_at: Instant
    overdue: bool
    assigned_to: str | None
    decided_at: Instant | None
    decided_by: str | None
    outcome: str | None
    reason: str | None
    escalated_at: Instant | None
    reopened: int

    @classmethod
    def from_row(cls, row: Alert, now: datetime) -> AlertPublic:
        open_ = row.status != "decided"
        return cls(
            id=row.id,
            person_id=row.person_id,
            child_ref=row.child_ref,
            mash_code=row.mash_code,
            la_code=row.la_code,
            status=row.status,
            score=row.score,
            rules=row.rules.split(","),
            explanation=row.explanation,
            evidence=[EvidencePublic(**e) for e in json.loads(row.evidence)],
            raised_at=utc(row.raised_at),
            deadline_at=utc(row.deadline_at),
            overdue=open_ and utc(now) > utc(row.deadline_at),
            assigned_to=row.assigned_to,
            decided_at=utc(row.decided_at) if row.decided_at else None,
            decided_by=row.decided_by,
            outcome=row.outcome,
            reason=row.reason,
            escalated_at=utc(row.escalated_at) if row.escalated_at else None,
            reopened=row.reopened,
        )


class HistoryPublic(BaseModel):
    at: Instant
    action: str
    by: str
    detail: dict[str, Any]


class AlertDetailPublic(BaseModel):
    alert: AlertPublic
    history: list[HistoryPublic]


class AssignIn(BaseModel):
    assignee: str = Field(min_length=1, max_length=100, description="A user of the same MASH")


class DecisionIn(BaseModel):
    outcome: str = Field(description="no_further_action, strategy_discussion, section_47 or "
                         "police_referral (data/risk_rules.yaml)")  # fmt: skip
    reason: str = Field(min_length=10, max_length=2000)


class NotificationPublic(BaseModel):
    """An escalation in the named manager's inbox (the e-mail status beside it)."""

    id: int
    alert_id: int
    created_at: Instant
    subject: str
    body: str
    email: str = Field(description="sent, not configured, no address, pending or failed: …")
    read_at: Instant | None

    @classmethod
    def from_row(cls, r: Notification) -> NotificationPublic:
        return cls(
            id=r.id,
            alert_id=r.alert_id,
            created_at=utc(r.created_at),
            subject=r.subject,
            body=r.body,
            email=r.email,
            read_at=utc(r.read_at) if r.read_at else None,
        )
