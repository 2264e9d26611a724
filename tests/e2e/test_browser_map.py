"""The map in a real browser: Leaflet from this site draws every placed settlement, the layers toggle, the scale
bar shows, nothing breaks the Content-Security-Policy, and it fits a 375 px phone with labels of at least 12 px."""

from __future__ import annotations

import pytest
from browser_support import Site
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.slow
MIN_LABEL_PX = 12


def open_map(page: Page, site: Site) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if "Content Security" in message.text else None)
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.goto(f"{site.url}/map")
    expect(page.locator("#map")).to_have_attribute("data-ready", "true")
    return problems


def smallest_text_px(page: Page, selector: str) -> float:
    return float(
        page.evaluate(
            "(s) => Math.min(...[...document.querySelectorAll(s)].map(e => parseFloat(getComputedStyle(e).fontSize)))",
            selector,
        )
    )


def test_map_draws_the_layers_with_a_legend_toggles_and_a_scale(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    problems = open_map(page, site)
    expect(page.locator("path.place")).to_have_count(site.settlements_placed)
    expect(page.locator(".leaflet-control-scale-line")).to_be_visible()
    expect(page.locator(".leaflet-control-zoom-in")).to_be_visible()
    centres = page.locator(".centre-mark")
    assert centres.count() > 0
    assert smallest_text_px(page, ".district-label, .leaflet-control-scale-line") >= MIN_LABEL_PX
    page.locator("path.place").first.hover()
    expect(page.locator(".leaflet-tooltip-pane .leaflet-tooltip").last).to_be_visible()
    page.screenshot(path=site.shots / "map-desktop.png", full_page=False)
    page.locator('#map-legend input[data-layer="settlements"]').uncheck()
    expect(page.locator("path.place")).to_have_count(0)
    page.locator('#map-legend input[data-layer="settlements"]').check()
    expect(page.locator("path.place")).to_have_count(site.settlements_placed)
    expect(page.locator("#no-boundaries")).to_be_visible()  # the demo imports no district boundary: said so
    assert problems == []  # no script or style refused by the Content-Security-Policy, nothing failed
    page.close()


def test_map_centre_mark_opens_the_towns_page(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    open_map(page, site)
    with page.expect_navigation():
        page.locator(".centre-mark").first.click(position={"x": 2, "y": 2})  # its frame, around the town's own dot
    assert page.url.startswith(f"{site.url}/settlements/")
    page.close()


def test_map_fits_a_phone(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    open_map(page, site)
    expect(page.locator("path.place")).to_have_count(site.settlements_placed)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    assert smallest_text_px(page, ".district-label, .map-legend li, #places td") >= MIN_LABEL_PX
    page.screenshot(path=site.shots / "map-phone.png", full_page=False)
    page.close()


def test_map_page_lists_the_settlements_without_script(site: Site, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{site.url}/map")
    expect(page.locator("#map")).to_be_hidden()
    assert page.locator("#places tbody tr").count() >= site.settlements_placed
    expect(page.get_by_role("heading", name="Not on the map: no coordinates")).to_be_visible()
    context.close()
