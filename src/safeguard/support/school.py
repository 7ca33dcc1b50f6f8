"""The school mental-health lead's view: their own pupils who need support, told in a
trauma-informed notice, and a form for the support the school gives.

What reaches the school is built here from support offers and support events only: a service's
name, what became of it and when, and who to contact (the MASH). Never a crime, an offence, a
suspect, an alert's evidence or another agency's record or name. The school's own record of the
pupil gives the name and date of birth.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from safeguard.accounts.roles import SCHOOL_ROLES
from safeguard.domain.actors import User
from safeguard.domain.clock import utc
from safeguard.domain.codes import CodeLists
from safeguard.sharing.audit_batch import AuditBatcher
from safeguard.sharing.refusals import refuse, refuse_in
from safeguard.store.uow import UnitOfWork
from safeguard.support.errors import refused
from safeguard.support.pathways import Pathways
from safeguard.support.triggers import ACTIONS, after, latest_for

Clock = Callable[[], datetime]
URN = re.compile(r"^[0-9]{6}$")
EXPLOITED = frozenset({"csae_victim", "trafficking_victim", "exploitation_confirmed"})
#: What the page says the role can and cannot see (the API returns the same sentences).
CAN_SEE = (
    "pupils on your school's roll who have experienced exploitation or abuse, or have been "
    "missing from home or care",
    "which support each has been offered, and whether it was accepted, declined, started or "
    "completed, with the date",
    "who to contact: the multi-agency safeguarding hub (MASH) of the pupil's area",
    "the support your school has recorded",
)
CANNOT_SEE = (
    "any crime, offence, suspect or alleged perpetrator",
    "other agencies' records, case notes or chronology",
    "risk alerts and the evidence behind them",
    "pupils of other schools",
)


class SchoolError(ValueError):
    """A school action that cannot be done; the message says why."""


class SchoolForbidden(SchoolError):
    pass


@dataclass(frozen=True)
class PupilNotice:
    person_id: str
    name: str
    dob: date | None
    notice: str
    support: list[str]
    contact: str
    school_support: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SchoolView:
    school: str | None
    pupils: list[PupilNotice]
    can_see: tuple[str, ...] = CAN_SEE
    cannot_see: tuple[str, ...] = CANNOT_SEE


class SchoolService:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codes: CodeLists,
        pathways: Pathways,
        clock: Clock,
        batcher: AuditBatcher | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        self.pathways = pathways
        self.clock = clock
        self.batcher = batcher

    def assign(self, user_name: str, school: str) -> None:
        """Scope a school mental-health lead to one school (its DfE URN)."""
        if not URN.match(school):
            raise SchoolError(f"{school!r} is not a school's six-digit DfE URN")
        with self.uow_factory() as uow:
            row = uow.users.by_name(user_name)
            if row is None or "school_mh_lead" not in row.roles.split(","):
                raise SchoolError(f"{user_name!r} is not a user with the school_mh_lead role")
            uow.support.set_school_lead(user_name, school, self.clock())
            uow.audit.append(
                user_name="system", role="admin", agency_code=row.agency_code,
                reason="account administration", action="support.school_lead",
                subject=f"user:{user_name}", outcome="written", detail={"school": school},
            )  # fmt: skip

    def _notice(self, uow: UnitOfWork, pupils: list[Any]) -> list[PupilNotice]:
        ids = [p.person_id for p in pupils]
        offers_of: dict[str, list[Any]] = defaultdict(list)
        for o in uow.support.offers_of(ids):
            offers_of[o.person_id].append(o)
        given_to: dict[str, list[Any]] = defaultdict(list)
        for e in uow.support.events_of(ids):
            if e.source == "school":
                given_to[e.person_id].append(e)
        records = uow.support.school_records(pupils)
        out: list[PupilNotice] = []
        for pupil in pupils:
            mine = offers_of.get(pupil.person_id, [])
            given = given_to.get(pupil.person_id, [])
            if not mine and not given:
                continue
            situations = {o.situation for o in mine}
            if situations & EXPLOITED or not situations:
                notice = "This pupil has experienced exploitation or abuse."
            else:
                notice = "This pupil has recently been missing from home or care."
            support: list[str] = []
            for code in dict.fromkeys(o.service for o in mine):
                latest = latest_for(mine, pupil.person_id, code)
                label = self.pathways.label(code)
                if latest is None:
                    continue
                if latest.status in ("due", "escalated"):
                    support.append(f"{label} to be offered")
                else:
                    when = utc(latest.last_action_at or latest.first_contact_at).date()
                    support.append(f"{label} {latest.status} {when.isoformat()}")
            record = records.get(pupil.person_id)
            la = mine[0].la_code if mine else None
            hub = self.codes.agencies.get(f"MASH-{la}") if la else None
            out.append(
                PupilNotice(
                    person_id=pupil.person_id,
                    name=f"{record.first_name} {record.surname}" if record else "(no record)",
                    dob=record.dob if record else None,
                    notice=notice,
                    support=support,
                    contact=f"the MASH ({hub.name})" if hub else "the MASH",
                    school_support=[
                        f"{self.pathways.label(e.service)} {e.action} {utc(e.at).date()}"
                        for e in given
                    ],
                )
            )
        return out

    def _school(self, uow: UnitOfWork, user: User, action: str) -> str | None:
        if not user.has(*SCHOOL_ROLES):
            error = SchoolForbidden("only a school mental-health lead sees a school's pupils")
            refuse_in(uow, user, action, f"school:{user.agency}", error)
        return uow.support.school_of(user.name)

    def view(self, user: User) -> SchoolView:
        """The lead's own school's pupils who need support. The read is audited before the
        view is returned: group-committed with concurrent reads when a batcher is wired (as the
        chronology's are), else in the read's own transaction."""
        if not user.has(*SCHOOL_ROLES):
            error = SchoolForbidden("only a school mental-health lead sees a school's pupils")
            refuse(self.uow_factory, user, "support.school_view", f"school:{user.agency}", error)
        with self.uow_factory() as uow:
            school = self._school(uow, user, "support.school_view")
            pupils = self._notice(uow, uow.support.pupils(school)) if school else []
            entry: dict[str, Any] = dict(
                user_name=user.name, role=user.role, agency_code=user.agency,
                reason="school mental-health support", action="support.school_view",
                subject=f"school:{school or 'none'}", outcome="shown",
                detail={"pupils": [p.person_id for p in pupils]},
            )  # fmt: skip
            if self.batcher is None:
                uow.audit.append(**entry)
        if self.batcher is not None:
            self.batcher.append(**entry)
        return SchoolView(school, pupils)

    def give(self, user: User, person_id: str, service: str, action: str, note: str = "") -> None:
        """Record support the school gives one of its own pupils."""
        with self.uow_factory() as uow:
            school = self._school(uow, user, "support.school_give")
            subject = f"person:{person_id}"
            pupil = uow.support.pupil(school, person_id) if school else None
            problem: SchoolError | None = None
            allowed = [*self.pathways.school_services, "mhst"]
            if pupil is None:
                problem = SchoolForbidden("this pupil is not on your school's roll")
            elif service not in allowed:
                problem = SchoolError(f"service must be one of {', '.join(allowed)}")
            elif action not in ACTIONS:
                problem = SchoolError(f"action must be one of {', '.join(ACTIONS)}")
            if problem is not None:
                refused(uow, user, "support.school_give", subject, problem)
            now = self.clock()
            offer = latest_for(uow.support.offers_of([person_id]), person_id, service)
            if offer is not None:
                uow.support.set_offer(offer.id, **after(offer, action, now, note))
            uow.support.add_event(
                offer_id=None if offer is None else offer.id, person_id=person_id,
                service=service, action=action, at=now, agency_code=user.agency,
                recorded_by=user.name, source="school", event_id=None,
                reason=note.strip()[:500] or None,
            )  # fmt: skip
            uow.audit.record(
                user, reason="school mental-health support", action="support.school_give",
                subject=subject, outcome="written",
                detail={"school": school, "service": service, "action": action},
            )  # fmt: skip
