"""Referral outcomes on both stores: court outcomes in the police feed drive the referral rule;
Immigration Enforcement moves a referral through its lifecycle; the MASH and police follow it
without seeing the immigration status; every read and change is audited."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from safeguard.api import create_app
from safeguard.bootstrap import Platform
from safeguard.crime.lifecycle import ReferralNotFound, ReferralUpdateError
from safeguard.domain.actors import AccessDenied, Account, User
from safeguard.domain.codes import IMMIGRATION_ENFORCEMENT
from safeguard.ingest.errors import SubmissionRejected
from tests.integration.test_crime_stats import load
from tests.samples import CSC, MASH, POLICE, events_csv
from tests.signin import sign_in

SYSTEM = Account("police-system", "agency_system", POLICE)


def court(local_id: str, day: str, crime: str, suspect: str, outcome: str) -> dict[str, str]:
    return {
        "local_id": local_id,
        "event_type": "court_outcome",
        "occurred_at": day,
        "participants": f"suspect:{suspect}",
        "details": json.dumps({"crime": crime, "outcome": outcome}),
    }


def user(platform: Platform, name: str, agency: str, role: str) -> User:
    found = platform.accounts.authenticate(platform.accounts.add_user(name, agency, [role]))
    assert found is not None
    return found


def test_a_conviction_at_court_raises_the_referral_an_acquittal_does_not(
    platform: Platform,
) -> None:
    load(platform)  # S3 (visa holder) on CR2: evidential difficulties, so no referral yet
    assert platform.crime.refresh().new_referrals == 1
    outcomes = events_csv(
        court("CO1", "2024-09-01", "CR2", "S3", "charged"),
        court("CO2", "2025-01-10", "CR2", "S3", "convicted"),
        court("CO3", "2024-09-01", "CR3", "S2", "acquitted"),  # S2 is NS: no referral anyway
    )
    platform.ingest.submit(outcomes, "co.csv", POLICE, SYSTEM)
    assert platform.crime.refresh().new_referrals == 1
    officer = user(platform, "ro", POLICE, "referral_officer")
    rows = {r["suspect_local_id"]: r for r in platform.crime.referrals(officer)}
    assert rows["S3"]["outcome"] == "convicted" and rows["S3"]["status"] == "received"


def test_an_acquittal_after_a_charge_stops_a_referral(platform: Platform) -> None:
    load(platform)
    outcomes = events_csv(
        court("CO1", "2024-06-01", "CR1", "S1", "charged"),
        court("CO2", "2024-11-01", "CR1", "S1", "acquitted"),
    )
    platform.ingest.submit(outcomes, "co.csv", POLICE, SYSTEM)
    assert platform.crime.refresh().new_referrals == 0  # S1's charge was overtaken at court


def test_a_court_outcome_without_crime_or_known_outcome_is_refused(platform: Platform) -> None:
    load(platform)
    bad = events_csv(
        {**court("CO1", "2024-06-01", "CR1", "S1", "guilty"), "participants": "victim:V1"},
    )
    with pytest.raises(SubmissionRejected) as caught:
        platform.ingest.submit(bad, "co.csv", POLICE, SYSTEM)
    said = " ".join(e.sentence() for e in caught.value.errors)
    assert "details.outcome must be one of acquitted, charged, convicted" in said
    assert "names the defendant as suspect" in said


def test_the_lifecycle_is_immigration_enforcements_to_move(platform: Platform) -> None:
    load(platform)
    platform.crime.refresh()
    ie = user(platform, "ie", IMMIGRATION_ENFORCEMENT, "immigration_enforcement")
    [referral] = platform.crime.referrals(ie)
    rid = int(referral["id"])
    first = platform.referrals.progress(ie, rid)
    assert first.next_statuses == ("under_consideration", "no_action") and first.can_update
    with pytest.raises(ReferralUpdateError, match="can move to under_consideration"):
        platform.referrals.update(ie, rid, "closed", "")
    with pytest.raises(ReferralUpdateError, match="say in the note why"):
        platform.referrals.update(ie, rid, "no_action", "  ")
    platform.referrals.update(ie, rid, "under_consideration", "allocated to a caseworker")
    done = platform.referrals.update(ie, rid, "action_taken", "reporting conditions imposed")
    assert [u["status"] for u in done.updates] == ["under_consideration", "action_taken"]
    assert done.referral["status"] == "action_taken" and done.next_statuses == ("closed",)
    closed = platform.referrals.update(ie, rid, "closed", "")
    assert closed.next_statuses == ()
    with pytest.raises(ReferralUpdateError, match="closed"):
        platform.referrals.update(ie, rid, "under_consideration", "")
    with pytest.raises(ReferralNotFound):
        platform.referrals.update(ie, rid + 100, "under_consideration", "")

    # The hub and police follow it without the immigration status; they cannot move it.
    hub = user(platform, "hub", MASH, "mash")
    seen = platform.referrals.progress(hub, rid)
    assert seen.referral["status"] == "closed" and seen.referral["immigration_status"] is None
    assert not seen.can_update
    police = user(platform, "pc", POLICE, "practitioner")
    assert platform.referrals.progress(police, rid).referral["immigration_status"] is None
    officer = user(platform, "ro", POLICE, "referral_officer")
    assert platform.referrals.progress(officer, rid).referral["immigration_status"] == "no_leave"
    for who in (hub, police, officer, user(platform, "ie2", CSC, "immigration_enforcement")):
        with pytest.raises(AccessDenied):
            platform.referrals.update(who, rid, "closed", "")
    social = user(platform, "sw", CSC, "practitioner")
    with pytest.raises(AccessDenied):
        platform.referrals.progress(social, rid)

    with platform.uow() as uow:
        entries = [e for e in uow.audit.entries() if e.action.startswith("crime.referral.")]
    kinds = [(e.user_name, e.action, e.outcome) for e in entries]
    assert ("ie", "crime.referral.update", "written") in kinds
    assert ("ie", "crime.referral.update", "refused") in kinds
    assert ("hub", "crime.referral.read", "read") in kinds
    assert ("hub", "crime.referral.update", "denied") in kinds
    assert ("sw", "crime.referral.read", "denied") in kinds


def test_api_and_page(platform: Platform) -> None:
    load(platform)
    platform.crime.refresh()
    ie = platform.accounts.add_user("ie", IMMIGRATION_ENFORCEMENT, ["immigration_enforcement"])
    hub = platform.accounts.add_user("hub", MASH, ["mash"])
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        auth = {"Authorization": f"Bearer {ie}"}
        [listed] = client.get("/api/v1/referrals", headers=auth).json()
        url = f"/api/v1/referrals/{listed['id']}"
        got = client.get(url, headers=auth).json()
        assert got["status"] == "received" and got["immigration_status"] == "no_leave"
        moved = client.post(f"{url}/status", headers=auth, json={"status": "under_consideration"})
        assert moved.status_code == 200 and moved.json()["next_statuses"] == [
            "action_taken",
            "no_action",
        ]
        wrong = client.post(f"{url}/status", headers=auth, json={"status": "closed"})
        assert wrong.status_code == 422 and "can move to" in wrong.json()["error"]["message"]
        hub_auth = {"Authorization": f"Bearer {hub}"}
        read = client.get(url, headers=hub_auth).json()
        assert read["status"] == "under_consideration" and read["immigration_status"] is None
        denied = client.post(f"{url}/status", headers=hub_auth, json={"status": "no_action"})
        assert denied.status_code == 403
        assert client.get("/api/v1/referrals/999", headers=auth).status_code == 404

        sign_in(client, ie)
        page = client.get(f"/referrals/{listed['id']}")
        assert page.status_code == 200 and "Record progress" in page.text
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert found is not None
        csrf = found.group(1)
        posted = client.post(
            f"/referrals/{listed['id']}/status",
            data={"status": "no_action", "note": "insufficient evidence", "csrf": csrf},
            follow_redirects=False,
        )
        assert posted.status_code == 303
        after = client.get(posted.headers["location"])
        assert "no action" in after.text and "insufficient evidence" in after.text
        assert "progress was recorded" in after.text
