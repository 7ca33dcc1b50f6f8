"""The sharing inbox in headless Chromium: a CSC practitioner sees the police shares,
acknowledges one, and opens the child's chronology; the compliance page draws its chart."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer


def test_inbox_acknowledge_then_chronology(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    page.fill("#token", live_server.tokens["sw"])
    page.click("button[type=submit]")
    page.click("text=Inbox")
    rows = page.locator("table.inbox tbody tr")
    expect(rows).to_have_count(2)
    # Just shared: acknowledgement is due in 24 hours, nothing overdue yet.
    expect(page.locator("tr.overdue")).to_have_count(0)
    rows.first.locator("button", has_text="Acknowledge").click()
    expect(page.locator("table.inbox tbody tr")).to_have_count(1)
    page.click("text=Show acknowledged too")
    expect(page.locator("table.inbox")).to_contain_text("acknowledged by sw")
    page.locator("table.inbox tbody tr a").first.click()
    expect(page.locator("h1")).to_contain_text("Chronology")
    expect(page.locator(".chronology li")).to_have_count(1)
    expect(page.locator(".chronology")).to_contain_text("South Yorkshire Police C1")


def test_compliance_page_draws_its_chart_without_script(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/login")
    page.fill("#token", live_server.tokens["hub"])
    page.click("button[type=submit]")
    page.click("text=Compliance")
    expect(page.locator("svg.chart rect").first).to_be_visible()
    expect(page.locator("table.compliance")).to_contain_text("police csc child sexual offence")
