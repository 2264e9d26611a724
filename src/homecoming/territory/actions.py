"""Territory use-cases: adding and correcting settlements, whichever door the change comes from (API, form).

Each checks the role, the district and the version, changes the settlement and writes one audit entry in the
caller's unit of work; a refusal raises before anything is written."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.db.crud import holding
from homecoming.territory import read_models, scope, service
from homecoming.territory.models import District, Settlement, SettlementKind
from homecoming.territory.schemas import SettlementCreate, SettlementUpdate
from homecoming.versions import check_version

EDITORS = (Role.DATA_ENTRY, Role.PLANNER)  # data entry in its own district


def create_settlement(
    session: Session, actor: User | None, data: SettlementCreate, *, comment: str | None = None
) -> Settlement:
    user = permissions.require_role(actor, *EDITORS)
    scope.ensure_may_write(session, user, scope.place_of(session, data.district_code, None))
    settlement = service.create_settlement(session, data)
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
    service.update_settlement(session, code, changes)
    audit.record_change(session, user, "update", settlement, before=before, comment=comment)
    return settlement


def place_of(session: Session, code: str) -> scope.Place:
    """Where a settlement is (a form checks it before showing the settlement to change)."""
    return place_of_settlement(service.get_settlement(session, code))


def place_of_settlement(settlement: Settlement) -> scope.Place:
    return scope.Place(settlement.district_id)


def writable_settlements(session: Session, actor: User) -> list[tuple[str, str]]:
    """(code, name) of the settlements the actor may record things in, by name: a data_entry account's district only."""
    query = select(Settlement.code, Settlement.name).order_by(Settlement.name)
    if actor.role == Role.DATA_ENTRY:
        query = query.where(Settlement.district_id == actor.district_id)
    return [(code, name) for code, name in session.execute(query)]


def writable_districts(session: Session, actor: User) -> list[tuple[str, str]]:
    """(code, name) of the districts the actor may record things in, by name: a data_entry account's own only."""
    query = select(District.code, District.name).order_by(District.name)
    if actor.role == Role.DATA_ENTRY:
        query = query.where(District.id == actor.district_id)
    return [(code, name) for code, name in session.execute(query)]


def changeable_settlements(
    _session: Session, actor: User, like: str | None, district_id: int | None, kind: SettlementKind | None
) -> Select[Settlement]:
    """The settlements whose code or name holds `like`, in a district and of a kind (each when given), that the actor
    may change: a data_entry account's own district only, whatever district it asks for (the door pages it)."""
    query = read_models.settlements_listed(district_id, kind)
    if like:
        query = query.where(holding(like, Settlement.code, Settlement.name))
    if actor.role == Role.DATA_ENTRY:
        query = query.where(Settlement.district_id == actor.district_id)
    return query
