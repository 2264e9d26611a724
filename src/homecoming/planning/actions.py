"""Plan runs' use-cases, whichever door asks: start one as a job (API), run one now (command line), export one,
make one the official plan (a planner proposes, an admin who neither made nor proposed it approves), and the
protected figures every reader is shown of it.

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
from homecoming.errors import Conflict, Forbidden
from homecoming.households import actions as households
from homecoming.jobs.models import Job
from homecoming.planning import approvals, jobs
from homecoming.planning.models import ApprovalState, PlanApproval, PlanRun
from homecoming.planning.run import Step, run_plan
from homecoming.planning.scenario import Scenario
from homecoming.planning.schemas import PlanRequest
from homecoming.versions import check_version

PLANNERS = (Role.PLANNER,)
APPROVERS = (Role.ADMIN,)  # who makes a proposed plan run the official plan (never its own author or proposer)


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


def may_propose(actor: User | None, approval: PlanApproval | None) -> bool:
    """Whether the plan's page offers this reader the button that proposes the run as the official plan."""
    return may_plan(actor) and (approval is None or approval.state is ApprovalState.WITHDRAWN)


def may_withdraw(actor: User | None, approval: PlanApproval | None) -> bool:
    """Whether the plan's page offers this reader the button that withdraws a proposal or an approval."""
    if actor is None or approval is None or approval.state is ApprovalState.WITHDRAWN or not may_plan(actor):
        return False
    return approval.state is ApprovalState.PROPOSED or actor.role in permissions.allowed_roles(*APPROVERS)


def may_approve(actor: User | None, approval: PlanApproval | None, author: str | None) -> bool:
    """Whether the plan's page offers this reader the approval button."""
    return (
        actor is not None and actor.role in permissions.allowed_roles(*APPROVERS) and approval is not None
        and approval.state is ApprovalState.PROPOSED and actor.username not in {approval.proposed_by, author}
    )  # fmt: skip


def propose_plan_run(
    session: Session, actor: User | None, code: str, *, now: dt.datetime, comment: str | None = None
) -> PlanApproval:
    """Put a finished plan run forward as the official plan (again, once withdrawn)."""
    user = permissions.require_role(actor, *PLANNERS)
    run = jobs.finished_run(session, code)
    approval = approvals.find(session, run)
    if approval is not None and approval.state is not ApprovalState.WITHDRAWN:
        raise Conflict(
            f"plan_approvals.already_{approval.state.value}",
            f"plan run {code!r} is already {approval.state.value}; withdraw it first to propose it again",
            {"code": code, "state": approval.state.value},
        )
    before = audit.snapshot(approval) if approval is not None else None
    approval = approvals.propose(session, run, approval, user.username, now)
    audit.record_change(session, user, "create" if before is None else "update", approval, before=before,
                        comment=comment)  # fmt: skip
    return approval


def approve_plan_run(
    session: Session, actor: User | None, code: str, *, version: int, now: dt.datetime, comment: str | None = None
) -> PlanApproval:
    """Make a proposed plan run the official plan: by an admin who neither made nor proposed it."""
    user = permissions.require_role(actor, *APPROVERS)
    approval = approvals.get(session, code)
    check_version(approval, version)
    if approval.state is not ApprovalState.PROPOSED:
        raise Conflict(
            "plan_approvals.not_proposed",
            f"plan run {code!r} is {approval.state.value}, not proposed; only a proposed plan run can be approved",
            {"code": code, "state": approval.state.value},
        )
    author = approvals.author_of(session, session.get_one(PlanRun, approval.plan_run_id))
    if user.username in {approval.proposed_by, author}:
        raise Forbidden(
            "plan_approvals.own_run",
            f"{user.username} made or proposed plan run {code!r}: another admin approves it (separation of duties)",
            {"code": code, "proposed_by": approval.proposed_by, "made_by": author},
        )
    before = audit.snapshot(approval)
    approvals.approve(session, approval, user.username, now)
    audit.record_change(session, user, "update", approval, before=before, comment=comment)
    return approval


def withdraw_plan_run(
    session: Session, actor: User | None, code: str, *, version: int, now: dt.datetime, comment: str | None = None
) -> PlanApproval:
    """Take a proposal back (a planner or an admin), or an approval (an admin only): the plan approved before it,
    if any, is the official plan again."""
    user = permissions.require_role(actor, *PLANNERS)
    approval = approvals.get(session, code)
    check_version(approval, version)
    if approval.state is ApprovalState.WITHDRAWN:
        raise Conflict("plan_approvals.already_withdrawn", f"plan run {code!r} is already withdrawn", {"code": code})
    if approval.state is ApprovalState.APPROVED and user.role not in permissions.allowed_roles(*APPROVERS):
        raise Forbidden("plan_approvals.approved", f"plan run {code!r} is the approved plan: only an admin withdraws "
                        "it", {"code": code})  # fmt: skip
    before = audit.snapshot(approval)
    approvals.withdraw(session, approval, user.username, now)
    audit.record_change(session, user, "update", approval, before=before, comment=comment)
    return approval
