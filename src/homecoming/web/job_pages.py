"""Risk runs and sweeps from the plan page: a planner starts one, anyone follows it on its job page.

The forms post the same requests and checks as POST /api/plan-runs/{code}/risk-runs and POST /api/sweeps; the job
page polls /api/jobs/{code} and shows the result once the worker is done (the bands on the plan's risk page, a
sweep's comparison in a table).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.errors import RuleViolation
from homecoming.http.csrf import check_csrf, csrf_token
from homecoming.http.deps import DbSession, Requires, public
from homecoming.jobs import actions
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import FINISHED
from homecoming.planning import read_models
from homecoming.planning.actions import may_plan
from homecoming.risk import actions as risk_actions
from homecoming.risk.schemas import RiskRequest, SweepRequest
from homecoming.web.pages import Viewer, render

router = APIRouter(include_in_schema=False)
Planner = Annotated[User, Depends(Requires(*risk_actions.PLANNERS))]
Canceller = Annotated[User, Depends(Requires(*actions.CANCELLERS))]


def job_panel(request: Request, session: Session, user: User | None, plan_code: str) -> dict[str, Any]:
    """What the plan page shows about its jobs (and, for planners, the forms to start one)."""
    can_start = may_plan(user)
    return {"plan_jobs": read_models.plan_jobs(session, plan_code), "can_start_jobs": can_start,
            "csrf": csrf_token(request) if can_start else ""}  # fmt: skip


def _numbers(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _invalid(exc: ValidationError) -> RuleViolation:
    """The form's first problem, named as the API names it (an error page shows it: these forms are a few boxes)."""
    first = exc.errors()[0]
    field = ".".join(map(str, first["loc"]))
    return RuleViolation("request.invalid", f"{field}: {first['msg']}", {"field": field})


@router.post("/plans/{code}/risk-runs")
async def start_risk(request: Request, session: DbSession, user: Planner, code: str) -> Response:
    posted = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, posted)
    try:
        data = RiskRequest.model_validate(
            {name: posted[name].strip() for name in ("scenarios", "seed") if posted.get(name, "").strip()}
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    job = risk_actions.start_risk_run(session, user, code, data, now=jobs_service.utcnow())
    return RedirectResponse(f"/jobs/{job.code}", status_code=303)


@router.post("/plans/{code}/sweeps")
async def start_sweep(request: Request, session: DbSession, user: Planner, code: str) -> Response:
    posted = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, posted)
    lists = {field: _numbers(posted.get(field, "")) for field in ("budget_factors", "teams", "crews")}
    if not any(lists.values()):
        raise RuleViolation("sweep.no_variants", "give demining teams, crews or budget factors to compare")
    try:
        data = SweepRequest.model_validate(
            {"plan_run": code, **lists} | ({"seconds": posted["seconds"]} if posted.get("seconds", "").strip() else {})
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    job = risk_actions.start_sweep(session, user, data, now=jobs_service.utcnow())
    return RedirectResponse(f"/jobs/{job.code}", status_code=303)


@router.get("/jobs/{code}", dependencies=[Depends(public)])
def job_page(request: Request, session: DbSession, user: Viewer, code: str) -> Response:
    job, withheld = actions.visible_job(session, user, code)  # the API's rule: a bad row may quote a household
    can_cancel = actions.may_cancel(user, job)
    return render(request, "job.html", user, job=job, finished=job.status in FINISHED, can_cancel=can_cancel,
                  withheld=withheld, csrf=csrf_token(request) if can_cancel else "")  # fmt: skip


@router.post("/jobs/{code}/cancel")
async def cancel_job(request: Request, session: DbSession, user: Canceller, code: str) -> Response:
    check_csrf(request, {k: str(v) for k, v in (await request.form()).items()})
    actions.cancel_job(session, user, code, now=jobs_service.utcnow())
    return RedirectResponse(f"/jobs/{code}", status_code=303)
