"""The link chart in headless Chromium: nodes render, a filter hides links, a click explains."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Page, expect

from safeguard.api import create_app
from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from safeguard.domain.actors import Account
from tests.e2e.conftest import LiveServer, _free_port
from tests.network_samples import feeds
from tests.samples import POLICE


@pytest.fixture(scope="module")
def network_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder: Path = tmp_path_factory.mktemp("network-live")
    platform = bootstrap(Settings(database_url=f"sqlite:///{folder}/live.db", environment="test"))
    system = Account("police-rms", "agency_system", POLICE)
    people, events = feeds()
    platform.ingest.submit(people, "persons.csv", POLICE, system)
    platform.ingest.submit(events, "events.csv", POLICE, system)
    tokens = {"analyst": platform.accounts.add_user("analyst", POLICE, ["analyst"])}
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield LiveServer(url, tokens)
    server.should_exit = True
    thread.join(timeout=10)
    platform.close()


def test_group_chart_renders_filters_and_shows_evidence(
    page: Page, network_server: LiveServer
) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(network_server.url) else None,
    )
    console_errors: list[str] = []  # a CSP refusal (e.g. an injected <style>) shows here
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{network_server.url}/login")
    page.fill("#token", network_server.tokens["analyst"])
    page.click("button[type=submit]")
    page.click("text=Networks")
    expect(page.locator("table.groups tbody tr")).to_have_count(2)
    page.click("table.groups a >> nth=0")
    count = page.locator("#chart-count")
    expect(count).to_contain_text("links shown")
    nodes = int(count.get_attribute("data-nodes") or 0)
    edges = int(count.get_attribute("data-edges") or 0)
    assert nodes >= 3 and edges >= 3
    rendered = page.evaluate("() => window.safeguardChart.nodes().filter(n => n.visible()).length")
    assert rendered == nodes

    page.uncheck("input.filter-kind[value=victim]")
    expect(count).not_to_have_attribute("data-edges", str(edges))
    assert int(count.get_attribute("data-edges") or 0) < edges
    page.check("input.filter-kind[value=victim]")
    expect(count).to_have_attribute("data-edges", str(edges))
    page.fill("#filter-to", "2024-01-31")
    page.dispatch_event("#filter-to", "change")
    expect(count).not_to_have_attribute("data-edges", str(edges))

    page.set_viewport_size({"width": 1280, "height": 1000})
    page.evaluate("() => document.getElementById('chart').scrollIntoView({block: 'start'})")
    box = page.locator("#chart").bounding_box()
    assert box is not None
    position = page.evaluate(
        "() => { const n = window.safeguardChart.nodes('[subtype = \"member\"]')[0];"
        " return n.renderedPosition(); }"
    )
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    expect(page.locator("#evidence li").first).to_contain_text("person P-")
    expect(page.locator("#evidence")).to_contain_text("POLICE-E23000011 · E11 · crime")
    expect(page.locator(".chart-legend")).to_contain_text("suspect and victim")
    assert outside == []
    assert console_errors == []
