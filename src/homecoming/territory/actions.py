"""Territory use-cases: adding and correcting settlements, whichever door the change comes from (API, form).

Each checks the role, the district and the version, changes the settlement and writes one audit entry in the
caller's unit of work; a refusal raises before anything is written."""

from __future__ import annotations

from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import Role, User
from homecoming.audit import service as audit
from homecoming.territory import scope, service
from homecoming.territory.models import Settlement
from homecoming.territory.schemas import SettlementCreate, SettlementUpdate
from homecoming.versions import check_version

EDITORS = (Role.DATA_ENTRY, Role.PLANNER)  # data entry in its own district


def create_settlement(
    session: Session, actor: User | None, data: SettlementCreate, *, comment: str | None = None
) -> Settlement:
    user = permissions.require_role(actor, *EDITORS)
    settlement = service.create_settlement(session, data, user)  # checks the district
    audit.record_change(session, user, "create", settlement, before=None, comment=comment)
    return settlement


def update_settlement(
    session: Session, actor: User | None, code: str, data: SettlementUpdate, *, version: int,
    comment: str | None = None,
) -> Settlement:  # fmt: skip
    """Correct a settlement's facts; `data` may be the door's whole change (its version and reason are not facts)."""
    user = permissions.require_role(actor, *EDITORS)
    settlement = service.get_settlement(session, code)
    scope.ensure_may_write(session, user, place_of_settlement(settlement))
    check_version(settlement, version)
    before = audit.snapshot(settlement)
    changes = SettlementUpdate(**data.model_dump(exclude_unset=True, exclude={"version", "comment"}))
    service.update_settlement(session, code, changes, user)
    audit.record_change(session, user, "update", settlement, before=before, comment=comment)
    return settlement


def place_of(session: Session, code: str) -> scope.Place:
    """Where a settlement is (a form checks it before showing the settlement to change)."""
    return place_of_settlement(service.get_settlement(session, code))


def place_of_settlement(settlement: Settlement) -> scope.Place:
    return scope.Place(settlement.district_id)
