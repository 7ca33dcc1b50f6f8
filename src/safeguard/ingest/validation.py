"""Field-by-field validation of raw rows into domain records, collecting every row error."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from safeguard.domain.codes import NOT_STATED, CodeLists, is_country
from safeguard.domain.nhs import is_valid_nhs_number, normalise_nhs_number
from safeguard.domain.records import EventRecord, ObjectRef, Participant, PersonRecord
from safeguard.ingest.errors import RowError
from safeguard.support.feeds import details_problems

PERSON_REQUIRED = ("local_id", "first_name", "surname", "dob", "sex", "ethnicity", "nationality")
PERSON_OPTIONAL = (
    "middle_name",
    "postcode",
    "address",
    "nhs_number",
    "ethnicity_observed",
    "immigration_status",
)
EVENT_REQUIRED = ("local_id", "event_type", "occurred_at", "participants")
#: The longest value of one participant or object (the store's column widths).
MAX_ITEM = {"participants": 100, "objects": 200}
EVENT_OPTIONAL = (
    "objects",
    "postcode",
    "place_type",
    "offence_code",
    "details",
    "recorded_at",
)

_CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_SURROGATE_CHARS = r"\ud800-\udfff"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
_SURROGATE = re.compile(f"[{_SURROGATE_CHARS}]")
#: Either of the above: text the store cannot hold as it is (one pass, for the quick path).
UNSTORABLE = re.compile(f"[{_CONTROL_CHARS}{_SURROGATE_CHARS}]")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_EARLIEST = date(1900, 1, 1)


class _Row:
    """Helpers that read one raw row and record errors against its number."""

    def __init__(self, number: int, raw: dict[str, Any], errors: list[RowError]) -> None:
        self.number = number
        self.raw = raw
        self.errors = errors
        self.ok = True

    def error(self, field: str, value: Any, message: str) -> None:
        self.ok = False
        self.errors.append(
            RowError(self.number, field, "" if value is None else str(value)[:80], message)
        )

    def text(self, field: str, required: bool, max_len: int = 100, hint: str = "") -> str | None:
        value = self.raw.get(field)
        if value.__class__ is str:
            value = value.strip()
            if value:
                if len(value) > max_len:
                    self.error(field, value, f"is longer than {max_len} characters")
                    return None
                unreadable = _unreadable(value)
                if unreadable:
                    self.error(field, value, unreadable)
                    return None
                return str(value)
        elif value is not None:
            self.error(field, value, f"must be text, not {type(value).__name__}")
            return None
        if required:
            self.error(field, "", f"is required and was empty; {hint or 'send a value'}")
        return None

    def code(
        self, field: str, allowed: Callable[[str], bool], required: bool, hint: str
    ) -> str | None:
        missing = f"send {hint}" if NOT_STATED not in hint else f"send {hint} (NS: not stated)"
        value = self.text(field, required, max_len=40, hint=missing)
        if value is not None and not allowed(value):
            self.error(field, value, f"is not a known code; use {hint}")
            return None
        return value

    def day(self, field: str, today: date) -> date | None:
        value = self.text(field, required=True, max_len=10)
        if value is None:
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.error(field, value, "is not a real date in YYYY-MM-DD form")
            return None
        if parsed > today:
            self.error(field, value, "is in the future")
            return None
        if parsed < _EARLIEST:
            self.error(field, value, "is before 1900; check the year")
            return None
        return parsed

    def postcode(self) -> str | None:
        value = self.text("postcode", required=False, max_len=10)
        if value is None:
            return None
        normal = normalise_postcode(value)
        if normal is None:
            self.error("postcode", value, "is not a UK postcode such as S60 1AA")
        return normal

    def moment(self, field: str, now: datetime, required: bool = True) -> datetime | None:
        value = self.text(field, required=required, max_len=40)
        if value is None:
            return None
        try:
            if len(value) == 10:
                parsed = datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
            else:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
                if parsed.tzinfo is None:
                    parsed = parsed.replace(tzinfo=UTC)
        except ValueError:
            self.error(field, value, "is not a date (YYYY-MM-DD) or ISO 8601 date-time")
            return None
        if parsed > now:
            self.error(field, value, "is in the future")
            return None
        if parsed.date() < _EARLIEST:
            self.error(field, value, "is before 1900; check the year")
            return None
        return parsed


def _unreadable(value: str) -> str:
    """Why a text value cannot be stored as it is (control characters, broken unicode)."""
    if _CONTROL.search(value):
        return "contains a control character (such as NUL); remove it and send the file again"
    if _SURROGATE.search(value):
        return "contains a broken unicode escape (a lone surrogate); send real characters"
    return ""


def check_columns(columns: list[str], kind: str) -> list[RowError]:
    """Refuse unknown or missing columns so no data is silently dropped."""
    required, optional = (
        (PERSON_REQUIRED, PERSON_OPTIONAL)
        if kind == "persons"
        else (EVENT_REQUIRED, EVENT_OPTIONAL)
    )
    known = set(required) | set(optional)
    errors = [
        RowError(
            0,
            c or "(blank column)",
            "",
            f"is not a column of a {kind} file; expected {', '.join(required)} "
            f"and optionally {', '.join(optional)}",
        )
        for c in columns
        if c not in known
    ]
    errors += [
        RowError(0, c, "", f"required column is missing from the {kind} file")
        for c in required
        if c not in columns
    ]
    return errors


def normalise_postcode(value: str) -> str | None:
    """Upper-case with one space before the inward code, or None when it is no UK postcode."""
    compact = value.upper().replace(" ", "")
    if not 5 <= len(compact) <= 7:
        return None
    match = _POSTCODE.match(f"{compact[:-3]} {compact[-3:]}")
    return f"{match.group(1)} {match.group(2)}" if match else None


def _nationality(row: _Row) -> tuple[str, ...] | None:
    value = row.raw.get("nationality")
    if isinstance(value, list):
        items = [str(v).strip().upper() for v in value]
    else:
        text = row.text("nationality", required=True, hint="send ISO 3166-1 alpha-3 codes or NS")
        if text is None:
            return None
        items = [p.strip().upper() for p in text.split(";")]
    if not items or any(not i for i in items):
        row.error("nationality", value, "is required; give ISO 3166-1 alpha-3 codes or NS")
        return None
    if items == [NOT_STATED]:
        return (NOT_STATED,)
    bad = [i for i in items if not is_country(i)]
    if bad:
        row.error(
            "nationality",
            value,
            f"{', '.join(bad)} is not an ISO 3166-1 alpha-3 country "
            "code (e.g. GBR, PAK); use NS when not stated",
        )
        return None
    return tuple(sorted(set(items)))


def validate_person(
    number: int,
    raw: dict[str, Any],
    agency: str,
    codes: CodeLists,
    today: date,
    errors: list[RowError],
) -> PersonRecord | None:
    row = _Row(number, raw, errors)
    local_id = row.text("local_id", required=True)
    first = row.text("first_name", required=True)
    middle = row.text("middle_name", required=False)
    surname = row.text("surname", required=True)
    dob = row.day("dob", today)
    sex = row.code("sex", codes.sex.__contains__, True, "M, F, X or U")
    ethnicity = row.code(
        "ethnicity",
        codes.is_ethnicity,
        True,
        "an ONS 2021 code 1-19, a police 18+1 code such as W1 or A2, or NS",
    )
    observed = row.code(
        "ethnicity_observed", codes.ethnicity_observed.__contains__, False, "IC1 to IC9"
    )
    nationality = _nationality(row)
    immigration = row.code(
        "immigration_status",
        codes.immigration_status.__contains__,
        False,
        ", ".join(codes.immigration_status.codes()),
    )
    postcode = row.postcode()
    address = row.text("address", required=False, max_len=300)
    nhs = row.text("nhs_number", required=False, max_len=14)
    if nhs is not None:
        if not is_valid_nhs_number(nhs):
            row.error(
                "nhs_number",
                nhs,
                "fails the NHS number modulus-11 check; correct it or leave it empty",
            )
        nhs = normalise_nhs_number(nhs)
    if not row.ok:
        return None
    assert local_id and first and surname and dob and sex and ethnicity and nationality
    return PersonRecord(
        agency=agency,
        local_id=local_id,
        first_name=first,
        middle_name=middle,
        surname=surname,
        dob=dob,
        sex=sex,
        postcode=postcode,
        address=address,
        nhs_number=nhs,
        ethnicity=ethnicity,
        ethnicity_observed=observed,
        nationality=nationality,
        immigration_status=immigration,
    )


def _pairs(row: _Row, field: str, required: bool) -> list[tuple[str, str]] | None:
    value = row.raw.get(field)
    if isinstance(value, list):
        keys = ("role", "local_id") if field == "participants" else ("type", "value")
        pairs = []
        for item in value:
            if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in keys):
                row.error(
                    field, item, f"each item must be an object with text {keys[0]} and {keys[1]}"
                )
                return None
            pair = (item[keys[0]].strip(), item[keys[1]].strip())
            problem = _pair_problem(field, pair)
            if problem:
                row.error(field, item, problem)
                return None
            pairs.append(pair)
    else:
        text = row.text(field, required=required, max_len=4000)
        if text is None:
            return None if required else []
        pairs = []
        for part in text.split(";"):
            if not part.strip():
                continue
            head, sep, tail = part.partition(":")
            if not sep or not head.strip() or not tail.strip():
                row.error(field, part, "each item must be written kind:value, separated by ;")
                return None
            pair = (head.strip(), tail.strip())
            problem = _pair_problem(field, pair)
            if problem:
                row.error(field, part, problem)
                return None
            pairs.append(pair)
    if required and not pairs:
        row.error(field, value, "needs at least one role:local_id")
        return None
    return pairs


def _pair_problem(field: str, pair: tuple[str, str]) -> str:
    """Why one role:local_id or type:value item cannot be stored (empty when it can)."""
    kind, value = pair
    if not kind or not value:
        return "each item needs both its kind and its value"
    longest = MAX_ITEM[field]
    if len(kind) > 40 or len(value) > longest:
        return f"an item's kind may have 40 characters and its value {longest}"
    return _unreadable(kind) or _unreadable(value)


def validate_event(
    number: int,
    raw: dict[str, Any],
    agency: str,
    agency_kind: str,
    codes: CodeLists,
    now: datetime,
    errors: list[RowError],
) -> EventRecord | None:
    row = _Row(number, raw, errors)
    local_id = row.text("local_id", required=True)
    event_type = row.code(
        "event_type", codes.event_types.__contains__, True, "a type from data/event_types.csv"
    )
    if event_type and agency_kind not in codes.event_type_agency_kinds(event_type):
        row.error("event_type", event_type, f"cannot be submitted by a {agency_kind} agency")
    occurred = row.moment("occurred_at", now)
    people = _pairs(row, "participants", required=True) or []
    for role, _ in people:
        if role not in codes.roles:
            row.error("participants", role, f"role is not one of {', '.join(codes.roles.codes())}")
    things = _pairs(row, "objects", required=False) or []
    for kind, _ in things:
        if kind not in codes.object_types:
            row.error(
                "objects", kind, f"type is not one of {', '.join(codes.object_types.codes())}"
            )
    postcode = row.postcode()
    place = row.code("place_type", codes.place_types.__contains__, False, "a place type")
    offence = row.code(
        "offence_code",
        codes.offences.__contains__,
        event_type == "crime",
        "a Home Office code from data/offences.csv",
    )
    details = _details(row)
    recorded = row.moment("recorded_at", now, required=False)
    if recorded is not None and occurred is not None and recorded < occurred:
        row.error(
            "recorded_at",
            raw.get("recorded_at"),
            "is before occurred_at; an agency records an event when or after it happens",
        )
    if event_type and details is not None:
        for value, problem in details_problems(event_type, details):
            row.error("details", value, problem)
    if not row.ok:
        return None
    assert local_id and event_type and occurred and details is not None
    return EventRecord(
        agency=agency,
        local_id=local_id,
        event_type=event_type,
        occurred_at=occurred,
        participants=tuple(Participant(r, p) for r, p in people),
        objects=tuple(ObjectRef(k, v) for k, v in things),
        postcode=postcode,
        place_type=place,
        offence_code=offence,
        details=details,
        recorded_at=recorded,
    )


def _details(row: _Row) -> dict[str, Any] | None:
    value = row.raw.get("details")
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            row.error("details", value, f"is not valid JSON: {exc.msg}")
            return None
        if isinstance(parsed, dict):
            return parsed
    row.error("details", value, 'must be a JSON object such as {"outcome": "charged"}')
    return None
