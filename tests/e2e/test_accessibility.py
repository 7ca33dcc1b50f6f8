"""Every page, as every role, checked by axe-core for WCAG 2.2 AA in Chromium: zero violations,
no console error (a CSP refusal shows there), and the main journeys done with the keyboard.

`SAFEGUARD_SCREENSHOTS=docs/screenshots pytest tests/e2e/test_accessibility.py` also writes a
screenshot of each page as each role (docs/screenshots/ holds the latest).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from safeguard.accounts.roles import ROLES
from tests.api_world import World, seeded_world
from tests.e2e.conftest import serving

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOTS = os.environ.get("SAFEGUARD_SCREENSHOTS")


@pytest.fixture(scope="module")
def world_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, str]]:
    folder = tmp_path_factory.mktemp("a11y")
    with seeded_world(f"sqlite:///{folder}/s.db") as world, serving(world.platform) as url:
        yield world, url


def signed_in(browser: Browser, url: str, token: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE))  # injected by devtools: the CSP stays strict
    page = context.new_page()
    page.goto(f"{url}/login")
    page.fill("#token", token)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Welcome")
    return page


def axe_violations(page: Page) -> list[dict[str, Any]]:
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def pages_for_role(world: World, page: Page, role: str) -> list[str]:
    menu = page.locator("#navigation a").evaluate_all("links => links.map(a => a.pathname)")
    paths = ["/"] + [p for p in menu if p != "/docs"]
    if role in ("practitioner", "mash"):
        paths += [
            f"/persons/{world.child}",
            f"/children/{world.child_ref or world.child}/chronology",
        ]
    if role == "mash":
        paths += [f"/risk/alerts/{world.alert_id}", "/risk/report?la=E08000018"]
    return paths


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_page_meets_wcag_22_aa(
    browser: Browser, world_server: tuple[World, str], role: str
) -> None:
    world, url = world_server
    page = signed_in(browser, url, world.tokens[role])
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    found: dict[str, Any] = {}
    for path in pages_for_role(world, page, role):
        response = page.goto(url + path)
        assert response is not None and response.status == 200, (role, path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
        if SHOTS:
            stable = path.replace(world.child_ref or world.child, "child").replace(
                world.child, "child"
            )
            name = re.sub(r"[^a-z0-9]+", "-", f"{role}{stable}".lower()).strip("-")
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert found == {}, found
    assert errors == []
    page.context.close()


def test_the_sign_in_page_meets_wcag_22_aa_signed_out_and_after_an_error(
    browser: Browser, world_server: tuple[World, str]
) -> None:
    _, url = world_server
    context = browser.new_context()
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(f"{url}/login")
    assert axe_violations(page) == []
    page.fill("#token", "sg_wrong")
    page.click("button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert axe_violations(page) == []
    context.close()


def test_a_mash_practitioner_works_an_alert_with_the_keyboard_alone(
    browser: Browser, world_server: tuple[World, str]
) -> None:
    world, url = world_server
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/login")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.locator(".govuk-skip-link")).to_be_focused()
    page.locator("#token").focus()
    page.keyboard.type(world.tokens["mash"])
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Welcome")
    page.goto(f"{url}/risk/alerts/{world.alert_id}")
    page.locator("#decision-outcome").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Strategy discussion held; plan agreed with police and CSC.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded")
    context.close()


def test_the_checker_itself_finds_a_known_violation(
    browser: Browser, world_server: tuple[World, str]
) -> None:
    """Zero violations above means something only if axe runs and reports: an unlabelled input
    and an image without alternative text must be found."""
    _, url = world_server
    context = browser.new_context()
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(f"{url}/login")
    page.evaluate(
        "() => { const main = document.querySelector('main');"
        " main.insertAdjacentHTML('beforeend', '<input id=bare><img src=/static/favicon.svg>'); }"
    )
    assert {v["id"] for v in axe_violations(page)} >= {"label", "image-alt"}
    context.close()
