"""From the store's crime events to the three Arrow tables the statistics are computed from.

``crimes`` (one row per CSAE crime), ``typology`` (one row per crime and typology) and
``people`` (one row per victim or suspect of a crime, with the ethnicity and nationality
recorded on their current record). Immigration status is not extracted: it feeds no statistic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from safeguard.crime.rules import CrimeRules
from safeguard.domain.codes import NOT_STATED, CodeLists

CRIMES_SCHEMA = pa.schema(
    [
        ("crime_id", pa.int64()),
        ("year", pa.int32()),
        ("force_code", pa.string()),
        ("la_code", pa.string()),
        ("offence_code", pa.string()),
        ("offence_group", pa.string()),
        ("csa", pa.bool_()),
        ("cse", pa.bool_()),
        ("online", pa.bool_()),
        ("group_based", pa.bool_()),
        ("outcome_group", pa.string()),
    ]
)
TYPOLOGY_SCHEMA = pa.schema([("crime_id", pa.int64()), ("typology", pa.string())])
PEOPLE_SCHEMA = pa.schema(
    [
        ("crime_id", pa.int64()),
        ("year", pa.int32()),
        ("force_code", pa.string()),
        ("la_code", pa.string()),
        ("role", pa.string()),
        ("person_key", pa.int64()),  # a pseudonymous number per person, not the store id
        ("sex", pa.string()),
        ("age", pa.int32()),
        ("ethnicity", pa.string()),
        ("ethnic_group", pa.string()),
        ("nationality_group", pa.string()),
    ]
)
UNKNOWN_LA = "unknown"


@dataclass(frozen=True)
class CrimeExtract:
    crimes: pa.Table
    typology: pa.Table
    people: pa.Table


def nationality_group(value: str) -> str:
    """British, British and other (dual), Other, or Not stated."""
    parts = set(filter(None, value.split(";")))
    if not parts or parts == {NOT_STATED}:
        return "Not stated"
    if "GBR" in parts:
        return "British" if parts == {"GBR"} else "British and other"
    return "Other"


def police_code(code: str, codes: CodeLists) -> str:
    """Any recorded ethnicity as a police 18+1 code (ONS 2021 codes mapped back)."""
    if code in codes.ethnicity_police:
        return code
    for police, row in codes.ethnicity_police.extra.items():
        if code in filter(None, row["ons2021_codes"].split(";")):
            return police
    return NOT_STATED


def _la_of(postcode: str | None, outward_la: Mapping[str, str]) -> str | None:
    if not postcode:
        return None
    return outward_la.get(postcode.split(" ")[0])


def _age(dob: Any, on: date) -> int | None:
    if not isinstance(dob, date):
        return None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def build_extract(
    rows: list[dict[str, Any]],
    flags: Mapping[int, tuple[bool, str]],
    force_of_agency: Mapping[str, str | None],
    codes: CodeLists,
    rules: CrimeRules,
) -> CrimeExtract:
    """Rows from ``CrimeRepository.crime_participants`` to the three tables."""
    outward_la = {o: a.la_code for a in codes.areas for o in a.outward_codes}
    crimes: dict[int, dict[str, Any]] = {}
    typology: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    keys: dict[str, int] = {}
    for row in rows:
        cid = int(row["event_id"])
        occurred: datetime = row["occurred_at"]
        if cid not in crimes:
            details = json.loads(row["details"] or "{}")
            flag_list = set(details.get("flags") or [])
            outcome = rules.outcomes.get(str(details.get("outcome") or "under_investigation"))
            la = _la_of(row["postcode"], outward_la)
            crimes[cid] = {
                "crime_id": cid,
                "year": occurred.year,
                "force_code": force_of_agency.get(row["agency_code"]) or row["agency_code"],
                "la_code": la,
                "offence_code": row["offence_code"],
                "offence_group": rules.offence_group_of(row["offence_code"]),
                "csa": "CSA" in flag_list,
                "cse": "CSE" in flag_list,
                "online": "online" in flag_list,
                "group_based": flags.get(cid, (False, ""))[0],
                "outcome_group": outcome.group if outcome else "Not yet assigned",
            }
            kinds = sorted(set(details.get("typology") or []))  # one row per crime and typology
            typology += [{"crime_id": cid, "typology": t} for t in kinds]
        crime = crimes[cid]
        if crime["la_code"] is None and row["role"] == "victim":
            crime["la_code"] = _la_of(row["person_postcode"], outward_la)
        if row["role"] not in ("victim", "suspect"):
            continue
        ethnicity = police_code(row["ethnicity"], codes)
        people.append(
            {
                "crime_id": cid,
                "year": occurred.year,
                "force_code": crime["force_code"],
                "la_code": None,  # filled from the crime below
                "role": row["role"],
                "person_key": keys.setdefault(row["person_id"], len(keys)),
                "sex": row["sex"],
                "age": _age(row["dob"], occurred.date()),
                "ethnicity": ethnicity,
                "ethnic_group": codes.ethnic_group(ethnicity),
                "nationality_group": nationality_group(row["nationality"]),
            }
        )
    for crime in crimes.values():
        crime["la_code"] = crime["la_code"] or UNKNOWN_LA
    for person in people:
        person["la_code"] = crimes[person["crime_id"]]["la_code"]
    return CrimeExtract(
        pa.Table.from_pylist(list(crimes.values()), schema=CRIMES_SCHEMA),
        pa.Table.from_pylist(typology, schema=TYPOLOGY_SCHEMA),
        pa.Table.from_pylist(people, schema=PEOPLE_SCHEMA),
    )
