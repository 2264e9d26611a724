"""Dashboard pages: overview, settlement, map (public, aggregates only), login, and the registrar's list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.permissions import allowed_roles
from homecoming.db import freshness
from homecoming.db.freshness import FreshCache
from homecoming.disclosure import read_models as figures
from homecoming.errors import DomainError, TooManyRequests
from homecoming.grievances import actions as grievance_actions
from homecoming.grievances import read_models as grievances
from homecoming.households import actions as households
from homecoming.households.models import Household
from homecoming.http.deps import (
    DbSession,
    PublicUnit,
    Requires,
    end_page_session,
    log_in,
    optional_user,
    public,
    start_page_session,
)
from homecoming.http.listing import page_of
from homecoming.phrases import Phrase
from homecoming.territory import read_models as territory_read_models
from homecoming.territory.names import names, settlement_local_name
from homecoming.web import charts, i18n, links
from homecoming.web.listing import ListSpec, list_view
from homecoming.web.map import map_context
from homecoming.web.overview_charts import overview_figures
from homecoming.web.placenames import alphabetical, local_names, marked

templates = Jinja2Templates(directory=Path(__file__).parent / "templates", context_processors=[i18n.page_context])
# Every text a page shows goes through `_()` / `{% trans %}`; the catalogue behind them is the reader's language.
i18n.install(templates.env)
templates.env.filters["safe_url"] = links.safe_url  # the one way stored text becomes a link
templates.env.globals["bar_length"] = charts.bar_length  # bars are scaled to the target (web/charts.py)
# Who gets the nav's grievance queue: the roles the use-case lets answer (one list, grievances.actions.ANSWERERS).
templates.env.globals["grievance_answerers"] = {role.value for role in allowed_roles(*grievance_actions.ANSWERERS)}
router = APIRouter(include_in_schema=False)
Viewer = Annotated[User | None, Depends(optional_user)]
HOUSEHOLD_STATUSES = ("waiting", "returned")  # the registry's one status rule (households.read_models)
REGISTRY_LIST = ListSpec(
    sortable=("code", "head_name", "size", "rooms_needed", "registered_on", "returned_on"),
    filters=("q", "status"),
    choices={"status": HOUSEHOLD_STATUSES},
)


def render(request: Request, name: str, user: User | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, {"user": user, **context}, status_code=status_code)
    i18n.mark_language(request, response)
    return response


def error_page(request: Request, status_code: int, code: str, message: str) -> HTMLResponse:
    response = templates.TemplateResponse(
        request,
        "error.html",
        {"user": getattr(request.state, "who", None), "status": status_code, "code": code, "message": message},
        status_code=status_code,
    )
    i18n.mark_language(request, response)
    return response


def _threshold(request: Request) -> int:
    return int(request.app.state.settings.small_count_threshold)


@router.get("/", dependencies=[Depends(public)])
async def overview_page(request: Request, unit: PublicUnit) -> HTMLResponse:
    """National figures: computed once per committed change and language (FreshCache), and for readers who are not
    logged in (the same page for all of them) rendered once too.

    The page that takes national traffic does all its work in one `Unit` rather than through DbSession and Viewer:
    each dependency written as a plain function costs a request a trip to a worker thread (two for DbSession). Who
    is reading (shown in the page's header) is looked up in the unit; the page is public."""
    return await unit.run(lambda session, _public: _overview(request, session, optional_user(request, session)))


def _overview(request: Request, session: Session, user: User | None) -> HTMLResponse:
    cache: FreshCache = request.app.state.fresh
    state = freshness.data_state(session)
    key = ("overview", i18n.request_language(request), _threshold(request))

    def context() -> dict[str, Any]:
        return cache.get(state, key, lambda: _overview_context(request, session))

    if user is None and not request.url.query:
        body = cache.get(state, (*key, "html"), lambda: render(request, "overview.html", None, **context()).body)
        response = HTMLResponse(body)
        i18n.mark_language(request, response)
        return response
    return render(request, "overview.html", user, **context())


def _overview_context(request: Request, session: Session) -> dict[str, Any]:
    data = figures.overview(session, _threshold(request))
    settlements = list(data.settlements)
    forecast = figures.plan_forecast(session, _threshold(request))
    local = local_names(request, session)
    if local["local_settlements"]:  # in the order of the alphabet they are shown in
        settlements.sort(key=lambda row: alphabetical(local["local_settlements"].get(row[0], row[1])))
    charts = overview_figures(session, i18n.request_language(request), data, forecast, _threshold(request))
    return dict(data=data, settlements=settlements, threshold=_threshold(request), forecast=forecast, charts=charts,
                **local)  # fmt: skip


@router.get("/settlements/{code}", dependencies=[Depends(public)])
def settlement_page(request: Request, session: DbSession, user: Viewer, code: str) -> HTMLResponse:
    page = figures.settlement_page(session, code, _threshold(request))
    settlement = page.settlement
    withheld = (
        Phrase(
            "houses: fewer ready than the households waiting (count withheld: fewer than {threshold} households)",
            threshold=_threshold(request),
        )
        if page.waiting.small or page.waiting.households is not None
        else Phrase("houses: fewer ready than the households waiting (count withheld)")
    )
    missing = [
        withheld if item.startswith("houses:") and page.houses_count_withheld else item
        for item in page.readiness.missing
    ]
    others = names(settlement.name, settlement.alt_names)[1]
    return render(
        request,
        "settlement.html",
        user,
        page=page,
        missing=missing,
        threshold=_threshold(request),
        open_grievances=grievances.open_by_project(session, (w.code for w in page.works), _threshold(request)),
        local_name=settlement_local_name(settlement, page.district),
        other_names=others,
        district_local_name=names(page.district.name, page.district.alt_names)[0],
    )


@router.get("/map", dependencies=[Depends(public)])
def map_page(request: Request, session: DbSession, user: Viewer) -> HTMLResponse:
    context = map_context(session, i18n.request_language(request))
    local = local_names(request, session)
    tooltips = {kind: marked(request, local[f"local_{kind}"]) for kind in ("settlements", "districts")}
    return render(request, "map.html", user, **context, **local, tooltips=tooltips)


@router.get("/login", dependencies=[Depends(public)])
def login_form(request: Request, user: Viewer, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", user, next=_safe_next(next), problem=None)


@router.post("/login", dependencies=[Depends(public)])
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """The same rule as the API's token request (throttling, lockout): api.deps.log_in."""
    try:
        user = log_in(request, username, password)
    except DomainError as exc:
        page = render(request, "login.html", None, status_code=exc.status, next=_safe_next(next), problem=exc.message)
        if isinstance(exc, TooManyRequests):
            page.headers["Retry-After"] = str(exc.details["retry_after_s"])
        return page
    start_page_session(request, session, user)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/language", dependencies=[Depends(public)])
def choose_language(language: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:
    """The switch in every page's header: remembered in a cookie, it wins over the browser's languages."""
    response = RedirectResponse(_safe_next(next), status_code=303)
    if language in i18n.available_languages():
        response.set_cookie(i18n.COOKIE, language, max_age=i18n.COOKIE_MAX_AGE_S, httponly=True, samesite="lax")
    return response


@router.post("/logout", dependencies=[Depends(public)])
def logout(request: Request, session: DbSession) -> Response:
    end_page_session(request, session)
    return RedirectResponse("/", status_code=303)


@router.get("/registry/{code}")
def registry_page(
    request: Request, session: DbSession, user: Annotated[User, Depends(Requires(*households.REGISTRARS))], code: str
) -> HTMLResponse:
    """The registrar's list of households from one settlement: names and needs (personal data), a page at a time."""
    view = list_view(request, REGISTRY_LIST)
    settlement, query = households.visible_households_of(session, user, code, like=view.filter("q"),
                                                          status=view.filter("status"))  # fmt: skip
    total, listed = page_of(session, query, Household, REGISTRY_LIST.sortable, view.paging)
    local = settlement_local_name(settlement, territory_read_models.district_of(session, settlement))
    return render(request, "registry.html", user, settlement=settlement, households=listed, local_name=local,
                  view=view, window=view.window(total))  # fmt: skip


def _safe_next(target: str) -> str:
    """Only a path on this site, so a crafted login link cannot send people elsewhere."""
    return target if links.is_local_path(target) else "/"
