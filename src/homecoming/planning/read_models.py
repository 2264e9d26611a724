"""What the plan pages read: the runs listed, the jobs under way, a run's ready dates, its districts and its
schedule as the Gantt chart lays it out. Plain records (stored rows where a page shows many of their fields); the
pages only render them. Counts of households and people go through `actions.visible_figures`, never from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.db.crud import get_by_code
from homecoming.jobs.models import Job, JobKind, JobStatus
from homecoming.planning import results
from homecoming.planning.models import PlanRun, PlanSettlement, PlanTask
from homecoming.risk.models import PlanRisk
from homecoming.territory.models import District, Settlement

RUNS_LISTED = 100
JOBS_UNDER_WAY = 20
PLAN_JOBS_LISTED = 10


def recent_runs(session: Session, limit: int = RUNS_LISTED) -> list[PlanRun]:
    """The latest plan runs, newest first (what-ifs included: the staff's list, not the official forecast)."""
    query = select(PlanRun).order_by(PlanRun.created_at.desc(), PlanRun.id.desc()).limit(limit)
    return list(session.scalars(query))


def runs_under_way(session: Session) -> list[Job]:
    query = (
        select(Job)
        .where(Job.kind == JobKind.PLAN_RUN, Job.status != JobStatus.DONE)
        .order_by(Job.created_at.desc(), Job.id.desc())
        .limit(JOBS_UNDER_WAY)
    )
    return list(session.scalars(query))


def run_named(session: Session, code: str) -> PlanRun | None:
    """The stored run of this code, or None while it is still a job (or never was)."""
    return session.scalars(select(PlanRun).where(PlanRun.code == code)).one_or_none()


def run_of_code(session: Session, code: str) -> PlanRun:
    """The stored run of this code; NotFound (plan_runs.not_found) when there is none."""
    return get_by_code(session, PlanRun, code)


def has_risk(session: Session, run: PlanRun) -> bool:
    return session.scalar(select(PlanRisk.id).where(PlanRisk.plan_run_id == run.id).limit(1)) is not None


def plan_jobs(session: Session, plan_code: str) -> list[Job]:
    """The latest risk runs and sweeps made from this plan run (the payload names it)."""
    recent = session.scalars(
        select(Job).where(Job.kind.in_([JobKind.RISK_RUN, JobKind.SWEEP])).order_by(Job.id.desc()).limit(200)
    )
    return [job for job in recent if job.payload.get("plan_run") == plan_code][:PLAN_JOBS_LISTED]


@dataclass(frozen=True)
class ReadyRow:
    settlement_id: int
    code: str
    name: str
    district: str
    ready_date: dt.date


def ready_rows(session: Session, run: PlanRun) -> list[ReadyRow]:
    """Each settlement of the plan with its district and the date it is ready, soonest first."""
    query = (
        select(Settlement.id, Settlement.code, Settlement.name, District.name, PlanSettlement.ready_date)
        .join(Settlement, Settlement.id == PlanSettlement.settlement_id)
        .join(District, District.id == Settlement.district_id)
        .where(PlanSettlement.plan_run_id == run.id)
        .order_by(PlanSettlement.ready_date, Settlement.name)
    )  # fmt: skip
    return [ReadyRow(i, code, name, district, day) for i, code, name, district, day in session.execute(query)]


def districts_of(session: Session, run: PlanRun) -> list[tuple[str, str]]:
    """Code and name of the districts with a settlement in the plan, by name (the Gantt's filter)."""
    rows = session.execute(
        select(District.code, District.name)
        .join(Settlement, Settlement.district_id == District.id)
        .join(PlanSettlement, PlanSettlement.settlement_id == Settlement.id)
        .where(PlanSettlement.plan_run_id == run.id)
        .group_by(District.code, District.name)
        .order_by(District.name)
    )
    return [(c, n) for c, n in rows]


@dataclass(frozen=True)
class Named:
    code: str
    name: str


@dataclass(frozen=True)
class Schedule:
    """A run's tasks (of one district, or all) with where each is, the settlements' ready months, and the names."""

    tasks: list[PlanTask]
    places: dict[int, results.Place]  # by task id
    ready: dict[int, PlanSettlement]  # by settlement id
    settlements: dict[int, Named]
    districts: dict[int, Named]


def schedule(session: Session, run: PlanRun, district_id: int | None = None) -> Schedule:
    tasks = list(session.scalars(results.task_query(run.id, district_id=district_id)))
    ready = session.scalars(select(PlanSettlement).where(PlanSettlement.plan_run_id == run.id))
    return Schedule(
        tasks=tasks,
        places=results.places(session, tasks),
        ready={s.settlement_id: s for s in ready},
        settlements={s.id: Named(s.code, s.name) for s in session.scalars(select(Settlement))},
        districts={d.id: Named(d.code, d.name) for d in session.scalars(select(District))},
    )
