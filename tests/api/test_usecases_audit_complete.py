"""Every write route of the API is walked by one of the audit walks (one entry naming the actor on success, none on a
refusal). A new write route that no walk covers fails here, so the trail cannot silently miss a way in."""

from __future__ import annotations

from pathlib import Path

from fastapi.routing import APIRoute
from test_fielddata_review import COVERED_ROUTES as FIELD_DATA_ROUTES
from test_grievances_api import COVERED_ROUTES as GRIEVANCE_ROUTES
from test_procurement_amendment_documents import COVERED_ROUTES as AMENDMENT_DOCUMENT_ROUTES
from test_procurement_amendments import COVERED_ROUTES as AMENDMENT_ROUTES
from test_procurement_complaints import COVERED_ROUTES as COMPLAINT_ROUTES
from test_usecases_duplicate_search_api import COVERED_ROUTES as DUPLICATE_SEARCH_ROUTES
from test_usecases_field_audit import COVERED_ROUTES as FIELD_ROUTES
from test_usecases_members_api import COVERED_ROUTES as MEMBER_ROUTES
from test_usecases_mine_action_audit import COVERED_ROUTES as MINE_ACTION_ROUTES
from test_usecases_people_audit import COVERED_ROUTES as PEOPLE_ROUTES
from test_usecases_procurement_audit_walk import COVERED_ROUTES as PROCUREMENT_ROUTES

from homecoming.config import Settings
from homecoming.server.app import all_routes, create_app

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Writes that change no record of the programme: they start or end the caller's own login (its tokens are not
# audited data; docs/security.md describes them).
NOT_DATA_CHANGES = {
    ("POST", "/api/auth/token"),
    ("POST", "/api/auth/revoke"),
}


def test_every_write_route_of_the_api_is_walked_by_an_audit_walk(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'routes.db'}"))
    writes = {
        (method, route.path)
        for route in all_routes(app.routes)
        if isinstance(route, APIRoute) and route.path.startswith("/api/")
        for method in (route.methods or set()) & WRITES
    }
    walked = (
        FIELD_ROUTES
        | PEOPLE_ROUTES
        | PROCUREMENT_ROUTES
        | FIELD_DATA_ROUTES
        | GRIEVANCE_ROUTES
        | COMPLAINT_ROUTES
        | AMENDMENT_ROUTES
        | AMENDMENT_DOCUMENT_ROUTES
        | MEMBER_ROUTES
        | MINE_ACTION_ROUTES
        | DUPLICATE_SEARCH_ROUTES
    )
    assert writes - NOT_DATA_CHANGES - walked == set(), "a write route no audit walk covers"
    assert walked - writes == set(), "a walk names a route the API does not have"
    assert writes >= NOT_DATA_CHANGES
