"""Pseudonymised views for analysts: identifying fields removed or replaced by keyed hashes."""

from __future__ import annotations

from typing import Any

from safeguard.domain.pseudonym import pseudonym

#: Removed outright: they identify a person directly.
REMOVED = ("first_name", "middle_name", "surname", "address", "nhs_number")


def outward(postcode: object) -> str | None:
    """Only the postcode district (``S60``) is kept."""
    if not isinstance(postcode, str) or not postcode.strip():
        return None
    return postcode.strip().split()[0].upper()


def pseudonymise_record(key: str, record: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k not in REMOVED}
    if "local_id" in out:
        out["local_id"] = pseudonym(key, f"{out.get('agency_code')}:{out['local_id']}")
    if out.get("dob") is not None:
        out["dob"] = str(out["dob"])[:4]  # year of birth only
    if "postcode" in out:
        out["postcode"] = outward(out["postcode"])
    if "person_id" in out:
        out["person_id"] = pseudonym(key, str(out["person_id"]))
    return out


def pseudonymise_event(key: str, event: dict[str, Any]) -> dict[str, Any]:
    out = dict(event)
    out["local_id"] = pseudonym(key, f"{event.get('agency_code')}:{event.get('local_id')}")
    out["postcode"] = outward(event.get("postcode"))
    return out
