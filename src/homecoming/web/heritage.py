"""Public pages of the damage and heritage register: the heritage list, a site's page and the damage summary.

Public: heritage facts, aggregates of damage and the needs estimate only. Photographs are served from their
metadata-free public copies, never the originals (which keep the geotag).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from homecoming.accounts.models import User
from homecoming.config import Settings
from homecoming.damage import service as damage
from homecoming.damage.costs import DEFAULT_TABLE
from homecoming.damage.models import DamageLevel
from homecoming.damage.summary import DamageSummary, summarise
from homecoming.errors import DomainError, NotFound, RuleViolation
from homecoming.files.checks import served_type
from homecoming.heritage import actions as heritage_actions
from homecoming.heritage import service as heritage
from homecoming.heritage.models import HeritageCategory
from homecoming.http.deps import DbSession, file_store, optional_user, public
from homecoming.territory import service as territory
from homecoming.web.pages import render
from homecoming.web.placenames import local_by_name, local_names

router = APIRouter(include_in_schema=False)
Viewer = Annotated[User | None, Depends(optional_user)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/heritage", dependencies=[Depends(public)])
def heritage_list(request: Request, session: DbSession, user: Viewer, category: str = "") -> HTMLResponse:
    chosen = _category(category)
    rows = heritage.list_rows(session, category=chosen)
    return render(request, "heritage/list.html", user, rows=rows, chosen=chosen.value if chosen else "",
                  local_places=local_by_name(request, session))  # fmt: skip


@router.get("/heritage/{code}", dependencies=[Depends(public)])
def heritage_site(request: Request, session: DbSession, user: Viewer, code: str) -> HTMLResponse:
    page = heritage.site_page(session, code)
    photos = [f for f in page.public_files if f.media_type.startswith("image/")]
    return render(request, "heritage/site.html", user, page=page, photos=photos,
                  local_places=local_by_name(request, session))  # fmt: skip


@router.get("/damage", dependencies=[Depends(public)])
def damage_summary(request: Request, session: DbSession, user: Viewer) -> HTMLResponse:
    settings = _settings(request)
    summary: DamageSummary | None = None
    problem = None
    try:
        estimate = damage.needs_estimate(
            session, uplift=settings.build_back_better_uplift, cost_file=settings.unit_costs_file, on=dt.date.today()
        )
        summary = summarise(damage.damage_quantities(session), estimate)
    except DomainError as exc:  # a cost table that lacks a kind: say so, do not fail the page
        problem = exc.message
    districts = territory.district_names(session)
    configured = settings.unit_costs_file
    return render(
        request,
        "heritage/damage.html",
        user,
        summary=summary,
        problem=problem,
        levels=[level.value for level in DamageLevel],
        districts=districts,
        **local_names(request, session),
        assessed=damage.assessment_sources(session),
        currency=summary.estimate.currency if summary else "",
        assumption=configured is None or configured.resolve() == DEFAULT_TABLE.resolve(),
    )


@router.get("/files/public/{shard}/{name}", dependencies=[Depends(public)])
def public_file(request: Request, session: DbSession, shard: str, name: str) -> Response:
    """A heritage site's public copy (no location metadata), only when a record names it; never an original."""
    key = f"public/{shard}/{name}"
    heritage_actions.public_copy(session, key)  # refuses any other file
    try:
        content = file_store(request).read(key)
    except FileNotFoundError:
        raise NotFound("files.not_found", f"the public copy {key} is missing from the store", {"key": key}) from None
    # content-addressed: the same address always holds the same bytes
    headers = {"Cache-Control": "public, max-age=31536000, immutable"}  # nosniff and the rest: api.headers
    return Response(content, media_type=served_type(content), headers=headers)


def _category(value: str) -> HeritageCategory | None:
    if not value:
        return None
    try:
        return HeritageCategory(value)
    except ValueError:
        allowed = ", ".join(c.value for c in HeritageCategory)
        raise RuleViolation(
            "heritage.bad_category", f"no heritage category {value!r}; choose one of: {allowed}", {"category": value}
        ) from None
