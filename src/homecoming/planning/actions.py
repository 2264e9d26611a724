"""Plan runs' use-cases, whichever door asks: start one as a job (API), run one now (command line), export one, and
the protected figures every reader is shown of it.

Starting a job is the planner's write, so it is what the audit trail records (one entry naming the planner); the
worker that runs it later writes the plan under that job's code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.disclosure import PlanFigures, plan_figures
from homecoming.households import actions as households
from homecoming.jobs.models import Job
from homecoming.planning import jobs
from homecoming.planning.models import PlanRun
from homecoming.planning.run import Step, run_plan
from homecoming.planning.scenario import Scenario
from homecoming.planning.schemas import PlanRequest

PLANNERS = (Role.PLANNER,)


def may_plan(actor: User | None) -> bool:
    """Whether a page offers this reader the forms that start plan runs, risk runs and sweeps."""
    return actor is not None and actor.role in permissions.allowed_roles(*PLANNERS)


def start_plan_run(session: Session, actor: User | None, request: PlanRequest, *, now: dt.datetime) -> Job:
    """A queued plan run (flushed, not committed); a worker takes it once the transaction has committed."""
    user = permissions.require_role(actor, *PLANNERS)
    job = jobs.start_job(session, request, user.username, now)
    audit.record_change(session, user, "create", job, before=None)
    return job


def make_plan(
    session: Session, actor: User | None, scenario: Scenario, *, code: str | None = None, step: Step | None = None
) -> PlanRun:
    """Sequencing and allocation solved now, in this unit of work, and stored as one plan run."""
    user = permissions.require_role(actor, *PLANNERS)
    run = run_plan(session, scenario, code=code, step=step)
    summary = {"scenario": run.scenario, "people_months": run.people_months,
               "sequencing_status": run.sequencing_status}  # fmt: skip
    audit.record_change(session, user, "create", run, before=None, after=summary)
    return run


def export_plan(session: Session, actor: User | None, run: PlanRun, folder: Path, *, file_type: str) -> list[Path]:
    """A plan run as files; its allocation lists name households, so only the registry's readers get them."""
    households.may_read_registry(actor)
    from homecoming.planning.export import export_plan as write  # matplotlib: only for whoever exports

    return write(session, run, folder, file_type=file_type)


def visible_figures(session: Session, actor: User | None, run: PlanRun, threshold: int) -> PlanFigures:
    """What every reader, logged in or not, is shown of a plan's counts of households and people: the one
    disclosure rule's protected figures (homecoming.disclosure), the same through the API, the pages and the
    command line."""
    del actor  # public figures: the same for everyone
    return plan_figures(session, run, threshold)
