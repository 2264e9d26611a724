"""The grievances page in a real browser: filed through the form, followed by its tracking code, the statistics on a
desktop and on a phone in Azerbaijani (screenshots for docs/grievances.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import delete
from sqlalchemy.orm import Session

from homecoming.db import make_engine
from homecoming.grievances import actions
from homecoming.grievances.models import Grievance, GrievanceCategory
from homecoming.grievances.schemas import GrievanceCreate

pytestmark = pytest.mark.slow

FILED = (  # made up for the test: enough complaints about one settlement that some counts are published
    [(GrievanceCategory.COMPLAINT, "settlement")] * 6
    + [(GrievanceCategory.QUESTION, "settlement")] * 5
    + [(GrievanceCategory.SAFETY, "settlement")] * 2
)


def no_sideways_scroll(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


@pytest.fixture
def filed(site: Site) -> Iterator[None]:
    engine = make_engine(site.database_url)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with Session(engine) as session:
        for category, kind in FILED:
            data = GrievanceCreate(about=f"{kind}:{site.settlement_code}", category=category, text="test")
            actions.file_grievance(session, None, data, now=now, service_days={"default": 14})
        session.commit()
    yield
    with Session(engine) as session:
        session.execute(delete(Grievance))
        session.commit()
    engine.dispose()


def test_a_grievance_is_filed_on_the_page_and_followed_by_its_code(site: Site, browser: Browser, filed: None) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{site.url}/grievances")
    page.get_by_label("It is about").select_option("settlement")
    page.get_by_label("Its code").fill(site.settlement_code)
    page.get_by_label("Kind of message").select_option(label="safety")
    page.get_by_label("What happened").fill('Open trench by the school <a href="javascript:alert(1)">x</a>')
    page.get_by_label("How to reach you").fill("050 000 00 00")
    page.get_by_role("button", name="Send").click()
    code = page.locator("#tracking-code").inner_text()
    assert code.startswith("G-") and len(code) == 19
    expect(page.locator("#status")).to_have_text("open")
    assert "050 000" not in page.content() and "Open trench" not in page.content()
    page.goto(f"{site.url}/grievances")
    page.get_by_label("Tracking code").fill(code.lower())
    page.get_by_role("button", name="Look up").click()
    expect(page.locator("#tracking-code")).to_have_text(code)
    page.goto(f"{site.url}/grievances")
    expect(page.locator("#totals")).to_contain_text("14")
    assert no_sideways_scroll(page) == 0
    page.screenshot(path=site.shots / "grievances.png", full_page=True)
    page.close()


def test_the_page_on_a_phone_in_azerbaijani(site: Site, browser: Browser, filed: None) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="az-AZ",
                                  extra_http_headers={"Accept-Language": "az-AZ,az"})  # fmt: skip
    page = context.new_page()
    page.goto(f"{site.url}/grievances")
    expect(page.locator("h1")).to_have_text("Şikayətlər və rəylər")
    assert no_sideways_scroll(page) == 0
    page.screenshot(path=site.shots / "grievances-az-phone.png", full_page=True)
    context.close()


def test_the_staff_queue_answers_one(site: Site, browser: Browser, filed: None) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, site, "admin", then="/grievances/queue")
    expect(page.locator("h1")).to_have_text("Grievances to answer")
    cards = page.locator("article.grievance")
    expect(cards).to_have_count(len(FILED))
    assert no_sideways_scroll(page) == 0
    page.screenshot(path=site.shots / "grievances-queue.png", full_page=False)
    first = cards.first
    code = first.get_attribute("data-grievance")
    first.get_by_label("Answer (published)").fill("Repaired on Monday.")
    first.get_by_role("button", name="Publish the answer").click()
    expect(page.get_by_role("status")).to_have_text("The answer is published.")
    expect(page.locator(f'[data-grievance="{code}"] .state')).to_have_text("answered")
    page.close()
