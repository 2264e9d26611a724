"""The official plan on a plan's page: a planner proposes the run, an admin who neither made nor proposed it approves
it, and either takes a proposal back (an approval: an admin). The buttons post the same use-cases as
POST /api/plan-runs/{code}/proposal, /approval and /withdrawal (homecoming.planning.actions)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.errors import RuleViolation
from homecoming.http.csrf import check_csrf, csrf_token
from homecoming.http.deps import DbSession, Requires
from homecoming.jobs import service as jobs_service
from homecoming.planning import actions, read_models
from homecoming.planning.models import PlanRun

router = APIRouter(include_in_schema=False)
Planner = Annotated[User, Depends(Requires(*actions.PLANNERS))]
Approver = Annotated[User, Depends(Requires(*actions.APPROVERS))]


def approval_panel(request: Request, session: Session, user: User | None, run: PlanRun) -> dict[str, Any]:
    """What the plan's page shows of its approval, and the buttons this reader may press."""
    state = read_models.approval_of(session, run)
    buttons = {
        "can_propose": actions.may_propose(user, state.approval),
        "can_approve": actions.may_approve(user, state.approval, state.author),
        "can_withdraw": actions.may_withdraw(user, state.approval),
    }
    token = csrf_token(request) if any(buttons.values()) else ""
    return {"approval": state, "approval_csrf": token, **buttons}


async def _form(request: Request) -> tuple[dict[str, str], str | None]:
    """The posted fields (refused without the session's token) and the reason given, if any."""
    posted = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, posted)
    return posted, posted.get("comment", "").strip()[:1000] or None


async def _posted(request: Request) -> tuple[int, str | None]:
    """The version of the approval the page showed, and the reason given."""
    posted, comment = await _form(request)
    version = posted.get("version", "").strip()
    if not version.isdigit():
        raise RuleViolation("request.invalid", "version: the page's version of the approval is missing; reload it",
                            {"field": "version"})  # fmt: skip
    return int(version), comment


@router.post("/plans/{code}/proposal")
async def propose(request: Request, session: DbSession, user: Planner, code: str) -> Response:
    _posted_fields, comment = await _form(request)
    actions.propose_plan_run(session, user, code, now=jobs_service.utcnow(), comment=comment)
    return RedirectResponse(f"/plans/{code}#approval", status_code=303)


@router.post("/plans/{code}/approval")
async def approve(request: Request, session: DbSession, user: Approver, code: str) -> Response:
    version, comment = await _posted(request)
    actions.approve_plan_run(session, user, code, version=version, now=jobs_service.utcnow(), comment=comment)
    return RedirectResponse(f"/plans/{code}#approval", status_code=303)


@router.post("/plans/{code}/withdrawal")
async def withdraw(request: Request, session: DbSession, user: Planner, code: str) -> Response:
    version, comment = await _posted(request)
    actions.withdraw_plan_run(session, user, code, version=version, now=jobs_service.utcnow(), comment=comment)
    return RedirectResponse(f"/plans/{code}#approval", status_code=303)
