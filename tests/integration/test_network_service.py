"""The network service on both stores: groups from ingested feeds, access, audit, increments."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from safeguard.api import create_app
from safeguard.bootstrap import Platform
from safeguard.domain.actors import AccessDenied, Account, User
from safeguard.store.tables import source_records
from tests.network_samples import EVENTS, RING_A, RING_B, feeds
from tests.samples import MASH, POLICE, events_csv
from tests.signin import sign_in

ANALYST = User("ana", POLICE, ("analyst",))
OFFICER = User("off", POLICE, ("practitioner",))
SYSTEM = Account("rms", "agency_system", POLICE)


def load(platform: Platform, event_ids: set[int] | None = None, persons: bool = True) -> None:
    people, events = feeds(event_ids)
    if persons:
        platform.ingest.submit(people, "persons.csv", POLICE, SYSTEM)
    platform.ingest.submit(events, f"events-{len(event_ids or ())}.csv", POLICE, SYSTEM)


def ids_to_local(platform: Platform) -> dict[str, str]:
    with platform.uow() as uow:
        locals_ = sorted({p for p in "a1 a2 a3 b1 b2 b3 c1 c2 o1".split()})
        found = uow.records.person_ids_for_local_ids(POLICE, locals_)
    return {pid: local for local, pid in found.items()}


def found_groups(platform: Platform) -> list[set[str]]:
    back = ids_to_local(platform)
    keys = platform.network.graph.persons.keys()
    analysis = platform.network.analysis()
    return sorted(
        ({back[str(keys[m])] for m in g.group.members} for g in analysis.groups), key=sorted
    )


def test_groups_found_from_ingested_feeds_are_audited(platform: Platform) -> None:
    load(platform)
    overview = platform.network.overview(ANALYST, "test")
    assert len(overview["groups"]) == 2
    assert found_groups(platform) == [RING_A, RING_B]
    with platform.uow() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions.count("network.read") == 1


def test_analysts_see_pseudonyms_police_see_their_names_others_are_refused(
    platform: Platform,
) -> None:
    load(platform)
    gid = platform.network.overview(ANALYST)["groups"][0]["group_id"]
    seen = platform.network.group(ANALYST, gid)
    labels = [n["label"] for n in seen["chart"]["nodes"] if n["kind"] == "person"]
    assert labels and all(label.startswith("P-") for label in labels)
    assert "Name" not in repr(seen)
    named = platform.network.group(OFFICER, gid)
    assert any("Surname" in n["label"] for n in named["chart"]["nodes"])
    with pytest.raises(AccessDenied):
        platform.network.overview(User("hub", MASH, ("mash",)))
    with platform.uow() as uow:
        outcomes = [e.outcome for e in uow.audit.entries() if e.action == "network.read"]
    assert outcomes[-1] == "denied"


def test_new_events_extend_the_graph_without_a_rebuild(platform: Platform) -> None:
    first = {e[0] for e in EVENTS if e[0] < 20}
    load(platform, first)
    assert platform.network.refresh() == len(first)
    graph = platform.network.graph
    load(platform, {e[0] for e in EVENTS} - first, persons=False)
    assert platform.network.refresh() == len(EVENTS) - len(first)
    assert platform.network.graph is graph and graph.n_events == len(EVENTS)
    assert found_groups(platform) == [RING_A, RING_B]


def test_a_replaced_event_rebuilds_the_graph(platform: Platform) -> None:
    load(platform)
    platform.network.refresh()
    graph = platform.network.graph
    changed = events_csv(
        {
            "local_id": "E40",
            "event_type": "crime",
            "occurred_at": "2024-06-02",
            "participants": "victim:v11;suspect:o1",
            "offence_code": "88E",
            "place_type": "online",
            "postcode": "",
        }
    )
    platform.ingest.submit(changed, "correction.csv", POLICE, SYSTEM)
    platform.network.refresh()
    assert platform.network.graph is not graph
    assert platform.network.graph.n_events == len(EVENTS)
    assert found_groups(platform) == [RING_A, RING_B]


def test_changing_ethnicity_and_nationality_changes_nothing(platform: Platform) -> None:
    load(platform)
    before = platform.network.harm(ANALYST, "test")
    groups_before = platform.network.overview(ANALYST)["groups"]
    with platform.uow() as uow:
        uow.connection.execute(
            update(source_records).values(
                ethnicity="W9",
                nationality="POL",
                immigration_status="visa",
                ethnicity_observed="IC6",
            )
        )
    platform.network.invalidate()
    assert platform.network.harm(ANALYST, "test") == before
    assert platform.network.overview(ANALYST)["groups"] == groups_before


def test_api_and_exports(sqlite_platform: Platform) -> None:
    load(sqlite_platform)
    token = sqlite_platform.accounts.add_user("ana", POLICE, ["analyst"])
    client = TestClient(create_app(sqlite_platform))
    auth = {"Authorization": f"Bearer {token}"}
    overview = client.get("/api/v1/network/groups", headers=auth)
    assert overview.status_code == 200
    gid = overview.json()["groups"][0]["group_id"]
    group = client.get(f"/api/v1/network/groups/{gid}", headers=auth).json()
    assert len(group["member_list"]) == 3 and group["link_list"][0]["evidence"]
    ref = group["member_list"][0]["ref"]
    person = client.get(f"/api/v1/network/persons/{ref}", headers=auth).json()
    assert person["harm"]["explanation"]
    harm = client.get("/api/v1/network/harm?limit=5", headers=auth).json()
    assert harm["offenders"][0]["rank"] == 1 and len(harm["offenders"]) == 5
    graphml = client.get(f"/api/v1/network/groups/{gid}/export.graphml", headers=auth)
    assert graphml.headers["content-type"].startswith("application/graphml")
    assert b"<graphml" in graphml.content and ref.encode() in graphml.content
    zipped = client.get(f"/api/v1/network/persons/{ref}/export.csv", headers=auth)
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert names == ["nodes.csv", "edges.csv"]
    assert client.get("/api/v1/network/groups/GNOPE", headers=auth).status_code == 404
    assert client.get("/api/v1/network/groups").status_code == 401


def test_network_pages_under_the_session_cookie(sqlite_platform: Platform) -> None:
    load(sqlite_platform)
    analyst = sqlite_platform.accounts.add_user("ana", POLICE, ["analyst"])
    hub = sqlite_platform.accounts.add_user("hub", MASH, ["mash"])
    client = TestClient(create_app(sqlite_platform))
    assert sign_in(client, analyst).status_code == 200
    page = client.get("/network")
    assert page.status_code == 200 and "Candidate groups" in page.text
    gid = platform_group(sqlite_platform)
    # The overview draws every candidate group as a bar that links to the group's page.
    assert (
        'class="groups-chart"' in page.text and f'href="/network/groups/{gid}"><text' in page.text
    )
    chart_page = client.get(f"/network/groups/{gid}")
    assert 'data-src="/network/groups/' in chart_page.text and "Name" not in chart_page.text
    chart = client.get(f"/network/groups/{gid}/chart.json").json()
    assert chart["nodes"] and chart["edges"][0]["evidence"]
    assert client.get(f"/network/groups/{gid}/export.csv").content[:2] == b"PK"
    assert client.get("/network/groups/GNOPE").status_code == 404
    client.cookies.clear()
    assert sign_in(client, hub).status_code == 200
    refused = client.get("/network")
    assert refused.status_code == 403 and "may not read offender networks" in refused.text


def platform_group(platform: Platform) -> str:
    return platform.network.analysis().groups[0].group.group_id
