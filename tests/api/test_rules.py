"""Who may do what: every route has a rule, and each role gets exactly what its rule allows."""

from __future__ import annotations

from pathlib import Path

from fastapi.routing import APIRoute
from starlette.routing import Mount, Route

from homecoming.accounts.roles import Role
from homecoming.config import Settings
from homecoming.http.deps import Requires, public
from homecoming.server import docs
from homecoming.server.app import all_routes, create_app
from homecoming.server.docs import rules_of

# Routes FastAPI and Starlette add themselves: the OpenAPI document and the stylesheet.
FRAMEWORK_PUBLIC = {"/openapi.json", "/static", "/static/leaflet"}


def test_every_route_declares_exactly_one_rule() -> None:
    app = create_app(Settings(database_url="sqlite://"))
    unruled, checked = [], 0
    for route in all_routes(app.routes):
        if isinstance(route, APIRoute):
            rules = rules_of(route.dependant)
            checked += 1
            if len(rules) != 1:
                unruled.append(f"{sorted(route.methods)} {route.path}: {rules}")
        elif isinstance(route, Route | Mount):
            assert route.path in FRAMEWORK_PUBLIC, f"{route.path} is not an API route and not listed as public"
        else:
            raise AssertionError(f"unknown kind of route {route!r}")
    assert unruled == []
    assert checked >= 30


def test_rules_are_what_the_roles_need() -> None:
    app = create_app(Settings(database_url="sqlite://"))
    rules = {
        (method, route.path): rules_of(route.dependant)[0]
        for route in all_routes(app.routes)
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert rules[("GET", "/api/households")].roles == {Role.REGISTRAR, Role.ADMIN}
    assert rules[("POST", "/api/hazard-areas")].roles == {Role.MINE_ACTION_OFFICER, Role.ADMIN}
    assert rules[("GET", "/api/audit")].roles == {Role.ADMIN}
    assert rules[("GET", "/")] is public
    assert isinstance(rules[("GET", "/registry/{code}")], Requires)


def test_api_doc_lists_every_route_with_its_rule() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    assert doc == docs.render(), "regenerate it: python -m homecoming.server.docs > docs/api.md"
    assert "| GET | `/api/households` | admin, registrar |" in doc
    assert "| GET | `/api/return-events` | any staff account (not contractors) |" in doc
    assert "| GET | `/api/auth/me` | any account |" in doc
