"""What agencies submit: person records and events (the POLE model's source side)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Any, NamedTuple

#: Recorded for statistics and accountability only. No score, match, flag or ranking may read
#: them; tests in each capability assert that none does.
PROTECTED_FIELDS = frozenset(
    {"ethnicity", "ethnicity_observed", "nationality", "immigration_status", "religion"}
)

#: A person record's identifying columns, in feed order: the only ones linkage may read.
IDENTIFYING_FIELDS = (
    "first_name",
    "middle_name",
    "surname",
    "dob",
    "sex",
    "postcode",
    "address",
    "nhs_number",
)
#: The recorded-for-statistics columns of a person record, in feed order.
RECORDED_FIELDS = ("ethnicity", "ethnicity_observed", "nationality", "immigration_status")
#: A person feed's columns (docs/feeds.md), the one list every writer and reader uses.
PERSON_FEED_COLUMNS = ("local_id", *IDENTIFYING_FIELDS, *RECORDED_FIELDS)


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
        return person_hash(
            (
                self.agency,
                self.local_id,
                self.first_name,
                self.surname,
                self.dob,
                self.sex,
                self.ethnicity,
                self.nationality,
                self.middle_name,
                self.postcode,
                self.address,
                self.nhs_number,
                self.ethnicity_observed,
                self.immigration_status,
            )
        )

    def as_row(self) -> dict[str, Any]:
        """Field name to value, without the deep copy ``dataclasses.asdict`` makes."""
        return {name: getattr(self, name) for name in _PERSON_FIELDS}


#: What an events submission reads of each person it names, from the submitting agency's
#: current record: (person id, date of birth, postcode).
ParticipantFacts = tuple[str, date | None, str | None]


class Participant(NamedTuple):
    """A person in an event, by the submitting agency's local id, with a role. (A named
    tuple, immutable like the records: an events file builds one per participant, and a
    frozen dataclass cost several times as much to make.)"""

    role: str
    local_id: str


class ObjectRef(NamedTuple):
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
    #: When the agency recorded the event in its own system (None: the feed did not say).
    recorded_at: datetime | None = None

    def content_hash(self) -> str:
        details = json.dumps(self.details, sort_keys=True, default=str) if self.details else "{}"
        # An event without a recording time hashes as it always has.
        recorded = (
            ""
            if self.recorded_at is None
            else f"\x1f{_moment_repr(self.recorded_at, self.recorded_at.tzinfo)}"
        )
        # The repr of each field joined by U+001F (the digests the store has always held);
        # participants and objects as plain tuples.
        return _digest(
            f"{self.agency!r}\x1f{self.local_id!r}\x1f{self.event_type!r}\x1f"
            f"{_moment_repr(self.occurred_at, self.occurred_at.tzinfo)}\x1f"
            f"{[*map(tuple, self.participants)]!r}\x1f"
            f"{[*map(tuple, self.objects)]!r}\x1f{self.postcode!r}\x1f{self.place_type!r}\x1f"
            f"{self.offence_code!r}\x1f{details}{recorded}"
        )


@lru_cache(maxsize=4096)
def _moment_repr(moment: datetime, zone: tzinfo | None) -> str:
    """repr of a time: slow to make, and a file repeats its times. Keyed by the zone too:
    the same instant in two zones compares equal but is written differently."""
    return repr(moment)


_PERSON_FIELDS = tuple(f.name for f in fields(PersonRecord))


def person_hash(values: tuple[Any, ...]) -> str:
    """The content hash of a person record from its field values in declaration order.

    The text hashed is the repr of each value joined by U+001F: stable across runs, and the
    same digests the store has always held, so unchanged records stay unchanged."""
    return _digest("\x1f".join(map(repr, values)))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Submission:
    """One file an agency sent: what it was, who sent it and what it changed."""

    id: int
    agency_code: str
    kind: str  # persons or events
    content_hash: str
    filename: str
    received_at: datetime
    submitted_by: str
    row_count: int
    new_records: int
    new_versions: int
    unchanged: int


@dataclass(frozen=True)
class StoredRecord:
    """One version of an agency's record as the store keeps it, with the person it is
    linked to (``person_id``) and whether it is the current version."""

    id: int
    agency_code: str
    local_id: str
    version: int
    is_current: bool
    content_hash: str
    submission_id: int
    person_id: str
    first_name: str
    middle_name: str | None
    surname: str
    dob: date
    sex: str
    postcode: str | None
    address: str | None
    nhs_number: str | None
    ethnicity: str
    ethnicity_observed: str | None
    nationality: str  # ";"-separated ISO 3166 alpha-3 codes
    immigration_status: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Person:
    """A person the platform holds records about, and their child reference once linked."""

    id: str
    child_ref: str | None
    created_at: datetime
