"""Data-entry forms hold the API's rules: each saves a good entry with its reason in the audit trail, refuses a bad
field next to the field (keeping what was typed, writing nothing), refuses the wrong role or district, catches a
stale version, and refuses a post without the session's CSRF token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from api_support import PASSWORD, Api
from fastapi.routing import APIRoute

from homecoming.accounts.roles import Role
from homecoming.http.deps import Requires
from homecoming.server.app import all_routes
from homecoming.server.docs import rules_of
from homecoming.web.form_specs import FORMS

HTML = {"accept": "text/html"}


def log_in(api: Api, role: Role) -> None:
    api.client.post("/logout")
    answer = api.client.post("/login", data={"username": role.value, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303


def open_form(api: Api, path: str) -> str:
    page = api.client.get(f"/forms/{path}", headers=HTML)
    assert page.status_code == 200, page.text
    return page.text


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def submit(api: Api, path: str, fields: dict[str, Any], csrf: bool = True) -> Any:
    html = open_form(api, path)
    data = {k: str(v) for k, v in fields.items()}
    if csrf:
        data["csrf_token"] = csrf_of(html)
    return api.client.post(f"/forms/{path}", data=data, headers=HTML, follow_redirects=False)


def trail(api: Api, **query: str) -> list[dict[str, Any]]:
    answer = api.client.get("/api/audit", params=query, headers=api.as_(Role.ADMIN))
    return list(answer.json()["items"])


def problem_of(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-problem" id="f-{field}-problem">([^<]*)</p>', html)
    assert found is not None, f"no problem shown next to {field}"
    return found.group(1)


GOOD = [
    (Role.DATA_ENTRY, "projects/new", "aghdam-power",
     {"code": "aghdam-power", "name": "Power line", "sector": "power", "stage": 1, "status": "planned",
      "settlement_code": "aghdam-v", "budget_currency": "AZN"}),
    (Role.PLANNER, "projects/aghdam-school/edit", "aghdam-school",
     {"name": "Aghdam school", "stage": 2, "status": "planned", "budget_amount": 2100000, "budget_currency": "AZN",
      "version": 1}),
    (Role.DATA_ENTRY, "projects/aghdam-water/progress", "aghdam-water",
     {"progress_pct": 40, "on": "2025-06-01", "version": 1}),
    (Role.DATA_ENTRY, "settlements/new", "aghdam-new",
     {"code": "aghdam-new", "name": "New village", "district_code": "aghdam", "kind": "village"}),
    (Role.DATA_ENTRY, "settlements/aghdam-v/edit", "aghdam-v",
     {"name": "Aghdam-V", "lat": 40.0, "lon": 46.9, "households_before": 310, "version": 1}),
    (Role.MINE_ACTION_OFFICER, "hazard-areas/new", "sha-2",
     {"code": "sha-2", "classification": "SHA", "estimated_area_m2": 5000, "contamination_type": "unknown",
      "blocked_land_use": "housing", "casualty_risk": "on", "blocks_settlement_code": "fuzuli-v"}),
    (Role.MINE_ACTION_OFFICER, "hazard-areas/cha-1/release", "clear-1",
     {"code": "clear-1", "kind": "clearance", "status": "completed", "cleared_m2": 2000, "items_found": 3,
      "items_destroyed": 3}),
    (Role.DATA_ENTRY, "return-events/new", "aghdam-second",
     {"code": "aghdam-second", "settlement_code": "aghdam-v", "event_date": "2025-07-01", "date_precision": "day",
      "kind": "convoy", "families": 3, "people": 12}),
    (Role.PROCUREMENT_OFFICER, "budget-allocations/new", "budget-2025",
     {"code": "budget-2025", "year": 2025, "source_kind": "state_budget", "figure_kind": "allocated",
      "amount": 1000000, "currency": "USD", "rate_to_azn": 1.7}),
    (Role.REGISTRAR, "households/new", "hh-new",
     {"code": "hh-new", "origin_settlement_code": "fuzuli-v", "head_name": "New Person", "size": 3, "children": 1,
      "rooms_needed": 2, "consent_to_return": "on", "consent_date": "2025-01-02", "registered_on": "2024-12-01"}),
    (Role.REGISTRAR, "households/hh-01/return", "hh-01", {"on": "2025-06-01", "version": 1}),
]  # fmt: skip


@pytest.mark.parametrize(("role", "path", "code", "fields"), GOOD, ids=[case[1] for case in GOOD])
def test_each_form_saves_a_good_entry_with_its_reason_in_the_audit_trail(
    api: Api, role: Role, path: str, code: str, fields: dict[str, Any]
) -> None:
    log_in(api, role)
    saved = submit(api, path, {**fields, "comment": f"why: {path}"})
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"].endswith(f"?saved={code}")
    page = api.client.get(saved.headers["location"], headers=HTML).text
    assert f"Saved: {code}." in page
    entries = trail(api, record=code)
    assert entries and entries[0]["username"] == role.value and entries[0]["comment"] == f"why: {path}"


def test_saved_values_are_the_ones_typed(api: Api) -> None:
    log_in(api, Role.PLANNER)
    fields = {"name": "Aghdam school", "stage": 2, "status": "planned", "budget_amount": 2100000, "version": 1}
    assert submit(api, "projects/aghdam-school/edit", fields).status_code == 303
    project = api.client.get("/api/projects/aghdam-school").json()
    assert (project["name"], project["stage"], project["budget_amount"], project["version"]) == (
        "Aghdam school", 2, 2100000.0, 2,
    )  # fmt: skip
    assert project["budget_currency"] is None  # an emptied box empties the field: the form shows the whole record
    change = trail(api, record="aghdam-school")[0]
    assert (change["before"]["name"], change["after"]["name"]) == ("aghdam-school", "Aghdam school")


def test_a_bad_field_is_shown_next_to_it_what_was_typed_stays_and_nothing_is_written(api: Api) -> None:
    log_in(api, Role.DATA_ENTRY)
    fields = {
        "code": "aghdam-gas",
        "name": "Gas main typed",
        "sector": "gas",
        "stage": 9,
        "settlement_code": "aghdam-v",
    }
    refused = submit(api, "projects/new", {**fields, "planned_start": "2026-05-01", "planned_end": "2026-01-01"})
    assert refused.status_code == 422
    assert problem_of(refused.text, "stage") == "Input should be less than or equal to 4"
    assert 'id="f-stage" name="stage" type="number" value="9" autofocus' in refused.text
    assert refused.text.count("autofocus") == 1
    assert 'value="Gas main typed"' in refused.text and 'value="2026-05-01"' in refused.text
    assert 'aria-invalid="true" aria-describedby="f-stage-problem"' in refused.text
    assert "Nothing was saved" in refused.text
    assert api.client.get("/api/projects/aghdam-gas").status_code == 404
    # the whole-record rule of the schema (the same as the API's) lands next to the field it names
    dates = submit(
        api, "projects/new", {**fields, "stage": 1, "planned_start": "2026-05-01", "planned_end": "2026-01-01"}
    )
    assert problem_of(dates.text, "planned_end") == "planned_end is before planned_start"
    assert trail(api) == []


def test_a_service_refusal_lands_next_to_its_field_and_rolls_back(api: Api) -> None:
    log_in(api, Role.MINE_ACTION_OFFICER)
    area = {"code": "cha-1", "classification": "SHA", "estimated_area_m2": 10, "contamination_type": "unknown"}
    taken = submit(api, "hazard-areas/new", {**area, "blocked_land_use": "housing"})
    assert taken.status_code == 409
    assert problem_of(taken.text, "code") == "a hazard area with code &#39;cha-1&#39; exists already"
    wrong_kind = submit(api, "hazard-areas/cha-1/release", {"code": "nts-1", "kind": "non_technical_survey",
                                                             "status": "completed", "cancelled_m2": 500})  # fmt: skip
    assert wrong_kind.status_code == 422
    assert "confirmed hazardous area" in wrong_kind.text
    assert api.client.get("/api/hazard-areas/cha-1").json()["remaining_area_m2"] == 12000
    log_in(api, Role.PROCUREMENT_OFFICER)
    azn = submit(api, "budget-allocations/new", {"code": "b-1", "year": 2025, "source_kind": "donor",
                 "figure_kind": "spent", "amount": 5, "currency": "azn", "rate_to_azn": 1})  # fmt: skip
    assert problem_of(azn.text, "currency") == "String should match pattern &#39;^[A-Z]{3}$&#39;"
    assert trail(api) == []


def test_a_too_long_reason_is_refused_next_to_it(api: Api) -> None:
    log_in(api, Role.REGISTRAR)
    refused = submit(api, "households/hh-03/return", {"on": "2025-06-01", "version": 1, "comment": "x" * 1001})
    assert refused.status_code == 422
    assert problem_of(refused.text, "comment") == "String should have at most 1000 characters"
    assert api.client.get("/api/households/hh-03", headers=api.as_(Role.REGISTRAR)).json()["returned_on"] is None


def test_a_number_too_large_for_the_database_is_refused_on_the_page(api: Api) -> None:
    log_in(api, Role.PLANNER)
    fields = {"name": "Aghdam-V", "households_before": 10**20, "version": 1}
    refused = submit(api, "settlements/aghdam-v/edit", fields)
    assert refused.status_code == 422
    # refused by the field's bound (homecoming.db.types.FAMILIES) before the database ever sees it
    assert problem_of(refused.text, "households_before") == "Input should be less than or equal to 1000000"
    assert f'value="{10**20}"' in refused.text
    assert api.client.get("/api/settlements/aghdam-v").json()["version"] == 1
    assert trail(api) == []


def test_wrong_role_or_district_is_refused_and_nothing_is_written(api: Api) -> None:
    log_in(api, Role.VIEWER)
    assert api.client.get("/forms", headers=HTML).status_code == 403
    assert api.client.get("/forms/projects/new", headers=HTML).status_code == 403
    log_in(api, Role.PLANNER)
    assert api.client.get("/forms/households/new", headers=HTML).status_code == 403
    log_in(api, Role.DATA_ENTRY)
    other = {"code": "fuzuli-power", "name": "Power", "sector": "power", "stage": 1, "settlement_code": "fuzuli-v"}
    refused = submit(api, "projects/new", other)
    assert refused.status_code == 403 and 'data-code="auth.other_district"' in refused.text
    assert api.client.get("/api/projects/fuzuli-power").status_code == 404
    edit = api.client.get("/forms/projects/fuzuli-road/edit", headers=HTML)
    assert edit.status_code == 403 and 'data-code="auth.other_district"' in edit.text
    html = open_form(api, "projects/new")
    stolen = {"name": "x", "stage": 1, "status": "planned", "version": 1, "csrf_token": csrf_of(html)}
    assert api.client.post("/forms/settlements/fuzuli-v/edit", data=stolen, headers=HTML).status_code == 403
    assert api.client.get("/forms/households/new", headers=HTML).status_code == 403
    assert api.client.get("/forms/budget-allocations/new", headers=HTML).status_code == 403
    assert api.client.get("/forms/households", headers=HTML).status_code == 403
    assert trail(api) == []
    api.client.post("/logout")
    anonymous = api.client.get("/forms/projects/new", headers=HTML, follow_redirects=False)
    assert anonymous.headers["location"] == "/login?next=/forms/projects/new"


def test_a_stale_form_shows_the_current_record_and_overwrites_nothing(api: Api) -> None:
    log_in(api, Role.PLANNER)
    html = open_form(api, "projects/fuzuli-road/edit")
    assert 'name="version" value="1"' in html
    meanwhile = {"name": "Fuzuli ring road", "version": 1, "comment": "renamed by a script"}
    assert (
        api.client.patch("/api/projects/fuzuli-road", json=meanwhile, headers=api.as_(Role.PLANNER)).status_code == 200
    )
    mine = {"name": "Fuzuli road (mine)", "stage": 1, "status": "planned", "budget_amount": 9000000, "version": 1}
    stale = api.client.post(
        "/forms/projects/fuzuli-road/edit", data={**mine, "csrf_token": csrf_of(html)}, headers=HTML
    )
    assert stale.status_code == 409
    assert "Someone changed this record after you opened it" in stale.text
    assert '<td data-field="name">Fuzuli ring road</td>' in stale.text
    assert 'value="Fuzuli road (mine)"' in stale.text  # what was typed is kept
    assert api.client.get("/api/projects/fuzuli-road").json()["name"] == "Fuzuli ring road"
    assert [e["comment"] for e in trail(api, record="fuzuli-road")] == ["renamed by a script"]
    # having seen the current record, saving again is a deliberate choice: the page now carries its version
    assert 'name="version" value="2"' in stale.text
    again_data = {**mine, "version": 2, "csrf_token": csrf_of(html)}
    again = api.client.post("/forms/projects/fuzuli-road/edit", data=again_data, headers=HTML, follow_redirects=False)
    assert again.status_code == 303
    assert api.client.get("/api/projects/fuzuli-road").json()["name"] == "Fuzuli road (mine)"


def test_a_post_without_the_sessions_csrf_token_is_refused(api: Api) -> None:
    log_in(api, Role.REGISTRAR)
    fields = {"on": "2025-06-01", "version": 1}
    missing = submit(api, "households/hh-02/return", fields, csrf=False)
    assert missing.status_code == 403 and 'data-code="form.csrf"' in missing.text
    forged = api.client.post("/forms/households/hh-02/return", data={**fields, "csrf_token": "guess"}, headers=HTML)
    assert forged.status_code == 403
    household = api.client.get("/api/households/hh-02", headers=api.as_(Role.REGISTRAR)).json()
    assert household["returned_on"] is None
    assert trail(api) == []
    token = csrf_of(open_form(api, "households/hh-02/return"))
    log_in(api, Role.REGISTRAR)  # a new session has a new token: the old page's token no longer works
    old = api.client.post("/forms/households/hh-02/return", data={**fields, "csrf_token": token}, headers=HTML)
    assert old.status_code == 403


def test_forms_allow_exactly_the_roles_of_the_api_write_they_stand_for(api: Api) -> None:
    api_writes = {
        "projects/new": ("POST", "/api/projects"),
        "projects/{code}/edit": ("PATCH", "/api/projects/{code}"),
        "projects/{code}/progress": ("POST", "/api/projects/{code}/progress"),
        "settlements/new": ("POST", "/api/settlements"),
        "settlements/{code}/edit": ("PATCH", "/api/settlements/{code}"),
        "hazard-areas/new": ("POST", "/api/hazard-areas"),
        "hazard-areas/{code}/release": ("POST", "/api/hazard-areas"),  # the same officers record land release
        "return-events/new": ("POST", "/api/return-events"),
        "budget-allocations/new": ("POST", "/api/budget-allocations"),
        "households/new": ("POST", "/api/households"),
        "households/{code}/return": ("POST", "/api/households/{code}/return"),
    }
    assert set(api_writes) == set(FORMS)
    rules = {}
    for route in all_routes(api.client.app.routes):  # type: ignore[attr-defined]
        if isinstance(route, APIRoute):
            for method in route.methods or ():
                rules[(method, route.path)] = rules_of(route.dependant)
    for path, write in api_writes.items():
        (api_rule,) = rules[write]
        for method in ("GET", "POST"):
            (form_rule,) = rules[(method, f"/forms/{path}")]
            assert isinstance(api_rule, Requires) and isinstance(form_rule, Requires)
            assert form_rule.roles == api_rule.roles, path


def test_nav_and_lists_show_what_the_role_may_change(api: Api) -> None:
    log_in(api, Role.VIEWER)
    page = api.client.get("/").text
    assert 'href="/forms"' not in page and 'href="/admin/audit"' not in page
    log_in(api, Role.DATA_ENTRY)
    page = api.client.get("/").text
    assert 'href="/forms"' in page and 'href="/admin/audit"' not in page
    index = api.client.get("/forms").text
    assert 'href="/forms/projects/new"' in index and 'href="/forms/households/new"' not in index
    projects = api.client.get("/forms/projects").text
    assert 'href="/forms/projects/aghdam-school/edit"' in projects and "fuzuli-road" not in projects
    log_in(api, Role.ADMIN)
    page = api.client.get("/").text
    assert 'href="/forms"' in page and 'href="/admin/audit"' in page
    households = api.client.get("/forms/households?q=hh-0").text
    assert households.count('href="/forms/households/hh-0') == 9
