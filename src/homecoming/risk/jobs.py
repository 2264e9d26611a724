"""Risk runs and sweeps asked for from the API or the pages: `risk_run` and `sweep` jobs for the job workers.

The job worker builds everything from the database in its own process; Dask still spreads the scenarios (risk) or
the variants (sweep) over its workers, as from the command line. A risk run is stored with its plan run in the same
transaction that marks the job done; a sweep's comparison is the job's result.
"""

from __future__ import annotations

import datetime as dt
import threading

from pydantic import ValidationError
from sqlalchemy.orm import Session

from homecoming.db.session import unit_of_work
from homecoming.errors import RuleViolation
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import Job, JobKind
from homecoming.jobs.worker import JobContext
from homecoming.planning import jobs as plan_jobs
from homecoming.planning import report
from homecoming.planning.scenario import Scenario
from homecoming.risk import service
from homecoming.risk import sweep as sweeps
from homecoming.risk.schemas import MAX_VARIANTS, RiskRequest, SweepRequest

SIMULATING, SUMMING_UP = 5, 95  # percent of a risk run before each of its stages
SOLVING = 10  # percent of a sweep once every variant is built


def start_risk_job(session: Session, plan_code: str, request: RiskRequest, requested_by: str, now: dt.datetime) -> Job:
    """A queued risk run of a finished plan run (flushed, not committed)."""
    plan = plan_jobs.finished_run(session, plan_code)  # a plan still under way or failed says so
    payload = {"plan_run": plan.code} | request.model_dump(mode="json")
    code = jobs_service.new_code(session, f"risk-{plan.code}"[:40], now)
    return jobs_service.enqueue(session, JobKind.RISK_RUN, code, payload, requested_by, now)


def run_risk_job(context: JobContext) -> None:
    request = RiskRequest.model_validate({k: v for k, v in context.payload.items() if k != "plan_run"})
    units = -(-request.scenarios // request.chunk)
    with unit_of_work(context.engine) as session:
        plan = report.latest_run(session, context.payload["plan_run"])
        context.stage("simulating", f"sampling {request.scenarios:,} scenarios of plan {plan.code}", SIMULATING)
        progress = _Counter(context, request.scenarios, SIMULATING, SUMMING_UP)
        with service.dask_cluster(None, request.workers, units) as client:
            risk = service.run_risk(session, plan, scenarios=request.scenarios, seed=request.seed, by=request.by,
                                    chunk=request.chunk, client=client, progress=progress.add)  # fmt: skip
        context.checkpoint("committing")
        pm = risk.people_months
        context.finish(
            session, f"people-months displaced: plan {pm['plan']:,}; P10 {pm['p10']:,}, P50 {pm['p50']:,}, "
            f"P90 {pm['p90']:,}", {"plan_run": plan.code, "risk_url": f"/plans/{plan.code}/risk",
                                   "scenarios": risk.scenarios, "people_months": pm},
        )  # fmt: skip


def start_sweep_job(session: Session, request: SweepRequest, requested_by: str, now: dt.datetime) -> Job:
    """A queued sweep (flushed, not committed); its base scenario and the number of variants are checked now."""
    if request.plan_run is not None:
        base = dict(plan_jobs.finished_run(session, request.plan_run).assumptions) | request.scenario
    else:
        base = request.scenario
    try:
        scenario = Scenario.model_validate(base)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise RuleViolation("sweep.bad_scenario", f"scenario.{'.'.join(map(str, error['loc']))}: {error['msg']}",
                            {"field": ".".join(map(str, error["loc"]))}) from None  # fmt: skip
    count = len(request.variants) if request.variants is not None else _grid_size(request)
    if count > MAX_VARIANTS:
        raise RuleViolation("sweep.too_many_variants", f"{count} variants: at most {MAX_VARIANTS} in one sweep; "
                            "give fewer values", {"variants": count})  # fmt: skip
    payload = request.model_dump(mode="json", exclude={"code", "scenario", "plan_run"})
    payload |= {"scenario": scenario.model_dump(mode="json"), "plan_run": request.plan_run}
    code = request.code or jobs_service.new_code(session, "sweep", now)
    return jobs_service.enqueue(session, JobKind.SWEEP, code, payload, requested_by, now)


def _grid_size(request: SweepRequest) -> int:
    return max(1, len(request.budget_factors)) * max(1, len(request.teams)) * max(1, len(request.crews))


def run_sweep_job(context: JobContext) -> None:
    payload = context.payload
    base = Scenario.model_validate(payload["scenario"])
    with unit_of_work(context.engine) as session:
        if payload.get("variants") is not None:
            chosen = sweeps.listed(payload["variants"])
        else:
            yearly = base.budget_azn_per_year or sweeps.registry_budget(session)
            chosen = sweeps.grid(base, payload["budget_factors"], payload["teams"], payload["crews"], yearly)
        progress = _Counter(context, len(chosen), SOLVING, 100)
        context.stage("building", f"building {len(chosen)} variants", 0)
        with service.dask_cluster(None, int(payload["workers"]), len(chosen)) as client:
            outcomes, goal = sweeps.run_sweep(
                session, base, chosen, seconds=float(payload["seconds"]), client=client, target=payload["target"],
                done=lambda: progress.add(1), say=lambda text: context.stage("building", text, 0),
            )  # fmt: skip
        context.checkpoint("committing")
        rows = sweeps.rows(outcomes)
        solved = [r for r in rows if r["people_months"] is not None]
        best = min(solved, key=lambda r: r["people_months"], default=None)
        message = f"{len(solved)} of {len(rows)} variants solved" + (
            f"; fewest people-months: {best['variant']} ({best['people_months']:,})" if best else ""
        )
        context.finish(session, message, {"target_people": goal, "variants": rows})


class _Counter:
    """Pieces of work done so far, shown as a percent between two stage marks; it checks for a cancel each time."""

    def __init__(self, context: JobContext, total: int, start: int, end: int) -> None:
        self.context, self.total, self.start, self.end = context, max(1, total), start, end
        self.done, self.shown = 0, start
        self.lock = threading.Lock()  # Dask may call back from its own thread

    def add(self, n: int) -> None:
        with self.lock:
            self.done += n
            percent = self.start + (self.end - self.start - 1) * min(self.done, self.total) // self.total
            if percent != self.shown:
                self.shown = percent
                self.context.record(percent=percent)
        self.context.check()

