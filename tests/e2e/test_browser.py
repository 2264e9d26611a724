"""The public dashboard and the registrar's list in a real browser: log in, overview, settlement, map, refusal."""

from __future__ import annotations

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.slow


def test_viewer_logs_in_sees_the_overview_and_opens_a_settlement(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, site, "viewer")
    expect(page.locator(".who")).to_have_text("viewer (viewer)")
    expect(page.locator('[data-figure="people-returned"] .big')).to_have_text(f"{site.people_returned:,}")
    expect(page.locator('[data-figure="people-returned"]')).to_contain_text("of 140,000 targeted")
    page.screenshot(path=site.shots / "overview.png", full_page=True)
    page.get_by_role("link", name=site.settlement_name, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(site.settlement_name)
    expect(page.locator("#households-waiting")).not_to_be_empty()
    page.screenshot(path=site.shots / "settlement.png", full_page=True)
    page.goto(f"{site.url}/map")
    expect(page.locator("path.place")).to_have_count(site.settlements_placed)  # Leaflet: tests/e2e/test_browser_map.py
    page.screenshot(path=site.shots / "map.png", full_page=True)
    page.close()


def test_viewer_is_refused_the_registry_and_the_registrar_is_not(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    log_in(page, site, "viewer")
    response = page.goto(f"{site.url}/registry/{site.settlement_code}")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_role("alert")).to_contain_text("the role viewer may not do this")
    page.screenshot(path=site.shots / "refused.png")
    page.context.clear_cookies()
    log_in(page, site, "registrar", then=f"/registry/{site.settlement_code}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Households registered from {site.settlement_name}")
    assert page.locator("tbody tr").count() > 5
    page.close()


def test_overview_fits_a_phone_screen(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    page.goto(site.url)
    expect(page.locator('[data-figure="people-returned"] .big')).to_have_text(f"{site.people_returned:,}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    page.screenshot(path=site.shots / "overview-phone.png", full_page=True)
    page.goto(f"{site.url}/settlements/{site.settlement_code}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(site.settlement_name)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    page.close()
