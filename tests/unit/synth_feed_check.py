"""A feed checker written from docs/feeds.md, independent of the generator's code.

The spine's ingest validator lives on main; this checks the same contract so the generator can
be trusted on its own branch. Returns readable problems rather than raising at the first.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

from safeguard.domain.codes import is_country, load_code_lists
from safeguard.domain.nhs import is_valid_nhs_number

PERSON_HEADER = [
    "local_id", "first_name", "middle_name", "surname", "dob", "sex", "postcode", "address",
    "nhs_number", "ethnicity", "ethnicity_observed", "nationality", "immigration_status",
]  # fmt: skip
EVENT_HEADER = [
    "local_id", "event_type", "occurred_at", "participants", "objects", "postcode",
    "place_type", "offence_code", "details", "recorded_at",
]  # fmt: skip
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$")
ONS_CODES = {str(i) for i in range(1, 20)}


def _rows(path: Path, header: list[str], problems: list[str]) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != header:
            problems.append(f"{path}: header {reader.fieldnames} is not {header}")
        return list(reader)


def _date(value: str, today: date) -> date | None:
    try:
        d = datetime.fromisoformat(value).date()
    except ValueError:
        return None
    return d if d <= today else None


def check_agency(folder: Path, today: date) -> list[str]:
    """Every problem in one agency's persons.csv and events.csv."""
    codes = load_code_lists()
    problems: list[str] = []
    agency = codes.agencies.get(folder.name)
    if agency is None or agency.kind == "mash":
        return [f"{folder.name} is not a submitting agency"]
    police = agency.kind == "police"
    persons = _rows(folder / "persons.csv", PERSON_HEADER, problems)
    ids: set[str] = set()
    for n, r in enumerate(persons, start=2):
        where = f"{folder.name}/persons.csv row {n}"
        if not r["local_id"] or r["local_id"] in ids:
            problems.append(f"{where}: local_id missing or repeated")
        ids.add(r["local_id"])
        for req in ("first_name", "surname", "dob", "sex", "ethnicity", "nationality"):
            if not r[req]:
                problems.append(f"{where}: {req} is empty")
        if _date(r["dob"], today) is None:
            problems.append(f"{where}: dob {r['dob']!r} is not a real past date")
        if r["sex"] not in codes.sex:
            problems.append(f"{where}: sex {r['sex']!r}")
        if r["postcode"] and not POSTCODE.match(r["postcode"]):
            problems.append(f"{where}: postcode {r['postcode']!r}")
        if r["nhs_number"] and not is_valid_nhs_number(r["nhs_number"]):
            problems.append(f"{where}: NHS number {r['nhs_number']!r} fails modulus 11")
        eth = r["ethnicity"]
        ok = (eth in codes.ethnicity_police) if police else (eth in ONS_CODES or eth == "NS")
        if not ok:
            problems.append(f"{where}: ethnicity {eth!r} is not a {agency.kind} code")
        if r["ethnicity_observed"] and (
            not police or r["ethnicity_observed"] not in codes.ethnicity_observed
        ):
            problems.append(f"{where}: ethnicity_observed {r['ethnicity_observed']!r}")
        nat = r["nationality"]
        if nat != "NS" and not all(is_country(c) for c in nat.split(";")):
            problems.append(f"{where}: nationality {nat!r}")
        status = r["immigration_status"]
        if status and status not in codes.immigration_status:
            problems.append(f"{where}: immigration_status {status!r}")
    events = _rows(folder / "events.csv", EVENT_HEADER, problems)
    seen: set[str] = set()
    for n, r in enumerate(events, start=2):
        problems += _check_event(r, f"{folder.name}/events.csv row {n}", agency.kind, ids, today)
        if r["local_id"] in seen:
            problems.append(f"{folder.name}/events.csv row {n}: repeated local_id")
        seen.add(r["local_id"])
    return problems


def _check_event(r: dict[str, str], where: str, kind: str, ids: set[str], today: date) -> list[str]:
    codes = load_code_lists()
    out: list[str] = []
    et = r["event_type"]
    if et not in codes.event_types or kind not in codes.event_type_agency_kinds(et):
        out.append(f"{where}: event_type {et!r} not allowed for {kind}")
    if not r["local_id"] or _date(r["occurred_at"], today) is None:
        out.append(f"{where}: local_id or occurred_at bad")
    if r["recorded_at"] and (
        _date(r["recorded_at"], today) is None or r["recorded_at"] < r["occurred_at"]
    ):
        out.append(f"{where}: recorded_at {r['recorded_at']!r} bad or before occurred_at")
    if not r["participants"]:
        out.append(f"{where}: no participants")
    for pair in filter(None, r["participants"].split(";")):
        role, _, lid = pair.partition(":")
        if role not in codes.roles or lid not in ids:
            out.append(f"{where}: participant {pair!r} unknown")
    for pair in filter(None, r["objects"].split(";")):
        typ, _, value = pair.partition(":")
        if typ not in codes.object_types or not value:
            out.append(f"{where}: object {pair!r}")
    if r["postcode"] and not POSTCODE.match(r["postcode"]):
        out.append(f"{where}: postcode {r['postcode']!r}")
    if r["place_type"] and r["place_type"] not in codes.place_types:
        out.append(f"{where}: place_type {r['place_type']!r}")
    if (et == "crime") != bool(r["offence_code"]) or (
        r["offence_code"] and r["offence_code"] not in codes.offences
    ):
        out.append(f"{where}: offence_code {r['offence_code']!r} for {et}")
    details = json.loads(r["details"]) if r["details"] else {}
    if not isinstance(details, dict):
        return out + [f"{where}: details is not a JSON object"]
    required = {
        "crime": {"flags", "typology", "outcome", "group_based"},
        "licensing_decision": {"decision", "licence_type", "driving_licence"},
        "cp_plan": {"category"},
        "ae_attendance": {"reason"},
    }.get(et, set())
    if not required <= details.keys():
        out.append(f"{where}: details lack {sorted(required - details.keys())}")
    if et == "licensing_decision":
        if details["decision"] not in {"granted", "refused", "suspended", "revoked"}:
            out.append(f"{where}: decision {details['decision']!r}")
        if len(details["driving_licence"]) != 16:
            out.append(f"{where}: driving licence {details['driving_licence']!r}")
    return out


def check_region(out_dir: Path, today: date | None = None) -> list[str]:
    """Problems across every agency folder of a generated region."""
    today = today or date.today()
    problems: list[str] = []
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir() and p.name != "truth"):
        problems += check_agency(folder, today)
    return problems
