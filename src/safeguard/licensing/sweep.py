"""The licensing sweep: current licences granted after a refusal, suspension or revocation
elsewhere.

A check on a new application only finds entries already on the register; a refusal recorded
later, or an application that was never checked, leaves a licence in force that the register
would have stopped. The sweep closes that loop: every current licence is checked against the
register with the same fuzzy comparisons as an application (``RegisterIndex``: an exact DVLA
number always wins, otherwise names and date of birth). A licence is *flagged* by an entry when

- the entry was made by another authority (an authority's own decisions are its own business);
- the entry's decision came strictly before the grant (a licence granted before the refusal
  was not a loophole: the register could not have stopped it);
- the entry was live on the day of the grant (within ``retention_years``, as a check then
  would have seen it).

Plain functions with no I/O: ``oversight.sweep_notices`` feeds them from the store and the
benchmark from a synthetic region's files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from safeguard.licensing.matching import Candidate, Identity, RegisterIndex
from safeguard.licensing.settings import MatchWeights

ENDS_A_LICENCE = ("suspended", "revoked")


@dataclass(frozen=True)
class CurrentLicence:
    """A granted licence still in force, as the granting authority recorded the driver."""

    event_id: int
    authority: str  # LA code of the granting authority
    granted_on: date
    identity: Identity
    reference: str = ""  # "AGENCY/local_id" of the granting decision


@dataclass(frozen=True)
class SweepFinding:
    """A licence granted after a live register entry of another authority matched it."""

    licence: CurrentLicence
    entry_id: str
    entry: Mapping[str, Any]
    candidate: Candidate


def entry_identity(
    row: Mapping[str, Any], first: str | None = None, surname: str | None = None
) -> Identity:
    """A register row's identity, under one of its other names when given."""
    return Identity(
        first_name=first or row["first_name"],
        surname=surname or row["surname"],
        dob=_as_date(row["dob"]),
        middle_name=row.get("middle_name"),
        postcode=row.get("postcode"),
        driving_licence=row.get("driving_licence"),
        sex=row.get("sex"),
    )


def register_index(rows: Iterable[Mapping[str, Any]], weights: MatchWeights) -> RegisterIndex:
    """An index of register rows (``id`` as the entry id), each other name indexed too."""
    ids: list[str] = []
    idents: list[Identity] = []
    for r in rows:
        key = str(r["id"])
        ids.append(key)
        idents.append(entry_identity(r))
        for other in filter(None, (r.get("other_names") or "").split(";")):
            first, _, surname = other.strip().rpartition(" ")
            if first:
                ids.append(key)
                idents.append(entry_identity(r, first, surname))
    return RegisterIndex(ids, idents, weights)


def current_licences(decisions: Sequence[Mapping[str, Any]]) -> list[CurrentLicence]:
    """Granted licences not since suspended or revoked by the same authority.

    ``decisions`` are licensing-decision rows (``id``, ``authority``, ``occurred_on``,
    ``decision``, ``licence_key`` naming the licence within its authority, and the driver's
    identity). A later grant by the same authority for the same licence replaces the earlier.
    """
    live: dict[tuple[str, str], CurrentLicence] = {}
    for d in sorted(decisions, key=lambda x: (_as_date(x["occurred_on"]), x["id"])):
        key = (d["authority"], d["licence_key"])
        if d["decision"] == "granted":
            live[key] = CurrentLicence(
                event_id=int(d["id"]),
                authority=d["authority"],
                granted_on=_as_date(d["occurred_on"]),
                identity=d["identity"],
                reference=d.get("reference", ""),
            )
        elif d["decision"] in ENDS_A_LICENCE:
            live.pop(key, None)
    return sorted(live.values(), key=lambda lic: lic.event_id)


def expires_on(decided_on: date, retention_years: int) -> date:
    try:
        return decided_on.replace(year=decided_on.year + retention_years)
    except ValueError:  # 29 February
        return decided_on.replace(year=decided_on.year + retention_years, day=28)


def sweep(
    licences: Iterable[CurrentLicence],
    entries: Sequence[Mapping[str, Any]],
    weights: MatchWeights,
    retention_years: int,
) -> list[SweepFinding]:
    """Every (licence, entry) pair where the licence was granted after the entry elsewhere."""
    index = register_index(entries, weights)
    by_id = {str(r["id"]): r for r in entries}
    found: list[SweepFinding] = []
    for lic in licences:
        for cand in index.check(lic.identity, limit=50):
            row = by_id[cand.entry_id]
            decided = _as_date(row["decided_on"])
            if row["authority"] != lic.authority and decided < lic.granted_on < expires_on(
                decided, retention_years
            ):
                found.append(SweepFinding(lic, cand.entry_id, row, cand))
    return found


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value if type(value) is date else date(value.year, value.month, value.day)
    return date.fromisoformat(str(value)[:10])
