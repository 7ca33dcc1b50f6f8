"""The navigation offers only pages the role can use, the home page counts what waits for the
user, and codes are shown as words (a page that answered 403 from the menu was a defect)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from safeguard.accounts.roles import ROLES
from safeguard.api import create_app
from safeguard.web.navigation import PAGES
from tests.api_world import World, seeded_world
from tests.signin import sign_in


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("nav")
    with seeded_world(f"sqlite:///{folder}/s.db") as w:
        yield w


def browser(world: World, role: str) -> TestClient:
    client = TestClient(create_app(world.platform), follow_redirects=False)
    assert sign_in(client, world.tokens[role]).status_code == 303
    return client


#: Pages that show an empty form to anyone and refuse at use: probe them in use.
PROBE = {"/search": "/search?name=Hartley"}


def nav_links(html: str) -> list[str]:
    menu = html.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="([^"]+)"', menu)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_menu_link_opens_for_the_role_and_no_usable_page_is_missing(
    world: World, role: str
) -> None:
    client = browser(world, role)
    links = nav_links(client.get("/").text)
    for href in links:
        assert client.get(href).status_code == 200, f"{role} is offered {href}"
    for page in PAGES:
        if page.href not in links and page.href != "/docs":
            probe = PROBE.get(page.href, page.href)
            assert client.get(probe).status_code in (403, 303), f"{role} misses {page.href}"


def test_a_mash_home_page_counts_alerts_and_shares(world: World) -> None:
    home = browser(world, "mash").get("/").text
    assert re.search(r'class="count">1</p><p class="govuk-body">undecided alerts', home)
    assert "Risk alerts" in home and "Identity review" in home


def test_a_statistician_sees_no_child_pages(world: World) -> None:
    links = nav_links(browser(world, "statistician").get("/").text)
    assert "/search" not in links and "/sharing/inbox" not in links and "/stats" in links


def test_codes_are_shown_as_words_on_the_person_page(world: World) -> None:
    page = browser(world, "practitioner").get(f"/persons/{world.child}").text
    assert "South Yorkshire Police" in page  # not POLICE-E23000011 alone
    assert "United Kingdom" in page  # nationality GBR
    assert "White: English, Welsh, Scottish, Northern Irish or British" in page


def test_signing_in_returns_to_the_page_asked_for_and_never_to_another_site(
    world: World,
) -> None:
    client = TestClient(create_app(world.platform), follow_redirects=False)
    asked = client.get("/risk/alerts?x=1")
    assert asked.headers["location"] == "/login?next=%2Frisk%2Falerts%3Fx%3D1"
    form = client.get(asked.headers["location"]).text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form)
    assert csrf and 'name="next" value="/risk/alerts?x=1"' in form
    for target, lands in (("/risk/alerts?x=1", "/risk/alerts?x=1"),
                          ("//evil.example/x", "/"), ("https://evil.example/", "/"),
                          ("/\\evil.example", "/")):  # fmt: skip
        done = client.post(
            "/login", data={"token": world.tokens["mash"], "csrf": csrf.group(1), "next": target}
        )
        assert done.status_code == 303 and done.headers["location"] == lands
