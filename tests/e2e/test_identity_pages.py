"""Identity pages in Chromium: the review queue takes a decision; the waterfall renders."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from safeguard.domain.identity import ReviewItem
from safeguard.store.identity_repository import SqlIdentityRepository
from tests.e2e.conftest import LiveServer, serving
from tests.regions import linked_platform


@pytest.fixture(scope="module")
def linked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("linked-e2e")
    platform = linked_platform(folder)
    with platform.uow() as uow:
        repo = SqlIdentityRepository(uow.connection)
        refs = sorted(repo.load_assignments().items())
        # One uncertain pair for the queue, so the page has something to decide.
        repo.queue_for_review([ReviewItem(refs[0][0], refs[1][0], 0.7, 1.2)])
    token = platform.accounts.add_user("hub", "MASH-E08000018", ["mash"])
    with serving(platform) as url:
        yield LiveServer(url, {"hub": token})
    platform.close()


def test_review_decision_and_waterfall(page: Page, linked_server: LiveServer) -> None:
    page.goto(f"{linked_server.url}/login")
    page.fill("#token", linked_server.tokens["hub"])
    page.click("form.card button")
    page.click("text=Identity review")
    rows = page.locator("table.pairs tbody tr")
    expect(rows.first).to_be_visible()
    before = rows.count()
    page.click("table.pairs tbody tr >> nth=0 >> text=weights")
    expect(page.locator("svg.waterfall")).to_have_count(1)
    expect(page.locator("svg.waterfall rect.total")).to_have_count(1)
    page.go_back()
    first = page.locator("table.pairs tbody tr").first
    first.locator("form").nth(1).locator("input[name=reason]").fill("different children")
    first.locator("form").nth(1).locator("button").click()
    expect(page.locator("table.pairs tbody tr")).to_have_count(before - 1)
