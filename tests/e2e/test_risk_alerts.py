"""Risk alerts in headless Chromium: a MASH practitioner opens the alert raised from police and
health signs, reads the evidence, records a decision, and sees it in the report's chart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serving
from tests.risk_samples import make_env, raise_alert


@pytest.fixture
def risk_server(tmp_path: Path) -> Iterator[tuple[str, str, int]]:
    for env in make_env(f"sqlite:///{tmp_path}/risk.db"):
        aid = raise_alert(env)
        token = env.platform.accounts.add_user("hubworker", "MASH-E08000018", ["mash"])
        with serving(env.platform) as url:
            yield url, token, aid


def _login(page: Page, url: str, token: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#token", token)
    page.click("button[type=submit]")


def test_alert_evidence_and_decision(page: Page, risk_server: tuple[str, str, int]) -> None:
    url, token, aid = risk_server
    _login(page, url, token)
    page.click("text=Risk alerts")
    expect(page.locator("table.alerts tbody tr")).to_have_count(1)
    page.click(f"text=#{aid}")
    expect(page.locator(".explanation")).to_contain_text("police")
    expect(page.locator(".explanation")).to_contain_text("health")
    expect(page.locator("table.evidence tbody tr")).to_have_count(2)
    page.click("form.assign button")
    expect(page.locator(".history")).to_contain_text("assigned by hubworker")
    page.select_option("select[name=outcome]", "strategy_discussion")
    page.fill("textarea[name=reason]", "Strategy discussion with police and health today")
    page.click("form.decision button")
    expect(page.locator("[data-status]")).to_have_text("decided")
    expect(page.locator(".decision-recorded")).to_contain_text("Strategy discussion")
    page.goto(f"{url}/risk/report")
    expect(page.locator("svg.risk-chart rect").first).to_be_visible()
    expect(page.locator("table.risk-report")).to_contain_text("E08000018")
