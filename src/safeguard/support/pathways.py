"""Support pathways as data: which service a child victim must be offered, by whom, by when.

``load_pathways`` reads ``data/support_pathways.yaml`` and refuses a malformed file with one
sentence naming the file, the entry and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from safeguard.domain.rules_file import parse_yaml_mapping

FILE = "support_pathways.yaml"
AGENCY_KINDS = ("police", "csc", "health", "education", "mash")
REPEATS = ("once", "each_time")


class PathwaysError(ValueError):
    """The pathways file is malformed; the message says where and what to do."""


@dataclass(frozen=True)
class Service:
    """One support service and when it is due."""

    code: str
    name: str
    short: str
    situations: tuple[str, ...]
    offered_by: str
    deadline_hours: int
    repeat: str
    source: str


@dataclass(frozen=True)
class Pathways:
    situations: dict[str, str]
    services: tuple[Service, ...]
    exploitation_outcomes: frozenset[str]
    trafficking_typologies: frozenset[str]
    school_services: dict[str, str]

    def for_situation(self, situation: str) -> list[Service]:
        return [s for s in self.services if situation in s.situations]

    def service(self, code: str) -> Service | None:
        return next((s for s in self.services if s.code == code), None)

    def label(self, code: str) -> str:
        """What a school or family reads for a service code."""
        found = self.service(code)
        return found.short if found else self.school_services.get(code, code)

    def codes(self) -> list[str]:
        """Every service that support events may name: pathway and school services."""
        return [s.code for s in self.services] + list(self.school_services)


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PathwaysError(f"{where}: the field {key!r} must be non-empty text; add it")
    return value.strip()


def _codes(value: Any, where: str, key: str, allowed: Any = None) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise PathwaysError(f"{where}: the field {key!r} must be a non-empty list of codes")
    bad = [v for v in value if allowed is not None and v not in allowed]
    if bad:
        raise PathwaysError(
            f"{where}: the field {key!r} names {', '.join(map(repr, bad))}, which is not one "
            f"of {', '.join(allowed)}"
        )
    return tuple(value)


def _mapping(doc: dict[str, Any], key: str) -> dict[str, str]:
    value = doc.get(key)
    if not isinstance(value, dict) or not value:
        raise PathwaysError(f"{FILE}: the field {key!r} must be a mapping of code: description")
    for k, v in value.items():
        if not isinstance(k, str) or not isinstance(v, str) or not v.strip():
            raise PathwaysError(f"{FILE}, {key} entry {k!r}: needs a text description")
    return {str(k): str(v) for k, v in value.items()}


def _service(entry: Any, index: int, situations: dict[str, str], seen: set[str]) -> Service:
    where = f"{FILE}, services entry {index + 1}"
    if not isinstance(entry, dict):
        raise PathwaysError(f"{where}: must be a mapping with code, name, situations …")
    code = _text(entry, "code", where)
    where = f"{FILE}, service {code!r}"
    if code in seen:
        raise PathwaysError(f"{where}: the code is used twice; give each service its own code")
    seen.add(code)
    offered_by = _text(entry, "offered_by", where)
    if offered_by not in AGENCY_KINDS:
        raise PathwaysError(
            f"{where}: the field 'offered_by' is {offered_by!r}, not one of "
            f"{', '.join(AGENCY_KINDS)}"
        )
    hours = entry.get("deadline_hours")
    if not isinstance(hours, int) or isinstance(hours, bool) or not 0 < hours <= 24 * 365:
        raise PathwaysError(
            f"{where}: the field 'deadline_hours' must be a whole number of hours from 1 to "
            f"8760, not {hours!r}"
        )
    repeat = entry.get("repeat", "once")
    if repeat not in REPEATS:
        raise PathwaysError(f"{where}: the field 'repeat' must be once or each_time")
    return Service(
        code=code,
        name=_text(entry, "name", where),
        short=_text(entry, "short", where),
        situations=_codes(entry.get("situations"), where, "situations", list(situations)),
        offered_by=offered_by,
        deadline_hours=hours,
        repeat=str(repeat),
        source=_text(entry, "source", where),
    )


def parse_pathways(text: str) -> Pathways:
    """The pathways in ``text`` (the YAML file's content), or PathwaysError saying where."""
    doc = parse_yaml_mapping(text, FILE, PathwaysError)
    _text(doc, "source", FILE)
    situations = _mapping(doc, "situations")
    entries = doc.get("services")
    if not isinstance(entries, list) or not entries:
        raise PathwaysError(f"{FILE}: the field 'services' must be a non-empty list of services")
    seen: set[str] = set()
    services = tuple(_service(e, i, situations, seen) for i, e in enumerate(entries))
    school = _mapping(doc, "school_services")
    clash = sorted(seen & set(school))
    if clash:
        raise PathwaysError(f"{FILE}, school_services: {', '.join(clash)} is also a service")
    unused = [s for s in situations if not any(s in v.situations for v in services)]
    if unused:
        raise PathwaysError(f"{FILE}, situations: no service is offered for {', '.join(unused)}")
    return Pathways(
        situations=situations,
        services=services,
        exploitation_outcomes=frozenset(
            _codes(doc.get("exploitation_outcomes"), FILE, "exploitation_outcomes")
        ),
        trafficking_typologies=frozenset(
            _codes(doc.get("trafficking_typologies"), FILE, "trafficking_typologies")
        ),
        school_services=school,
    )


def load_pathways(path: Path | None = None) -> Pathways:
    """The packaged pathways (or ``path``), validated."""
    if path is not None:
        return parse_pathways(path.read_text(encoding="utf-8"))
    text = resources.files("safeguard.data").joinpath(FILE).read_text(encoding="utf-8")
    return parse_pathways(text)


def check_codes(pathways: Pathways, outcomes: Any, typologies: Any) -> None:
    """Refuse outcomes or typologies the risk and crime rule files do not define."""
    for key, named, known in (
        ("exploitation_outcomes", pathways.exploitation_outcomes, outcomes),
        ("trafficking_typologies", pathways.trafficking_typologies, typologies),
    ):
        bad = sorted(set(named) - set(known))
        if bad:
            raise PathwaysError(
                f"{FILE}: the field {key!r} names {', '.join(bad)}, which the rules do not "
                f"define (known: {', '.join(sorted(known))})"
            )
