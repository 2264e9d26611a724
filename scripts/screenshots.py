"""Refresh docs/screenshots/ from the demo a new user gets: `homecoming demo` into a temporary database, `homecoming
serve` on it, and Playwright (Debian's Chromium) at 1366 px and 375 px, in English and Azerbaijani.

Usage: python scripts/screenshots.py [docs/screenshots]   (`make screenshots`)
The demo's own accounts (printed by `homecoming demo` in development) log in for the staff pages. The pictures are
PNGs as Chromium writes them, of the page's first screens (at most SCREENS_HIGH viewport heights), so the folder
stays a few megabytes.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
DESKTOP, PHONE = (1366, 800), (375, 740)
SCREENS_HIGH = 3
# (file, page, language, viewport, who: None for the public, else the demo account's role)
SHOTS = (
    ("overview.png", "/", "en", DESKTOP, None),
    ("overview-phone.png", "/", "en", PHONE, None),
    ("overview-az.png", "/", "az", DESKTOP, None),
    ("overview-az-phone.png", "/", "az", PHONE, None),
    ("settlement.png", "/settlements/shushakend", "en", DESKTOP, None),
    ("settlement-az.png", "/settlements/shushakend", "az", DESKTOP, None),
    ("map-desktop.png", "/map", "en", DESKTOP, None),
    ("map-phone.png", "/map", "az", PHONE, None),
    ("plan.png", "/plans/demo", "en", DESKTOP, None),
    ("plan-phone.png", "/plans/demo", "en", PHONE, None),
    ("risk.png", "/plans/demo/risk", "en", DESKTOP, None),
    ("risk-az.png", "/plans/demo/risk", "az", DESKTOP, None),
    ("risk-az-phone.png", "/plans/demo/risk", "az", PHONE, None),
    ("heritage.png", "/heritage", "en", DESKTOP, None),
    ("heritage-site.png", "/heritage/aghdam-imarat-complex", "en", DESKTOP, None),
    ("damage.png", "/damage", "en", DESKTOP, None),
    ("tenders.png", "/tenders", "en", DESKTOP, None),
    ("tender.png", "/tenders/ILL-1", "en", DESKTOP, None),
    ("tender-az-phone.png", "/tenders/ILL-1", "az", PHONE, None),
    ("red-flags.png", "/red-flags", "en", DESKTOP, None),
    ("money.png", "/money", "en", DESKTOP, None),
    ("money-az.png", "/money", "az", DESKTOP, None),
    ("form.png", "/forms/hazard-areas/new", "en", DESKTOP, "mine_action_officer"),
    ("form-phone.png", "/forms/hazard-areas/new", "az", PHONE, "mine_action_officer"),
    ("audit.png", "/admin/audit", "en", DESKTOP, "admin"),
    ("audit-az.png", "/admin/audit", "az", DESKTOP, "admin"),
    ("refused.png", "/registry/shushakend", "en", DESKTOP, "viewer"),
    ("household.png", "/households/SYN-0000001", "en", DESKTOP, "registrar"),
    ("household-az.png", "/households/SYN-0000001", "az", PHONE, "registrar"),
    ("duplicates.png", "/duplicate-candidates", "en", DESKTOP, "registrar"),
    ("mine-accidents-form.png", "/mine-accidents", "en", DESKTOP, "mine_action_officer"),
    ("contract-amendments.png", "/contracts/C-ILL-1", "en", DESKTOP, None),
)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "HOMECOMING_DATABASE_URL": f"sqlite:///{folder}/demo.db", "HOMECOMING_ENVIRONMENT": "dev",
               "HOMECOMING_SECRET_KEY_FILE": f"{folder}/secret.key", "HOMECOMING_FILES_DIR": f"{folder}/files",
               "COLUMNS": "200"}  # fmt: skip
        made = subprocess.run([sys.executable, "-m", "homecoming", "demo"], env=env, check=True, capture_output=True,
                              text=True)  # fmt: skip
        accounts = demo_accounts(made.stdout)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "homecoming", "serve", "--port", str(port)], env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url + "/healthz")
            shoot(url, accounts, out)
        finally:
            server.terminate()
            server.wait(timeout=30)


def demo_accounts(printed: str) -> dict[str, tuple[str, str]]:
    """role -> (username, password) from the table `homecoming demo` prints in development."""
    found = re.findall(r"(demo-[a-z-]+)\s*[│|]\s*([a-z_]+)\s*[│|]\s*(\S+)", printed)
    return {role: (username, password) for username, role, password in found}


def shoot(url: str, accounts: dict[str, tuple[str, str]], out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, path, language, (width, height), who in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": height}, locale=language)
            context.add_cookies([{"name": "homecoming_lang", "value": language, "url": url}])
            page = context.new_page()
            if who is not None:
                _log_in(page, url, *accounts[who])
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            full = page.evaluate("document.documentElement.scrollHeight")
            clip = {"x": 0, "y": 0, "width": width, "height": min(full, height * SCREENS_HIGH)}
            page.screenshot(path=out / name, clip=clip, full_page=True)
            context.close()
            print(f"{name}: {path} ({language}, {width} px)")
        browser.close()


def _log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(address: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(address, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {address}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
