"""What every browser test shares: the running demo site, the accounts on it and logging in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "e2e-password-1"  # every role has an account named after it (viewer, registrar, planner, admin...)


@dataclass(frozen=True)
class Site:
    url: str
    people_returned: int
    settlement_code: str
    settlement_name: str
    settlements_placed: int  # those with coordinates
    shots: Path
    database_url: str = ""  # the demo site's database, for tests that add records (e.g. a plan run) before browsing


def log_in(page: Page, site: Site, username: str, then: str = "/") -> None:
    page.goto(f"{site.url}/login?next={then}")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
