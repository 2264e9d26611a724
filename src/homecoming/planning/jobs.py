"""Plan runs asked for from the API or the pages: queued in a table, run in a background thread, one at a time.

A plan run takes from seconds to minutes, so it never runs inside a request (house rule 3). The request writes a
queued job and returns; a thread then runs the plan in its own unit of work and writes the job's progress in short
transactions of their own, which is what a poller reads. A run that fails keeps its error's code and message.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
import weakref
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from homecoming.db.crud import get_by_code
from homecoming.db.session import unit_of_work
from homecoming.errors import Conflict, DomainError, NotFound
from homecoming.planning import run as plan_stages
from homecoming.planning.models import JobStatus, PlanJob, PlanRun
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario
from homecoming.planning.schemas import PlanRequest

log = logging.getLogger(__name__)
# One plan at a time per server: each run already uses every core its engines may; a second one waits, queued.
_ONE_AT_A_TIME = threading.Lock()
TICK_S = 1.0  # how often the percent moves during a solve


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


PROCESS_STARTED = _now()
_swept: weakref.WeakSet[Engine] = weakref.WeakSet()


def sweep_interrupted(engine: Engine) -> None:
    """Jobs left queued or running by a server that has stopped (they are older than this process) failed: say so.

    Once per database and process, in a transaction of its own; otherwise their pages would poll for ever.
    """
    if engine in _swept:
        return
    _swept.add(engine)
    with unit_of_work(engine) as session:
        session.execute(
            update(PlanJob)
            .where(PlanJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]), PlanJob.created_at < PROCESS_STARTED)
            .values(
                status=JobStatus.FAILED, error_code="plan.interrupted", finished_at=_now(),
                message="the server stopped while this plan run was under way; start it again under another code",
            )
        )  # fmt: skip


def scenario_of(request: PlanRequest) -> Scenario:
    overrides = {
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


def _taken(session: Session, code: str) -> bool:
    return any(session.scalar(select(model.id).where(model.code == code)) is not None for model in (PlanRun, PlanJob))


def _default_code(session: Session, scenario: str) -> str:
    base = f"{re.sub(r'[^A-Za-z0-9._-]+', '-', scenario).strip('-._')[:40] or 'plan'}-{_now():%Y%m%d-%H%M%S}"
    code, n = base, 1
    while _taken(session, code):
        n += 1
        code = f"{base}-{n}"
    return code


def start_job(session: Session, request: PlanRequest, requested_by: str) -> PlanJob:
    """A queued job for this request (flushed, not committed); `launch` it once the transaction has committed."""
    sweep_interrupted(_engine(session))
    scenario = scenario_of(request)
    code = request.code or _default_code(session, request.scenario)
    if _taken(session, code):
        raise Conflict(
            "plan_runs.duplicate_code",
            f"a plan run with code {code!r} exists already; choose another code or leave it out",
            {"code": code},
        )
    job = PlanJob(
        code=code, status=JobStatus.QUEUED, stage="queued", percent=0, assumptions=scenario.model_dump(mode="json"),
        requested_by=requested_by, created_at=_now(),
    )  # fmt: skip
    session.add(job)
    session.flush()
    return job


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def launch(engine: Engine, code: str) -> threading.Thread:
    thread = threading.Thread(target=run_job, args=(engine, code), name=f"plan-{code}", daemon=True)
    thread.start()
    return thread


def run_job(engine: Engine, code: str) -> None:
    """The thread's work: wait for the plan before it, run this one, record how it ended."""
    with _ONE_AT_A_TIME:
        try:
            with unit_of_work(engine) as session:
                scenario = Scenario.model_validate(get_by_code(session, PlanJob, code).assumptions)
            _record(engine, code, status=JobStatus.RUNNING, stage="starting", percent=0, started_at=_now())
            with unit_of_work(engine) as session, _Ticker(engine, code, scenario) as ticker:
                run = run_plan(session, scenario, code=code, progress=ticker.stage)
                message = f"{run.people_months:,} people-months displaced ({run.sequencing_status} schedule)"
            _record(engine, code, status=JobStatus.DONE, stage="done", percent=100, message=message,
                    finished_at=_now())  # fmt: skip
        except DomainError as exc:
            _failed(engine, code, exc.code, exc.message)
        except Exception as exc:  # a bug or a lost database: still tell the poller, not only the log
            log.exception("plan run %s stopped", code)
            _failed(engine, code, "plan.crashed", f"the plan run stopped unexpectedly ({type(exc).__name__}); "
                    "the server's log has the details")  # fmt: skip


class _Ticker:
    """Moves the percent along while an engine works towards its time limit: the engines say nothing meanwhile."""

    def __init__(self, engine: Engine, code: str, scenario: Scenario) -> None:
        self.engine, self.code = engine, code
        self.solves = {
            plan_stages.SEQUENCING: (plan_stages.BUILDING_ALLOCATION, scenario.sequencing_seconds),
            plan_stages.ALLOCATING: (plan_stages.STORING, scenario.allocation_seconds),
        }
        self.solving: tuple[int, int, float, float] | None = None  # from %, to %, time limit, started
        self.lock = threading.Lock()  # a tick never writes after the next stage did
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._tick, name=f"plan-{code}-ticker", daemon=True)

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
            _record(self.engine, self.code, stage=text, percent=percent)

    def _tick(self) -> None:
        while not self.done.wait(TICK_S):
            with self.lock:
                if self.solving is None:
                    continue
                start, end, limit, since = self.solving
                share = min(1.0, (time.monotonic() - since) / limit)
                _record(self.engine, self.code, percent=start + int((end - start - 1) * share))


def _record(engine: Engine, code: str, **values: Any) -> None:
    with unit_of_work(engine) as session:
        session.execute(update(PlanJob).where(PlanJob.code == code).values(**values))


def _failed(engine: Engine, code: str, error_code: str, message: str) -> None:
    try:
        _record(engine, code, status=JobStatus.FAILED, error_code=error_code, message=message, finished_at=_now())
    except Exception:
        log.exception("could not record that plan run %s failed", code)


def progress(session: Session, code: str) -> PlanJob:
    """The job behind a plan run; a run made from the command line (no job) reads as done."""
    sweep_interrupted(_engine(session))
    job = session.scalars(select(PlanJob).where(PlanJob.code == code)).one_or_none()
    if job is not None:
        return job
    run = session.scalars(select(PlanRun).where(PlanRun.code == code)).one_or_none()
    if run is None:
        raise NotFound("plan_runs.not_found", f"no plan run with code {code!r}", {"code": code})
    return PlanJob(
        code=run.code, status=JobStatus.DONE, stage="done", percent=100, message=None, error_code=None,
        created_at=run.created_at, started_at=None, finished_at=None,
    )  # fmt: skip


def finished_run(session: Session, code: str) -> PlanRun:
    """The plan run of this code; a job still under way or failed says so instead of a bare 'not found'."""
    run = session.scalars(select(PlanRun).where(PlanRun.code == code)).one_or_none()
    if run is not None:
        return run
    job = progress(session, code)
    if job.status == JobStatus.FAILED:
        raise NotFound("plan_runs.failed", f"plan run {code!r} failed: {job.message}", {"code": code})
    raise NotFound(
        "plan_runs.not_ready",
        f"plan run {code!r} is {job.status} ({job.percent}%: {job.stage}); poll /api/plan-runs/{code}/progress",
        {"code": code, "status": str(job.status)},
    )
