"""The risk page of a demo plan in a real browser, on a desktop and on a 375 px phone."""

from __future__ import annotations

import datetime as dt

import pytest
from browser_support import Site
from playwright.sync_api import Browser, expect

from homecoming.db import make_engine, unit_of_work
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario
from homecoming.risk import service

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plan_code(site: Site) -> str:
    engine = make_engine(site.database_url)
    with unit_of_work(engine) as session:
        plan = run_plan(session, Scenario(name="risk", sequencing_seconds=3, allocation_seconds=3), code="risk-demo")
        service.run_risk(session, plan, scenarios=400, seed=1, by=dt.date(2029, 1, 1), chunk=200)
    engine.dispose()
    return "risk-demo"


def test_the_public_sees_the_bands_and_the_works_to_watch(site: Site, browser: Browser, plan_code: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site.url}/plans/{plan_code}")
    page.locator("#risk-link").click()  # the plan page leads to its risk run
    expect(page.get_by_role("heading", level=1)).to_contain_text("How sure is the plan?")
    expect(page.locator("#risk-run")).to_contain_text("Scenarios: 400")
    assert page.locator("#tornado rect.crit").count() > 0
    assert page.locator("#settlements tbody tr").count() > 10
    expect(page.locator("#settlements thead")).to_contain_text("ready by 2029-01")
    page.screenshot(path=site.shots / "risk.png", full_page=True)
    page.close()


def test_the_risk_page_fits_a_phone_screen(site: Site, browser: Browser, plan_code: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(f"{site.url}/plans/{plan_code}/risk")
    expect(page.get_by_role("heading", name="Works to watch")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()
