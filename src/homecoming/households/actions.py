"""The household registry's use-cases: personal data, so every one of them, read or write, is for registrars (and
admins) only, whichever door (API, page, form, command line) asks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select
from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.db.crud import get_by_code
from homecoming.households import read_models, service
from homecoming.households.models import Household
from homecoming.households.schemas import HouseholdCreate
from homecoming.territory import scope
from homecoming.territory.models import Settlement
from homecoming.versions import check_version

REGISTRARS = (Role.REGISTRAR,)  # who reads and writes the registry (admin always)


def may_read_registry(actor: User | None) -> User:
    """The registry's one reading rule: the actor, if it may read personal data; else the refusal."""
    return permissions.require_role(actor, *REGISTRARS)


def register_household(
    session: Session, actor: User | None, data: HouseholdCreate, *, comment: str | None = None
) -> Household:
    user = may_read_registry(actor)
    origin = get_by_code(session, Settlement, data.origin_settlement_code)
    place = scope.Place(settlement_id=origin.id, settlement_field="origin_settlement_code")
    scope.ensure_may_write(session, user, place)
    household = service.register_household(session, data)
    audit.record_change(session, user, "create", household, before=None, comment=comment)
    return household


def mark_returned(
    session: Session, actor: User | None, code: str, on: dt.date, *, version: int, comment: str | None = None
) -> Household:
    """A household is home (its consent on record, never before it registered)."""
    user = may_read_registry(actor)
    household = service.get_household(session, code)
    scope.ensure_may_write(session, user, scope.Place(settlement_id=household.origin_settlement_id))
    check_version(household, version)
    before = audit.snapshot(household)
    service.mark_returned(session, code, on)
    audit.record_change(session, user, "update", household, before=before, comment=comment)
    return household


def reconfirm_return(
    session: Session, actor: User | None, code: str, consent: bool, on: dt.date, *, version: int,
    comment: str | None = None,
) -> Household:  # fmt: skip
    """A household reconfirms (or withdraws) its voluntary return, as verified before a convoy."""
    user = may_read_registry(actor)
    household = service.get_household(session, code)
    scope.ensure_may_write(session, user, scope.Place(settlement_id=household.origin_settlement_id))
    check_version(household, version)
    before = audit.snapshot(household)
    service.record_consent(session, household, consent, on)
    audit.record_change(session, user, "update", household, before=before, comment=comment)
    return household


def visible_household(session: Session, actor: User | None, code: str) -> Household:
    """One household's record, for those who may read the registry."""
    may_read_registry(actor)
    return service.get_household(session, code)


def visible_households_of(
    session: Session, actor: User | None, settlement_code: str, *, like: str | None = None, status: str | None = None
) -> tuple[Settlement, Select[Household]]:
    """The households registered from one settlement (names and needs), for those who may read the registry: the
    statement the door pages and sorts."""
    may_read_registry(actor)
    settlement = get_by_code(session, Settlement, settlement_code)
    return settlement, read_models.households_matching(like=like, settlement_id=settlement.id, status=status)


def visible_households(
    _session: Session, actor: User | None, *, like: str | None = None, settlement_id: int | None = None,
    district_id: int | None = None, status: str | None = None,
) -> Select[Household]:  # fmt: skip
    """Households whose code or head's name holds `like`, from a settlement or a district, in a status (each when
    given), for registry readers: the statement the door pages and sorts."""
    may_read_registry(actor)
    return read_models.households_matching(like=like, settlement_id=settlement_id, district_id=district_id,
                                           status=status)  # fmt: skip
