"""A quick path for the clean rows that make up nearly every file, in front of the validator.

``validate_person`` and ``validate_event`` check every field of a row and word every error.
Most rows are clean and repeat the same dates, codes, nationalities and postcodes, so the
quick path accepts a row only when each field is plainly valid, remembering each value it
has checked for the rest of the submission, and returns the very record the validator would
build. Anything it is unsure of (any doubt at all, JSON lists and objects included) it
declines with ``None``; that row then goes through the validator, which alone writes errors.
Tests hold the two to the same answer on generated rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from safeguard.domain.codes import NOT_STATED, CodeLists, is_country
from safeguard.domain.nhs import is_valid_nhs_number, normalise_nhs_number
from safeguard.domain.records import EventRecord, ObjectRef, Participant, PersonRecord
from safeguard.ingest.validation import MAX_ITEM, UNSTORABLE, normalise_postcode
from safeguard.support.feeds import DETAILED_TYPES

_EARLIEST = date(1900, 1, 1)
_Pair = TypeVar("_Pair", Participant, ObjectRef)


def _unsafe(raw: dict[str, Any]) -> bool:
    """A row holding a character the validator refuses anywhere goes to the validator, which
    names the field."""
    return UNSTORABLE.search("".join(v for v in raw.values() if v.__class__ is str)) is not None


def _required(raw: dict[str, Any], field: str, max_len: int) -> str | None:
    value = raw.get(field)
    if value.__class__ is not str:
        return None
    value = value.strip()
    return value if value and len(value) <= max_len else None


class _Declined(Exception):
    """Internal: the quick path leaves this row to the validator."""


def _optional(raw: dict[str, Any], field: str, max_len: int) -> str | None:
    value = raw.get(field)
    if value is None:
        return None
    if value.__class__ is not str:
        raise _Declined
    value = value.strip()
    if not value:
        return None
    if len(value) > max_len:
        raise _Declined
    return str(value)


def _optional_code(raw: dict[str, Any], field: str, allowed: dict[str, str]) -> str | None:
    value = _optional(raw, field, 40)
    if value is not None and value not in allowed:
        raise _Declined
    return value


class _Postcodes:
    def __init__(self) -> None:
        self.seen: dict[str, str | None] = {}

    def __call__(self, raw: dict[str, Any]) -> str | None:
        value = _optional(raw, "postcode", 10)
        if value is None:
            return None
        try:
            normal = self.seen[value]
        except KeyError:
            normal = self.seen[value] = normalise_postcode(value)
        if normal is None:
            raise _Declined
        return normal


class QuickPersons:
    """Person rows for one submission; ``__call__`` gives the record or None (use the
    validator)."""

    def __init__(self, agency: str, codes: CodeLists, today: date, storable: bool = False) -> None:
        self.agency = agency
        self.storable = storable  # the whole file is known free of unstorable characters
        self.today = today
        self.sex = codes.sex.descriptions
        self.ethnicity = {
            **codes.ethnicity_ons2021.descriptions,
            **codes.ethnicity_police.descriptions,
        }
        self.observed = codes.ethnicity_observed.descriptions
        self.immigration = codes.immigration_status.descriptions
        self.days: dict[str, date | None] = {}
        self.nationalities: dict[str, tuple[str, ...] | None] = {}
        self.postcode = _Postcodes()

    def _day(self, text: str) -> date | None:
        try:
            return self.days[text]
        except KeyError:
            pass
        try:
            parsed: date | None = date.fromisoformat(text)
        except ValueError:
            parsed = None
        if parsed is not None and not (_EARLIEST <= parsed <= self.today):
            parsed = None
        self.days[text] = parsed
        return parsed

    def _nationality(self, text: str) -> tuple[str, ...] | None:
        try:
            return self.nationalities[text]
        except KeyError:
            pass
        items = [p.strip().upper() for p in text.split(";")]
        found: tuple[str, ...] | None
        if any(not i for i in items):
            found = None
        elif items == [NOT_STATED]:
            found = (NOT_STATED,)
        elif all(is_country(i) for i in items):
            found = tuple(sorted(set(items)))
        else:
            found = None
        self.nationalities[text] = found
        return found

    def __call__(self, raw: dict[str, Any]) -> PersonRecord | None:
        try:
            return self._accept(raw)
        except _Declined:
            return None

    def _accept(self, raw: dict[str, Any]) -> PersonRecord | None:
        if not self.storable and _unsafe(raw):
            return None
        local_id = _required(raw, "local_id", 100)
        first = _required(raw, "first_name", 100)
        surname = _required(raw, "surname", 100)
        dob_text = _required(raw, "dob", 10)
        sex = _required(raw, "sex", 40)
        ethnicity = _required(raw, "ethnicity", 40)
        nationality_text = _required(raw, "nationality", 100)
        if (
            local_id is None
            or first is None
            or surname is None
            or dob_text is None
            or nationality_text is None
            or sex not in self.sex
            or ethnicity not in self.ethnicity
        ):
            return None
        dob = self._day(dob_text)
        nationality = self._nationality(nationality_text)
        if dob is None or nationality is None:
            return None
        nhs = _optional(raw, "nhs_number", 14)
        if nhs is not None:
            if not is_valid_nhs_number(nhs):
                return None
            nhs = normalise_nhs_number(nhs)
        return PersonRecord(
            self.agency,
            local_id,
            first,
            surname,
            dob,
            str(sex),
            str(ethnicity),
            nationality,
            _optional(raw, "middle_name", 100),
            self.postcode(raw),
            _optional(raw, "address", 300),
            nhs,
            _optional_code(raw, "ethnicity_observed", self.observed),
            _optional_code(raw, "immigration_status", self.immigration),
        )


class QuickEvents:
    """Event rows for one submission; ``__call__`` gives the record or None (use the
    validator)."""

    def __init__(
        self,
        agency: str,
        agency_kind: str,
        codes: CodeLists,
        now: datetime,
        storable: bool = False,
    ) -> None:
        self.agency = agency
        self.storable = storable  # the whole file is known free of unstorable characters
        self.now = now
        self.types = {  # support and roll events need details: the validator checks them
            t: agency_kind in codes.event_type_agency_kinds(t) and t not in DETAILED_TYPES
            for t in codes.event_types.codes()
        }
        self.roles = codes.roles.descriptions
        self.object_types = codes.object_types.descriptions
        self.place_types = codes.place_types.descriptions
        self.offences = codes.offences.descriptions
        self.moments: dict[str, datetime | None] = {}
        self.postcode = _Postcodes()

    def _moment(self, text: str) -> datetime | None:
        try:
            return self.moments[text]
        except KeyError:
            pass
        parsed: datetime | None
        try:
            if len(text) == 10:
                parsed = datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
            else:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
                if parsed.tzinfo is None:
                    parsed = parsed.replace(tzinfo=UTC)
        except ValueError:
            parsed = None
        if parsed is not None and (parsed > self.now or parsed.date() < _EARLIEST):
            parsed = None
        self.moments[text] = parsed
        return parsed

    @staticmethod
    def _pairs(
        text: str, allowed: dict[str, str], longest: int, make: Callable[[str, str], _Pair]
    ) -> tuple[_Pair, ...]:
        pairs = []
        for part in text.split(";"):
            if not part.strip():
                continue
            head, sep, tail = part.partition(":")
            head, tail = head.strip(), tail.strip()
            if not sep or not head or not tail or head not in allowed or len(tail) > longest:
                raise _Declined
            pairs.append(make(head, tail))
        return tuple(pairs)

    def __call__(self, raw: dict[str, Any]) -> EventRecord | None:
        try:
            return self._accept(raw)
        except _Declined:
            return None

    def _accept(self, raw: dict[str, Any]) -> EventRecord | None:
        if not self.storable and _unsafe(raw):
            return None
        local_id = _required(raw, "local_id", 100)
        event_type = _required(raw, "event_type", 40)
        when = _required(raw, "occurred_at", 40)
        people_text = _required(raw, "participants", 4000)
        if (
            local_id is None
            or event_type is None
            or when is None
            or people_text is None
            or not self.types.get(event_type)
        ):
            return None
        occurred = self._moment(when)
        people = self._pairs(people_text, self.roles, MAX_ITEM["participants"], Participant)
        if occurred is None or not people:
            return None
        things_text = _optional(raw, "objects", 4000)
        things = (
            self._pairs(things_text, self.object_types, MAX_ITEM["objects"], ObjectRef)
            if things_text
            else ()
        )
        offence = _optional_code(raw, "offence_code", self.offences)
        if offence is None and event_type == "crime":
            return None
        details = raw.get("details")
        if details is not None and details != "":
            return None
        recorded_text = _optional(raw, "recorded_at", 40)
        recorded = None
        if recorded_text:
            recorded = self._moment(recorded_text)
            if recorded is None or recorded < occurred:
                return None
        return EventRecord(
            self.agency,
            local_id,
            event_type,
            occurred,
            people,
            things,
            self.postcode(raw),
            _optional_code(raw, "place_type", self.place_types),
            offence,
            {},
            recorded,
        )
