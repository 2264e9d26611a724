"""The dashboard in Azerbaijani in a real browser: chosen by the browser's language, switched from the keyboard."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal
from browser_support import Site
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.slow


def test_azerbaijani_browser_gets_azerbaijani_pages_and_can_switch(site: Site, browser: Browser) -> None:
    context = browser.new_context(locale="az-AZ", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site.url)
    expect(page.locator("html")).to_have_attribute("lang", "az")
    expect(page.get_by_role("heading", level=1)).to_have_text("Proqramın icmalı")
    people = format_decimal(site.people_returned, locale="az")
    expect(page.locator('[data-figure="people-returned"] .big')).to_have_text(people)
    expect(page.locator('[data-figure="people-returned"]')).to_contain_text("hədəf: 140.000")
    page.screenshot(path=site.shots / "overview-az.png", full_page=True)

    page.goto(f"{site.url}/settlements/{site.settlement_code}")
    expect(page.locator("h1 span[lang=en]")).to_have_text(site.settlement_name)  # Azerbaijani spelling first
    page.screenshot(path=site.shots / "settlement-az.png", full_page=True)

    english = page.get_by_role("button", name="English")
    english.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{site.url}/settlements/{site.settlement_code}"  # back where the reader was
    page.goto(site.url)  # the switch is remembered: it wins over the browser's Azerbaijani
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme overview")
    page.get_by_role("button", name="Azərbaycan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proqramın icmalı")
    context.close()


def test_azerbaijani_pages_fit_a_phone_screen(site: Site, browser: Browser) -> None:
    context = browser.new_context(locale="az-AZ", viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    for path in ("/", f"/settlements/{site.settlement_code}", "/map", "/login"):
        page.goto(site.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "az")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert (path, overflow) == (path, 0)
    page.goto(site.url)
    page.screenshot(path=site.shots / "overview-az-phone.png", full_page=True)
    context.close()
