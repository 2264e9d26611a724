"""The app factory: one FastAPI app serving the JSON API under /api, the dashboard pages and their static files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import xstatic.pkg.leaflet as leaflet
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute

from homecoming import __version__
from homecoming.api.routers import (
    accounts,
    duplicates,
    field_submissions,
    finance,
    geo,
    grievances,
    health,
    households,
    imports,
    jobs,
    mine_action,
    mine_action_records,
    odk,
    plan_approvals,
    plans,
    procurement,
    procurement_changes,
    procurement_committee,
    procurement_contracts,
    procurement_money,
    returns,
    territory,
    works,
)
from homecoming.config import Settings
from homecoming.db import freshness
from homecoming.db.session import make_engine
from homecoming.http import errors
from homecoming.http.body_limit import BodyLimit
from homecoming.http.headers import SecurityHeaders
from homecoming.secret_key import session_secret
from homecoming.web import (
    audit_page,
    field_review,
    forms,
    grievance_queue,
    job_pages,
    pages,
    plan_approval,
    registry_pages,
)
from homecoming.web import grievances as grievance_pages
from homecoming.web import heritage as heritage_pages
from homecoming.web import mine_action as mine_action_pages
from homecoming.web import plans as plan_pages
from homecoming.web import procurement as procurement_pages
from homecoming.web import risk as risk_pages

STATIC = Path(__file__).parent.parent / "web" / "static"


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    app = FastAPI(
        title="Homecoming",
        version=__version__,
        description="Recovery of war-damaged territories and the return of displaced families.",
        # Swagger UI and ReDoc load their scripts from a CDN; nothing may come from the internet (house rule 9),
        # so only the document itself is served. Any OpenAPI viewer can open /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(
        settings.database_url, echo=settings.echo_sql, busy_timeout_s=settings.sqlite_busy_timeout_s
    )
    freshness.watch(app.state.engine)
    app.state.fresh = freshness.cache_for(app.state.engine)  # figures kept until a change is committed
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),  # signs the cookie; who is logged in comes from the sessions table
        session_cookie="homecoming_session",
        max_age=settings.session_lifetime_hours * 3600,
        same_site="lax",
        https_only=settings.environment != "dev",
    )
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # added last, so outermost: every answer has them, refusals included
    errors.install(app, pages.error_page)
    # A request is matched against the routes in this order, each router's in turn (about 0.35 ms of CPU to reach
    # the overview page after every API route): the public pages, which take national traffic, come first. No
    # page path starts with /api/, so the order decides nothing else. The registry's list comes next: each route tried
    # before it costs every registrar's page CPU (about 37 were), and no other path starts with /api/households.
    app.include_router(pages.router)
    app.include_router(health.router)
    app.include_router(households.router)
    for module in (
        accounts,
        territory,
        geo,
        works,
        finance,
        returns,
        mine_action,
        mine_action_records,
        plans,
        plan_approvals,
        jobs,
        imports,
        grievances,
        duplicates,
    ):
        app.include_router(module.router)
    for module in (procurement, procurement_committee, procurement_contracts, procurement_money, procurement_changes):
        app.include_router(module.router)
    app.include_router(odk.router)
    app.include_router(field_submissions.router)
    app.include_router(forms.router)
    app.include_router(audit_page.router)
    app.include_router(plan_pages.router)
    app.include_router(plan_approval.router)
    app.include_router(heritage_pages.router)
    app.include_router(mine_action_pages.router)
    app.include_router(procurement_pages.router)
    app.include_router(risk_pages.router)
    app.include_router(job_pages.router)
    app.include_router(field_review.router)
    app.include_router(grievance_queue.router)
    app.include_router(grievance_pages.router)
    app.include_router(registry_pages.router)
    # Leaflet from its installed package (xstatic-leaflet, from the lock): never a CDN, never a copy in the repository
    app.mount("/static/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def all_routes(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, including those of included routers (newer FastAPI keeps them behind one entry per router)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from all_routes(inner.routes)
        else:
            yield route
