"""Register entries (refusals, suspensions, revocations), their validation and their expiry.

An entry names the driver as the deciding authority knew them, the decision and its date, and
a reason *category* (never the detail: an enquiring authority asks the recording authority).
An entry stops being returned by checks ``retention_years`` after the decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safeguard.licensing import dvla
from safeguard.licensing.settings import reason_categories

DECISIONS = ("refused", "suspended", "revoked")


@dataclass(frozen=True)
class RegisterEntry:
    """One authority's refusal, suspension or revocation of a driver licence."""

    authority: str
    decision: str
    decided_on: date
    reason: str
    first_name: str
    surname: str
    dob: date
    middle_name: str | None = None
    other_names: tuple[str, ...] = ()
    postcode: str | None = None
    address: str | None = None
    driving_licence: str | None = None
    licence_type: str | None = None
    added_on: date | None = None
    entry_id: str = ""
    source: dict[str, str] = field(default_factory=dict)

    def expires_on(self, retention_years: int) -> date:
        """The day the entry leaves checks (29 February falls back to 28 February)."""
        year = self.decided_on.year + retention_years
        try:
            return self.decided_on.replace(year=year)
        except ValueError:
            return self.decided_on.replace(year=year, day=28)

    def is_live(self, as_of: date, retention_years: int) -> bool:
        return self.decided_on <= as_of < self.expires_on(retention_years)


def _date(value: Any, name: str, errors: list[tuple[str, str]]) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append((name, f"{name} {value!r} is not a date in YYYY-MM-DD form"))
        return None


def parse_entry(
    raw: dict[str, Any], today: date
) -> tuple[RegisterEntry | None, list[tuple[str, str]]]:
    """Validate one entry; returns it, or ``None`` with (field, sentence) errors."""
    errors: list[tuple[str, str]] = []

    def text(name: str, required: bool) -> str | None:
        value = str(raw.get(name) or "").strip()
        if required and not value:
            errors.append((name, f"{name} is required"))
        return value or None

    authority = text("authority", True)
    decision = text("decision", True)
    if decision and decision not in DECISIONS:
        errors.append(("decision", f"decision {decision!r} must be one of {', '.join(DECISIONS)}"))
    reason = text("reason", False) or "not_stated"
    if reason not in reason_categories():
        errors.append(("reason", f"reason {reason!r} is not in data/licensing_reasons.csv"))
    first, surname = text("first_name", True), text("surname", True)
    middle = text("middle_name", False)
    dob = _date(raw.get("dob"), "dob", errors) if raw.get("dob") else None
    if dob is None and not any(f == "dob" for f, _ in errors):
        errors.append(("dob", "dob is required"))
    decided = _date(raw.get("decided_on"), "decided_on", errors) if raw.get("decided_on") else None
    if decided is None and not any(f == "decided_on" for f, _ in errors):
        errors.append(("decided_on", "decided_on is required"))
    for name, d in (("dob", dob), ("decided_on", decided)):
        if d is not None and d > today:
            errors.append((name, f"{name} {d.isoformat()} is in the future"))
    licence = text("driving_licence", False)
    if licence:
        licence = dvla.normalise(licence)
        for problem in dvla.problems(
            licence,
            surname=surname,
            dob=dob,
            sex=text("sex", False),
            first_name=first,
            middle_name=middle,
        ):
            errors.append(("driving_licence", problem))
    others = raw.get("other_names") or ()
    if isinstance(others, str):
        others = [o for o in (x.strip() for x in others.split(";")) if o]
    if errors or not (authority and decision and first and surname and dob and decided):
        return None, errors
    return RegisterEntry(
        authority=authority,
        decision=decision,
        decided_on=decided,
        reason=reason,
        first_name=first,
        surname=surname,
        dob=dob,
        middle_name=middle,
        other_names=tuple(str(o) for o in others),
        postcode=text("postcode", False),
        address=text("address", False),
        driving_licence=licence,
        licence_type=text("licence_type", False),
        added_on=today,
    ), []
