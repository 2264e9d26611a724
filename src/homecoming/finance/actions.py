"""Finance's use-cases: recording a budget line (who may, and its audit entry, written once for every door)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.permissions import require_role
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.finance import service
from homecoming.finance.models import BudgetAllocation
from homecoming.finance.schemas import BudgetAllocationCreate

RECORDERS = (Role.PLANNER, Role.PROCUREMENT_OFFICER)  # record budget lines and approved changes of them


def record_allocation(
    session: Session, actor: User | None, data: BudgetAllocationCreate, *, comment: str | None = None
) -> BudgetAllocation:
    user = require_role(actor, *RECORDERS)
    allocation = service.record_allocation(session, data)
    audit.record_change(session, user, "create", allocation, before=None, comment=comment)
    return allocation
