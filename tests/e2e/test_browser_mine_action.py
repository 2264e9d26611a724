"""The mine-action pages in a real browser at 1366 and 375 px: the public casualty figures (the demo's sourced
national figures), an officer's accident page with its victims, and a hazard area's page with its operator and a
failed inspection. The accident, hazard area and inspection are test data made up here (not facts), removed after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.db import make_engine
from homecoming.mine_action import actions
from homecoming.mine_action.models import HazardArea, LandReleaseActivity, MineAccident, QualityInspection
from homecoming.mine_action.schemas import AccidentCreate, ActivityCreate, HazardAreaCreate, InspectionCreate

pytestmark = pytest.mark.slow
TEST_SOURCE = "https://example.org/illustrative-test-data-not-a-fact"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture
def test_records(site: Site) -> Iterator[None]:
    engine = make_engine(site.database_url)
    with Session(engine) as session:
        officer = session.scalars(select(User).where(User.username == "mine_action_officer")).one()
        area = HazardAreaCreate(code="test-cha", classification="CHA", estimated_area_m2=48_000,
                                blocks_settlement_code="aghdam", source_url=TEST_SOURCE)  # fmt: skip
        actions.create_hazard_area(session, officer, area)
        work = ActivityCreate(code="test-clearance", kind="clearance", status="completed", start_date="2025-04-01",
                              end_date="2025-08-31", cleared_m2=48_000, operator_code="az-defence")  # fmt: skip
        actions.record_release(session, officer, "test-cha", work)
        check = InspectionCreate(code="test-qc", kind="quality_control", inspected_on="2025-09-15",
                                 inspector_code="anama", result="failed",
                                 findings="Fragments in 3 of 60 sample lanes; lanes 12-14 to clear again")  # fmt: skip
        actions.record_inspection(session, officer, "test-clearance", check)
        victims = [
            {"kind": "civilian", "outcome": "injured", "age_group": "adult", "sex": "male", "name": "Test Person One",
             "birth_date": "1971-03-02", "note": "made-up test record"},
            {"kind": "civilian", "outcome": "killed", "age_group": "child", "sex": "male", "name": "Test Person Two"},
        ]  # fmt: skip
        accident = AccidentCreate(code="test-accident", occurred_on="2025-06-14", settlement_code="aghdam",
                                  device_type="at_mine", activity="farming", hazard_area_code="test-cha",
                                  description="Made-up test record: a tractor hit an anti-vehicle mine",
                                  victims=victims)  # fmt: skip
        actions.record_accident(session, officer, accident, now=dt.datetime(2025, 7, 1))
        session.commit()
    yield
    with Session(engine) as session:
        session.execute(delete(MineAccident).where(MineAccident.code == "test-accident"))
        session.execute(delete(QualityInspection).where(QualityInspection.code == "test-qc"))
        session.execute(delete(LandReleaseActivity).where(LandReleaseActivity.code == "test-clearance"))
        session.execute(delete(HazardArea).where(HazardArea.code == "test-cha"))
        session.commit()
    engine.dispose()


def _fits(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


@pytest.mark.parametrize("shape", list(WIDTHS))
def test_the_public_casualty_figures_show_their_sources(site: Site, browser: Browser, shape: str) -> None:
    page = browser.new_page(viewport=WIDTHS[shape], is_mobile=shape == "phone")
    page.goto(f"{site.url}/mine-action")
    reported = page.locator("#reported tbody tr")
    expect(reported).to_have_count(2)
    expect(reported.nth(1)).to_contain_text("377")
    expect(page.locator("#reported a").first).to_have_attribute("href", "https://menafn.com/1107102978")
    assert _fits(page) == 0
    page.screenshot(path=site.shots / f"mine-action-{shape}.png", full_page=True)
    page.close()


@pytest.mark.parametrize("shape", list(WIDTHS))
def test_an_officer_reads_an_accident_and_a_hazard_areas_failed_inspection(
    site: Site, browser: Browser, test_records: None, shape: str
) -> None:
    page = browser.new_page(viewport=WIDTHS[shape], is_mobile=shape == "phone")
    log_in(page, site, "mine_action_officer")
    page.goto(f"{site.url}/mine-accidents/test-accident")
    expect(page.locator("#victims tbody tr")).to_have_count(2)
    expect(page.locator("#victims")).to_contain_text("Test Person One")
    assert _fits(page) == 0
    page.screenshot(path=site.shots / f"mine-accident-{shape}.png", full_page=True)
    page.goto(f"{site.url}/hazard-areas/test-cha")
    expect(page.locator("#failed-test-clearance")).to_contain_text("does not count as released")
    expect(page.locator("#inspections")).to_contain_text("failed")
    expect(page.locator("#remaining")).to_contain_text("48,000")
    assert _fits(page) == 0
    page.screenshot(path=site.shots / f"hazard-area-{shape}.png", full_page=True)
    page.goto(f"{site.url}/mine-action")
    expect(page.locator("#recorded tfoot")).to_contain_text("2")  # an officer reads exact counts
    page.close()
    clerk = browser.new_page(viewport=WIDTHS[shape], is_mobile=shape == "phone")
    log_in(clerk, site, "viewer")
    clerk.goto(f"{site.url}/mine-accidents/test-accident")
    expect(clerk.locator("#withheld")).to_be_visible()
    assert "Test Person" not in clerk.content()
    clerk.close()
