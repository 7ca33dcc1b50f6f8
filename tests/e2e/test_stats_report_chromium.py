"""The national return's HTML opens in Chromium with its charts drawn (server-side SVG)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from safeguard.crime.national_return import national_return_files
from tests.integration.test_crime_stats import load


def test_report_charts_render(page: Page, tmp_path: Path) -> None:
    platform = bootstrap(
        Settings(database_url=f"sqlite:///{tmp_path}/store.db", environment="test")
    )
    try:
        load(platform)
        files = national_return_files(platform.crime, 2024, tmp_path / "report")
    finally:
        platform.close()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(files[0].as_uri())
    expect(page.locator("h1")).to_contain_text("National return 2024")
    charts = page.locator("figure svg.chart")
    assert charts.count() >= 6
    for name in ("suspects_ratio", "completeness_force", "funnel", "reference_plans"):
        svg = page.locator(f"#chart-{name} svg")
        expect(svg).to_be_visible()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 50
    assert page.locator("#chart-reference_plans polyline.series").count() == 1
    assert page.locator("#chart-reference_crimes polyline.series").count() == 1
    assert page.locator("#chart-funnel polyline.limit").count() == 4
    expect(page.locator("#suspects_rates_by_ethnicity .caveat")).to_contain_text("not stated")
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert errors == []
