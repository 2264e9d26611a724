"""Public pages show aggregates with small counts withheld; logging in opens the registrar's page to registrars."""

from __future__ import annotations

import re

from api_support import PASSWORD, Api
from fastapi.routing import APIRoute

from homecoming.accounts.roles import Role
from homecoming.http.deps import public
from homecoming.jobs.worker import Worker
from homecoming.server.app import all_routes
from homecoming.server.docs import rules_of
from plan_support import make_official


def _cell(html: str, table_id: str, row_label: str) -> list[str]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("<tr>") if f">{row_label}</" in r)
    return [cell.replace("&lt;", "<") for cell in re.findall(r'<td class="num">([^<]*)</td>', row)]


def test_overview_shows_returns_houses_and_withholds_small_counts(api: Api) -> None:
    html = api.client.get("/").text
    assert '<p class="big">—</p>' in html  # people returned: the one convoy of 2 families, so withheld too
    assert _cell(html, "houses", "ready") == ["4"]
    assert _cell(html, "waiting", "Aghdam") == ["6", "24"]  # 6 households of 4 people
    assert _cell(html, "waiting", "Fuzuli") == ["<5", "—"]  # 3 households: withheld
    assert "Person 0" not in html


def test_returns_by_settlement_withhold_groups_under_five_families(api: Api) -> None:
    body = {"code": "fuzuli-first", "settlement_code": "fuzuli-v", "event_date": "2025-07-01", "kind": "convoy"}
    body |= {"families": 12, "people": 50}
    made = api.client.post("/api/return-events", json=body, headers=api.as_(Role.REGISTRAR))
    assert made.status_code == 201, made.text
    html = api.client.get("/").text
    assert _cell(html, "returned", "Aghdam-V") == ["<5", "—"]  # 2 families
    assert _cell(html, "returned", "Fuzuli-V") == ["—", "—"]  # withheld beside it: else 14 families - 12 = 2
    assert '<p class="big">14</p>' in html  # the programme's families returned stay published
    assert html.index(">Aghdam-V<") < html.index(">Fuzuli-V<")  # withheld rows are not ranked by their counts


def test_public_totals_pass_the_same_rule(api: Api) -> None:
    progress = api.client.get("/api/returns/progress").json()
    assert progress == {  # the programme's only return is one convoy of 2 families: a small count
        "families_returned": None,
        "people_returned": None,
        "settlements_with_returns": 1,
        "families_target": None,
        "people_target": None,
    }


def test_settlement_page_says_what_is_missing(api: Api) -> None:
    aghdam = api.client.get("/settlements/aghdam-v").text
    assert "hazard area cha-1 (CHA, 12,000 m² left) blocks its housing land" in aghdam
    assert "houses: 4 ready for 6 households waiting (2 more needed)" in aghdam
    assert "school: no completed works serving it (under way: aghdam-school 0%)" in aghdam
    assert 'id="households-waiting">6</strong>' in aghdam
    fuzuli = api.client.get("/settlements/fuzuli-v").text
    assert 'id="households-waiting">fewer than 5</strong>' in fuzuli
    assert "3 households waiting" not in fuzuli
    assert "houses: fewer ready than the households waiting" in fuzuli


def test_login_opens_the_registry_to_registrars_only(api: Api) -> None:
    refused = api.client.get("/registry/aghdam-v", headers={"accept": "text/html"}, follow_redirects=False)
    assert (refused.status_code, refused.headers["location"]) == (303, "/login?next=/registry/aghdam-v")
    wrong = api.client.post("/login", data={"username": "viewer", "password": "nope"})
    assert wrong.status_code == 401
    assert "wrong username or password" in wrong.text
    api.client.post("/login", data={"username": "viewer", "password": PASSWORD})
    as_viewer = api.client.get("/registry/aghdam-v", headers={"accept": "text/html"})
    assert as_viewer.status_code == 403
    assert 'data-code="auth.forbidden"' in as_viewer.text
    api.client.post("/logout")
    api.client.post("/login", data={"username": "registrar", "password": PASSWORD, "next": "/registry/aghdam-v"})
    registry = api.client.get("/registry/aghdam-v")
    assert registry.status_code == 200
    assert "Person 0" in registry.text and "Person 6" not in registry.text


def test_login_never_redirects_off_site(api: Api) -> None:
    response = api.client.post(
        "/login",
        data={"username": "viewer", "password": PASSWORD, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_no_public_route_shows_personal_data(api: Api, job_worker: Worker) -> None:
    """Every public GET route (with the seeded codes filled in) answers without a head-of-household name or phone."""
    app = api.client.app
    fill = {"{code}": "aghdam-v", "{layer}": "settlements", "{number}": "1", "{document}": "1"}
    checked = 0
    for route in all_routes(app.routes):  # type: ignore[attr-defined]
        if not isinstance(route, APIRoute) or "GET" not in (route.methods or ()):
            continue
        if rules_of(route.dependant) != [public]:
            continue
        path = route.path
        for placeholder, value in fill.items():
            path = path.replace(placeholder, value)
        response = api.client.get(path)
        if response.status_code == 404:  # a code of another kind of record (a district, a project, ...)
            continue
        assert response.status_code == 200, path
        assert "Person " not in response.text and "head_name" not in response.text, path
        checked += 1
    assert checked >= 10


def test_overview_shows_the_approved_plan_forecast_beside_the_actuals(api: Api) -> None:
    from sqlalchemy.orm import Session

    from homecoming.planning.run import run_plan
    from homecoming.planning.scenario import Scenario

    assert "There is no official forecast yet" in api.client.get("/").text
    with Session(api.engine) as session:
        run = run_plan(session, Scenario(name="test", sequencing_seconds=2, allocation_seconds=2), code="p-test")
        make_official(session, run, run.created_at)
        session.commit()
    html = api.client.get("/").text
    assert "Forecast: people home per year" in html and "p-test" in html
    forecast = html.split("Forecast: people home per year", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<td>(\d{4})</td><td class="num">([\d,]+)</td><td class="num">([\d,]+)</td>', forecast)
    assert rows and int(rows[-1][2].replace(",", "")) == sum(int(r[1].replace(",", "")) for r in rows)
    aghdam = api.client.get("/settlements/aghdam-v").text
    assert 'id="forecast">Forecast: ready from <strong>' in aghdam and "(approved plan of " in aghdam
