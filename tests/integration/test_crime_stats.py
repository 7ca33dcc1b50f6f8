"""Crime statistics on both stores: derived flags, completeness, referrals, pages and report."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

from safeguard.api import create_app
from safeguard.bootstrap import Platform
from safeguard.crime import national as q
from safeguard.crime.national_return import national_return
from safeguard.crime.publish import completeness_table
from safeguard.crime.report import write_report
from safeguard.ingest.service import Submitter
from tests.disclosure_attack import recover_from_grid
from tests.samples import POLICE, events_csv, persons_csv
from tests.signin import sign_in

SYSTEM = Submitter("police-system", "agency_system", POLICE)


def person(
    local_id: str, eth: str, nat: str, status: str = "", adult: bool = True
) -> dict[str, str]:
    return {
        "local_id": local_id,
        "first_name": f"Name{local_id}",
        "surname": "Test",
        "dob": "1980-01-01" if adult else "2010-06-01",
        "sex": "M" if adult else "F",
        "nhs_number": "",
        "ethnicity": eth,
        "ethnicity_observed": "IC9",
        "nationality": nat,
        "immigration_status": status,
    }


def crime(local_id: str, day: str, people: str, offence: str, outcome: str) -> dict[str, str]:
    details = {"flags": ["CSA"], "typology": [], "outcome": outcome}
    return {
        "local_id": local_id,
        "event_type": "crime",
        "occurred_at": day,
        "participants": people,
        "offence_code": offence,
        "postcode": "S60 1AA",
        "details": json.dumps(details),
    }


def load(platform: Platform) -> None:
    people = persons_csv(
        person("V1", "W1", "GBR", adult=False),
        person("V2", "NS", "NS", adult=False),
        person("S1", "A2", "GBR;PAK", "no_leave"),
        person("S2", "NS", "GBR", "NS"),
        person("S3", "W9", "POL", "visa_holder"),
    )
    platform.ingest.submit(people, "p.csv", POLICE, SYSTEM)
    events = events_csv(
        crime("CR1", "2024-03-01", "victim:V1;suspect:S1;suspect:S2", "71", "charged"),
        crime("CR2", "2024-04-01", "victim:V2;suspect:S3", "88A", "evidential_difficulties"),
        crime("CR3", "2024-05-15", "victim:V2;suspect:S2", "22B", "charged"),
    )
    platform.ingest.submit(events, "e.csv", POLICE, SYSTEM)


def test_flags_referrals_and_completeness(platform: Platform) -> None:
    load(platform)
    result = platform.crime.refresh()
    assert (result.crimes, result.group_based, result.new_referrals) == (3, 3, 1)
    with platform.uow() as uow:
        reasons = sorted(reason for _, reason in uow.crime.group_flags().values())
        audit = [e for e in uow.audit.entries() if e.action == "crime.referral.create"]
    assert reasons[0] == "2 suspects linked to the crime"
    assert "same victim within one episode" in reasons[1]
    assert len(audit) == 1
    assert platform.crime.refresh().new_referrals == 0  # idempotent
    officer = platform.accounts.add_user("ro", POLICE, ["referral_officer"])
    user = platform.accounts.authenticate(officer)
    assert user is not None
    [referral] = platform.crime.referrals(user)
    assert (referral["suspect_local_id"], referral["crime_local_id"]) == ("S1", "CR1")
    assert referral["immigration_status"] == "no_leave"

    with platform.crime.analytics() as db:
        q.prepare(db, 2024)
        long = q.completeness(db, "force_code", 2024)
    rules = dataclasses.replace(
        platform.crime.rules,
        disclosure=dataclasses.replace(platform.crime.rules.disclosure, threshold=1),
    )
    table = completeness_table(long, rules, {})
    row = table.loc["E23000011"]
    # suspects per crime: S1, S2 (CR1), S3 (CR2), S2 (CR3): ethnicity 2 of 4, nationality 4 of 4
    assert (row["Suspects"], row["Suspects: ethnicity stated (%)"]) == (4, 50)
    assert row["Suspects: nationality stated (%)"] == 100
    # victims: V1 (CR1), V2 (CR2, CR3): 1 of 3 stated
    assert (row["Victims"], row["Victims: ethnicity stated (%)"]) == (3, 33)
    published = completeness_table(long, platform.crime.rules, {})
    assert published.loc["E23000011", "Suspects: ethnicity stated (%)"] == "[c]"


def test_pages_and_api_need_their_roles(platform: Platform) -> None:
    load(platform)
    platform.crime.refresh()
    stats = platform.accounts.add_user("stats", POLICE, ["statistician"])
    officer = platform.accounts.add_user("ro", POLICE, ["referral_officer"])
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        ok = client.get("/api/v1/stats/overview", headers={"Authorization": f"Bearer {stats}"})
        assert ok.status_code == 200
        assert {t["name"] for t in ok.json()["tables"]} >= {"completeness_by_force", "divergence"}
        denied = client.get("/api/v1/referrals", headers={"Authorization": f"Bearer {stats}"})
        assert denied.status_code == 403
        listed = client.get("/api/v1/referrals", headers={"Authorization": f"Bearer {officer}"})
        assert [r["suspect_local_id"] for r in listed.json()] == ["S1"]
        assert (
            client.get("/api/v1/stats/overview", headers={"Authorization": f"Bearer {officer}"})
        ).status_code == 403
        sign_in(client, stats)
        page = client.get("/stats")
        assert page.status_code == 200 and "<svg" in page.text and "Completeness" in page.text
        assert ' style="' not in page.text  # the CSP forbids inline style


def test_report_files_and_no_recoverable_cell(platform: Platform, tmp_path: Path) -> None:
    load(platform)
    ret = national_return(platform.crime, 2024)
    files = write_report(ret, tmp_path)
    names = {f.name for f in files}
    assert {"index.html", "crimes_by_force.csv", "national-return-2024.ods"} <= names
    html = (tmp_path / "index.html").read_text()
    assert html.count("<svg") >= 5 and "not stated" in html
    sheets = pd.read_excel(tmp_path / "national-return-2024.ods", engine="odf", sheet_name=None)
    assert len(sheets) == len(ret.tables)
    for table in ret.tables:
        if table.kind != "counts" or table.frame.empty:
            continue
        with (tmp_path / f"{table.name}.csv").open() as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        width = 3 if table.name == "divergence" else len(header) - 1  # counts, then totals
        grid = [[None if v == "[c]" else int(v) for v in r[1 : 1 + width]] for r in body]
        found = recover_from_grid(grid, header[width] == "Total", table.totals)
        assert found == [], (table.name, found)
