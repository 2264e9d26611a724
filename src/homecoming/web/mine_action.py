"""Mine-action pages: the public casualty figures and operators (/mine-action), a hazard area's page with who
released its land and how that was inspected (/hazard-areas/{code}), and the accident records of the staff who
read them (/mine-accidents), names and other personal data for mine-action officers only (one use-case decides)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.http.deps import DbSession, Requires, public
from homecoming.http.listing import Codes, Paging, page_of
from homecoming.mine_action import actions, read_models, service
from homecoming.mine_action.models import MineAccident
from homecoming.territory import read_models as territory
from homecoming.web.pages import Viewer, render
from homecoming.web.placenames import local_names

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(Requires(*actions.READERS))]
NEWEST = Paging(limit=200, offset=0, sort="-occurred_on")  # the page lists the newest; the API pages through all


def _threshold(request: Request) -> int:
    return int(request.app.state.settings.small_count_threshold)


def _places(request: Request, session: DbSession) -> dict[str, Any]:
    names = dict(district_names=territory.district_names(session),
                 settlement_names=dict(territory.settlement_names(session)))  # fmt: skip
    return dict(codes=Codes(session), **names, **local_names(request, session))


@router.get("/mine-action", dependencies=[Depends(public)])
def mine_action_page(request: Request, session: DbSession, user: Viewer) -> HTMLResponse:
    figures = actions.visible_casualties(session, user, _threshold(request))
    return render(request, "mine_action/casualties.html", user, figures=figures, operators=service.operators(session),
                  threshold=_threshold(request), may_read_records=_may_read_records(user))  # fmt: skip


@router.get("/hazard-areas/{code}", dependencies=[Depends(public)])
def hazard_area_page(request: Request, session: DbSession, user: Viewer, code: str) -> HTMLResponse:
    area = service.get_hazard_area(session, code)
    return render(request, "mine_action/hazard_area.html", user, area=area,
                  records=read_models.release_record(session, area), **_places(request, session))  # fmt: skip


@router.get("/mine-accidents")
def accidents_page(request: Request, session: DbSession, user: Reader) -> HTMLResponse:
    total, rows = page_of(session, actions.visible_accidents(user), MineAccident, ("occurred_on",), NEWEST)
    seen = actions.seen_accidents(session, user, rows)
    return render(request, "mine_action/accidents.html", user, accidents=seen, total=total,
                  **_places(request, session))  # fmt: skip


@router.get("/mine-accidents/{code}")
def accident_page(request: Request, session: DbSession, user: Reader, code: str) -> HTMLResponse:
    seen = actions.visible_accident(session, user, code)
    hazard = service.hazard_area_code(session, seen.hazard_area_id)
    return render(request, "mine_action/accident.html", user, accident=seen, hazard_code=hazard,
                  **_places(request, session))  # fmt: skip


def _may_read_records(user: User | None) -> bool:
    return user is not None and user.role in permissions.allowed_roles(*actions.READERS)
