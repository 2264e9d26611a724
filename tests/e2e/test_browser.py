"""The dashboard in a real browser (Debian's Chromium driven by Playwright) against a demo-loaded SQLite database.

The server runs in a thread on a free port. Screenshots go to a temporary folder, or to
$HOMECOMING_SCREENSHOTS (`make screenshots` sets docs/screenshots) to refresh the README's pictures.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.accounts import service as accounts
from homecoming.accounts.models import Role
from homecoming.accounts.schemas import UserCreate
from homecoming.api.app import create_app
from homecoming.config import Settings
from homecoming.db import make_engine
from homecoming.demo import loader
from homecoming.households.models import Household
from homecoming.returns import service as returns
from homecoming.territory.models import Settlement

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "e2e-password-1"
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Site:
    url: str
    people_returned: int
    settlement_code: str
    settlement_name: str
    settlements_placed: int  # those with coordinates
    shots: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'demo.db'}"
    engine = make_engine(url)
    loader.reset_database(engine, force=True)
    with Session(engine) as session:
        loader.load_reference(session)
        loader.load_households(session, loader.PHASE_1)
        for name, role in (("viewer", Role.VIEWER), ("registrar", Role.REGISTRAR)):
            accounts.create_user(session, UserCreate(username=name, password=PASSWORD, role=role))
        session.commit()
        people = returns.progress_summary(session).people_returned
        placed = session.scalar(select(func.count()).where(Settlement.lat.is_not(None), Settlement.lon.is_not(None)))
        code, name = session.execute(
            select(Settlement.code, Settlement.name)
            .join(Household, Household.origin_settlement_id == Settlement.id)
            .group_by(Settlement.code, Settlement.name)
            .order_by(func.count(Household.id).desc())
        ).first()  # type: ignore[misc]
    port = _free_port()
    app = create_app(Settings(database_url=url, secret_key="e2e-secret"), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    shots = Path(os.environ.get("HOMECOMING_SCREENSHOTS") or folder / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    yield Site(f"http://127.0.0.1:{port}", people, code, name, placed or 0, shots)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _log_in(page: Page, site: Site, username: str, then: str = "/") -> None:
    page.goto(f"{site.url}/login?next={then}")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_viewer_logs_in_sees_the_overview_and_opens_a_settlement(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, site, "viewer")
    expect(page.locator(".who")).to_have_text("viewer (viewer)")
    expect(page.locator('[data-figure="people-returned"] .big')).to_have_text(f"{site.people_returned:,}")
    expect(page.locator('[data-figure="people-returned"]')).to_contain_text("of 140,000 targeted")
    page.screenshot(path=site.shots / "overview.png", full_page=True)
    page.get_by_role("link", name=site.settlement_name, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(site.settlement_name)
    expect(page.locator("#households-waiting")).not_to_be_empty()
    page.screenshot(path=site.shots / "settlement.png", full_page=True)
    page.goto(f"{site.url}/map")
    assert page.locator("svg circle.ready, svg circle.not-ready").count() == site.settlements_placed
    page.screenshot(path=site.shots / "map.png", full_page=True)
    page.close()


def test_viewer_is_refused_the_registry_and_the_registrar_is_not(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    _log_in(page, site, "viewer")
    response = page.goto(f"{site.url}/registry/{site.settlement_code}")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_role("alert")).to_contain_text("the role viewer may not do this")
    page.screenshot(path=site.shots / "refused.png")
    page.context.clear_cookies()
    _log_in(page, site, "registrar", then=f"/registry/{site.settlement_code}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Households registered from {site.settlement_name}")
    assert page.locator("tbody tr").count() > 5
    page.close()


def test_overview_fits_a_phone_screen(site: Site, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    page.goto(site.url)
    expect(page.locator('[data-figure="people-returned"] .big')).to_have_text(f"{site.people_returned:,}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    page.screenshot(path=site.shots / "overview-phone.png", full_page=True)
    page.goto(f"{site.url}/settlements/{site.settlement_code}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(site.settlement_name)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    page.close()
