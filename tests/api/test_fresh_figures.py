"""The overview and list totals are cached, yet never staler than the last committed change, whoever made it:
this app, a second engine on the same database, or another process."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

from api_support import Api

from homecoming.accounts.roles import Role
from homecoming.db import make_engine, unit_of_work
from homecoming.households import service as households
from homecoming.households.schemas import HouseholdCreate
from homecoming.territory import service as territory
from homecoming.territory.schemas import SettlementCreate

SRC = Path(__file__).resolve().parents[2] / "src"


def _waiting(api: Api, district: str, headers: dict[str, str] | None = None) -> list[str]:
    html = api.client.get("/", headers=headers or {}).text
    table = html.split('id="waiting"', 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("<tr>") if f">{district}</" in r)
    return [cell.replace("&lt;", "<") for cell in re.findall(r'<td class="num">([^<]*)</td>', row)]


def _household(code: str, origin: str) -> HouseholdCreate:
    return HouseholdCreate(code=code, origin_settlement_code=origin, head_name=code, size=3, rooms_needed=1,
                           registered_on=dt.date(2024, 1, 1))  # fmt: skip


def test_a_household_registered_through_the_api_counts_on_the_very_next_overview(api: Api) -> None:
    assert _waiting(api, "Fuzuli") == ["<5", "—"]  # 3 households: withheld
    assert _waiting(api, "Fuzuli") == ["<5", "—"]  # the same page again, from the cache
    for code in ("hh-new-1", "hh-new-2"):
        body = _household(code, "fuzuli-v").model_dump(mode="json")
        made = api.client.post("/api/households", json=body, headers=api.as_(Role.REGISTRAR))
        assert made.status_code == 201, made.text
        if code == "hh-new-1":
            assert _waiting(api, "Fuzuli") == ["<5", "—"]  # 4 households: still withheld
    assert _waiting(api, "Fuzuli") == ["5", "15"]  # 5 households of 3 people: shown


def test_a_return_committed_by_a_second_engine_shows_on_the_very_next_overview(api: Api) -> None:
    assert _waiting(api, "Aghdam") == ["6", "24"]
    other = make_engine(api.engine.url.render_as_string(hide_password=False))
    try:
        with unit_of_work(other) as session:
            households.mark_returned(session, "hh-00", dt.date(2025, 6, 1))
    finally:
        other.dispose()
    assert _waiting(api, "Aghdam") == ["5", "20"]


def test_a_return_committed_by_another_process_shows_on_the_very_next_overview(api: Api) -> None:
    assert _waiting(api, "Aghdam") == ["6", "24"]
    script = (
        "import datetime as dt, sys\n"
        "from homecoming.db import make_engine, unit_of_work\n"
        "from homecoming.households import service\n"
        "with unit_of_work(make_engine(sys.argv[1])) as session:\n"
        "    for code in ('hh-01', 'hh-02'):\n"
        "        service.mark_returned(session, code, dt.date(2025, 6, 1))\n"
    )
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    url = api.engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", script, url], check=True, env=env, timeout=120)
    assert _waiting(api, "Aghdam") == ["<5", "—"]  # 4 left: withheld now


def test_a_list_total_follows_a_write_by_a_second_engine(api: Api) -> None:
    def total() -> int:
        page = api.client.get("/api/households?district=aghdam&limit=2", headers=api.as_(Role.REGISTRAR))
        return int(page.json()["total"])

    assert (total(), total()) == (6, 6)
    other = make_engine(api.engine.url.render_as_string(hide_password=False))
    try:
        with unit_of_work(other) as session:
            households.register_household(session, _household("hh-other", "aghdam-v"))
    finally:
        other.dispose()
    assert total() == 7


def test_the_cached_page_keeps_each_readers_language_and_account(api: Api) -> None:
    english = api.client.get("/")
    azerbaijani = api.client.get("/", headers={"accept-language": "az"})
    registrar = api.client.get("/", headers=api.as_(Role.REGISTRAR))
    again = api.client.get("/")
    assert english.headers["content-language"] == again.headers["content-language"] == "en"
    assert azerbaijani.headers["content-language"] == "az"
    assert '<html lang="az">' in azerbaijani.text and '<html lang="en">' in english.text
    assert "registrar (" in registrar.text
    assert "registrar (" not in again.text and again.text == english.text


def test_the_public_settlement_list_follows_a_write_by_a_second_engine(api: Api) -> None:
    def codes() -> list[str]:
        return [item["code"] for item in api.client.get("/api/settlements?sort=code").json()["items"]]

    assert codes() == codes() == ["aghdam-v", "fuzuli-v"]
    other = make_engine(api.engine.url.render_as_string(hide_password=False))
    try:
        with unit_of_work(other) as session:
            territory.create_settlement(
                session, SettlementCreate(code="aghdam-w", name="Aghdam-W", district_code="aghdam", kind="village")
            )
    finally:
        other.dispose()
    assert codes() == ["aghdam-v", "aghdam-w", "fuzuli-v"]
