"""Mine-action pages: the public casualty figures and operators (/mine-action), a hazard area's page with who
released its land and how that was inspected (/hazard-areas/{code}), and the accident records of the staff who
read them (/mine-accidents), names and other personal data for mine-action officers only (one use-case decides)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.errors import DomainError, Forbidden, Unauthorized
from homecoming.http.csrf import check_csrf, csrf_token
from homecoming.http.deps import DbSession, Requires, public, server_now
from homecoming.http.listing import Codes, Paging, page_of
from homecoming.mine_action import actions, read_models, service
from homecoming.mine_action.models import MineAccident
from homecoming.mine_action.schemas import AccidentCreate
from homecoming.territory import read_models as territory
from homecoming.web import accident_form, i18n, refusals
from homecoming.web.formkit import domain_problems, validation_problems
from homecoming.web.pages import Viewer, render
from homecoming.web.placenames import local_names

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(Requires(*actions.READERS))]
Recorder = Annotated[User, Depends(Requires(*actions.RECORDERS))]
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
    """The accidents, newest first, and for those who record them the form (the use-case of POST
    /api/mine-accidents)."""
    return _accidents(request, session, user, {}, {})


@router.post("/mine-accidents")
async def record_accident(request: Request, session: DbSession, user: Recorder) -> Response:
    """Records the accident and its victims, or shows the page again with what was typed and each refusal beside
    its field (nothing written)."""
    posted = {k: v.strip() for k, v in (await request.form()).items() if isinstance(v, str)}
    check_csrf(request, posted)
    language = i18n.request_language(request)
    try:
        data = AccidentCreate.model_validate(accident_form.accident_input(posted))
        seen = actions.record_accident(session, user, data, now=server_now(request),
                                       comment=posted.get("comment") or None)  # fmt: skip
    except ValidationError as exc:
        problems, general = validation_problems(exc, accident_form.NAMES, refusals.schema_words(language))
        return _accidents(request, session, user, posted, problems, general, 422)
    except (Forbidden, Unauthorized):
        raise
    except DomainError as exc:
        session.rollback()
        said = refusals.refusal_words(language, exc)
        problems = domain_problems(exc, posted, accident_form.NAMES, said)
        return _accidents(request, session, user, posted, problems, [] if problems else [said], exc.status)
    return RedirectResponse(f"/mine-accidents/{seen.code}?recorded=1", status_code=303)


def _accidents(
    request: Request, session: Session, user: User, typed: dict[str, str], problems: dict[str, str],
    general: list[str] | None = None, status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    total, rows = page_of(session, actions.visible_accidents(user), MineAccident, ("occurred_on",), NEWEST)
    seen = actions.seen_accidents(session, user, rows)
    places = _places(request, session)
    form = accident_form.form_context(session, user, places["local_settlements"]) if _records(user) else None
    return render(request, "mine_action/accidents.html", user, status_code, accidents=seen, total=total, form=form,
                  typed=typed, problems=problems, general=general or [], csrf=csrf_token(request),
                  labels_shown=accident_form.labels_in(i18n.request_language(request)), **places)  # fmt: skip


@router.get("/mine-accidents/{code}")
def accident_page(request: Request, session: DbSession, user: Reader, code: str) -> HTMLResponse:
    seen = actions.visible_accident(session, user, code)
    hazard = service.hazard_area_code(session, seen.hazard_area_id)
    return render(request, "mine_action/accident.html", user, accident=seen, hazard_code=hazard,
                  recorded=request.query_params.get("recorded") == "1", **_places(request, session))  # fmt: skip


def _records(user: User) -> bool:
    return user.role in permissions.allowed_roles(*actions.RECORDERS)


def _may_read_records(user: User | None) -> bool:
    return user is not None and user.role in permissions.allowed_roles(*actions.READERS)
