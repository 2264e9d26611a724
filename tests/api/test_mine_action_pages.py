"""Issue 22, item 4: the mine-action pages (both engines, both languages). The public page shows the reported national
figures with their sources and the recorded victims with small counts withheld; accident pages are for staff, with
names for mine-action officers only; a hazard area's page shows its operators and a failed inspection."""

from __future__ import annotations

import re

from api_support import Api
from sqlalchemy.orm import Session
from test_mine_accidents_api import accident
from test_mine_action_quality_api import cleared, inspection
from test_usecases_people_visibility import log_in

from homecoming.accounts.roles import Role
from homecoming.demo import loader
from homecoming.interchange.importer import import_file


def rows(page: str, table_id: str) -> list[list[str]]:
    body = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    ]


def load_reported(api: Api) -> None:
    with Session(api.engine) as session:
        import_file(session, "mine_action_operators", loader.DATA / "mine_action_operators.csv")
        import_file(session, "mine_casualty_figures", loader.DATA / "mine_casualty_figures.csv")
        session.commit()


def test_the_public_page_shows_the_reported_figures_with_sources_and_withholds_small_recorded_counts(api: Api) -> None:
    load_reported(api)
    small = accident(
        victims=[{"kind": "civilian", "outcome": "killed"}] * 2 + [{"kind": "civilian", "outcome": "injured"}] * 7
    )
    assert (
        api.client.post("/api/mine-accidents", json=small, headers=api.as_(Role.MINE_ACTION_OFFICER)).status_code == 201
    )
    page = api.client.get("/mine-action").text
    assert [r[2:6] for r in rows(page, "reported")] == [["61", "253", "314", ""], ["69", "308", "377", "+63"]]
    assert (
        'href="https://menafn.com/1107102978"' in page and 'href="https://www.azernews.az/nation/230696.html"' in page
    )
    assert rows(page, "recorded") == [["2024", "&lt;5", "—", "9"], ["All years", "&lt;5", "—", "9"]]
    assert "Aliyev" not in page and "Accident records" not in page
    assert "Mine Action Agency of the Republic of Azerbaijan (ANAMA)" in page
    log_in(api, Role.MINE_ACTION_OFFICER)
    officer = api.client.get("/mine-action").text
    assert (
        rows(officer, "recorded") == [["2024", "2", "7", "9"], ["All years", "2", "7", "9"]]
        and "Accident records" in officer
    )


def test_accident_pages_show_names_to_officers_only(api: Api) -> None:
    assert (
        api.client.post("/api/mine-accidents", json=accident(), headers=api.as_(Role.MINE_ACTION_OFFICER)).status_code
        == 201
    )
    assert api.client.get("/mine-accidents").status_code == 401
    assert api.client.get("/mine-accidents/acc-1").status_code == 401
    log_in(api, Role.MINE_ACTION_OFFICER)
    officer = api.client.get("/mine-accidents/acc-1").text
    assert [r[1:3] for r in rows(officer, "victims")] == [
        ["Ali Aliyev", "Feb 1, 1980"],
        ["Leyla Aliyeva", "Jul 9, 2012"],
    ]
    assert "stepped on a mine" in officer
    listed = api.client.get("/mine-accidents").text
    assert rows(listed, "accidents") == [
        ["May 3, 2024", "Aghdam-V, Aghdam", "anti-personnel mine", "farming", "1", "1"]
    ]
    for role in (Role.DATA_ENTRY, Role.VIEWER, Role.PLANNER):
        log_in(api, role)
        for url in ("/mine-accidents/acc-1", "/mine-accidents"):
            page = api.client.get(url)
            assert page.status_code == 200 and "Aliyev" not in page.text and "stepped on" not in page.text
            assert "1980" not in page.text and "shown to mine-action officers only" in page.text
    log_in(api, Role.DATA_ENTRY)
    assert [r[1:] for r in rows(api.client.get("/mine-accidents/acc-1").text, "victims")] == [
        ["adult", "male", "civilian", "injured"],
        ["child (under 18)", "female", "civilian", "killed"],
    ]


def test_the_hazard_area_page_shows_its_operator_and_a_failed_inspection(api: Api) -> None:
    cleared(api)
    failed = inspection("qc-1", "failed", "2025-07-10")
    url = "/api/land-release-activities/clr-1/inspections"
    assert api.client.post(url, json=failed, headers=api.as_(Role.MINE_ACTION_OFFICER)).status_code == 201
    page = api.client.get("/hazard-areas/cha-1").text
    activity = rows(page, "activities")[0]
    assert activity[2] == "SAFE-GROUND (commercial company)"
    assert activity[4] == "12,000"
    assert "does not count as released" in page.split('id="failed-clr-1"', 1)[1].split("</p>", 1)[0]
    inspections = page.split('id="inspections"', 1)[1].split("</ul>", 1)[0]
    assert "quality control (after the work), ANAMA — <strong>failed</strong>" in inspections
    assert 'id="remaining">12,000 m²' in page
    az = api.client.get("/hazard-areas/cha-1", headers={"Accept-Language": "az"}).text
    assert "kommersiya şirkəti" in az and "12.000 m²" in az


def test_the_public_page_reads_in_azerbaijani(api: Api) -> None:
    load_reported(api)
    page = api.client.get("/mine-action", headers={"Accept-Language": "az"}).text
    assert "Mina qurbanları" in page and "Operatorlar" in page
