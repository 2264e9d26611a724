"""A planner starts a risk run and a sweep from a demo plan's page in a real browser and watches each job's page
follow it to its result (the embedded job worker runs them, Dask spreading the work as from the command line)."""

from __future__ import annotations

import pytest
from browser_support import Site, log_in
from playwright.sync_api import Browser, expect

from homecoming.db import make_engine, unit_of_work
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario

pytestmark = pytest.mark.slow
JOB_TIMEOUT_MS = 240_000  # a safety net on a busy machine, not a timing assertion


@pytest.fixture(scope="module")
def plan_code(site: Site) -> str:
    engine = make_engine(site.database_url)
    with unit_of_work(engine) as session:
        run_plan(session, Scenario(name="jobs", sequencing_seconds=2, allocation_seconds=2), code="jobs-demo")
    engine.dispose()
    return "jobs-demo"


def test_planner_starts_a_risk_run_and_a_sweep_from_the_plan_page_and_watches_them(
    site: Site, browser: Browser, plan_code: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, site, "planner", then=f"/plans/{plan_code}")
    page.get_by_label("Scenarios").fill("400")
    page.get_by_role("button", name="Start a risk run").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Risk run risk-jobs-demo-")
    expect(page.locator("#risk-result")).to_be_visible(timeout=JOB_TIMEOUT_MS)  # the page reloaded itself when done
    page.locator("#risk-result").click()
    expect(page.locator("#risk-run")).to_contain_text("Scenarios: 400")

    page.goto(f"{site.url}/plans/{plan_code}")
    page.get_by_label("Construction crews, e.g.").fill("100, 200")
    page.get_by_label("Time limit of each variant").fill("2")
    page.get_by_role("button", name="Start a sweep").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sweep sweep-")
    expect(page.locator("#sweep-variants tbody tr")).to_have_count(2, timeout=JOB_TIMEOUT_MS)
    expect(page.locator("#sweep-variants tbody tr td:first-child")).to_have_text(["100 crews", "200 crews"])
    page.goto(f"{site.url}/plans/{plan_code}")
    expect(page.locator("#plan-jobs tbody tr")).to_have_count(2)
    page.close()
