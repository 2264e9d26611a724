"""Tenders in a real browser: the public reads a tender, its evaluation and the red flags; a contractor sees only
its own company's bids; the money page draws its charts; everything fits a phone."""

from __future__ import annotations

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.slow


def test_the_public_reads_tenders_an_evaluation_and_the_red_flags(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site.url}/tenders")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tenders")
    expect(page.locator('tr[data-tender="EX-3"] td').nth(5)).to_have_text("sealed")  # bids close in the future
    page.screenshot(path=site.shots / "tenders.png", full_page=True)
    page.get_by_role("link", name="EX-1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Example (test data): village school repairs")
    expect(page.locator("#bids-count")).to_have_text("3")
    winner = page.locator("#evaluation tr.winner")
    expect(winner).to_contain_text("Kur Insaat")  # each company by its name (issue 19)
    expect(page.locator("#evaluation")).to_contain_text("+22,000.00")  # Euro Works is foreign: +5%
    expect(page.locator("#evaluation .flag")).to_have_text("abnormally low")
    expect(page.locator("#award")).to_contain_text("Awarded to Kur Insaat at 455,000.00 AZN")
    page.screenshot(path=site.shots / "tender.png", full_page=True)
    page.get_by_role("link", name="Contract C-EX-1").click()
    expect(page.locator("#milestone-1")).to_contain_text("Paid 200,000.00")
    expect(page.locator("body")).not_to_contain_text("Rahimov")  # the inspector's name is for staff
    page.goto(f"{site.url}/red-flags")
    rows = page.locator("#red-flags tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("R018")
    rows.first.get_by_role("link", name="tenders/EX-2").click()
    expect(page.locator("#bids-count")).to_have_text("1")
    page.goto(f"{site.url}/money")
    assert page.locator("figure.chart svg rect").count() >= 8  # budget figures 2021-2026, committed, paid
    expect(page.locator("#money-by-year")).to_contain_text("455,000")
    page.screenshot(path=site.shots / "money.png", full_page=True)
    page.close()


def test_a_contractor_sees_only_its_own_bids(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    log_in(page, site, "contractor")
    page.get_by_role("link", name="My bids").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My bids")
    rows = page.locator("#my-bids tbody tr")
    expect(rows).to_have_count(2)  # EX-3 (sealed) and EX-1 (opened)
    for bidder in page.locator("#my-bids tbody tr").evaluate_all("rows => rows.map(r => r.dataset.bidder)"):
        assert bidder == "azer-build"
    expect(rows.first).to_contain_text("sealed")
    expect(page.locator("body")).not_to_contain_text("243,500")  # its own price too stays sealed until the opening
    expect(page.locator("body")).not_to_contain_text("kur-insaat")
    expect(page.locator("body")).not_to_contain_text("Kur Insaat")
    page.goto(f"{site.url}/tenders/EX-3")
    expect(page.locator("#own-bid")).to_contain_text("receipt")
    expect(page.locator("#bids-count")).to_have_text("sealed until the deadline")
    response = page.goto(f"{site.url}/api/return-events")
    assert response is not None and response.status == 403
    page.close()


def test_procurement_pages_fit_a_phone_screen(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    for path in ("/tenders", "/tenders/EX-1", "/contracts/C-EX-1", "/red-flags", "/money"):
        page.goto(f"{site.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow == 0, path
    log_in(page, site, "contractor", then="/my/bids")
    expect(page.locator("#my-bids tbody tr")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    page.close()
