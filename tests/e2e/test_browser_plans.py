"""Plan pages in a real browser: a planner starts two plan runs on the demo, watches them finish, reads the Gantt
and compares the two (the Gantt scrolls inside its own box on a phone); a viewer cannot start a run."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.slow
RUN_TIMEOUT_MS = 180_000  # two demo plans on a busy machine; a safety net, not a timing assertion


def start_run(page: Page, site: Site, code: str, **fields: str) -> None:
    page.goto(f"{site.url}/plans")
    page.get_by_label("Scenario name", exact=True).fill(code)
    page.get_by_label("Code of the plan run (optional)").fill(code)
    page.get_by_label("Time limit of each engine", exact=False).fill("1")
    for label, value in fields.items():
        page.get_by_label(label, exact=False).fill(value)
    page.get_by_role("button", name="Start the plan run").click()
    expect(page).to_have_url(f"{site.url}/plans/{code}")


def api(page: Page, site: Site, path: str) -> Any:
    response = page.request.get(f"{site.url}{path}")
    assert response.ok, response.text()
    return response.json()


def test_planner_starts_runs_watches_them_finish_sees_the_gantt_and_compares(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, site, "planner", then="/plans")
    start_run(page, site, "e2e-few-crews", **{"Construction crews": "60"})
    start_run(page, site, "e2e-more-teams", **{"Demining teams": "80"})
    # The second waits for the first (one plan at a time), then runs; its page follows it without a reload by hand.
    expect(page.locator("[data-status]")).to_have_text(re.compile("^(queued|running)$"))
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan e2e-more-teams", timeout=RUN_TIMEOUT_MS)
    run = api(page, site, "/api/plan-runs/e2e-more-teams")
    assert page.locator("svg.gantt g.task").count() == run["tasks"]
    assert page.locator("svg.gantt .ready-line").count() == run["settlements"]
    assert page.locator("#ready-dates tbody tr").count() == run["settlements"]
    expect(page.locator('[data-figure="people-months"] .big')).to_have_text(f"{run['people_months']:,}")
    home = api(page, site, "/api/plan-runs/e2e-more-teams/people-home")
    expect(page.locator("#people-home tbody tr")).to_have_count(len(home))
    page.screenshot(path=site.shots / "plan.png", full_page=True)

    page.goto(f"{site.url}/plans")
    page.get_by_label("First plan run").select_option("e2e-few-crews")
    page.get_by_label("Second plan run").select_option("e2e-more-teams")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plans compared: e2e-few-crews / e2e-more-teams")
    first = api(page, site, "/api/plan-runs/e2e-few-crews")
    difference = run["people_months"] - first["people_months"]
    expect(page.locator('#compare-summary [data-figure="people-months"] td')).to_have_text(
        ["people-months displaced", f"{first['people_months']:,}", f"{run['people_months']:,}", f"{difference:+,}"]
    )
    expect(page.locator("#compare-ready tbody tr")).to_have_count(run["settlements"])
    page.screenshot(path=site.shots / "plan-compare.png", full_page=True)
    page.close()
    gantt_scrolls_in_its_own_box_on_a_phone(site, browser, "e2e-more-teams")


def gantt_scrolls_in_its_own_box_on_a_phone(site: Site, browser: Browser, code: str) -> None:
    phone = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    log_in(phone, site, "planner", then="/plans")  # the list with the form to start a run
    expect(phone.get_by_role("button", name="Start the plan run")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    phone.goto(f"{site.url}/plans/{code}")
    expect(phone.locator("svg.gantt")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    # The chart is wider than the phone: it scrolls inside its box.
    assert phone.locator(".gantt-box").evaluate("box => box.scrollWidth > box.clientWidth")
    phone.locator("#gantt-heading").scroll_into_view_if_needed()
    phone.evaluate("window.scrollBy(0, -60)")
    phone.screenshot(path=site.shots / "plan-phone.png")
    phone.goto(f"{site.url}/plans/compare?a=e2e-few-crews&b={code}")
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    phone.close()


def test_a_viewer_sees_the_plans_but_cannot_start_one(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    log_in(page, site, "viewer", then="/plans")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plans")
    expect(page.get_by_role("button", name="Start the plan run")).to_have_count(0)
    response = page.request.post(f"{site.url}/plans", form={"scenario": "sneaky"}, headers={"accept": "text/html"})
    assert response.status == 403
    page.close()
