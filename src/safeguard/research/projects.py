"""A research project's request: every field checked, every problem named (pure)."""

from __future__ import annotations

import json
import secrets
from datetime import date
from typing import Any

from safeguard.research.extract import SENSITIVE, UNIT_VARIABLES

DEFAULT_K = 10


def _date(raw: dict[str, Any], key: str, errors: list[tuple[str, str]]) -> date | None:
    value = raw.get(key)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors.append((key, f"{key} {value!r} is not a date; use YYYY-MM-DD"))
        return None


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    return [str(v).strip() for v in value or [] if str(v).strip()]


def parse_request(raw: dict[str, Any]) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
    """The project row to store, or the problems as (field, sentence) pairs."""
    errors: list[tuple[str, str]] = []
    row: dict[str, Any] = {}
    for key in ("title", "purpose", "approving_body", "approval_reference", "lawful_basis"):
        value = str(raw.get(key) or "").strip()
        if not value:
            errors.append((key, f"{key} is required: say it as the approval letter does"))
        row[key] = value
    start, end = _date(raw, "starts_on", errors), _date(raw, "ends_on", errors)
    if start and end and end < start:
        errors.append(("ends_on", "ends_on is before starts_on"))
    unit = str(raw.get("unit") or "child").strip()
    if unit not in UNIT_VARIABLES:
        errors.append(("unit", f"unit {unit!r} is not one of {', '.join(UNIT_VARIABLES)}"))
    variables = _list(raw.get("variables")) or list(UNIT_VARIABLES.get(unit, ()))
    allowed = set(UNIT_VARIABLES.get(unit, ())) | set(SENSITIVE)
    unknown = [v for v in variables if v not in allowed]
    if unknown:
        errors.append(
            (
                "variables",
                f"{', '.join(unknown)} cannot be extracted per {unit}; "
                f"choose from {', '.join(sorted(allowed))}",
            )
        )
    researchers = _list(raw.get("researchers"))
    if not researchers:
        errors.append(("researchers", "name at least one researcher (their user names)"))
    try:
        k = int(raw.get("k") or DEFAULT_K)
        l_div = int(raw.get("l_diversity") or (2 if set(variables) & set(SENSITIVE) else 1))
    except ValueError:
        errors.append(("k", "k and l_diversity must be whole numbers"))
        k, l_div = DEFAULT_K, 1
    if k < 2:
        errors.append(("k", f"k={k} protects no one; use 2 or more (10 by default)"))
    if l_div < 1:
        errors.append(("l_diversity", "l_diversity must be 1 or more"))
    if errors:
        return None, errors
    row.update(
        starts_on=start,
        ends_on=end,
        unit=unit,
        variables=json.dumps(variables),
        researchers=json.dumps(researchers),
        k=k,
        l_diversity=l_div,
        secret=secrets.token_hex(32),
        status="requested",
    )
    return row, []


def is_active(project: dict[str, Any], today: date) -> bool:
    """Approved and within its dates: only then does it yield anything."""
    start, end = project["starts_on"], project["ends_on"]
    start = start if isinstance(start, date) else date.fromisoformat(str(start))
    end = end if isinstance(end, date) else date.fromisoformat(str(end))
    return project["status"] == "approved" and start <= today <= end


def public(project: dict[str, Any]) -> dict[str, Any]:
    """The project as shown to people: never its secret."""
    shown = {k: v for k, v in project.items() if k != "secret"}
    shown["variables"] = json.loads(project["variables"])
    shown["researchers"] = json.loads(project["researchers"])
    return shown
