"""Plan runs: planners start one as a background job; anyone polls its progress and reads its results (aggregates)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response, status
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.http.deps import DbSession, PublicUnit, Requires, public
from homecoming.http.listing import Codes, Page, PagingDep, id_for, page_of
from homecoming.jobs import read_models as jobs_read_models
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import Job, JobKind, JobStatus
from homecoming.mine_action.models import HazardArea
from homecoming.planning import actions, jobs, messages, read_models, results
from homecoming.planning.models import PlanRun, PlanSettlement, PlanTask
from homecoming.planning.schemas import (
    PeopleHomeOut,
    PlanJobOut,
    PlanRequest,
    PlanRunOut,
    PlanRunSummaryOut,
    PlanSettlementOut,
    PlanTaskOut,
)
from homecoming.territory import read_models as territory_read_models
from homecoming.territory.models import District, Settlement
from homecoming.works.models import Project, Sector

router = APIRouter(prefix="/api", tags=["plans"])
Planner = Annotated[User, Depends(Requires(*actions.PLANNERS))]
RUN_SORTABLE = ("code", "scenario", "created_at", "people_months", "seconds")
JOB_SORTABLE = ("code", "status", "created_at", "percent")
TASK_SORTABLE = ("task", "kind", "start_period", "end_period", "start_date", "end_date")
SETTLEMENT_SORTABLE = ("ready_period", "ready_date")  # not by households: that would rank withheld counts


def job_out(job: Job) -> PlanJobOut:
    done = job.status == JobStatus.DONE
    return PlanJobOut(
        code=job.code, status=job.status, stage=job.stage, percent=job.percent, message=job.message,
        error_code=job.error_code, created_at=job.created_at, started_at=job.started_at,
        finished_at=job.finished_at, result_url=f"/api/plan-runs/{job.code}" if done else None,
    )  # fmt: skip


def task_out(task: PlanTask, place: results.Place, codes: Codes) -> PlanTaskOut:
    return PlanTaskOut(
        task=task.task, kind=task.kind, label=str(messages.label(task.label)), sector=place.sector,
        project_code=codes.of(Project, task.project_id), hazard_area_code=codes.of(HazardArea, task.hazard_area_id),
        settlement_code=codes.settlement(place.settlement_id), district_code=codes.district(place.district_id),
        start_period=task.start_period, end_period=task.end_period, start_date=task.start_date,
        end_date=task.end_date,
    )  # fmt: skip


def summary_out(run: PlanRun) -> PlanRunSummaryOut:
    return PlanRunSummaryOut(**{name: getattr(run, name) for name in PlanRunSummaryOut.model_fields})


@router.post("/plan-runs", status_code=status.HTTP_202_ACCEPTED)
def start_plan_run(response: Response, session: DbSession, user: Planner, data: PlanRequest) -> PlanJobOut:
    """Queue a plan run for a job worker; its progress is at the Location given."""
    job = actions.start_plan_run(session, user, data, now=jobs_service.utcnow())
    response.headers["Location"] = f"/api/plan-runs/{job.code}/progress"
    return job_out(job)


@router.get("/plan-runs", dependencies=[Depends(public)], response_model=Page[PlanRunSummaryOut])
async def list_plan_runs(unit: PublicUnit, paging: PagingDep, scenario: str | None = None) -> Response:
    def page(session: Session, _user: User | None) -> Page[PlanRunSummaryOut]:
        total, rows = page_of(session, read_models.runs_listed(scenario), PlanRun, RUN_SORTABLE, paging)
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=[summary_out(r) for r in rows])

    return await unit.kept(page)


@router.get("/plan-jobs", dependencies=[Depends(public)], response_model=Page[PlanJobOut])
async def list_plan_jobs(unit: PublicUnit, paging: PagingDep, status: JobStatus | None = None) -> Response:
    def page(session: Session, _user: User | None) -> Page[PlanJobOut]:
        total, rows = page_of(
            session, jobs_read_models.jobs_listed(JobKind.PLAN_RUN, status), Job, JOB_SORTABLE, paging
        )
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=[job_out(j) for j in rows])

    return await unit.kept(page)


@router.get("/plan-runs/{code}/progress", dependencies=[Depends(public)])
def plan_run_progress(session: DbSession, code: str) -> PlanJobOut:
    return job_out(jobs.progress(session, code))


def _threshold(request: Request) -> int:
    return int(request.app.state.settings.small_count_threshold)


@router.get("/plan-runs/{code}", dependencies=[Depends(public)])
def get_plan_run(request: Request, session: DbSession, code: str) -> PlanRunOut:
    run = jobs.finished_run(session, code)

    settlements, tasks = read_models.run_size(session, run)
    figures = actions.visible_figures(session, None, run, _threshold(request))
    return PlanRunOut(
        **summary_out(run).model_dump(), assumptions=run.assumptions, settlements=settlements,
        tasks=tasks, unplaced_people=figures.unplaced.people,
        data_issues=messages.english(run.data_issues),
    )  # fmt: skip


@router.get("/plan-runs/{code}/settlements", dependencies=[Depends(public)], response_model=Page[PlanSettlementOut])
async def plan_run_settlements(
    unit: PublicUnit, paging: PagingDep, code: str, district: str | None = None,
    settlement: str | None = None,
) -> Response:  # fmt: skip
    """When each settlement is ready; households and people pass the disclosure rule (None: withheld)."""

    def page(session: Session, _user: User | None) -> Page[PlanSettlementOut]:
        run = jobs.finished_run(session, code)
        query = results.settlement_query(
            run.id, district_id=id_for(session, District, district, "district"),
            settlement_id=id_for(session, Settlement, settlement, "settlement"),
        )  # fmt: skip
        total, rows = page_of(session, query, PlanSettlement, SETTLEMENT_SORTABLE, paging)
        shown, codes = (
            actions.visible_figures(session, None, run, _threshold(unit.request)).by_settlement,
            Codes(session),
        )
        items = []
        for row in rows:
            place = territory_read_models.settlement(session, row.settlement_id)
            cell = shown[row.settlement_id]
            items.append(PlanSettlementOut(
                settlement_code=place.code, settlement_name=place.name, district_code=codes.district(place.district_id)
                or "", households=cell.households, people=cell.people, ready_period=row.ready_period,
                ready_date=row.ready_date,
            ))  # fmt: skip
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)

    return await unit.respond(page)


@router.get("/plan-runs/{code}/tasks", dependencies=[Depends(public)], response_model=Page[PlanTaskOut])
async def plan_run_tasks(
    unit: PublicUnit, paging: PagingDep, code: str, district: str | None = None, settlement: str | None = None,
    kind: Literal["works", "clearance", "houses", "proposed"] | None = None, sector: Sector | None = None,
) -> Response:  # fmt: skip
    """The works schedule: every task with its dates (period 0 is the plan's first month)."""

    def page(session: Session, _user: User | None) -> Page[PlanTaskOut]:
        run = jobs.finished_run(session, code)
        query = results.task_query(
            run.id, district_id=id_for(session, District, district, "district"),
            settlement_id=id_for(session, Settlement, settlement, "settlement"), kind=kind, sector=sector,
        )  # fmt: skip
        total, rows = page_of(session, query, PlanTask, TASK_SORTABLE, paging)
        where, codes = results.places(session, rows), Codes(session)
        items = [task_out(t, where[t.id], codes) for t in rows]
        return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)

    return await unit.respond(page)


@router.get("/plan-runs/{code}/people-home", dependencies=[Depends(public)])
def plan_run_people_home(request: Request, session: DbSession, code: str) -> list[PeopleHomeOut]:
    """People whose move the plan sets in each year, and the running total (national figures; a year of too few
    households is withheld with the next, homecoming.disclosure)."""
    run = jobs.finished_run(session, code)
    years = actions.visible_figures(session, None, run, _threshold(request)).years
    return [PeopleHomeOut(year=year, people=people, cumulative=total) for year, people, total in years]
