"""Search pages through every hit: `limit` and an opaque `cursor`, with a Link header to the
next page (it capped silently at 50 before), on the API and the search page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from safeguard.api import create_app
from safeguard.bootstrap import Platform
from tests.regions import linked_platform
from tests.signin import sign_in


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, str]]:
    platform = linked_platform(tmp_path_factory.mktemp("paging"), children=150, seed=5)
    token = platform.accounts.add_user("hub", "MASH-E08000018", ["mash"])
    yield platform, token
    platform.close()


def test_following_the_link_header_visits_every_hit_once(region: tuple[Platform, str]) -> None:
    platform, token = region
    client = TestClient(create_app(platform))
    headers = {"Authorization": f"Bearer {token}"}
    everything = client.get("/api/v1/persons", params={"name": "a", "limit": 200}, headers=headers)
    assert everything.status_code == 200 and "Link" not in everything.headers
    expected = [(h["agency_code"], h["local_id"]) for h in everything.json()]
    assert len(expected) > 7, "the region should hold enough names starting with a"
    seen: list[tuple[str, str]] = []
    url: str | None = "/api/v1/persons?name=a&limit=3"
    while url:
        page = client.get(url, headers=headers)
        assert page.status_code == 200
        assert len(page.json()) <= 3
        seen += [(h["agency_code"], h["local_id"]) for h in page.json()]
        link = page.headers.get("Link")
        url = link.split(">", 1)[0].lstrip("<") if link else None
    assert seen == expected


@pytest.mark.parametrize("cursor", ["garbage", "W10", "WyJhIiwiYiIsdHJ1ZV0"])  # [], ["a","b",true]
def test_a_cursor_this_api_did_not_give_is_a_422_sentence(
    region: tuple[Platform, str], cursor: str
) -> None:
    platform, token = region
    client = TestClient(create_app(platform))
    response = client.get(
        "/api/v1/persons",
        params={"name": "a", "cursor": cursor},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "start again without it" in response.json()["error"]["message"]


def test_the_search_page_links_to_the_next_page(region: tuple[Platform, str]) -> None:
    platform, token = region
    client = TestClient(create_app(platform))
    sign_in(client, token)
    headers = {"Authorization": f"Bearer {token}"}
    every = client.get("/api/v1/persons", params={"name": "a", "limit": 200}, headers=headers)
    total = len(every.json())
    assert total > 50, total  # more than one page of 50 in this region
    page = client.get("/search", params={"name": "a"})
    rows, pages = page.text.count("<tr>") - 1, 1
    assert page.status_code == 200 and rows == 50
    while 'rel="next"' in page.text:
        following = page.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
        page = client.get(following.replace("&amp;", "&"))
        assert page.status_code == 200
        rows, pages = rows + page.text.count("<tr>") - 1, pages + 1
    assert rows == total and pages == -(-total // 50)
    second = page
    assert 'rel="next"' not in second.text and "First page" in second.text
