"""What agencies submit: person records and events (the POLE model's source side)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

#: Recorded for statistics and accountability only. No score, match, flag or ranking may read
#: them; tests in each capability assert that none does.
PROTECTED_FIELDS = frozenset(
    {"ethnicity", "ethnicity_observed", "nationality", "immigration_status", "religion"}
)


@dataclass(frozen=True)
class PersonRecord:
    """One agency's view of one person (a *source record*)."""

    agency: str
    local_id: str
    first_name: str
    surname: str
    dob: date
    sex: str
    ethnicity: str
    nationality: tuple[str, ...]
    middle_name: str | None = None
    postcode: str | None = None
    address: str | None = None
    nhs_number: str | None = None
    ethnicity_observed: str | None = None
    immigration_status: str | None = None

    def content_hash(self) -> str:
        """Hash of everything the agency said, so an unchanged re-send is recognised."""
        return _hash([getattr(self, name) for name in _PERSON_FIELDS])

    def as_row(self) -> dict[str, Any]:
        """Field name to value, without the deep copy ``dataclasses.asdict`` makes."""
        return {name: getattr(self, name) for name in _PERSON_FIELDS}


@dataclass(frozen=True)
class Participant:
    """A person in an event, by the submitting agency's local id, with a role."""

    role: str
    local_id: str


@dataclass(frozen=True)
class ObjectRef:
    """A vehicle, taxi plate, phone or online account named in an event."""

    type: str
    value: str


@dataclass(frozen=True)
class EventRecord:
    """Something an agency reports: a crime, a missing episode, an A&E attendance…"""

    agency: str
    local_id: str
    event_type: str
    occurred_at: datetime
    participants: tuple[Participant, ...]
    objects: tuple[ObjectRef, ...] = ()
    postcode: str | None = None
    place_type: str | None = None
    offence_code: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def content_hash(self) -> str:
        return _hash(
            [
                self.agency,
                self.local_id,
                self.event_type,
                self.occurred_at,
                [(p.role, p.local_id) for p in self.participants],
                [(o.type, o.value) for o in self.objects],
                self.postcode,
                self.place_type,
                self.offence_code,
                self.details,
            ]
        )


_PERSON_FIELDS = tuple(f.name for f in fields(PersonRecord))


def _hash(payload: list[Any]) -> str:
    # repr of plain values is stable across runs; dicts (event details) go through sorted JSON.
    parts = [
        json.dumps(v, sort_keys=True, default=str) if isinstance(v, dict) else repr(v)
        for v in payload
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
