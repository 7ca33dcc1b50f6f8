"""Person search and the person view. Pages and JSON both come from these calls."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from safeguard.domain.actors import AccessDenied, User
from safeguard.domain.codes import CodeLists
from safeguard.domain.pseudonym import pseudonym
from safeguard.domain.records import IDENTIFYING_FIELDS, RECORDED_FIELDS
from safeguard.sharing.access import PSEUDONYMISED, visible_agencies
from safeguard.sharing.need_to_know import NeedToKnow
from safeguard.sharing.pseudonymise import pseudonymise_event, pseudonymise_record
from safeguard.store.uow import UnitOfWork

#: Fields of a source record that are shown to a practitioner (ethnicity etc. are shown as
#: recorded; they are never used to find or rank anyone).
RECORD_FIELDS = (
    "agency_code",
    "local_id",
    "version",
    *IDENTIFYING_FIELDS,
    # Ethnicity (as stated and as observed) and nationality; immigration status is read by the
    # referral rule alone (tests/unit/test_crime_immigration_boundary.py).
    *RECORDED_FIELDS[:3],
)


@dataclass(frozen=True)
class PersonHit:
    person_id: str
    child_ref: str | None
    first_name: str
    surname: str
    dob: date
    agency_code: str
    local_id: str


@dataclass(frozen=True)
class SearchPage:
    """One page of search hits and the cursor of the next page (None on the last)."""

    hits: list[PersonHit]
    next_cursor: str | None


class BadCursor(ValueError):
    """A paging cursor this service did not give out."""


def encode_cursor(key: tuple[str, str, int]) -> str:
    """An opaque cursor for the record key (surname, first name, id) a page ended on."""
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str, int]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        surname, first_name, record_id = raw
        if not (isinstance(surname, str) and isinstance(first_name, str)):
            raise TypeError
        if not isinstance(record_id, int) or isinstance(record_id, bool):
            raise TypeError
    except (ValueError, TypeError) as exc:
        raise BadCursor("the cursor is not one this search gave; start again without it") from exc
    return surname, first_name, record_id


@dataclass(frozen=True)
class PersonView:
    person_id: str
    child_ref: str | None
    records: list[dict[str, Any]]
    events: list[dict[str, Any]]
    basis: str
    agencies: list[str] = field(default_factory=list)


class PersonNotFound(LookupError):
    """No person with that id or reference."""


class PeopleService:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codes: CodeLists,
        need_to_know: NeedToKnow | None = None,
        pseudonym_key: str = "",
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        # Sharing's need-to-know gate (issue 5) replaces the spine's own-agency/MASH check.
        self.need_to_know = need_to_know or NeedToKnow(codes, lambda: datetime.now(UTC))
        self.pseudonym_key = pseudonym_key

    def search(
        self,
        user: User,
        name: str | None,
        dob: date | None,
        reason: str = "search",
        limit: int = 50,
        cursor: str | None = None,
    ) -> SearchPage:
        """Current records matching the query among the agencies the user may see, a page of
        ``limit`` at a time after ``cursor`` (the previous page's ``next_cursor``)."""
        after = decode_cursor(cursor) if cursor else None
        agencies = visible_agencies(user, self.codes)
        with self.uow_factory() as uow:
            if agencies is None:
                uow.audit.record(
                    user,
                    reason=reason,
                    action="person.search",
                    subject="search",
                    outcome="denied",
                    detail={"name": name, "dob": dob},
                )
                uow.commit()
                raise AccessDenied(f"role {user.role} may not search identified records")
            rows = uow.records.search(name, dob, sorted(agencies), limit + 1, after)
            more, rows = len(rows) > limit, rows[:limit]
            persons = {r.person_id for r in rows}
            refs = {p: uow.persons.get(p) for p in persons}
            uow.audit.record(
                user,
                reason=reason,
                action="person.search",
                subject="search",
                outcome="allowed",
                detail={"name": name, "dob": dob, "results": len(rows)},
            )
        last = rows[-1] if rows and more else None
        next_cursor = encode_cursor((last.surname, last.first_name, last.id)) if last else None
        hits = [
            PersonHit(
                r.person_id,
                getattr(refs[r.person_id], "child_ref", None),
                r.first_name,
                r.surname,
                r.dob,
                r.agency_code,
                r.local_id,
            )
            for r in rows
        ]
        return SearchPage(hits, next_cursor)

    def view(
        self,
        user: User,
        person_id: str,
        reason: str = "case work",
        break_glass: str | None = None,
    ) -> PersonView:
        """Every current record and event for the person, if the user has a reason to know;
        analysts get a pseudonymised view."""
        with self.uow_factory() as uow:
            person = uow.persons.get(person_id) or uow.persons.by_child_ref(person_id)
            if person is None:
                raise PersonNotFound(f"no person {person_id!r}")
            holding = uow.records.agencies_for_person(person.id)
            decision = self.need_to_know.decide(uow, user, person.id, break_glass)
            batched = self.need_to_know.batcher is not None and not decision.break_glass
            if not batched:
                self.need_to_know.record(
                    uow, user, person.id, "person.read", reason, decision, break_glass
                )
            records, events = [], []
            if decision.allowed:
                records = [
                    {k: getattr(r, k) for k in RECORD_FIELDS}
                    for r in uow.records.for_person(person.id)
                ]
                events = uow.events.for_person(person.id)
        if batched:  # nothing leaves until the entry is durable (see sharing/audit_batch.py)
            self.need_to_know.record_read(user, person.id, "person.read", reason, decision)
        if decision.view == PSEUDONYMISED:
            key = self.pseudonym_key
            return PersonView(
                pseudonym(key, person.id),
                None,
                [pseudonymise_record(key, r) for r in records],
                [pseudonymise_event(key, e) for e in events],
                decision.basis,
                sorted(holding),
            )
        return PersonView(
            person.id, person.child_ref, records, events, decision.basis, sorted(holding)
        )
