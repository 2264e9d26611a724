"""The demo site every browser test drives (Debian's Chromium through Playwright) and the browser itself.

The server runs in a thread on a free port against a demo-loaded SQLite database, once per test run.
Screenshots go to a temporary folder, or to $HOMECOMING_SCREENSHOTS, to look at; the README's pictures come from
the demo a new user gets (`make screenshots`, scripts/screenshots.py), not from this test site.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import procurement_scenario
import pytest
import uvicorn
from browser_support import CHROMIUM, PASSWORD, Site
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.accounts import service as accounts
from homecoming.accounts.roles import Role
from homecoming.accounts.schemas import UserCreate
from homecoming.config import Settings
from homecoming.db import make_engine
from homecoming.demo import loader
from homecoming.households.models import Household
from homecoming.jobs.worker import start_in_thread
from homecoming.returns import service as returns
from homecoming.server.app import create_app
from homecoming.territory.models import District, Settlement


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'demo.db'}"
    engine = make_engine(url)
    loader.reset_database(engine, force=True)
    with Session(engine) as session:
        loader.load_reference(session)
        loader.load_households(session, loader.PHASE_1)
        code, name, district = session.execute(
            select(Settlement.code, Settlement.name, District.code)
            .join(District, District.id == Settlement.district_id)
            .join(Household, Household.origin_settlement_id == Settlement.id)
            .group_by(Settlement.code, Settlement.name, District.code)
            .order_by(func.count(Household.id).desc())
        ).first()  # type: ignore[misc]
        company = procurement_scenario.load(session)  # example tenders; the contractor account speaks for company
        for role in Role:
            if role != Role.PUBLIC:  # data entry works in the district of the settlement with most households
                account = UserCreate(
                    username=role.value,
                    password=PASSWORD,
                    role=role,
                    district_code=district if role in (Role.DATA_ENTRY, Role.ENUMERATOR) else None,
                    bidder_code=company if role == Role.CONTRACTOR else None,
                )
                accounts.create_user(session, account)
        procurement_scenario.amend(session)  # its variation orders name the accounts that asked and approved
        session.commit()
        people = returns.progress_summary(session).people_returned
        placed = session.scalar(select(func.count()).where(Settlement.lat.is_not(None), Settlement.lon.is_not(None)))
    port = _free_port()
    app = create_app(Settings(database_url=url, secret_key="e2e-secret", files_dir=folder / "files"), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    job_worker, job_thread = start_in_thread(engine, poll_s=0.2)  # as `homecoming serve` embeds one
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    shots = Path(os.environ.get("HOMECOMING_SCREENSHOTS") or folder / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    yield Site(f"http://127.0.0.1:{port}", people, code, name, placed or 0, shots, url)
    server.should_exit = True
    thread.join(timeout=10)
    job_worker.stopping.set()
    job_thread.join(timeout=60)
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()
