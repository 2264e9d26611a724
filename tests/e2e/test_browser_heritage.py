"""Heritage list, a site's page and the damage summary in a real browser, on the demo site and a phone screen.

The demo holds the three heritage sites of the reference facts. It holds no damage figure (the reference facts
give none), so the damage test records a few counts of its own, sourced as illustrative test data, and removes
them afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import Site
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import delete
from sqlalchemy.orm import Session

from homecoming.damage import service as damage
from homecoming.damage.models import AssessmentMethod, DamageCount, DamageLevel, ObjectKind
from homecoming.damage.schemas import DamageCountCreate
from homecoming.db import make_engine

pytestmark = pytest.mark.slow

TEST_SOURCE = "https://example.org/illustrative-test-data-not-an-assessment"
COUNTS = (  # settlement, kind, level, quantity: made up for the test, not facts
    ("aghdam", ObjectKind.HOUSE, DamageLevel.DESTROYED, 3),
    ("aghdam", ObjectKind.HOUSE, DamageLevel.SEVERE, 2),
    ("aghdam", ObjectKind.SCHOOL, DamageLevel.PARTIAL, 1),
    ("hadrut", ObjectKind.ROAD_SEGMENT, DamageLevel.PARTIAL, 1.5),
)


def no_sideways_scroll(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


@pytest.fixture
def recorded_damage(site: Site) -> Iterator[None]:
    engine = make_engine(site.database_url)
    with Session(engine) as session:
        for settlement, kind, level, quantity in COUNTS:
            damage.set_count(
                session,
                DamageCountCreate(
                    settlement_code=settlement, kind=kind, level=level, quantity=quantity,
                    method=AssessmentMethod.REPORTED, source_url=TEST_SOURCE,
                ),
            )  # fmt: skip
        session.commit()
    yield
    with Session(engine) as session:
        session.execute(delete(DamageCount).where(DamageCount.source_url == TEST_SOURCE))
        session.commit()
    engine.dispose()


def test_heritage_list_filters_by_keyboard_and_opens_a_site(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{site.url}/heritage")
    rows = page.locator("#heritage tbody tr")
    expect(rows).to_have_count(3)
    for name in ("Imarat complex", "Juma Mosque", "New mosque in Hadrut"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    page.screenshot(path=site.shots / "heritage.png", full_page=True)
    page.get_by_label("Category").focus()
    page.keyboard.press("Tab")  # from the select to the button, by keyboard alone
    page.get_by_label("Category").select_option("mosque")
    page.get_by_role("button", name="Filter").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site.url}/heritage?category=mosque")
    expect(rows).to_have_count(2)
    expect(page.locator("#heritage")).not_to_contain_text("Imarat")
    page.goto(f"{site.url}/heritage")
    page.get_by_role("link", name="Imarat complex", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imarat complex")
    expect(page.locator("#facts")).to_contain_text("palace or residence complex")
    expect(page.locator("#facts")).to_contain_text("Aghdam")
    expect(page.locator("main")).to_contain_text("source: Azernews 2022-04-28")  # a citation with no address
    expect(page.get_by_text("No restoration work is linked to this site in the works registry.")).to_be_visible()
    page.screenshot(path=site.shots / "heritage-site.png", full_page=True)
    page.close()


def test_damage_summary_shows_units_estimate_and_cost_sources(
    site: Site, browser: Browser, recorded_damage: None
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{site.url}/damage")
    rows = page.locator("#damage tbody tr")
    expect(rows).to_have_count(3)  # Aghdam houses, Aghdam schools, Khojavend roads
    # shipped placeholder table: 3 x 60,000 + 2 x 36,000 = 252,000; x 1.1 = 277,200
    expect(rows.nth(0)).to_contain_text("277,200")
    expect(page.locator("#uplift")).to_have_text("10%")
    expect(page.locator("#cost-sources")).to_contain_text("cost table unit_costs.csv")
    expect(page.locator("#cost-sources")).to_contain_text("placeholder figures marked as assumptions")
    expect(page.locator("#damage")).to_contain_text(TEST_SOURCE)
    page.screenshot(path=site.shots / "damage.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 740})
    assert no_sideways_scroll(page) == 0  # the wide table scrolls inside its box
    page.close()


@pytest.mark.parametrize("path", ["/heritage", "/heritage/aghdam-juma-mosque", "/damage"])
def test_heritage_and_damage_pages_fit_a_phone(site: Site, browser: Browser, path: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    page.goto(f"{site.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert no_sideways_scroll(page) == 0
    page.close()
