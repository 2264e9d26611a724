"""Issue 22 in a real browser: the tender page's standstill and complaint decision, the contract page's
amendments, as the public reads them; screenshots of both."""

from __future__ import annotations

import pytest
from browser_support import Site
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.slow


def test_the_public_reads_a_complaint_decision_and_a_contracts_amendments(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site.url}/tenders/EX-1")
    expect(page.locator("#standstill")).to_contain_text("Standstill until 2025-04-10 10:00 UTC")
    complaint = page.locator('#complaints tr[data-complaint="EX-1-C1"]')
    expect(complaint).to_contain_text("rejected")
    expect(complaint).to_contain_text("the certificates are in the qualification file")
    expect(page.locator("#complaints")).not_to_contain_text("not finished")  # the grounds are the company's
    page.locator("#award").scroll_into_view_if_needed()
    page.screenshot(path=site.shots / "tender-complaints.png", full_page=True)
    page.goto(f"{site.url}/contracts/C-EX-1")
    expect(page.locator("#variation")).to_have_text(
        "Value 455,000.00 → 455,000.00 AZN; completion 2025-09-01 → 2025-11-01."
    )
    expect(page.locator('#amendments tr[data-amendment="2"]')).to_contain_text("480,000.00")
    expect(page.locator('#amendments tr[data-amendment="2"]')).to_contain_text("not yet")
    expect(page.locator("#amendments")).not_to_contain_text("planner")  # who approved: staff only
    page.screenshot(path=site.shots / "contract-amendments.png", full_page=True)
    page.close()
