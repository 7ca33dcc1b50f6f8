"""Build a project's de-identified extract: pseudonymise, generalise, suppress, write, hash.

Pseudonyms are HMAC-SHA256 of the child's stable key under the project's own secret, so one
project's extracts agree on a child and two projects' extracts cannot be joined. Dates of birth,
postcodes and dates never leave: an age band, a local authority and a month (or coarser, as
k-anonymity and l-diversity need; ``anonymity.anonymise``) do.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from safeguard.domain.codes import CodeLists
from safeguard.domain.spreadsheet import write_csv
from safeguard.research.anonymity import Anonymised, anonymise
from safeguard.research.hierarchy import QUASI_IDENTIFIERS, Hierarchy
from safeguard.store.research_repository import CHILD_COLUMNS, EVENT_COLUMNS
from safeguard.store.uow import UnitOfWork

SENSITIVE = ("ethnicity", "nationality", "immigration_status")
UNIT_VARIABLES: dict[str, tuple[str, ...]] = {
    "child": ("age_band", "sex", "local_authority", "events", "crimes"),
    "event": ("event_type", "month", "local_authority", "age_band", "sex", "role", "offence_code"),
    "crime": ("month", "local_authority", "age_band", "sex", "role", "offence_code"),
}
#: Counts above this are written as "<cap>+" (a child with 40 events would stand out).
COUNT_CAP = 5


def pseudonym(secret: bytes, key: str) -> str:
    """The project's pseudonym of one child: 20 hex digits of HMAC-SHA256."""
    return hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()[:20]


@dataclass
class Extract:
    frame: pd.DataFrame
    anonymised: Anonymised
    quasi_identifiers: list[str]
    sensitive: list[str]


def _ages(born: pd.Series, on: pd.Series) -> pd.Series:
    born, on = pd.to_datetime(born), pd.to_datetime(on)
    before = (on.dt.month < born.dt.month) | (
        (on.dt.month == born.dt.month) & (on.dt.day < born.dt.day)
    )
    return on.dt.year - born.dt.year - before.astype(int)


def _la(postcodes: pd.Series, codes: CodeLists) -> pd.Series:
    outward_la = {o: a.la_code for a in codes.areas for o in a.outward_codes}
    outward = postcodes.fillna("").str.upper().str.split(" ").str[0]
    return outward.map(outward_la).fillna("unknown")


def read_people(uow: UnitOfWork) -> pd.DataFrame:
    """Each person's earliest current record (``CHILD_COLUMNS``)."""
    rows = [row for batch in uow.research.children() for row in batch]
    return pd.DataFrame(rows, columns=list(CHILD_COLUMNS))


def read_events(uow: UnitOfWork, crimes_only: bool) -> pd.DataFrame:
    types = ("crime",) if crimes_only else None
    rows = [row for batch in uow.research.event_rows(types) for row in batch]
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True).dt.tz_localize(None)
    return frame


def build(
    uow: UnitOfWork,
    codes: CodeLists,
    hierarchy: Hierarchy,
    project: dict[str, Any],
    today: date,
) -> Extract:
    """Read, join, pseudonymise and anonymise the rows the project asks for."""
    unit = project["unit"]
    variables = json.loads(project["variables"])
    people = read_people(uow)
    if unit == "child":
        raw = people.copy()
        raw["age_band"] = _ages(raw["dob"], pd.Series(pd.Timestamp(today), index=raw.index))
        raw["local_authority"] = _la(raw["postcode"], codes)
        raw = raw[(raw["age_band"] >= 0) & (raw["age_band"] < 18)]
        events = read_events(uow, crimes_only=False)
        once = events.drop_duplicates(["person_key", "event_id"])
        counts = (
            once.assign(crimes=once["event_type"] == "crime")
            .groupby("person_key")
            .agg(events=("event_id", "size"), crimes=("crimes", "sum"))
        )
        raw = raw.join(counts, on="person_key").fillna({"events": 0, "crimes": 0})
        for col in ("events", "crimes"):
            n = raw[col].astype(int)
            raw[col] = n.astype(str).where(n < COUNT_CAP, f"{COUNT_CAP}+")
    else:
        events = read_events(uow, crimes_only=unit == "crime")
        raw = events.merge(people.drop(columns=["postcode"]), on="person_key")
        raw["age_band"] = _ages(raw["dob"], raw["occurred_at"])
        raw = raw[(raw["age_band"] >= 0) & (raw["age_band"] < 18)].copy()
        raw["month"] = raw["occurred_at"].dt.strftime("%Y-%m")
        raw["local_authority"] = _la(raw["event_postcode"], codes)
        raw["offence_code"] = raw["offence_code"].fillna("")
    secret = bytes.fromhex(project["secret"])
    keys = raw["person_key"].astype(str)
    table = {k: pseudonym(secret, k) for k in keys.unique()}
    raw = raw.assign(pseudonym=keys.map(table))
    qis = [v for v in QUASI_IDENTIFIERS if v in variables]
    sensitive = [v for v in SENSITIVE if v in variables]
    raw = raw.reset_index(drop=True)
    for s in sensitive:
        raw[s] = raw[s].fillna("not known")
    result = anonymise(
        raw, qis, sensitive, hierarchy, k=int(project["k"]), l_div=int(project["l_diversity"])
    )
    columns = ["pseudonym", *[v for v in variables if v in result.frame.columns]]
    return Extract(result.frame[columns], result, qis, sensitive)


def write(
    extract: Extract, project: dict[str, Any], out: Path, made: dict[str, str]
) -> dict[str, Any]:
    """Write the data file and manifest.json into ``out``; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    name = f"project-{project['id']}-{project['unit']}.csv"
    frame = extract.frame
    write_csv(out / name, list(frame.columns), frame.itertuples(index=False, name=None))
    digest = hashlib.sha256((out / name).read_bytes()).hexdigest()
    a = extract.anonymised
    manifest = {
        "project": project["id"],
        "title": project["title"],
        "unit": project["unit"],
        "variables": list(frame.columns),
        "quasi_identifiers": extract.quasi_identifiers,
        "sensitive_attributes": extract.sensitive,
        "k_required": int(project["k"]),
        "l_required": int(project["l_diversity"]) if extract.sensitive else None,
        "k_achieved": a.k,
        "l_achieved": a.l_diversity,
        "records_before": a.total,
        "records_released": len(frame),
        "records_suppressed": a.suppressed,
        "share_suppressed": round(a.share_suppressed, 6),
        "generalisation": a.level_names,
        "generalisation_steps": a.steps,
        "files": {name: {"sha256": digest, "rows": len(frame)}},
        **made,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest
