"""Jobs: anyone follows a job's progress; planners start risk runs and sweeps as jobs and may cancel a job.

Plan runs are started at POST /api/plan-runs (their progress also at /api/plan-runs/{code}/progress).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.http.deps import AnyoneUnit, DbSession, Requires, optional_user, public
from homecoming.http.listing import Page, PagingDep, page_of
from homecoming.jobs import actions, read_models, service
from homecoming.jobs.models import Job, JobKind, JobStatus
from homecoming.jobs.schemas import JobOut
from homecoming.risk import actions as risk_actions
from homecoming.risk.schemas import RiskRequest, SweepRequest

router = APIRouter(prefix="/api", tags=["jobs"])
Canceller = Annotated[User, Depends(Requires(*actions.CANCELLERS))]
Planner = Annotated[User, Depends(Requires(*risk_actions.PLANNERS))]
Anyone = Annotated[User | None, Depends(optional_user)]
JOB_SORTABLE = ("code", "kind", "status", "created_at", "percent")


def _queued(response: Response, job: Job) -> JobOut:
    response.headers["Location"] = f"/api/jobs/{job.code}"
    return JobOut.of(job)


@router.get("/jobs", dependencies=[Depends(public)], response_model=Page[JobOut])
async def list_jobs(
    unit: AnyoneUnit, paging: PagingDep, kind: JobKind | None = None, status: JobStatus | None = None
) -> Response:
    """Every job's status and progress; an import job's message and result only to whoever may read them."""

    def page(session: Session, user: User | None) -> Page[JobOut]:
        total, rows = page_of(session, read_models.jobs_listed(kind, status), Job, JOB_SORTABLE, paging)
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=[_out(user, j) for j in rows])

    # an import's message is also read by the account that asked for it: each account gets its own answer
    return await unit.kept(page, caller=lambda user: (user.role, user.username))


@router.get("/jobs/{code}", dependencies=[Depends(public)])
def get_job(session: DbSession, user: Anyone, code: str) -> JobOut:
    job, withheld = actions.visible_job(session, user, code)
    return JobOut.of(job, withheld=withheld)


def _out(user: User | None, job: Job) -> JobOut:
    return JobOut.of(job, withheld=actions.withheld_from(user, job))


@router.post("/jobs/{code}/cancel")
def cancel_job(session: DbSession, user: Canceller, code: str) -> JobOut:
    """A queued job is cancelled at once; a running one stops at its next stage, and nothing of it is kept."""
    return _out(user, actions.cancel_job(session, user, code, now=service.utcnow()))


@router.post("/plan-runs/{code}/risk-runs", status_code=status.HTTP_202_ACCEPTED)
def start_risk_run(response: Response, session: DbSession, user: Planner, code: str, data: RiskRequest) -> JobOut:
    """Queue a risk run of this plan run; its progress is at the Location given, its bands at /plans/{code}/risk."""
    return _queued(response, risk_actions.start_risk_run(session, user, code, data, now=service.utcnow()))


@router.post("/sweeps", status_code=status.HTTP_202_ACCEPTED)
def start_sweep(response: Response, session: DbSession, user: Planner, data: SweepRequest) -> JobOut:
    """Queue a sweep of plan variants; the comparison is the job's result once it is done."""
    return _queued(response, risk_actions.start_sweep(session, user, data, now=service.utcnow()))
