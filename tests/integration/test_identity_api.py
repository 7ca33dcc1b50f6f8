"""Identity over HTTP on a small linked region: resolve, review, decisions, explanations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from safeguard.api import create_app
from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.domain.records import PROTECTED_FIELDS
from safeguard.ingest.files import CLI_SUBMITTER
from safeguard.store.identity_repository import SqlIdentityRepository
from tests.regions import linked_platform


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    folder = tmp_path_factory.mktemp("linked")
    platform = linked_platform(folder)
    yield platform
    platform.close()


@pytest.fixture(scope="module")
def client(linked: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(linked), raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(platform: Platform, name: str, agency: str, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {platform.accounts.ensure_user(name, agency, [role])}"}


def a_record(platform: Platform) -> tuple[str, dict[str, object]]:
    with platform.uow() as uow:
        row = uow.connection.exec_driver_sql(
            "SELECT agency_code, local_id, first_name, surname, dob, sex, postcode, nhs_number "
            "FROM source_records WHERE agency_code LIKE 'HEALTH-%' AND is_current LIMIT 1"
        ).first()
    assert row is not None
    agency, local_id, first, surname, dob, sex, postcode, nhs = row
    return agency, {
        "local_id": f"{local_id}-again",
        "first_name": first,
        "surname": surname,
        "dob": str(dob)[:10],
        "sex": sex,
        "postcode": postcode or "",
        "nhs_number": nhs or "",
        "ethnicity": "NS",
        "nationality": "NS",
    }


def test_a_known_child_arriving_again_joins_their_reference(
    linked: Platform, client: TestClient
) -> None:
    agency, record = a_record(linked)
    headers = bearer(linked, "health-system", agency, "agency_system")
    response = client.post(
        "/api/v1/identity/resolve", headers=headers, json={"agency": agency, "record": record}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    with linked.uow() as uow:
        refs = SqlIdentityRepository(uow.connection).load_assignments()
    original = refs[f"{agency}/{str(record['local_id']).removesuffix('-again')}"]
    assert body["decision"] == "join" and body["child_ref"] == original
    stranger = {
        **record,
        "local_id": "NEW-1",
        "first_name": "Zebedee",
        "surname": "Quillfeather",
        "dob": "2012-12-12",
        "nhs_number": "",
        "postcode": "",
    }
    response = client.post(
        "/api/v1/identity/resolve", headers=headers, json={"agency": agency, "record": stranger}
    )
    assert response.json()["decision"] == "create"
    assert response.json()["child_ref"] not in refs.values()


def test_resolve_checks_role_and_agency(linked: Platform, client: TestClient) -> None:
    agency, record = a_record(linked)
    other = bearer(linked, "leeds-system", "HEALTH-E08000035", "agency_system")
    worker = bearer(linked, "nurse", agency, "practitioner")
    for headers in (other, worker):
        response = client.post(
            "/api/v1/identity/resolve", headers=headers, json={"agency": agency, "record": record}
        )
        assert response.status_code == 403


def test_review_queue_decisions_and_explanations(linked: Platform, client: TestClient) -> None:
    hub = bearer(linked, "hub", "MASH-E08000018", "mash")
    nurse = bearer(linked, "nurse2", "HEALTH-E08000018", "practitioner")
    assert client.get("/api/v1/identity/review", headers=nurse).status_code == 403
    with linked.uow() as uow:
        refs = SqlIdentityRepository(uow.connection).load_assignments()
    members: dict[str, list[str]] = {}
    for rid, ref in sorted(refs.items()):
        members.setdefault(ref, []).append(rid)
    ref, pair = next((r, m[:2]) for r, m in members.items() if len(m) >= 2)
    explained = client.get(
        "/api/v1/identity/explain", headers=hub, params={"left": pair[0], "right": pair[1]}
    )
    assert explained.status_code == 200, explained.text
    names = {c["comparison"] for c in explained.json()["comparisons"]}
    assert names and not names & PROTECTED_FIELDS
    whole = client.get("/api/v1/identity/explain", headers=hub, params={"left": ref}).json()
    assert whole["child_ref"] == ref and whole["pairs"]
    decided = client.post(
        "/api/v1/identity/review/decisions",
        headers=hub,
        json={
            "record_id_l": pair[0],
            "record_id_r": pair[1],
            "decision": "same",
            "reason": "same NHS",
        },
    )
    assert decided.status_code == 204
    bad = client.post(
        "/api/v1/identity/review/decisions",
        headers=hub,
        json={"record_id_l": pair[0], "record_id_r": pair[1], "decision": "maybe", "reason": "x"},
    )
    assert bad.status_code == 422


def test_resolve_without_a_model_is_a_clear_409(tmp_path: Path) -> None:
    platform = bootstrap(Settings(database_url=f"sqlite:///{tmp_path}/e.db", environment="test"))
    headers = bearer(platform, "sys", "HEALTH-E08000018", "agency_system")
    record = {
        "local_id": "H1",
        "first_name": "Ann",
        "surname": "Lee",
        "dob": "2012-01-01",
        "sex": "F",
        "ethnicity": "NS",
        "nationality": "NS",
    }
    with TestClient(create_app(platform)) as test_client:
        response = test_client.post(
            "/api/v1/identity/resolve",
            headers=headers,
            json={"agency": "HEALTH-E08000018", "record": record},
        )
    assert response.status_code == 409 and "identity link" in response.json()["error"]["message"]
    platform.close()


def test_a_small_ingest_is_referenced_at_once(linked: Platform) -> None:
    agency, record = a_record(linked)
    record = {**record, "local_id": "ARRIVES-LATER"}
    header = ",".join(record)
    line = ",".join(str(v) for v in record.values())
    linked.ingest.submit(
        f"{header}\n{line}\n".encode(), "one.csv", agency, CLI_SUBMITTER.for_agency(agency)
    )
    with linked.uow() as uow:
        assert uow.identity_ref_of(agency, "ARRIVES-LATER") is not None
        refs = SqlIdentityRepository(uow.connection).load_assignments()
    assert (
        refs[f"{agency}/ARRIVES-LATER"]
        == refs[f"{agency}/{a_record(linked)[1]['local_id']}".removesuffix("-again")]
    )
