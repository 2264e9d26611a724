"""Data entry in a real browser: a bad value is refused next to its field, the fix is saved, the admin sees it."""

from __future__ import annotations

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.slow


def _overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def test_data_entry_corrects_a_settlement_and_the_admin_sees_it_in_the_audit_trail(
    site: Site, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, site, "data_entry")
    page.get_by_role("link", name="Forms", exact=True).click()
    page.get_by_role("link", name="Settlements", exact=True).click()
    page.get_by_label("Code or name contains").fill(site.settlement_code)
    page.keyboard.press("Enter")
    page.locator(f'a[href="/forms/settlements/{site.settlement_code}/edit"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(site.settlement_name)  # the place, not its code
    households = page.get_by_label("Households before displacement")
    households.fill("-5")
    page.get_by_label("Why (optional; kept in the audit trail)").fill("census correction")
    households.press("Enter")  # the keyboard alone submits the form
    expect(page.locator("#f-households_before-problem")).to_have_text("Input should be greater than or equal to 0")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(households).to_have_value("-5")  # what was typed stays
    expect(households).to_be_focused()  # the first field in trouble has the keyboard
    expect(page.get_by_label("Why (optional; kept in the audit trail)")).to_have_value("census correction")
    page.screenshot(path=site.shots / "form.png", full_page=True)
    page.get_by_label("Latitude").focus()
    page.get_by_role("link", name="Households before displacement").click()  # the summary leads to the field
    expect(households).to_be_focused()
    households.fill("1234")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#saved")).to_contain_text(f"Saved: {site.settlement_code}.")
    expect(households).to_have_value("1234")
    page.close()

    admin = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(admin, site, "admin")
    admin.get_by_role("link", name="Audit trail").click()
    admin.get_by_label("Who (user name)").fill("data_entry")
    admin.get_by_role("button", name="Filter").click()
    entry = admin.locator(f'li.entry[data-record="{site.settlement_code}"]').first
    expect(entry).to_contain_text("Why: census correction")
    expect(entry.locator("tr", has_text="households before").locator("td.after")).to_have_text("1,234")  # in words
    admin.screenshot(path=site.shots / "audit.png", full_page=True)
    admin.close()


def test_forms_and_the_audit_page_fit_a_phone_screen(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    log_in(page, site, "admin")
    for path in ("/forms", "/forms/projects/new", "/forms/households/new", "/forms/projects", "/admin/audit"):
        page.goto(f"{site.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert _overflow(page) == 0, path
    page.goto(f"{site.url}/forms/budget-allocations/new")
    page.get_by_label("Code").fill("phone-budget-line")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Source of the money").select_option("state_budget")
    page.get_by_label("Kind of figure").select_option("planned")
    page.locator("#f-amount").fill("-1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-amount-problem")).to_be_visible()
    assert _overflow(page) == 0
    page.screenshot(path=site.shots / "form-phone.png", full_page=True)
    page.close()


def test_a_stale_form_shows_what_changed_meanwhile(site: Site, browser: Browser) -> None:
    mine, theirs = (browser.new_page(viewport={"width": 1280, "height": 900}) for _ in range(2))
    for page in (mine, theirs):
        log_in(page, site, "planner", then="/forms/projects")
    edit = mine.get_by_role("link", name="Correct").first.get_attribute("href")
    assert edit is not None
    for page in (mine, theirs):
        page.goto(f"{site.url}{edit}")
    theirs.get_by_label("Name").fill("Renamed meanwhile")
    theirs.get_by_role("button", name="Save").click()
    expect(theirs.locator("#saved")).to_be_visible()
    mine.get_by_label("Budget amount").fill("123456")
    mine.get_by_role("button", name="Save").click()
    conflict = mine.locator("#conflict")
    expect(conflict).to_contain_text("Someone changed this record after you opened it, so nothing was saved.")
    expect(conflict.locator('td[data-field="name"]')).to_have_text("Renamed meanwhile")
    expect(mine.get_by_label("Budget amount")).to_have_value("123456")
    mine.screenshot(path=site.shots / "form-conflict.png", full_page=True)
    for page in (mine, theirs):
        page.close()
