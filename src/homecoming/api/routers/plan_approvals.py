"""The official plan: a planner proposes a plan run, an admin who neither made nor proposed it approves it; either
withdraws a proposal, an admin an approval. The public forecast (pages, open data, the map) is the approved run
approved last, at GET /api/official-plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from homecoming.accounts.models import User
from homecoming.errors import NotFound
from homecoming.http.deps import DbSession, Requires, public
from homecoming.http.listing import showing_current
from homecoming.jobs import service as jobs_service
from homecoming.planning import actions, read_models
from homecoming.planning.models import PlanApproval
from homecoming.planning.schemas import OfficialPlanOut, PlanApprovalOut, PlanProposal
from homecoming.versions import Versioned

router = APIRouter(prefix="/api", tags=["plans"])
Planner = Annotated[User, Depends(Requires(*actions.PLANNERS))]
Approver = Annotated[User, Depends(Requires(*actions.APPROVERS))]


def approval_out(approval: PlanApproval) -> PlanApprovalOut:
    return PlanApprovalOut(
        plan_run=approval.code, state=approval.state.value, proposed_by=approval.proposed_by,
        proposed_at=approval.proposed_at, approved_by=approval.approved_by, approved_at=approval.approved_at,
        withdrawn_by=approval.withdrawn_by, withdrawn_at=approval.withdrawn_at, version=approval.version,
    )  # fmt: skip


@router.post("/plan-runs/{code}/proposal", status_code=status.HTTP_201_CREATED)
def propose_plan_run(session: DbSession, user: Planner, code: str, data: PlanProposal) -> PlanApprovalOut:
    """Propose a finished plan run as the official plan (again, once withdrawn)."""
    approval = actions.propose_plan_run(session, user, code, now=jobs_service.utcnow(), comment=data.comment)
    return approval_out(approval)


@router.post("/plan-runs/{code}/approval")
def approve_plan_run(session: DbSession, user: Approver, code: str, data: Versioned) -> PlanApprovalOut:
    """Approve a proposed plan run: it becomes the public forecast. Not by whoever made or proposed it."""
    with showing_current(approval_out):
        approval = actions.approve_plan_run(
            session, user, code, version=data.version, now=jobs_service.utcnow(), comment=data.comment
        )
    return approval_out(approval)


@router.post("/plan-runs/{code}/withdrawal")
def withdraw_plan_run(session: DbSession, user: Planner, code: str, data: Versioned) -> PlanApprovalOut:
    """Withdraw a proposal, or (an admin) an approval: the run approved before it is the official plan again."""
    with showing_current(approval_out):
        approval = actions.withdraw_plan_run(
            session, user, code, version=data.version, now=jobs_service.utcnow(), comment=data.comment
        )
    return approval_out(approval)


@router.get("/official-plan", dependencies=[Depends(public)])
def official_plan(session: DbSession) -> OfficialPlanOut:
    """The approved plan the public forecast comes from; 404 (plan_approvals.no_official_plan) while none is."""
    official = read_models.official_plan(session)
    if official is None:
        raise NotFound("plan_approvals.no_official_plan", "there is no official forecast yet: no plan run is approved")
    run = official.run
    return OfficialPlanOut(plan_run=run.code, scenario=run.scenario, approved_on=official.approved_on,
                           changed_since=[str(change) for change in official.changed_since])  # fmt: skip
