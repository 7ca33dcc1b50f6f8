"""Sharing obligations as data: loaded from ``data/sharing_obligations.yaml`` and validated at
start-up, and matched against events with no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any

from safeguard.domain.codes import CodeLists
from safeguard.domain.rules_file import parse_yaml_mapping, reading

OBLIGATIONS_FILE = "sharing_obligations.yaml"
PARTNER_KINDS = ("csc", "mash", "police", "health", "education")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,60}$")


class ObligationError(ValueError):
    """The obligations file is not valid; the message names the rule and field."""


@dataclass(frozen=True)
class SharingObligation:
    """One duty: ``from`` agencies share matching events with ``partner`` within hours."""

    id: str
    from_kind: str
    event_types: frozenset[str]
    roles: frozenset[str]
    max_age: int
    partner: str
    within_hours: int
    reason: str
    offence_codes: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    #: details key -> values, every one of which the event's details must hold.
    when_details: tuple[tuple[str, frozenset[str]], ...] = ()

    def matches_event(
        self,
        agency_kind: str,
        event_type: str,
        offence: str | None,
        flags: Any,
        details: dict[str, Any] | None = None,
    ) -> bool:
        """Whether the event (ignoring who took part) is one this duty covers."""
        if agency_kind != self.from_kind or event_type not in self.event_types:
            return False
        for key, values in self.when_details:
            if str((details or {}).get(key)) not in values:
                return False
        if not self.offence_codes and not self.flags:
            return True
        flagged = {str(f) for f in flags} if isinstance(flags, list | tuple | set) else set()
        return (offence is not None and offence in self.offence_codes) or bool(flagged & self.flags)


@dataclass(frozen=True)
class ObligationSet:
    obligations: tuple[SharingObligation, ...]
    acknowledge_within_hours: int

    def by_id(self) -> dict[str, SharingObligation]:
        return {o.id: o for o in self.obligations}


def age_on(dob: date, moment: date | datetime) -> int:
    """Whole years of age on the day of ``moment``."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def load_obligations(codes: CodeLists, text: str | None = None) -> ObligationSet:
    """Parse and validate the packaged file (or ``text``); every error names rule and field."""
    if text is None:
        text = (resources.files("safeguard.data") / OBLIGATIONS_FILE).read_text("utf-8")
    where = f"data/{OBLIGATIONS_FILE}"
    raw = parse_yaml_mapping(text, where, ObligationError)
    with reading(where, ObligationError):
        return _parse_obligations(raw, codes, where)


def _parse_obligations(raw: dict[str, Any], codes: CodeLists, where: str) -> ObligationSet:
    if not isinstance(raw.get("obligations"), list):
        raise ObligationError(f"{where} needs a top-level 'obligations' list")
    ack = raw.get("acknowledge_within_hours", 24)
    if not isinstance(ack, int) or ack <= 0:
        raise ObligationError(f"{where}: acknowledge_within_hours must be a positive integer")
    rules: list[SharingObligation] = []
    seen: set[str] = set()
    for number, item in enumerate(raw["obligations"], start=1):
        rule = _parse_rule(item, number, codes, where)
        if rule.id in seen:
            raise ObligationError(f"{where}: rule {number} repeats the id {rule.id!r}")
        seen.add(rule.id)
        rules.append(rule)
    return ObligationSet(tuple(rules), ack)


def _parse_rule(item: Any, number: int, codes: CodeLists, where: str) -> SharingObligation:
    if not isinstance(item, dict):
        raise ObligationError(f"{where}: rule {number} is not a mapping")
    label = f"{where}: rule {number} ({item.get('id', 'no id')})"

    def need(name: str) -> Any:
        if name not in item or item[name] in (None, "", []):
            raise ObligationError(f"{label} is missing '{name}'")
        return item[name]

    def words(name: str, allowed: object, required: bool = True) -> frozenset[str]:
        values = need(name) if required else item.get(name) or []
        if not isinstance(values, list):
            raise ObligationError(f"{label}: '{name}' must be a list")
        out = frozenset(str(v) for v in values)
        unknown = sorted(v for v in out if allowed is not None and v not in allowed)  # type: ignore[operator]
        if unknown:
            raise ObligationError(f"{label}: '{name}' has unknown value(s) {', '.join(unknown)}")
        return out

    rule_id = str(need("id"))
    if not _ID.match(rule_id):
        raise ObligationError(f"{label}: id must be lower-case letters, digits and dashes")
    from_kind = str(need("from"))
    if from_kind not in ("police", "csc", "health", "education", "licensing"):
        raise ObligationError(f"{label}: 'from' must be an agency kind, not {from_kind!r}")
    partner = str(need("partner"))
    if partner not in PARTNER_KINDS:
        raise ObligationError(f"{label}: 'partner' must be one of {', '.join(PARTNER_KINDS)}")
    event_types = words("event_types", codes.event_types)
    for event_type in event_types:
        if from_kind not in codes.event_type_agency_kinds(event_type):
            raise ObligationError(f"{label}: {from_kind} agencies never submit {event_type}")
    numbers = {}
    for name in ("max_age", "within_hours"):  # max_age 120: the subject may be an adult
        value = need(name) if name != "max_age" else item.get(name, 17)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 24 * 365:
            raise ObligationError(f"{label}: '{name}' must be a whole number")
        numbers[name] = value
    reason = " ".join(str(need("reason")).split())
    return SharingObligation(
        id=rule_id,
        from_kind=from_kind,
        event_types=event_types,
        roles=words("roles", codes.roles),
        max_age=numbers["max_age"],
        partner=partner,
        within_hours=numbers["within_hours"],
        reason=reason,
        offence_codes=words("offence_codes", codes.offences, required=False),
        flags=words("flags", None, required=False),
        when_details=_when_details(item.get("when_details"), label),
    )


def _when_details(raw: Any, label: str) -> tuple[tuple[str, frozenset[str]], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(isinstance(v, list) and v for v in raw.values()):
        raise ObligationError(f"{label}: 'when_details' must map a details key to a list")
    return tuple(sorted((str(k), frozenset(str(x) for x in v)) for k, v in raw.items()))
