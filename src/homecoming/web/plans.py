"""Plan pages: the list of plan runs (and a planner's form to start one), a plan with its Gantt, two compared.

Everything shown is an aggregate (ready dates, people per year, works); every count of households or people passes
the disclosure rule (homecoming.disclosure) as on the other public pages. Starting a run needs a planner or an admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.errors import DomainError
from homecoming.http.csrf import CSRF_FIELD, check_csrf, csrf_token
from homecoming.http.deps import DbSession, Requires, public
from homecoming.http.listing import id_for
from homecoming.jobs import service as jobs_service
from homecoming.planning import actions, data_gaps, jobs, read_models, report
from homecoming.planning.models import PlanRun
from homecoming.planning.schemas import PlanRequest
from homecoming.returns import service as returns_service
from homecoming.territory.models import District
from homecoming.web import job_pages, plan_approval
from homecoming.web.gantt import gantt
from homecoming.web.listing import ListSpec, list_view
from homecoming.web.pages import Viewer, render
from homecoming.web.placenames import district_options, local_by_name, local_names, settlement_names, settlement_options

router = APIRouter(include_in_schema=False)
FORM_FIELDS = ("code", "scenario", "demining_teams", "crews", "budget_share_for_plan", "horizon_months", "seconds")


def _threshold(request: Request) -> int:
    return int(request.app.state.settings.small_count_threshold)


def _list_page(
    request: Request, session: Session, user: User | None, *, status_code: int = 200,
    form: dict[str, str] | None = None, problems: list[str] | None = None,
) -> HTMLResponse:  # fmt: skip
    can_start = actions.may_plan(user)
    return render(
        request, "plans.html", user, status_code=status_code, runs=read_models.recent_runs(session),
        jobs=read_models.runs_under_way(session),
        can_start=can_start, csrf=csrf_token(request) if can_start else "",
        form=form or {"scenario": "baseline", "seconds": "20"},
        problems=problems or [],
    )  # fmt: skip


@router.get("/plans", dependencies=[Depends(public)])
def plans_page(request: Request, session: DbSession, user: Viewer) -> HTMLResponse:
    return _list_page(request, session, user)


@router.post("/plans")
def start_plan(
    request: Request, session: DbSession, user: Annotated[User, Depends(Requires(*actions.PLANNERS))],
    code: Annotated[str, Form()] = "", scenario: Annotated[str, Form()] = "",
    demining_teams: Annotated[str, Form()] = "", crews: Annotated[str, Form()] = "",
    budget_share_for_plan: Annotated[str, Form()] = "", horizon_months: Annotated[str, Form()] = "",
    seconds: Annotated[str, Form()] = "", token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:  # fmt: skip
    """The same request and checks as POST /api/plan-runs; then the plan's page, which follows the run."""
    check_csrf(request, {CSRF_FIELD: token})  # a post from another site starts nothing
    form = dict(zip(FORM_FIELDS, (code, scenario, demining_teams, crews, budget_share_for_plan, horizon_months,
                                  seconds), strict=True))  # fmt: skip
    try:
        data = PlanRequest.model_validate({name: value.strip() for name, value in form.items() if value.strip()})
        job = actions.start_plan_run(session, user, data, now=jobs_service.utcnow())
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return _list_page(request, session, user, status_code=422, form=form, problems=problems)
    except DomainError as exc:
        return _list_page(request, session, user, status_code=exc.status, form=form, problems=[exc.message])
    return RedirectResponse(f"/plans/{job.code}", status_code=303)


@dataclass(frozen=True)
class Side:
    """One plan run's figures for the comparison."""

    run: PlanRun
    ready: dict[str, tuple[str, Any]]  # settlement code -> (name, ready date)
    home_by_end_of: dict[int, int | None]  # cumulative people home at the end of each year (None: withheld)


def _side(session: Session, code: str, threshold: int) -> Side:
    run = jobs.finished_run(session, code)
    ready = {c: (name, day) for c, name, day, _ in report.ready_dates(session, run)}
    years = actions.visible_figures(session, None, run, threshold).years
    return Side(run, ready, {year: cumulative for year, _, cumulative in years})


@router.get("/plans/compare", dependencies=[Depends(public)])
def compare_page(
    request: Request, session: DbSession, user: Viewer, a: str | None = None, b: str | None = None
) -> Response:
    if not a or not b:  # the choice of the two is on the list page
        return RedirectResponse("/plans#compare-heading", status_code=303)
    left, right = _side(session, a, _threshold(request)), _side(session, b, _threshold(request))
    years = sorted(set(left.home_by_end_of) | set(right.home_by_end_of))
    carried: dict[str, int | None] = {"a": 0, "b": 0}
    home = []
    for year in years:
        carried = {"a": left.home_by_end_of.get(year, carried["a"]), "b": right.home_by_end_of.get(year, carried["b"])}
        home.append((year, carried["a"], carried["b"]))
    rows = []
    for code in set(left.ready) | set(right.ready):
        name = (left.ready.get(code) or right.ready[code])[0]
        day_a, day_b = (left.ready.get(code, (None, None))[1], right.ready.get(code, (None, None))[1])
        months = (day_b.year - day_a.year) * 12 + day_b.month - day_a.month if day_a and day_b else None
        rows.append((code, name, day_a, day_b, months))
    rows.sort(key=lambda r: (-abs(r[4] or 0), r[1]))
    return render(request, "plan_compare.html", user, a=left.run, b=right.run, home=home, ready=rows,
                  runs=read_models.recent_runs(session))  # fmt: skip


@router.get("/plans/{code}", dependencies=[Depends(public)])
def plan_page(request: Request, session: DbSession, user: Viewer, code: str, district: str | None = None) -> Response:
    run = read_models.run_named(session, code)
    if run is None:
        job = jobs.progress(session, code)  # NotFound when there is neither
        return render(request, "plan_progress.html", user, job=job)
    district_id = id_for(session, District, district or None, "district")
    target = returns_service.progress_summary(session).people_target
    threshold = _threshold(request)
    figures = actions.visible_figures(session, user, run, threshold)
    ready = [
        (row.code, row.name, row.district, row.ready_date, figures.by_settlement[row.settlement_id])
        for row in read_models.ready_rows(session, run)
    ]
    return render(
        request, "plan.html", user, run=run, years=figures.years, target=target, ready=ready, threshold=threshold,
        chart=gantt(run, read_models.schedule(session, run, district_id)),
        districts=read_models.districts_of(session, run), district=district or "",
        issues=report.grouped_issues(run.data_issues)[:8], settlement_names=settlement_names(request, session),
        local_by_name=local_by_name(request, session),
        **local_names(request, session), unplaced=figures.unplaced,
        runs=[r for r in read_models.recent_runs(session) if r.code != run.code],
        has_risk=read_models.has_risk(session, run),
        **job_pages.job_panel(request, session, user, run.code),
        **plan_approval.approval_panel(request, session, user, run),
    )  # fmt: skip


DATA_GAPS = ListSpec(sortable=data_gaps.SORTABLE, filters=("district", "settlement"))


@router.get("/plans/{code}/data-gaps", dependencies=[Depends(public)])
def data_gaps_page(request: Request, session: DbSession, user: Viewer, code: str) -> HTMLResponse:
    """Every gap the plan worked around, a page at a time, by district and settlement (the plan page shows the most
    common few)."""
    view = list_view(request, DATA_GAPS)
    run = read_models.run_of_code(session, code)
    district, settlement = view.filter("district"), view.filter("settlement")
    gaps = data_gaps.data_gaps(session, run, district=district, settlement=settlement, sort=view.sort)
    paging = view.paging
    return render(request, "plan_gaps.html", user, run=run, gaps=gaps[paging.offset : paging.offset + paging.limit],
                  view=view, window=view.window(len(gaps)), district_options=district_options(request, session),
                  settlement_options=settlement_options(request, session, district),
                  **local_names(request, session))  # fmt: skip
