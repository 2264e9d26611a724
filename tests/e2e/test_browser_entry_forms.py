"""Issue 22's clerk forms in a real browser, in English and Azerbaijani: a registrar adds a person to a household on
its page, and a mine-action officer records an accident on /mine-accidents; a bad date is refused beside its field
in the reader's language with nothing written, and the public page still shows only withheld counts. The records
made here are test data (not facts) and are removed after."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from homecoming.db import make_engine
from homecoming.households.models import Household, HouseholdMember
from homecoming.mine_action.models import MineAccident
from homecoming.territory.models import Settlement

pytestmark = pytest.mark.slow
FUTURE = "2099-06-01"
ACCIDENT = "test-form-accident"  # made-up test record


@pytest.fixture
def household(site: Site) -> Iterator[str]:
    """A household of the site's settlement that no other browser test reads (its figures restored after)."""
    engine = make_engine(site.database_url)
    with Session(engine) as session:
        found = session.execute(
            select(Household.id, Household.code, Household.size, Household.children, Household.elderly)
            .join(Settlement, Settlement.id == Household.origin_settlement_id)
            .where(Settlement.code == site.settlement_code).order_by(Household.code).offset(5).limit(1)
        ).one()  # fmt: skip
    yield found.code
    with Session(engine) as session:
        session.execute(delete(HouseholdMember).where(HouseholdMember.household_id == found.id))
        session.execute(update(Household).where(Household.id == found.id)
                        .values(size=found.size, children=found.children, elderly=found.elderly))  # fmt: skip
        session.commit()
    engine.dispose()


@pytest.fixture
def accident_removed(site: Site) -> Iterator[None]:
    yield
    engine = make_engine(site.database_url)
    with Session(engine) as session:
        session.execute(delete(MineAccident).where(MineAccident.code.like(f"{ACCIDENT}%")))
        session.commit()
    engine.dispose()


def _count(site: Site, query: object) -> int:
    engine = make_engine(site.database_url)
    with Session(engine) as session:
        found = int(session.scalar(query) or 0)  # type: ignore[call-overload]
    engine.dispose()
    return found


def _in_azerbaijani(page: Page, site: Site, path: str) -> None:
    page.locator('button[name="language"][value="az"]').click()  # the reader's switch, kept in a cookie
    page.goto(f"{site.url}{path}")


def _fill_member(page: Page, given: str, born: str) -> None:
    page.locator("#f-given_name").fill(given)
    page.locator("#f-family_name").fill("Həsənova")
    page.locator("#f-birth_date").fill(born)
    page.locator("#f-sex").select_option("female")
    page.locator("#f-document_type").select_option("national_id")
    page.locator("#f-document_number").fill("AZE51200411")
    page.locator('input[name="specific_needs"][value="chronic_illness"]').check()
    page.locator("#member-form button[type=submit]").click()


def test_a_registrar_adds_a_member_on_the_households_page(site: Site, browser: Browser, household: str) -> None:
    members = select(func.count()).select_from(HouseholdMember).join(Household).where(Household.code == household)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, site, "registrar", then=f"/households/{household}")
    _fill_member(page, "Könül", FUTURE)
    expect(page.locator("#f-birth_date-problem")).to_contain_text("after today")
    expect(page.locator("#problems")).to_be_visible()
    expect(page.locator("#f-given_name")).to_have_value("Könül")  # nothing typed is lost
    assert _count(site, members) == 0
    page.locator("#f-birth_date").fill("1966-11-02")
    page.locator("#member-form button[type=submit]").click()
    expect(page.locator("#member-added")).to_be_visible()
    expect(page.locator("#members")).to_contain_text("Könül")
    expect(page.locator("#members")).to_contain_text("chronic illness")
    page.screenshot(path=site.shots / "household-member-form.png", full_page=True)
    _in_azerbaijani(page, site, f"/households/{household}")
    _fill_member(page, "Nərmin", FUTURE)
    expect(page.locator("#f-birth_date-problem")).to_contain_text("doğum tarixi bu gündən sonradır")
    expect(page.locator("#problems")).to_contain_text("Doğum tarixi")
    assert _count(site, members) == 1
    page.screenshot(path=site.shots / "household-member-form-az.png", full_page=True)
    page.locator("#f-birth_date").fill("2011-06-23")
    page.locator("#member-form button[type=submit]").click()
    expect(page.locator("#member-added")).to_be_visible()
    expect(page.locator("#members tbody tr")).to_have_count(2)
    page.get_by_role("button", name=re.compile("2")).filter(has_text="Sil").click()  # take the second off again
    expect(page.locator("#member-removed")).to_be_visible()
    expect(page.locator("#members tbody tr")).to_have_count(1)
    page.close()


def _fill_accident(page: Page, code: str, on: str) -> None:
    page.locator("#f-code").fill(code)
    page.locator("#f-occurred_on").fill(on)
    page.locator("#f-settlement_code").select_option("aghdam")
    page.locator("#f-device_type").select_option("at_mine")
    page.locator("#f-activity").select_option("farming")
    page.locator("#f-victims-0-kind").select_option("civilian")
    page.locator("#f-victims-0-outcome").select_option("injured")
    page.locator("#f-victims-0-age_group").select_option("adult")
    page.locator("#f-victims-0-sex").select_option("female")
    page.locator("#accident-form button[type=submit]").click()


def test_an_officer_records_an_accident_and_the_public_sees_only_withheld_counts(
    site: Site, browser: Browser, accident_removed: None
) -> None:
    recorded = select(func.count()).select_from(MineAccident).where(MineAccident.code.like(f"{ACCIDENT}%"))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, site, "mine_action_officer", then="/mine-accidents")
    _fill_accident(page, ACCIDENT, FUTURE)
    expect(page.locator("#f-occurred_on-problem")).to_contain_text("after today")
    expect(page.locator("#f-victims-0-outcome")).to_have_value("injured")  # nothing typed is lost
    assert _count(site, recorded) == 0
    page.locator("#f-occurred_on").fill("2024-05-20")
    page.locator("#accident-form button[type=submit]").click()
    expect(page.locator("#recorded")).to_be_visible()
    expect(page.locator("#victims tbody tr")).to_have_count(1)
    page.screenshot(path=site.shots / "mine-accident-recorded.png", full_page=True)
    _in_azerbaijani(page, site, "/mine-accidents")
    _fill_accident(page, f"{ACCIDENT}-2", FUTURE)
    expect(page.locator("#f-occurred_on-problem")).to_contain_text("tarix bu gündən sonradır")
    expect(page.locator("#problems")).to_contain_text("Qəzanın tarixi")
    assert _count(site, recorded) == 1
    page.screenshot(path=site.shots / "mine-accident-form-az.png", full_page=True)
    page.close()
    public = browser.new_page(viewport={"width": 1280, "height": 900})
    public.goto(f"{site.url}/mine-action")
    year = public.locator("#recorded tbody tr", has_text="2024")
    expect(year.locator("td").nth(2)).to_have_text("<5")  # one person injured: withheld
    assert ACCIDENT not in public.content() and "/mine-accidents/" not in public.content()
    public.goto(f"{site.url}/mine-accidents/{ACCIDENT}")  # the record itself: log in first
    expect(public.locator("#victims")).to_have_count(0)
    assert "civilian" not in public.content() and "anti-vehicle" not in public.content()
    public.close()
