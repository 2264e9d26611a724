"""Risk runs and sweeps, whichever door asks (API, plan page): planners start them as jobs, each start audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import Role, User
from homecoming.audit import service as audit
from homecoming.jobs.models import Job
from homecoming.risk import jobs
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
