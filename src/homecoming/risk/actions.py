"""Risk runs and sweeps, whichever door asks (API, plan page, command line): planners start them as jobs, or run a
risk run in place from the command line; each start or stored run is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.jobs.models import Job
from homecoming.planning.models import PlanRun
from homecoming.risk import jobs, service
from homecoming.risk.models import PlanRisk
from homecoming.risk.schemas import RiskRequest, SweepRequest

PLANNERS = (Role.PLANNER,)


def start_risk_run(session: Session, actor: User | None, plan_code: str, request: RiskRequest, *,
                   now: dt.datetime) -> Job:  # fmt: skip
    """A queued risk run of a finished plan run (flushed, not committed)."""
    user = permissions.require_role(actor, *PLANNERS)
    job = jobs.start_risk_job(session, plan_code, request, user.username, now)
    audit.record_change(session, user, "create", job, before=None)
    return job


def start_sweep(session: Session, actor: User | None, request: SweepRequest, *, now: dt.datetime) -> Job:
    """A queued sweep of plan variants (flushed, not committed)."""
    user = permissions.require_role(actor, *PLANNERS)
    job = jobs.start_sweep_job(session, request, user.username, now)
    audit.record_change(session, user, "create", job, before=None)
    return job


def run_risk(session: Session, actor: User | None, plan: PlanRun, **options: Any) -> PlanRisk:
    """A risk run of `plan` computed here and stored with it (the command line's way; `service.run_risk` takes the
    options). The trail names the run and its settings, not its bands."""
    user = permissions.require_role(actor, *PLANNERS)
    risk = service.run_risk(session, plan, **options)
    stored = audit.snapshot(risk)  # JSON-ready values (the date as ISO text)
    summary = {"plan_run": plan.code} | {key: stored[key] for key in ("scenarios", "seed", "by_date")}
    audit.record_change(session, user, "create", risk, before=None, after=summary, code=f"{plan.code}/risk-{risk.id}")
    return risk
