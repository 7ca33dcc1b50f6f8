"""Alerts: raised to the child's MASH, assigned, decided by a deadline, escalated, reopened.

Every change is written to the alert's history and to the audit log. ``clock`` is "now" for
deadlines so tests (and the benchmark) control time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn

from safeguard.domain.actors import User
from safeguard.domain.alerts import Alert, AlertHistoryEntry
from safeguard.domain.clock import utc
from safeguard.domain.codes import CodeLists
from safeguard.domain.messages import AlertDecided, MessageBus
from safeguard.domain.records import EventRecord
from safeguard.risk.escalation import Mailer
from safeguard.risk.inbox import RiskInbox
from safeguard.risk.indicators import details_keys
from safeguard.risk.report import LaReport, build_report
from safeguard.risk.rules import RiskRules
from safeguard.risk.scoring import Assessment, assess
from safeguard.sharing.refusals import refuse
from safeguard.store.uow import UnitOfWork

Clock = Callable[[], datetime]
OPEN = ("raised", "assigned", "escalated", "reopened")
#: Submissions naming more children than this are scored by ``safeguard risk run`` instead.
REALTIME_LIMIT = 2000


class AlertError(ValueError):
    """An alert action that cannot be done; the message says why."""


class AlertNotFound(AlertError):
    pass


class AlertForbidden(AlertError):
    pass


@dataclass(frozen=True)
class RunResult:
    children: int
    raised: int
    reopened: int
    updated: int


def _explain(a: Assessment, weighted: Collection[str]) -> str:
    later = a.later(weighted)
    if not later:
        return a.explanation()
    parts = [
        f"{o.indicator} on {o.on.isoformat()} ({', '.join(sorted(o.agency_kinds))})" for o in later
    ]
    return a.explanation() + " New signs since: " + "; ".join(parts) + "."


def _evidence(a: Assessment, weighted: Collection[str]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for o in [o for h in a.hits for o in h.evidence] + list(a.later(weighted)):
        seen[(o.indicator, o.on.isoformat())] = {
            "indicator": o.indicator,
            "on": o.on.isoformat(),
            "agency_kinds": sorted(o.agency_kinds),
            "agencies": sorted(o.agency_codes),
            "event_ids": list(o.event_ids),
        }
    return sorted(seen.values(), key=lambda e: (e["on"], e["indicator"]))


def _key(evidence: list[dict[str, Any]]) -> str:
    ids = sorted({i for e in evidence for i in e["event_ids"]})
    return hashlib.sha256(json.dumps(ids).encode()).hexdigest()


class RiskService:
    """What the API, pages, CLI and ingest call for risk."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codes: CodeLists,
        rules: RiskRules,
        clock: Clock,
        mailer: Mailer | None = None,
        bus: MessageBus | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.inbox = RiskInbox(uow_factory, codes.agencies, clock, mailer)
        self.codes = codes
        self.rules = rules
        self.clock = clock
        self.keys = details_keys(rules.indicators)
        self.weighted = frozenset(c for r in rules.rules for c in r.weights)
        #: Publishes ``AlertDecided`` inside a decision's transaction (support acts on it: an
        #: alert decided as exploitation makes support due).
        self.bus = bus or MessageBus()

    # --- scoring --------------------------------------------------------------------------
    def evaluate(self, uow: UnitOfWork, person_ids: Collection[str]) -> RunResult:
        """Score these children now and raise, update or reopen their alerts. Adults (18 or
        over today by date of birth) are never scored: suspects surface in networks and
        notices, not in the children's hub."""
        adults = uow.risk.adults_among(person_ids, self.clock().date())
        views = uow.risk.event_views([p for p in person_ids if p not in adults], self.keys)
        ctx = uow.risk.suspect_context(v for vs in views.values() for v in vs)
        assessments = [assess(p, v, ctx, self.rules) for p, v in views.items()]
        alerting = [a for a in assessments if a.alert]
        if not alerting:
            return RunResult(len(views), 0, 0, 0)
        las = uow.risk.home_las([a.person_id for a in alerting])
        latest = uow.risk.latest_for([a.person_id for a in alerting])
        now = self.clock()
        deadline = now + timedelta(hours=self.rules.deadline_hours)
        raised = reopened = updated = 0
        for a in alerting:
            la = las.get(a.person_id)
            if la is None or f"MASH-{la}" not in self.codes.agencies:
                continue
            evidence = _evidence(a, self.weighted)
            key = _key(evidence)
            values = {
                "score": a.score,
                "rules": ",".join(h.rule for h in a.hits),
                "explanation": _explain(a, self.weighted),
                "evidence": json.dumps(evidence),
                "evidence_key": key,
            }
            old = latest.get(a.person_id)
            if old is None:
                aid = uow.risk.add(
                    person_id=a.person_id,
                    mash_code=f"MASH-{la}",
                    la_code=la,
                    status="raised",
                    raised_at=now,
                    deadline_at=deadline,
                    reopened=0,
                    **values,
                )
                uow.risk.log(aid, now, "raised", "system", {"why": values["explanation"]})
                raised += 1
            elif old.evidence_key == key:
                continue
            elif old.status in OPEN:
                uow.risk.set(old.id, **values)
                uow.risk.log(old.id, now, "updated", "system", {"why": values["explanation"]})
                updated += 1
            else:
                uow.risk.set(
                    old.id,
                    status="reopened",
                    deadline_at=deadline,
                    escalated_at=None,
                    reopened=old.reopened + 1,
                    **values,
                )
                uow.risk.log(old.id, now, "reopened", "system", {"why": values["explanation"]})
                reopened += 1
        return RunResult(len(views), raised, reopened, updated)

    def on_events_written(
        self,
        uow: UnitOfWork,
        agency: str,
        written: Sequence[tuple[int, EventRecord]],
        revised: Collection[str] = (),
    ) -> RunResult | None:
        """Ingest hook (inside the submission's transaction): re-score the children named."""
        ids = [eid for eid, _ in written]
        people = uow.risk.people_in_events(ids)
        if not people or len(people) > REALTIME_LIMIT:
            return None
        return self.evaluate(uow, people)

    def run(self, batch: int = 5000) -> RunResult:
        """Score every child with at least one event (``safeguard risk run``)."""
        total = RunResult(0, 0, 0, 0)
        with self.uow_factory() as uow:
            people = uow.risk.people_with_events()
            for i in range(0, len(people), batch):
                r = self.evaluate(uow, people[i : i + batch])
                total = RunResult(
                    total.children + r.children,
                    total.raised + r.raised,
                    total.reopened + r.reopened,
                    total.updated + r.updated,
                )
        return total

    # --- lifecycle -------------------------------------------------------------------------
    def _check(
        self, uow: UnitOfWork, user: User, alert: Alert | None, alert_id: int, action: str
    ) -> Alert:
        """The alert if the user's MASH owns it; a refusal is committed to the audit log first."""
        if alert is None:
            raise AlertNotFound(f"alert {alert_id} does not exist")
        if not user.has("mash") or user.agency != alert.mash_code:
            error = AlertForbidden(
                f"alert {alert_id} belongs to {alert.mash_code}; only its MASH may work it"
            )
            self._refuse(uow, user, action, alert, error, "denied")
        return alert

    def _refuse(
        self,
        uow: UnitOfWork,
        user: User,
        action: str,
        alert: Alert,
        error: AlertError,
        outcome: str = "refused",
    ) -> NoReturn:
        self._audit(uow, user, action, alert, {"why": str(error)}, outcome)
        uow.commit()
        raise error

    def _audit(
        self,
        uow: UnitOfWork,
        user: User,
        action: str,
        alert: Alert,
        detail: dict[str, Any],
        outcome: str | None = None,
    ) -> None:
        """One audit entry about an alert; the outcome is ``written`` (``shown`` for a read)
        unless given."""
        uow.audit.record(
            user,
            reason="risk alert",
            action=f"risk.{action}",
            subject=f"alert:{alert.id}",
            outcome=outcome or ("written" if action != "read" else "shown"),
            detail={"person_id": alert.person_id, **detail},
        )

    def assign(self, user: User, alert_id: int, assignee: str) -> Alert:
        with self.uow_factory() as uow:
            alert = self._check(uow, user, uow.risk.get(alert_id), alert_id, "assign")
            if alert.status not in OPEN:
                error = AlertError(
                    f"alert {alert_id} is {alert.status}; only an open alert is assigned"
                )
                self._refuse(uow, user, "assign", alert, error)
            row = uow.users.by_name(assignee)
            if row is None or row.agency_code != alert.mash_code:
                error = AlertError(f"{assignee!r} is not a user of {alert.mash_code}")
                self._refuse(uow, user, "assign", alert, error)
            now = self.clock()
            status = alert.status if alert.status == "escalated" else "assigned"
            uow.risk.set(alert_id, assigned_to=assignee, assigned_at=now, status=status)
            uow.risk.log(alert_id, now, "assigned", user.name, {"to": assignee})
            self._audit(uow, user, "assign", alert, {"to": assignee})
            return self._checked_get(uow, alert_id)

    def decide(self, user: User, alert_id: int, outcome: str, reason: str) -> Alert:
        with self.uow_factory() as uow:
            alert = self._check(uow, user, uow.risk.get(alert_id), alert_id, "decide")
            problem = None
            if outcome not in self.rules.outcomes:
                problem = f"outcome {outcome!r} is not one of {', '.join(self.rules.outcomes)}"
            elif len(reason.strip()) < 10:
                problem = "a decision needs a reason of at least 10 characters"
            elif alert.status not in OPEN:
                problem = f"alert {alert_id} is already decided"
            if problem is not None:
                self._refuse(uow, user, "decide", alert, AlertError(problem))
            now = self.clock()
            uow.risk.set(
                alert_id,
                status="decided",
                outcome=outcome,
                reason=reason.strip(),
                decided_at=now,
                decided_by=user.name,
            )
            late = utc(now) > utc(alert.deadline_at)
            detail = {"outcome": outcome, "reason": reason.strip(), "late": late}
            uow.risk.log(alert_id, now, "decided", user.name, detail)
            self.bus.publish(AlertDecided(uow, alert, outcome, now))
            self._audit(uow, user, "decide", alert, detail)
            return self._checked_get(uow, alert_id)

    def escalate_overdue(self) -> list[int]:
        """Escalate every open alert past its deadline to its hub's named manager (inbox, and
        e-mail where configured); see :mod:`safeguard.risk.inbox`."""
        return self.inbox.escalate()

    @staticmethod
    def _checked_get(uow: UnitOfWork, alert_id: int) -> Alert:
        row = uow.risk.get(alert_id)
        assert row is not None
        return row

    # --- reading ---------------------------------------------------------------------------
    def alerts(self, user: User, statuses: Collection[str] = ()) -> list[Alert]:
        """The alerts of the user's MASH."""
        subject = f"alerts:{user.agency}"
        if not user.has("mash"):
            error = AlertForbidden("only MASH practitioners see alerts")
            refuse(self.uow_factory, user, "risk.list", subject, error)
        with self.uow_factory() as uow:
            rows = uow.risk.alerts(user.agency, statuses)
            uow.audit.record(
                user,
                reason="risk alert",
                action="risk.list",
                subject=subject,
                outcome="shown",
                detail={"alerts": [r.id for r in rows]},
            )
            return rows

    def alert(self, user: User, alert_id: int) -> tuple[Alert, list[AlertHistoryEntry]]:
        """One alert and its history (the audit log records the read)."""
        with self.uow_factory() as uow:
            alert = self._check(uow, user, uow.risk.get(alert_id), alert_id, "read")
            self._audit(uow, user, "read", alert, {})
            return alert, uow.risk.history(alert_id)

    def report(self, la_code: str | None = None) -> list[LaReport]:
        """Per LA: alerts raised, decided on time or late, never decided, reopened, outcomes."""
        with self.uow_factory() as uow:
            rows = uow.risk.alerts()
        if la_code is not None:
            rows = [r for r in rows if r.la_code == la_code]
        return build_report(rows, self.clock())

    def assigned(self, user_name: str, person_id: str) -> bool:
        """:class:`AlertAssignments` port: a user assigned an alert may read that child."""
        with self.uow_factory() as uow:
            return uow.risk.assigned(user_name, person_id)
