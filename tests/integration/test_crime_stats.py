"""Crime statistics on both stores: derived flags, completeness, referrals, pages and report."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from safeguard.api import create_app
from safeguard.bootstrap import Platform
from safeguard.crime import national as q
from safeguard.crime.audit import MANIFEST, audit_return
from safeguard.crime.census import load_census
from safeguard.crime.errors import NoDataError
from safeguard.crime.national_return import national_return_files
from safeguard.crime.publish import completeness_table
from safeguard.crime.report import build_national_return
from safeguard.domain.actors import Account
from tests.samples import POLICE, events_csv, persons_csv
from tests.signin import sign_in

SYSTEM = Account("police-system", "agency_system", POLICE)


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
    row = long[long["role"] == "suspect"].iloc[0]
    # suspects per crime: S1, S2 (CR1), S3 (CR2), S2 (CR3): ethnicity 2 of 4, nationality 4 of 4
    assert (row["n"], row["ethnicity_stated"], row["nationality_stated"]) == (4, 2, 4)
    victims = long[long["role"] == "victim"].iloc[0]
    assert (victims["n"], victims["ethnicity_stated"]) == (3, 1)  # V1 (CR1), V2 (CR2, CR3)
    counts = {"suspect": {"E23000011": 4, "Total": 4}, "victim": {"E23000011": 3, "Total": 3}}
    stated = {
        "suspect": {"ethnicity_stated": {"E23000011": 2, "Total": 2},
                    "nationality_stated": {"E23000011": 4, "Total": 4}},
        "victim": {"ethnicity_stated": {"E23000011": 1, "Total": 1},
                   "nationality_stated": {"E23000011": None, "Total": None}},
    }  # fmt: skip
    table = completeness_table(counts, stated, platform.crime.rules, {})
    assert table.loc["E23000011", "Suspects: ethnicity stated (%)"] == 50
    assert table.loc["E23000011", "Victims: ethnicity stated (%)"] == 33
    assert table.loc["E23000011", "Victims: nationality stated (%)"] == "[c]"
    with platform.crime.analytics() as db:
        ret = build_national_return(
            db, 2024, platform.crime.codes, platform.crime.rules, load_census(), []
        )
    published = ret.tables[[t.name for t in ret.tables].index("completeness_by_force")].frame
    assert published.loc["South Yorkshire", "Suspects: ethnicity stated (%)"] == "[c]"


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
        # every count is 1-9 here: nothing withheld may reach a chart, tooltip or headline
        assert "crimes, " not in page.text  # no funnel tooltip
        assert "withheld share of suspects" in page.text and "0%" not in page.text
        for missing in ("/stats?year=1999", "/api/v1/stats/overview?year=1999"):
            if missing.startswith("/api"):
                gone = client.get(missing, headers={"Authorization": f"Bearer {stats}"})
                assert gone.json()["error"]["message"].startswith("there are no CSAE crimes")
            else:
                gone = client.get(missing)
                assert "no CSAE crimes recorded in 1999" in gone.text
            assert gone.status_code == 404


def test_report_files_pass_the_audit(platform: Platform, tmp_path: Path) -> None:
    load(platform)
    files = national_return_files(platform.crime, 2024, tmp_path)
    names = {f.name for f in files}
    assert {"index.html", "crimes_by_force.csv", "national-return-2024.ods", MANIFEST} <= names
    assert {"suspects_by_age_sex.csv", "repeat_suspects.csv", "suspects_by_typology.csv"} <= names
    html = (tmp_path / "index.html").read_text()
    assert html.count("<svg") >= 5 and "not stated" in html
    sheets = pd.read_excel(tmp_path / "national-return-2024.ods", engine="odf", sheet_name=None)
    assert len(sheets) == len(json.loads((tmp_path / MANIFEST).read_text())["tables"])
    assert audit_return(tmp_path).ok
    with pytest.raises(NoDataError, match="no CSAE crimes recorded in 1999"):
        national_return_files(platform.crime, 1999, tmp_path / "none")
    assert not (tmp_path / "none").exists()
