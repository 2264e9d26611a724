"""Plan runs asked for from the API or the pages: a `plan_run` job in the jobs table, run by a job worker.

A plan run takes from seconds to minutes, so it never runs inside a request (house rule 3). The request queues a
job and returns; a worker (`homecoming worker`, or the one `homecoming serve` embeds) runs the plan in one unit of
work that also marks the job done, and writes its progress in short transactions of its own, which is what a
poller reads. A run that fails keeps its error's code and message; a run whose worker died leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.db.session import unit_of_work
from homecoming.errors import Conflict, NotFound
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import Job, JobKind, JobStatus
from homecoming.jobs.worker import JobContext
from homecoming.planning import run as plan_stages
from homecoming.planning.models import PlanRun
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario
from homecoming.planning.schemas import PlanRequest

TICK_S = 1.0  # how often the percent moves during a solve
# The stage keys of a plan run (for the workers' test hook, see homecoming.jobs.worker); "committing" is the
# moment every row of the plan is written and only the commit is left.
STAGE_KEYS = {
    plan_stages.BUILDING: "building",
    plan_stages.SEQUENCING: "sequencing",
    plan_stages.BUILDING_ALLOCATION: "building_allocation",
    plan_stages.ALLOCATING: "allocating",
    plan_stages.STORING: "storing",
}
COMMITTING = "committing"


def scenario_of(request: PlanRequest, now: dt.datetime) -> Scenario:
    """The request's scenario; its month 0 is the month asked for, else the month the run is asked in (never a
    fixed date: a plan made in December 2026 starts in December 2026)."""
    overrides = {
        "start": (request.start or now.date()).replace(day=1),
        "demining_teams": request.demining_teams,
        "crews": request.crews,
        "budget_share_for_plan": request.budget_share_for_plan,
        "horizon_months": request.horizon_months,
    }
    chosen = {name: value for name, value in overrides.items() if value is not None}
    return Scenario.model_validate(
        {"name": request.scenario, "sequencing_seconds": request.seconds, "allocation_seconds": request.seconds}
        | chosen
    )


def _run_exists(session: Session, code: str) -> bool:
    return session.scalar(select(PlanRun.id).where(PlanRun.code == code)) is not None


def start_job(session: Session, request: PlanRequest, requested_by: str, now: dt.datetime) -> Job:
    """A queued plan run (flushed, not committed); a worker takes it once the transaction has committed."""
    scenario = scenario_of(request, now)
    code = request.code or jobs_service.new_code(session, request.scenario, now, lambda c: _run_exists(session, c))
    if _run_exists(session, code) or jobs_service.code_taken(session, code):
        raise Conflict(
            "plan_runs.duplicate_code",
            f"a plan run with code {code!r} exists already; choose another code or leave it out",
            {"code": code},
        )
    payload = {"scenario": scenario.model_dump(mode="json")}
    return jobs_service.enqueue(session, JobKind.PLAN_RUN, code, payload, requested_by, now)


def run_plan_job(context: JobContext) -> None:
    """The worker's side: the plan and the job's 'done' in one transaction (all of it, or nothing after a kill)."""
    scenario = Scenario.model_validate(context.payload["scenario"])
    with unit_of_work(context.engine) as session, _Ticker(context, scenario) as ticker:
        run = run_plan(session, scenario, code=context.code, progress=ticker.stage)
        context.checkpoint(COMMITTING)
        message = f"{run.people_months:,} people-months displaced ({run.sequencing_status} schedule)"
        context.finish(session, message, {"plan_run": run.code, "people_months": run.people_months,
                                          "sequencing_status": run.sequencing_status})  # fmt: skip


class _Ticker:
    """Moves the percent along while an engine works towards its time limit: the engines say nothing meanwhile."""

    def __init__(self, context: JobContext, scenario: Scenario) -> None:
        self.context = context
        self.solves = {
            plan_stages.SEQUENCING: (plan_stages.BUILDING_ALLOCATION, scenario.sequencing_seconds),
            plan_stages.ALLOCATING: (plan_stages.STORING, scenario.allocation_seconds),
        }
        self.solving: tuple[int, int, float, float] | None = None  # from %, to %, time limit, started
        self.lock = threading.Lock()  # a tick never writes after the next stage did
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._tick, name=f"plan-{context.code}-ticker", daemon=True)

    def __enter__(self) -> _Ticker:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.done.set()
        self.thread.join()

    def stage(self, text: str, percent: int) -> None:
        with self.lock:
            solve = self.solves.get(percent)
            self.solving = None if solve is None else (percent, solve[0], solve[1], time.monotonic())
            self.context.stage(STAGE_KEYS.get(percent, str(percent)), text, percent)

    def _tick(self) -> None:
        while not self.done.wait(TICK_S):
            with self.lock:
                if self.solving is None:
                    continue
                start, end, limit, since = self.solving
                share = min(1.0, (time.monotonic() - since) / limit)
                try:
                    self.context.record(percent=start + int((end - start - 1) * share))
                except Exception:  # progress is a courtesy; the work goes on
                    continue


def progress(session: Session, code: str) -> Job:
    """The job behind a plan run; a run made from the command line (no job) reads as done."""
    job = jobs_service.find(session, code, JobKind.PLAN_RUN)
    if job is not None:
        return job
    run = session.scalars(select(PlanRun).where(PlanRun.code == code)).one_or_none()
    if run is None:
        raise NotFound("plan_runs.not_found", f"no plan run with code {code!r}", {"code": code})
    return Job(
        code=run.code, kind=JobKind.PLAN_RUN, status=JobStatus.DONE, stage="done", percent=100, message=None,
        error_code=None, created_at=run.created_at, started_at=None, finished_at=None,
    )  # fmt: skip


def finished_run(session: Session, code: str) -> PlanRun:
    """The plan run of this code; a job still under way, failed or cancelled says so instead of a bare 'not found'."""
    run = session.scalars(select(PlanRun).where(PlanRun.code == code)).one_or_none()
    if run is not None:
        return run
    job = progress(session, code)
    if job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise NotFound(f"plan_runs.{job.status}", f"plan run {code!r} {job.status}: {job.message}", {"code": code})
    raise NotFound(
        "plan_runs.not_ready",
        f"plan run {code!r} is {job.status} ({job.percent}%: {job.stage}); poll /api/plan-runs/{code}/progress",
        {"code": code, "status": str(job.status)},
    )
