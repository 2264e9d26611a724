"""Every write of the field domains (works, territory, mine action) through the API and the forms leaves exactly one
audit entry naming who made it; a refused write (wrong role, other district, stale version, bad input) leaves none.
Both engines."""

from __future__ import annotations

import re
from typing import Any

import pytest
from api_support import PASSWORD, Api
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.server.app import all_routes

COVERED_ROUTES = {
    ("POST", "/api/projects"),
    ("PATCH", "/api/projects/{code}"),
    ("POST", "/api/projects/{code}/progress"),
    ("DELETE", "/api/projects/{code}"),
    ("POST", "/api/settlements"),
    ("PATCH", "/api/settlements/{code}"),
    ("POST", "/api/hazard-areas"),
}
FIELD_PREFIXES = ("/api/projects", "/api/settlements", "/api/districts", "/api/hazard-areas")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
HTML = {"accept": "text/html"}

# (role, method, url, body or query, table, record): a good write of each covered route
GOOD = [
    (Role.DATA_ENTRY, "POST", "/api/projects", {"code": "aghdam-gas", "name": "Gas", "sector": "gas", "stage": 1,
     "settlement_code": "aghdam-v"}, "projects", "aghdam-gas"),
    (Role.PLANNER, "PATCH", "/api/projects/fuzuli-road", {"name": "Ring road", "version": 1}, "projects",
     "fuzuli-road"),
    (Role.DATA_ENTRY, "POST", "/api/projects/aghdam-water/progress", {"progress_pct": 30, "on": "2025-06-01",
     "version": 1}, "projects", "aghdam-water"),
    (Role.PLANNER, "DELETE", "/api/projects/fuzuli-road", {"version": 1}, "projects", "fuzuli-road"),
    (Role.DATA_ENTRY, "POST", "/api/settlements", {"code": "aghdam-w", "name": "W", "district_code": "aghdam",
     "kind": "village"}, "settlements", "aghdam-w"),
    (Role.PLANNER, "PATCH", "/api/settlements/fuzuli-v", {"households_before": 40, "version": 1}, "settlements",
     "fuzuli-v"),
    (Role.MINE_ACTION_OFFICER, "POST", "/api/hazard-areas", {"code": "sha-9", "classification": "SHA",
     "estimated_area_m2": 900, "blocks_settlement_code": "fuzuli-v"}, "hazard_areas", "sha-9"),
]  # fmt: skip

# (role, method, url, body or query, the refusal's status): each refused before anything is written
REFUSED = [
    (Role.VIEWER, "POST", "/api/projects", {"code": "x", "name": "X", "sector": "gas", "stage": 1}, 403),
    (Role.DATA_ENTRY, "POST", "/api/projects", {"code": "x", "name": "X", "sector": "gas", "stage": 1,
     "settlement_code": "fuzuli-v"}, 403),
    (Role.DATA_ENTRY, "POST", "/api/projects", {"code": "x", "name": "X", "sector": "gas", "stage": 9}, 422),
    (Role.PLANNER, "POST", "/api/projects", {"code": "x", "name": "X", "sector": "gas", "stage": 1,
     "district_code": "fuzuli", "settlement_code": "aghdam-v"}, 422),
    (Role.DATA_ENTRY, "PATCH", "/api/projects/fuzuli-road", {"name": "Mine", "version": 1}, 403),
    (Role.PLANNER, "PATCH", "/api/projects/fuzuli-road", {"name": "Stale", "version": 7}, 409),
    (Role.PLANNER, "PATCH", "/api/projects/fuzuli-road", {"planned_start": "2026-05-01", "planned_end": "2026-01-01",
     "version": 1}, 422),
    (Role.DATA_ENTRY, "POST", "/api/projects/fuzuli-road/progress", {"progress_pct": 5, "on": "2025-06-01",
     "version": 1}, 403),
    (Role.PLANNER, "POST", "/api/projects/aghdam-water/progress", {"progress_pct": 5, "on": "2025-06-01",
     "version": 3}, 409),
    (Role.DATA_ENTRY, "DELETE", "/api/projects/aghdam-water", {"version": 1}, 403),
    (Role.PLANNER, "DELETE", "/api/projects/aghdam-water", {"version": 2}, 409),
    (Role.MINE_ACTION_OFFICER, "POST", "/api/settlements", {"code": "s", "name": "S", "district_code": "aghdam",
     "kind": "village"}, 403),
    (Role.DATA_ENTRY, "POST", "/api/settlements", {"code": "s", "name": "S", "district_code": "fuzuli",
     "kind": "village"}, 403),
    (Role.DATA_ENTRY, "PATCH", "/api/settlements/fuzuli-v", {"name": "Mine", "version": 1}, 403),
    (Role.PLANNER, "PATCH", "/api/settlements/fuzuli-v", {"name": "Stale", "version": 2}, 409),
    (Role.PLANNER, "PATCH", "/api/settlements/fuzuli-v", {"boundary_geojson": {"type": "Point"}, "version": 1}, 422),
    (Role.PLANNER, "POST", "/api/hazard-areas", {"code": "sha-9", "classification": "SHA",
     "estimated_area_m2": 900}, 403),
    (Role.MINE_ACTION_OFFICER, "POST", "/api/hazard-areas", {"code": "cha-1", "classification": "SHA",
     "estimated_area_m2": 900}, 409),
]  # fmt: skip

GOOD_IDS = [f"{case[1]} {case[2]}" for case in GOOD]
REFUSED_IDS = [f"{case[0]} {case[1]} {case[2]} {case[4]}" for case in REFUSED]


def entries(api: Api) -> list[AuditEntry]:
    with Session(api.engine) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def count(api: Api) -> int:
    with Session(api.engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def send(api: Api, role: Role, method: str, url: str, data: dict[str, Any]) -> Any:
    if method == "DELETE":
        return api.client.request(method, url, params=data, headers=api.as_(role))
    return api.client.request(method, url, json=data, headers=api.as_(role))


def test_the_walk_covers_every_write_route_of_the_field_domains(api: Api) -> None:
    writes = {
        (method, route.path)
        for route in all_routes(api.client.app.routes)  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and route.path.startswith(FIELD_PREFIXES)
        for method in (route.methods or set()) & WRITES
    }
    assert writes == COVERED_ROUTES == {(method, _template(url)) for _, method, url, *_ in GOOD}


@pytest.mark.parametrize(
    ("role", "method", "url", "data", "table", "record"), GOOD, ids=[f"{c[1]} {c[2]}" for c in GOOD]
)
def test_each_api_write_leaves_one_entry_naming_its_actor(
    api: Api, role: Role, method: str, url: str, data: dict[str, Any], table: str, record: str
) -> None:
    answer = send(api, role, method, url, data)
    assert answer.status_code in (200, 201, 204), answer.text
    (entry,) = entries(api)
    assert (entry.username, entry.table_name, entry.record_code) == (role.value, table, record)


@pytest.mark.parametrize(
    ("role", "method", "url", "data", "status"), REFUSED, ids=[str(i) for i in range(len(REFUSED))]
)
def test_each_refused_api_write_leaves_no_entry(
    api: Api, role: Role, method: str, url: str, data: dict[str, Any], status: int
) -> None:
    assert send(api, role, method, url, data).status_code == status
    assert count(api) == 0


def test_a_stale_change_still_shows_the_current_record(api: Api) -> None:
    stale = send(api, Role.PLANNER, "PATCH", "/api/settlements/fuzuli-v", {"name": "Stale", "version": 2})
    assert stale.json()["error"]["details"]["current"]["name"] == "Fuzuli-V"
    removed = send(api, Role.PLANNER, "DELETE", "/api/projects/aghdam-water", {"version": 2})
    assert removed.json()["error"]["details"]["current"]["code"] == "aghdam-water"


# (role, form, fields, table, record): a good save of each form of the field domains
FORMS = [
    (Role.DATA_ENTRY, "projects/new", {"code": "aghdam-power", "name": "Power", "sector": "power", "stage": 1,
     "status": "planned", "settlement_code": "aghdam-v"}, "projects", "aghdam-power"),
    (Role.PLANNER, "projects/fuzuli-road/edit", {"name": "Road", "stage": 1, "status": "planned", "version": 1},
     "projects", "fuzuli-road"),
    (Role.DATA_ENTRY, "projects/aghdam-water/progress", {"progress_pct": 10, "on": "2025-06-01", "version": 1},
     "projects", "aghdam-water"),
    (Role.DATA_ENTRY, "settlements/new", {"code": "aghdam-n", "name": "N", "district_code": "aghdam",
     "kind": "village"}, "settlements", "aghdam-n"),
    (Role.DATA_ENTRY, "settlements/aghdam-v/edit", {"name": "Aghdam-V", "version": 1}, "settlements", "aghdam-v"),
    (Role.MINE_ACTION_OFFICER, "hazard-areas/new", {"code": "sha-3", "classification": "SHA",
     "estimated_area_m2": 300, "contamination_type": "unknown", "blocked_land_use": "housing"}, "hazard_areas",
     "sha-3"),
    (Role.MINE_ACTION_OFFICER, "hazard-areas/cha-1/release", {"code": "clear-2", "kind": "clearance",
     "status": "completed", "cleared_m2": 1000}, "land_release_activities", "clear-2"),
]  # fmt: skip

# (role, form, fields, status): each refused, nothing written
FORMS_REFUSED = [
    (Role.DATA_ENTRY, "projects/new", {"code": "f", "name": "F", "sector": "power", "stage": 1,
     "settlement_code": "fuzuli-v"}, 403),
    (Role.DATA_ENTRY, "projects/new", {"code": "f", "name": "F", "sector": "power", "stage": 7}, 422),
    (Role.PLANNER, "hazard-areas/new", {"code": "sha-4", "classification": "SHA", "estimated_area_m2": 300,
     "contamination_type": "unknown", "blocked_land_use": "housing"}, 403),
    (Role.PLANNER, "projects/fuzuli-road/edit", {"name": "Road", "stage": 1, "status": "planned", "version": 4}, 409),
    (Role.DATA_ENTRY, "projects/aghdam-water/progress", {"progress_pct": 10, "on": "2025-06-01", "version": 2}, 409),
    (Role.PLANNER, "settlements/aghdam-v/edit", {"name": "A", "version": 5}, 409),
    (Role.MINE_ACTION_OFFICER, "hazard-areas/new", {"code": "cha-1", "classification": "SHA",
     "estimated_area_m2": 300, "contamination_type": "unknown", "blocked_land_use": "housing"}, 409),
    (Role.MINE_ACTION_OFFICER, "hazard-areas/cha-1/release", {"code": "clear-3", "kind": "clearance",
     "status": "completed", "cleared_m2": 99_000}, 422),
]  # fmt: skip
FORMS_REFUSED_IDS = [f"{case[0]} {case[1]} {case[3]}" for case in FORMS_REFUSED]


def save(api: Api, role: Role, form: str, fields: dict[str, Any]) -> Any:
    api.client.post("/logout")
    login = {"username": role.value, "password": PASSWORD}
    assert api.client.post("/login", data=login, follow_redirects=False).status_code == 303
    opened = api.client.get(f"/forms/{form}", headers=HTML)
    token = re.search(r'name="csrf_token" value="([^"]+)"', opened.text)  # none on a form the role may not open
    data = {**{k: str(v) for k, v in fields.items()}, "csrf_token": token.group(1) if token else "", "comment": "walk"}
    return api.client.post(f"/forms/{form}", data=data, headers=HTML, follow_redirects=False)


@pytest.mark.parametrize(("role", "form", "fields", "table", "record"), FORMS, ids=[c[1] for c in FORMS])
def test_each_form_leaves_one_entry_naming_its_actor(
    api: Api, role: Role, form: str, fields: dict[str, Any], table: str, record: str
) -> None:
    assert save(api, role, form, fields).status_code == 303
    (entry,) = entries(api)
    assert (entry.username, entry.table_name, entry.record_code, entry.comment) == (role.value, table, record, "walk")


@pytest.mark.parametrize(("role", "form", "fields", "status"), FORMS_REFUSED, ids=FORMS_REFUSED_IDS)
def test_each_refused_form_leaves_no_entry(
    api: Api, role: Role, form: str, fields: dict[str, Any], status: int
) -> None:
    assert save(api, role, form, fields).status_code == status
    assert count(api) == 0


def test_land_release_is_one_entry_holding_the_hazard_areas_figures(api: Api) -> None:
    fields = {"code": "clear-2", "kind": "clearance", "status": "completed", "cleared_m2": 1000}
    assert save(api, Role.MINE_ACTION_OFFICER, "hazard-areas/cha-1/release", fields).status_code == 303
    (entry,) = entries(api)
    assert entry.after is not None
    assert entry.after["hazard_area_change"] == {
        "hazard_area": "cha-1",
        "before": {"status": "open", "remaining_area_m2": 12000.0},
        "after": {"status": "worked_on", "remaining_area_m2": 11000.0},
    }


def _template(url: str) -> str:
    """The route a URL of the walk reaches, as FastAPI declares it."""
    return re.sub(r"^(/api/(?:projects|settlements))/[a-z-]+", r"\1/{code}", url)
