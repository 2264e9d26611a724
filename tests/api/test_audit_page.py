"""The admin's audit page: each change with its differences and reason, filters, pages, CSV export; admins only."""

from __future__ import annotations

import datetime as dt
import re

from api_support import PASSWORD, Api
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.territory.models import Settlement

HTML = {"accept": "text/html"}
TODAY = dt.datetime.now(dt.UTC).date()


def log_in(api: Api, role: Role) -> None:
    api.client.post("/logout")
    api.client.post("/login", data={"username": role.value, "password": PASSWORD})


def three_changes(api: Api) -> None:
    """A planner corrects a settlement, a registrar records a return, data entry adds a project."""
    body = {"population_before": 1200, "version": 1, "comment": "census 2009"}
    assert api.client.patch("/api/settlements/aghdam-v", json=body, headers=api.as_(Role.PLANNER)).status_code == 200
    back = {"on": "2025-06-01", "version": 1}
    assert (
        api.client.post("/api/households/hh-01/return", json=back, headers=api.as_(Role.REGISTRAR)).status_code == 200
    )
    project = {"code": "aghdam-power", "name": "Power", "sector": "power", "stage": 1, "settlement_code": "aghdam-v"}
    made = api.client.post("/api/projects?comment=new+line", json=project, headers=api.as_(Role.DATA_ENTRY))
    assert made.status_code == 201


def records_on(html: str) -> list[str]:
    return re.findall(r'<li class="entry" data-record="([^"]+)">', html)


def test_the_page_shows_each_change_with_its_differences_and_reason(api: Api) -> None:
    three_changes(api)
    log_in(api, Role.ADMIN)
    html = api.client.get("/admin/audit").text
    assert records_on(html) == ["aghdam-power", "hh-01", "aghdam-v"]  # newest first
    settlement = html.split('data-record="aghdam-v">', 1)[1].split("</li>", 1)[0]
    assert '<p class="why">Why: census 2009</p>' in settlement
    # issue 19: a field in words, a number as the reader writes it
    assert '<th scope="row">population before</th><td class="before">—</td><td class="after">1,200</td>' in settlement
    assert '<th scope="row">version</th><td class="before">1</td><td class="after">2</td>' in settlement
    assert '<th scope="row">name</th>' not in settlement  # unchanged fields are not shown
    created = html.split('data-record="aghdam-power">', 1)[1].split("</li>", 1)[0]
    assert "<strong>data_entry</strong>" in created and "Why: new line" in created
    assert '<th scope="row">sector</th><td class="before">—</td><td class="after">power</td>' in created
    assert "3 entries; page 1 of 1." in html


def test_filters_by_who_table_record_action_and_days(api: Api) -> None:
    three_changes(api)
    log_in(api, Role.ADMIN)

    def shown(**query: str) -> list[str]:
        return records_on(api.client.get("/admin/audit", params=query).text)

    assert shown(who="registrar") == ["hh-01"]
    assert shown(table="projects") == ["aghdam-power"]
    assert shown(record="aghdam-v") == ["aghdam-v"]
    assert shown(action="update") == ["hh-01", "aghdam-v"]
    assert shown(action="create", who="planner") == []
    assert shown(since=str(TODAY), until=str(TODAY)) == ["aghdam-power", "hh-01", "aghdam-v"]
    assert shown(since=str(TODAY + dt.timedelta(days=1))) == []
    assert shown(until=str(TODAY - dt.timedelta(days=1))) == []
    tables = api.client.get("/admin/audit").text.split('id="table"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]+)"', tables) == ["households", "projects", "settlements"]
    bad = api.client.get("/admin/audit?since=yesterday&action=explode", headers=HTML)
    assert bad.status_code == 422 and 'data-code="audit.bad_filter"' in bad.text


def test_pages_of_25_keep_their_filters(api: Api) -> None:
    with Session(api.engine) as session:
        planner = session.scalars(select(User).where(User.username == "planner")).one()
        settlement = session.scalars(select(Settlement).where(Settlement.code == "fuzuli-v")).one()
        for n in range(30):
            before = audit.snapshot(settlement)
            settlement.population_before = 1000 + n
            session.flush()
            audit.record_change(session, planner, "update", settlement, before=before, comment=f"count {n}")
        session.commit()
    log_in(api, Role.ADMIN)
    first = api.client.get("/admin/audit?who=planner").text
    assert first.count('<li class="entry"') == 25 and "30 entries; page 1 of 2." in first
    assert "Why: count 29" in first and "Why: count 4<" not in first
    older = re.search(r'<a href="(/admin/audit\?[^"]+)" rel="next">', first)
    assert older is not None and older.group(1) == "/admin/audit?who=planner&amp;page=2"
    second = api.client.get("/admin/audit?who=planner&page=2").text
    assert second.count('<li class="entry"') == 5 and "Why: count 0<" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_export_is_the_filtered_trail_as_csv(api: Api) -> None:
    three_changes(api)
    log_in(api, Role.ADMIN)
    page = api.client.get("/admin/audit?table=households").text
    assert 'href="/admin/audit.csv?table=households"' in page
    exported = api.client.get("/admin/audit.csv?table=households")
    assert exported.headers["content-type"].startswith("text/csv")
    header, row = exported.text.splitlines()
    assert header == "at,username,action,table_name,record_code,before,after,comment"
    assert ",registrar,update,households,hh-01," in row
    assert len(api.client.get("/admin/audit.csv").text.splitlines()) == 4


def test_only_admins_read_the_trail(api: Api) -> None:
    three_changes(api)
    anonymous = api.client.get("/admin/audit", headers=HTML, follow_redirects=False)
    assert anonymous.headers["location"] == "/login?next=/admin/audit"
    for role in (Role.PLANNER, Role.REGISTRAR, Role.VIEWER):
        log_in(api, role)
        refused = api.client.get("/admin/audit", headers=HTML)
        assert refused.status_code == 403 and "census 2009" not in refused.text
        assert api.client.get("/admin/audit.csv").status_code == 403
