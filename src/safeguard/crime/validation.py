"""Ingest rules for child sexual abuse and exploitation (CSAE) crimes.

Every victim and suspect of a CSAE crime must carry self-defined ethnicity, an officer-observed
IC code (IC9 "unknown" is a value), nationality and, for suspects, immigration status, each a
value or an explicit "not stated". Missing is an error on the crime's row, naming who and what.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from safeguard.crime.lifecycle import court_outcome_codes
from safeguard.crime.rules import CrimeRules
from safeguard.domain.codes import CodeLists
from safeguard.domain.records import EventRecord
from safeguard.ingest.errors import RowError

_REQUIRED = {
    "victim": ("ethnicity", "ethnicity_observed", "nationality"),
    "suspect": ("ethnicity", "ethnicity_observed", "nationality", "immigration_status"),
}
_HINT = {
    "ethnicity": "a police 18+1 code or NS",
    "ethnicity_observed": "an IC code (IC9 when unknown)",
    "nationality": "ISO 3166-1 alpha-3 codes or NS",
    "immigration_status": "a status from data/immigration_status.csv or NS",
}


def is_csae_crime(event: EventRecord, codes: CodeLists, rules: CrimeRules) -> bool:
    """A crime whose offence is a listed child sexual offence, or flagged CSA or CSE."""
    if event.event_type != "crime":
        return False
    flags = event.details.get("flags")
    flagged = isinstance(flags, list) and bool(rules.csae_flags & set(map(str, flags)))
    return event.offence_code in codes.offences or flagged


def _check_list(
    number: int, details: Mapping[str, Any], key: str, allowed: Any, errors: list[RowError]
) -> None:
    value = details.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
        errors.append(
            RowError(
                number,
                "details",
                str(value),
                f"{key} must be a list drawn from {', '.join(allowed)} (data/crime_rules.yaml)",
            )
        )


def check_csae_crime(
    number: int,
    event: EventRecord,
    people: Mapping[str, Mapping[str, str | None]],
    rules: CrimeRules,
    errors: list[RowError],
) -> None:
    """Append a row error for every missing protected field of a victim or suspect, and for
    flags, typology or outcome values that are not in the rules."""
    for participant in event.participants:
        required = _REQUIRED.get(participant.role)
        record = people.get(participant.local_id)
        if required is None or record is None:
            continue  # other roles need nothing more; unknown people are reported by ingest
        for field in required:
            if not record.get(field):
                errors.append(
                    RowError(
                        number,
                        "participants",
                        participant.local_id,
                        f"{participant.role} {participant.local_id} has no {field} on their "
                        f"person record; a CSAE crime needs {_HINT[field]} for every "
                        f"{participant.role} (send NS when not stated)",
                    )
                )
    _check_list(number, event.details, "flags", rules.flags, errors)
    _check_list(number, event.details, "typology", list(rules.typologies), errors)
    outcome = event.details.get("outcome")
    if outcome is not None and (not isinstance(outcome, str) or outcome not in rules.outcomes):
        errors.append(
            RowError(
                number,
                "details",
                str(outcome),
                f"outcome must be one of {', '.join(rules.outcomes)} (data/crime_outcomes.csv)",
            )
        )


def check_csae_crimes(
    events: Mapping[str, tuple[int, EventRecord]],
    people: Mapping[str, Mapping[str, str | None]],
    codes: CodeLists,
    rules: CrimeRules,
    errors: list[RowError],
) -> None:
    """Run ``check_csae_crime`` on every CSAE crime of a submission."""
    for number, event in events.values():
        if is_csae_crime(event, codes, rules):
            check_csae_crime(number, event, people, rules, errors)


def check_court_outcomes(
    events: Mapping[str, tuple[int, EventRecord]], errors: list[RowError]
) -> None:
    """A ``court_outcome`` names the crime (``details.crime``, the police's local id), the
    outcome (data/court_outcomes.csv) and the defendant (a ``suspect`` participant)."""
    codes = court_outcome_codes()
    for number, event in events.values():
        if event.event_type != "court_outcome":
            continue
        crime, outcome = event.details.get("crime"), event.details.get("outcome")
        if not isinstance(crime, str) or not crime.strip():
            errors.append(
                RowError(
                    number,
                    "details",
                    str(crime or ""),
                    "a court outcome names its crime's local id in details.crime",
                )
            )
        if outcome not in codes:
            errors.append(
                RowError(
                    number,
                    "details",
                    str(outcome or ""),
                    f"details.outcome must be one of {', '.join(sorted(codes))}",
                )
            )
        if not any(p.role == "suspect" for p in event.participants):
            errors.append(
                RowError(
                    number,
                    "participants",
                    "",
                    "a court outcome names the defendant as suspect:<local_id>",
                )
            )
