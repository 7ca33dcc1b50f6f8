"""The web shell in headless Chromium: sign in, search, person page, submission errors, docs."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer


def sign_in(page: Page, server: LiveServer, who: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("#token", server.tokens[who])
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Welcome")


def test_a_wrong_token_is_refused_with_a_sentence(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/search")
    expect(page).to_have_url(f"{live_server.url}/login?next=%2Fsearch")
    page.fill("#token", "sg_wrong")
    page.click("button[type=submit]")
    expect(page.locator(".govuk-error-summary")).to_contain_text("not valid")
    expect(page.locator(".govuk-error-summary a")).to_have_attribute("href", "#token")


def test_signing_in_from_a_deep_link_lands_on_that_page(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/search?name=hartley")
    page.fill("#token", live_server.tokens["hub"])
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/search?name=hartley")
    expect(page.locator("table.results tbody tr")).to_have_count(1)


def test_search_then_read_a_person(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "hub")
    page.click("text=Search")
    page.fill("#name", "hartley")
    page.click("form.card button")
    expect(page.locator("table.results tbody tr")).to_have_count(1)
    page.click("table.results a")
    expect(page.locator("h1")).to_have_text("Amelia Hartley")
    expect(page.locator(".chronology li")).to_have_count(1)
    expect(page.locator(".chronology")).to_contain_text(
        "Abuse of children through sexual exploitation (71)"
    )


def test_a_bad_file_shows_row_level_errors(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    sign_in(page, live_server, "rms")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "local_id,first_name,surname,dob,sex,ethnicity,nationality\n"
        "X1,Ann,Lee,2011-02-30,F,13,GBR\n"
    )
    page.goto(f"{live_server.url}/submissions/new")
    page.set_input_files("#file", str(bad))
    page.click("form.card button[type=submit]")
    expect(page.locator(".rejected h2")).to_contain_text("nothing was written")
    expect(page.locator("table.row-errors tbody tr")).to_have_count(1)
    expect(page.locator("table.row-errors")).to_contain_text("not a real date")


def test_api_docs_render_without_any_outside_request(page: Page, live_server: LiveServer) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/docs")
    expect(page.locator(".swagger-ui .title")).to_contain_text("safeguard")
    assert outside == []
