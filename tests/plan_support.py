"""An official plan for tests that need one: proposed by a planner and approved by an admin through the plan's
use-cases, as the plan's page does (the accounts are the command line's kind of stand-in, never stored)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.planning import actions
from homecoming.planning.models import PlanRun

PLANNER = User(username="test-planner", role=Role.PLANNER)
ADMIN = User(username="test-admin", role=Role.ADMIN)  # neither made nor proposed the run


def make_official(session: Session, run: PlanRun, now: dt.datetime) -> None:
    approval = actions.propose_plan_run(session, PLANNER, run.code, now=now)
    actions.approve_plan_run(session, ADMIN, run.code, version=approval.version, now=now)
