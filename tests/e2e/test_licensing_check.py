"""Licensing pages in Chromium: check an applicant, read the evidence, record a decision;
the compliance chart and the out-of-area list render."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from tests.e2e.conftest import LiveServer, serving
from tests.integration.test_licensing_service import AWAY, OFFICER, PLATE, load


@pytest.fixture(scope="module")
def licensing_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("licensing-e2e")
    platform = bootstrap(Settings(database_url=f"sqlite:///{folder}/s.db", environment="test"))
    load(platform)
    platform.licensing.sync(OFFICER)
    platform.licensing.raise_notices(OFFICER)
    token = platform.accounts.add_user("officer", AWAY, ["licensing_officer"])
    with serving(platform) as url:
        yield LiveServer(url, {"officer": token})
    platform.close()


def test_check_decide_and_oversight_pages(page: Page, licensing_server: LiveServer) -> None:
    page.goto(f"{licensing_server.url}/login")
    page.fill("#token", licensing_server.tokens["officer"])
    page.click("form.card button")
    page.click("nav >> text=Licensing")
    expect(page.locator("text=plate:" + PLATE)).to_be_visible()  # the safeguarding notice
    page.fill("input[name=first_name]", "Imran")
    page.fill("input[name=surname]", "Shaw")
    page.fill("input[name=dob]", "1980-07-05")
    page.click("form.licensing-check button")
    candidate = page.locator("section.candidate")
    expect(candidate).to_have_count(1)
    expect(candidate).to_contain_text("Refused by Rotherham (E08000018)")
    expect(candidate.locator("tbody tr", has_text="transposed")).to_have_count(1)
    page.select_option("select[name=decision]", "enquiry_sent")
    page.fill("input[name=note]", "asked Rotherham for the reasons")
    page.click("text=Record decision")
    expect(page.locator("p.decision")).to_contain_text("enquiry_sent")
    page.goto(f"{licensing_server.url}/licensing/compliance")
    expect(page.locator("svg.licensing-chart rect")).not_to_have_count(0)
    page.goto(f"{licensing_server.url}/licensing/out-of-area")
    expect(page.locator("table tbody tr", has_text=PLATE)).to_have_count(1)
