"""The official plan's records: who proposed a plan run, who approved or withdrew it, and who made the run. Data
functions (they flush, never commit); the rules on who may do which are the use-cases in `planning.actions`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.audit.models import AuditEntry
from homecoming.errors import NotFound
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import JobKind
from homecoming.planning.models import ApprovalState, PlanApproval, PlanRun


def find(session: Session, run: PlanRun) -> PlanApproval | None:
    return session.scalars(select(PlanApproval).where(PlanApproval.plan_run_id == run.id)).one_or_none()


def get(session: Session, code: str) -> PlanApproval:
    approval = session.scalars(select(PlanApproval).where(PlanApproval.code == code)).one_or_none()
    if approval is None:
        raise NotFound(
            "plan_approvals.not_found",
            f"plan run {code!r} has not been proposed as the official plan; a planner proposes it first",
            {"code": code},
        )
    return approval


def author_of(session: Session, run: PlanRun) -> str | None:
    """Who made the run: the planner who started its job, or who ran it from the command line (its audit entry)."""
    job = jobs_service.find(session, run.code, JobKind.PLAN_RUN)
    if job is not None:
        return job.requested_by
    made = select(AuditEntry.username).where(
        AuditEntry.table_name == PlanRun.__tablename__,
        AuditEntry.record_code == run.code,
        AuditEntry.action == "create",
    )
    return session.scalars(made.limit(1)).first()


def propose(
    session: Session, run: PlanRun, approval: PlanApproval | None, username: str, now: dt.datetime
) -> PlanApproval:
    """A new proposal, or a withdrawn one put forward again (its approval and withdrawal forgotten)."""
    if approval is None:
        approval = PlanApproval(code=run.code, plan_run_id=run.id)
        session.add(approval)
    approval.state, approval.proposed_by, approval.proposed_at = ApprovalState.PROPOSED, username, now
    approval.approved_by = approval.approved_at = approval.withdrawn_by = approval.withdrawn_at = None
    session.flush()
    return approval


def approve(session: Session, approval: PlanApproval, username: str, now: dt.datetime) -> None:
    approval.state, approval.approved_by, approval.approved_at = ApprovalState.APPROVED, username, now
    session.flush()


def withdraw(session: Session, approval: PlanApproval, username: str, now: dt.datetime) -> None:
    approval.state, approval.withdrawn_by, approval.withdrawn_at = ApprovalState.WITHDRAWN, username, now
    session.flush()
