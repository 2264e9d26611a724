"""The people of a household in a real browser: a registrar reads a household's members and whether it confirmed its
return (in English and Azerbaijani), then decides a pair the duplicate search put on the review list."""

from __future__ import annotations

import datetime as dt

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from homecoming.accounts.models import User
from homecoming.db import make_engine, unit_of_work
from homecoming.households import actions
from homecoming.households.models import ConfirmationMethod, Household, Sex, SpecificNeed
from homecoming.households.schemas import MemberCreate
from homecoming.territory.models import Settlement

pytestmark = pytest.mark.slow
NOW = dt.datetime(2026, 12, 2, 9, 0)
FAMILY = (
    ("Rəşad", "Həsənov", dt.date(1961, 4, 9), Sex.MALE, "AZE40917733", [SpecificNeed.CHRONIC_ILLNESS]),
    ("Könül", "Həsənova", dt.date(1966, 11, 2), Sex.FEMALE, "AZE51200411", []),
    ("Nərmin", "Həsənova", dt.date(2011, 6, 23), Sex.FEMALE, None, [SpecificNeed.DISABILITY]),
)
AGAIN = ("Konul", "Gasanova", dt.date(1966, 2, 11), Sex.FEMALE, None, [])  # day and month swapped, no document


def member(
    given: str, family: str, born: dt.date, sex: Sex, document: str | None, needs: list[SpecificNeed]
) -> MemberCreate:
    return MemberCreate(given_name=given, family_name=family, birth_date=born, sex=sex, specific_needs=needs,
                        document_type="national_id" if document else None, document_number=document)  # fmt: skip


def test_a_registrar_reads_a_households_members_and_decides_a_duplicate(site: Site, browser: Browser) -> None:
    with unit_of_work(make_engine(site.database_url)) as session:
        registrar = session.scalars(select(User).where(User.username == "registrar")).one()
        home, other = session.scalars(
            select(Household.code).join(Settlement, Settlement.id == Household.origin_settlement_id)
            .where(Settlement.code == site.settlement_code).order_by(Household.code).limit(2)
        ).all()  # fmt: skip
        for person in FAMILY:
            actions.add_member(session, registrar, home, member(*person), now=NOW)
        actions.add_member(session, registrar, other, member(*AGAIN), now=NOW)
        version = session.scalars(select(Household.version).where(Household.code == other)).one()
        actions.reconfirm_return(session, registrar, other, False, dt.date(2026, 11, 28), ConfirmationMethod.PHONE,
                                 version=version)  # fmt: skip
        actions.find_duplicates(session, registrar, now=NOW)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, site, "registrar", then=f"/households/{home}")
    expect(page.locator("#members")).to_contain_text("Nərmin")
    expect(page.locator("#members")).to_contain_text("disability")
    expect(page.locator("#confirmation-state")).to_contain_text("Confirmed")
    page.screenshot(path=site.shots / "household.png", full_page=True)
    page.goto(f"{site.url}/households/{other}")
    expect(page.locator("#confirmation-state")).to_contain_text("Not confirmed")
    page.goto(f"{site.url}/duplicate-candidates")
    expect(page.locator("#duplicates")).to_contain_text("Gasanova")
    expect(page.locator("#duplicates")).to_contain_text("day and month swapped")
    page.screenshot(path=site.shots / "duplicates.png", full_page=True)
    page.get_by_role("button", name="same person").first.click()
    expect(page.locator("#decided")).to_be_visible()
    expect(page.locator("#duplicates-empty")).to_be_visible()
    page.goto(f"{site.url}/households/{home}")
    page.locator('button[name="language"][value="az"]').click()  # the reader's switch, kept in a cookie
    page.goto(f"{site.url}/households/{home}")
    expect(page.locator("h1")).to_have_text(f"Ailə {home}")
    expect(page.locator("#members")).to_contain_text("əlillik")
    page.screenshot(path=site.shots / "household-az.png", full_page=True)
