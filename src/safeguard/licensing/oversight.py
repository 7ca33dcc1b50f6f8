"""Oversight over stored data: compliance per authority, out-of-area working, notices.

Functions over one unit of work so the service stays thin. A *notice* tells the licensing
authority (``LIC-<LA>``) that a driver it licensed, or a plate it issued, appears in a
safeguarding event (a crime, or a child found in a vehicle), or that it granted a licence
after another authority had refused, suspended or revoked the same driver (the sweep).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from safeguard.domain.codes import CodeLists
from safeguard.licensing.matching import Identity
from safeguard.licensing.out_of_area import OutOfArea, Sighting, detect
from safeguard.licensing.settings import LicensingSettings
from safeguard.licensing.sweep import SweepFinding, current_licences, sweep
from safeguard.store.licensing_repository import (
    HOTSPOT_EVENTS,
    SAFEGUARDING_EVENTS,
    SIGHTING_EVENTS,
    as_date,
)
from safeguard.store.uow import UnitOfWork


def _la(agency: str) -> str:
    return agency.removeprefix("LIC-")


def licensed(uow: UnitOfWork) -> tuple[dict[str, str], dict[str, str]]:
    """Plate → licensing LA and driver person id → licensing LA, from granted decisions."""
    plates, drivers = {}, {}
    for ev in uow.licensing.decision_events():
        if ev["details"].get("decision") != "granted":
            continue
        la = _la(ev["agency_code"])
        drivers[ev["person_id"]] = la
        if ev["details"].get("plate"):
            plates[str(ev["details"]["plate"]).upper()] = la
    return plates, drivers


def stored_sightings(uow: UnitOfWork) -> list[Sighting]:
    """Sightings of taxi plates from stored police events, with the hour when known."""
    out = []
    for row in uow.licensing.plate_events(SIGHTING_EVENTS):
        at = row["occurred_at"]
        out.append(
            Sighting(
                plate=row["plate"],
                seen_on=as_date(at),
                postcode=row["postcode"] or "",
                event=f"{row['agency_code']}/{row['local_id']}",
                source=str(json.loads(row["details"] or "{}").get("source", row["event_type"])),
                hour=_hour(at),
            )
        )
    return out


def _hour(at: object) -> int | None:
    """The hour of a timed event; a feed that gave only a date is stored at midnight, which
    is read as no time (a real sighting at exactly 00:00:00 is counted as untimed)."""
    if isinstance(at, datetime) and (at.hour, at.minute, at.second) != (0, 0, 0):
        return at.hour
    return None


def out_of_area(uow: UnitOfWork, codes: CodeLists, s: LicensingSettings) -> list[OutOfArea]:
    plates, _ = licensed(uow)
    outward = {oc: a.la_code for a in codes.areas for oc in a.outward_codes}
    hotspots = uow.licensing.event_postcodes(HOTSPOT_EVENTS)
    sightings = stored_sightings(uow)
    return detect(sightings, plates, outward, s.min_sightings, s.min_days, s.concern, hotspots)


def raise_notices(uow: UnitOfWork, codes: CodeLists, now: datetime) -> list[dict[str, Any]]:
    """Notices for plates and licensed drivers in safeguarding events (each raised once)."""
    plates, drivers = licensed(uow)
    known = uow.licensing.notice_keys()
    agencies = set(codes.agencies)
    new: list[dict[str, Any]] = []

    def add(event_id: int, la: str, subject: str, reason: str) -> None:
        agency = f"LIC-{la}"
        key = (event_id, agency, subject)
        if agency in agencies and key not in known:
            known.add(key)
            new.append(
                {
                    "agency_code": agency,
                    "event_id": event_id,
                    "subject": subject,
                    "reason": reason,
                    "created_at": now,
                }
            )

    for row in uow.licensing.plate_events(SAFEGUARDING_EVENTS):
        la = plates.get(str(row["plate"]).upper())
        if la:
            add(
                row["id"],
                la,
                f"plate:{row['plate']}",
                f"plate {row['plate']} named in a {row['event_type']} event",
            )
    for row in uow.licensing.person_events(SAFEGUARDING_EVENTS, set(drivers)):
        add(
            row["id"],
            drivers[row["person_id"]],
            f"driver:{row['person_id']}",
            f"a licensed driver is a {row['role']} in a {row['event_type']} event",
        )
    uow.licensing.add_notices(new)
    return new


def stored_licences(uow: UnitOfWork) -> list[Any]:
    """Current licences from ingested licensing decisions (``sweep.current_licences``)."""
    rows = []
    for ev in uow.licensing.decision_events():
        d = ev["details"]
        rows.append(
            {
                "id": ev["id"],
                "authority": _la(ev["agency_code"]),
                "occurred_on": as_date(ev["occurred_at"]),
                "decision": d.get("decision"),
                "licence_key": str(
                    d.get("licence_number") or d.get("driving_licence") or ev["person_id"]
                ),
                "reference": f"{ev['agency_code']}/{ev['local_id']}",
                "identity": Identity(
                    first_name=ev["first_name"],
                    surname=ev["surname"],
                    dob=as_date(ev["dob"]),
                    middle_name=ev["middle_name"],
                    postcode=ev["postcode"],
                    driving_licence=d.get("driving_licence") or None,
                    sex=ev["sex"],
                ),
            }
        )
    return current_licences(rows)


def _sweep_notice(f: SweepFinding, now: datetime) -> dict[str, Any]:
    e, lic, c = f.entry, f.licence, f.candidate
    decided = as_date(e["decided_on"]).isoformat()
    how = "the same DVLA number" if c.strength == "licence" else f"a {c.strength} match"
    return {
        "agency_code": f"LIC-{lic.authority}",
        "event_id": lic.event_id,
        "subject": f"register:{f.entry_id}",
        "reason": (
            f"licence granted on {lic.granted_on.isoformat()} ({lic.reference}) after "
            f"{e['authority']} {e['decision']} the same driver on {decided} (reason: "
            f"{e['reason']}); {how}, score {c.score}"
        ),
        "evidence": json.dumps(
            {
                "register_entry": f.entry_id,
                "authority": e["authority"],
                "decision": e["decision"],
                "decided_on": decided,
                "reason": e["reason"],
                "granted_on": lic.granted_on.isoformat(),
                "licence": lic.reference,
                "strength": c.strength,
                "score": c.score,
                "match": [
                    {"comparison": x.comparison, "level": x.level, "points": x.points}
                    for x in c.evidence
                ],
            }
        ),
        "created_at": now,
    }


def sweep_notices(
    uow: UnitOfWork,
    codes: CodeLists,
    s: LicensingSettings,
    now: datetime,
    entry_ids: set[int] | None = None,
) -> list[dict[str, Any]]:
    """Notices for current licences granted after a register entry elsewhere (each once).

    ``entry_ids`` limits the sweep to those entries (the check when entries are added);
    ``None`` sweeps the whole register against every current licence (the nightly run).
    """
    entries = [e for e in uow.licensing.entries() if entry_ids is None or e["id"] in entry_ids]
    if not entries:
        return []
    agencies = set(codes.agencies)
    known = uow.licensing.notice_keys()
    new = []
    for finding in sweep(stored_licences(uow), entries, s.match, s.retention_years):
        row = _sweep_notice(finding, now)
        key = (row["event_id"], row["agency_code"], row["subject"])
        if row["agency_code"] in agencies and key not in known:
            known.add(key)
            new.append(row)
    uow.licensing.add_notices(new)
    return new


def compliance(uow: UnitOfWork, s: LicensingSettings) -> list[dict[str, Any]]:
    """Per authority: applications decided and checked, checks, matches, decisions, entries."""
    apps: dict[str, list[tuple[str | None, Any]]] = defaultdict(list)
    for ev in uow.licensing.decision_events():
        if ev["details"].get("decision") in ("granted", "refused"):
            apps[_la(ev["agency_code"])].append(
                (ev["details"].get("driving_licence"), as_date(ev["occurred_at"]))
            )
    checks = uow.licensing.checks()
    checked_licences: dict[str, set[str]] = defaultdict(set)
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for c in checks:
        la = c["authority"]
        per[la]["checks"] += 1
        per[la]["with_matches"] += c["matches"] > 0
        per[la][f"decision:{c['decision'] or 'undecided'}"] += 1
        if c["driving_licence"]:
            checked_licences[la].add(c["driving_licence"])
    for e in uow.licensing.entries():
        per[e["authority"]]["entries"] += 1
        late = (as_date(e["added_on"]) - as_date(e["decided_on"])).days
        per[e["authority"]]["on_time"] += late <= s.entry_deadline_days
    out = []
    for la in sorted(set(apps) | set(per)):
        count = per[la]
        checked = sum(1 for lic, _ in apps[la] if lic and lic in checked_licences[la])
        out.append(
            {
                "authority": la,
                "applications": len(apps[la]),
                "checked": checked,
                "share_checked": checked / len(apps[la]) if apps[la] else None,
                "checks": count["checks"],
                "checks_with_matches": count["with_matches"],
                "decisions": {
                    k.split(":", 1)[1]: v
                    for k, v in sorted(count.items())
                    if k.startswith("decision:")
                },
                "entries": count["entries"],
                "entries_on_time": count["on_time"],
            }
        )
    return out
