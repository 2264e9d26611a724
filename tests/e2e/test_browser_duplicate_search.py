"""The duplicate search and a merge in a real browser: a registrar starts the search with the review page's button,
follows its job page to the result, decides a pair to be the same person and reads the household it left empty on
the review list, in English and in Azerbaijani."""

from __future__ import annotations

import datetime as dt

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from homecoming.accounts.models import User
from homecoming.db import make_engine, unit_of_work
from homecoming.households import actions
from homecoming.households.models import Household, Sex
from homecoming.households.schemas import MemberCreate
from homecoming.territory.models import Settlement

pytestmark = pytest.mark.slow
NOW = dt.datetime(2026, 12, 2, 9, 0)
JOB_TIMEOUT_MS = 240_000  # a safety net on a busy machine, not a timing assertion
TURAL = MemberCreate(given_name="Tural", family_name="Nəsirov", birth_date=dt.date(1979, 8, 14), sex=Sex.MALE,
                     document_type="idp_card", document_number="IDP-77120")  # fmt: skip
AGAIN = TURAL.model_copy(update={"given_name": "Турал", "family_name": "Насиров", "document_type": None,
                                 "document_number": None})  # fmt: skip


def test_a_registrar_searches_for_duplicates_from_the_page_and_merges_a_pair(site: Site, browser: Browser) -> None:
    with unit_of_work(make_engine(site.database_url)) as session:
        registrar = session.scalars(select(User).where(User.username == "registrar")).one()
        first, second = session.scalars(
            select(Household.code).join(Settlement, Settlement.id == Household.origin_settlement_id)
            .where(Settlement.code == site.settlement_code).order_by(Household.code).offset(2).limit(2)
        ).all()  # fmt: skip
        actions.add_member(session, registrar, first, TURAL, now=NOW)
        actions.add_member(session, registrar, second, AGAIN, now=NOW)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, site, "registrar", then="/duplicate-candidates")
    page.get_by_role("button", name="Search the registry for duplicates").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Duplicate search duplicate-search-")
    expect(page.locator("#search-result")).to_be_visible(timeout=JOB_TIMEOUT_MS)  # the page reloaded itself when done
    page.locator("#search-result").click()
    pair = page.locator("#duplicates tbody tr", has_text="Насиров")
    expect(pair).to_contain_text("Nəsirov")
    pair.get_by_placeholder("comment").fill("one man, two registrations")
    pair.get_by_role("button", name="same person").click()
    expect(page.locator("#decided")).to_be_visible()
    expect(page.locator("#household-notes")).to_contain_text(f"{second} has nobody left")
    page.screenshot(path=site.shots / "duplicates-merged.png", full_page=True)
    page.goto(f"{site.url}/households/{first}")
    expect(page.locator("#members")).to_contain_text("IDP-77120")
    page.locator('button[name="language"][value="az"]').click()  # the reader's switch, kept in a cookie
    page.goto(f"{site.url}/duplicate-candidates")
    expect(page.get_by_role("button", name="Reyestrdə təkrarları axtar")).to_be_visible()
    expect(page.locator("#household-notes")).to_contain_text(f"{second} ailəsində heç kim qalmayıb")
    page.screenshot(path=site.shots / "duplicates-merged-az.png", full_page=True)
    page.close()
