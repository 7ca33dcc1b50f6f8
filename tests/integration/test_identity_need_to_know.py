"""Identity explanations and the review queue under need to know (an outside probe read
another area's children's names, dates of birth and NHS numbers through them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from safeguard.api import create_app
from safeguard.bootstrap import Platform
from safeguard.identity.linking import OutsideArea
from tests.regions import linked_platform

ROTHERHAM, ROCHDALE = "MASH-E08000018", "MASH-E08000005"


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    platform = linked_platform(tmp_path_factory.mktemp("ntk"), children=300, seed=4, las=2)
    yield platform
    platform.close()


def token(platform: Platform, name: str, agency: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {platform.accounts.ensure_user(name, agency, ['mash'])}"}


def area_of(platform: Platform, record_id: str) -> str | None:
    agency, local_id = record_id.split("/", 1)
    with platform.uow() as uow:
        postcode = uow.records.history(agency, local_id)[0].postcode
    return platform.codes.la_of_record(agency, postcode)


def test_each_hub_sees_only_pairs_with_a_record_in_its_area(region: Platform) -> None:
    client = TestClient(create_app(region))
    seen: dict[str, list[dict[str, str]]] = {}
    for agency in (ROTHERHAM, ROCHDALE):
        response = client.get("/api/v1/identity/review", headers=token(region, agency, agency))
        assert response.status_code == 200
        seen[agency] = response.json()
        la = agency.split("-", 1)[1]
        for item in seen[agency]:
            areas = {area_of(region, item["record_id_l"]), area_of(region, item["record_id_r"])}
            assert la in areas
    assert seen[ROTHERHAM] or seen[ROCHDALE], "the region should queue some pairs"


def test_another_areas_explanation_is_refused_and_audited(region: Platform) -> None:
    client = TestClient(create_app(region))
    with region.uow() as uow:
        ids = [f"{r.agency_code}/{r.local_id}" for r in uow.records.search(None, None, None, 400)]
    rochdale_only = [r for r in ids if area_of(region, r) == "E08000005"][:2]
    assert len(rochdale_only) == 2, "the region should hold Rochdale records"
    left, right = rochdale_only
    params = {"left": left, "right": right}
    refused = client.get(
        "/api/v1/identity/explain", params=params, headers=token(region, "rh", ROTHERHAM)
    )
    assert refused.status_code == 403
    assert left.split("/")[1] not in refused.text  # nothing of the records themselves
    user = region.accounts.authenticate(token(region, "rh", ROTHERHAM)["Authorization"][7:])
    assert user is not None
    with pytest.raises(OutsideArea):
        region.identity.record_decision(user, left, right, "same", "not my area")
    with region.uow() as uow:
        denied = [
            e
            for e in uow.audit.entries()
            if e.action in ("identity.explain", "identity.decision") and e.outcome == "denied"
        ]
    assert len(denied) >= 2
    allowed = client.get(
        "/api/v1/identity/explain", params=params, headers=token(region, "rd", ROCHDALE)
    )
    assert allowed.status_code == 200
