"""Issue 16, item 3 in a real browser: under the strict Content-Security-Policy every main page works (the map
draws, the bars show, the plan form submits and its progress page follows the run by script) and the browser
reports no violation; an injected inline script does not run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

pytestmark = pytest.mark.slow
RUN_TIMEOUT_MS = 180_000  # a demo plan on a busy machine; a safety net, not a timing assertion


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page, and every violation of the policy and script error the browser reports while it is used."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    complaints: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:  # Chromium's words for a violation (a 404 favicon is no concern)
            complaints.append(message.text)

    page.on("console", listen)
    page.on("pageerror", lambda error: complaints.append(str(error)))
    yield page, complaints
    page.close()


def test_the_main_pages_work_under_the_policy(site: Site, watched: tuple[Page, list[str]]) -> None:
    page, complaints = watched
    page.goto(site.url)
    expect(page.locator('[data-figure="people-returned"] svg.bar rect')).to_be_visible()
    page.goto(f"{site.url}/map")
    expect(page.locator("path.place")).to_have_count(site.settlements_placed)  # Leaflet, from this site
    page.goto(f"{site.url}/settlements/{site.settlement_code}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(site.settlement_name)
    log_in(page, site, "planner", then="/plans")  # the login form posts under form-action 'self'
    expect(page.get_by_role("heading", level=1)).to_have_text("Plans")
    page.get_by_label("Scenario name", exact=True).fill("csp")
    page.get_by_label("Code of the plan run (optional)").fill("e2e-csp")
    page.get_by_label("Time limit of each engine", exact=False).fill("1")
    page.get_by_role("button", name="Start the plan run").click()  # the form carries its CSRF token
    expect(page).to_have_url(f"{site.url}/plans/e2e-csp")
    # plans.js (a static file, the only script) polls the run and reloads the page when it is done
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan e2e-csp", timeout=RUN_TIMEOUT_MS)
    expect(page.locator("svg.gantt g.task").first).to_be_visible()
    expect(page.locator("#people-home svg.bar rect").first).to_be_attached()
    page.context.clear_cookies()
    log_in(page, site, "data_entry", then="/forms")
    page.locator("ul.links a").first.click()
    expect(page.locator("form input[name=csrf_token]")).to_be_attached()
    assert complaints == []


def test_an_injected_inline_script_does_not_run(site: Site, watched: tuple[Page, list[str]]) -> None:
    page, complaints = watched
    page.goto(f"{site.url}/settlements/{site.settlement_code}")
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = 'ran'";
            document.body.append(script);  // without the policy, an inline script runs as it is inserted
            return window.injected || "blocked";
        }"""
    )
    assert ran == "blocked"
    assert any("Content Security Policy" in text for text in complaints)
