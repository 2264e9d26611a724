"""Recording a bulk damage count through its use-case (damage/actions.py), both engines: who may (a planner; a clerk
in its own district), one audit entry filed under settlement/kind/level (an update holding the count before), and a
refusal or a bad input that writes nothing."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.damage import actions
from homecoming.damage.models import AssessmentMethod, DamageCount, DamageLevel, ObjectKind
from homecoming.damage.schemas import DamageCountCreate
from homecoming.errors import DomainError, Forbidden, NotFound, Unauthorized
from homecoming.territory import service as territory
from homecoming.territory.models import District, SettlementKind
from homecoming.territory.schemas import DistrictCreate, SettlementCreate


def account(session: Session, role: Role, district: str | None = None) -> User:
    district_id = None
    if district is not None:
        district_id = session.scalars(select(District.id).where(District.code == district)).one()
    user = User(username=f"u-{role.value}-{district}", password_hash="x", role=role, active=True,
                district_id=district_id)  # fmt: skip
    session.add(user)
    session.flush()
    return user


def counted(settlement: str = "zabukh", quantity: float = 12) -> DamageCountCreate:
    return DamageCountCreate(settlement_code=settlement, kind=ObjectKind.HOUSE, level=DamageLevel.DESTROYED,
                             quantity=quantity, method=AssessmentMethod.REMOTE)  # fmt: skip


def trail(session: Session) -> list[tuple[str, str, str, str]]:
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(e.username, e.action, e.table_name, e.record_code) for e in entries]


def counts(session: Session) -> list[float]:
    return list(session.scalars(select(DamageCount.quantity)))


@pytest.fixture
def places(territory_session: Session) -> Session:
    """Lachin (zabukh, sus), and Kalbajar with one village, for a clerk of another district."""
    s = territory_session
    territory.create_district(s, DistrictCreate(code="kalbajar", name="Kalbajar", region_code="karabakh"))
    territory.create_settlement(s, SettlementCreate(code="istisu", name="Istisu", district_code="kalbajar",
                                                    kind=SettlementKind.VILLAGE))  # fmt: skip
    return s


@pytest.mark.parametrize(("role", "district"), [(Role.PLANNER, None), (Role.DATA_ENTRY, "lachin"), (Role.ADMIN, None)])
def test_a_count_is_recorded_with_one_entry_naming_who(places: Session, role: Role, district: str | None) -> None:
    user = account(places, role, district)
    record = actions.set_count(places, user, counted(), comment="survey of May")
    assert (record.quantity, record.kind, record.level) == (12, ObjectKind.HOUSE, DamageLevel.DESTROYED)
    assert trail(places) == [(user.username, "create", "damage_counts", "zabukh/house/destroyed")]
    entry = places.scalars(select(AuditEntry)).one()
    assert (entry.before, entry.after["quantity"], entry.comment) == (None, 12, "survey of May")


def test_a_new_count_replaces_the_old_in_one_update_holding_it(places: Session) -> None:
    planner = account(places, Role.PLANNER)
    actions.set_count(places, planner, counted(quantity=12))
    actions.set_count(places, planner, counted(quantity=15))
    assert counts(places) == [15]
    update = places.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert update is not None and update.action == "update" and update.record_code == "zabukh/house/destroyed"
    assert (update.before["quantity"], update.after["quantity"]) == (12, 15)
    assert len(trail(places)) == 2


@pytest.mark.parametrize(
    ("role", "district", "settlement", "refusal"),
    [
        (Role.VIEWER, None, "zabukh", Forbidden),  # reads only
        (Role.MINE_ACTION_OFFICER, None, "zabukh", Forbidden),
        (Role.DATA_ENTRY, "kalbajar", "zabukh", Forbidden),  # a clerk of another district
        (Role.DATA_ENTRY, "lachin", "istisu", Forbidden),
        (Role.PLANNER, None, "atlantis", NotFound),  # no such settlement
    ],
)
def test_a_refused_count_writes_nothing(
    places: Session, role: Role, district: str | None, settlement: str, refusal: type[DomainError]
) -> None:
    user = account(places, role, district)
    with pytest.raises(refusal):
        actions.set_count(places, user, counted(settlement))
    assert counts(places) == [] and trail(places) == []


def test_nobody_logged_in_may_not_record_a_count(places: Session) -> None:
    with pytest.raises(Unauthorized):
        actions.set_count(places, None, counted())
    assert places.scalar(select(func.count()).select_from(DamageCount)) == 0


def test_a_count_below_zero_is_refused_before_it_reaches_the_use_case() -> None:
    with pytest.raises(ValidationError) as caught:
        counted(quantity=-3)
    assert caught.value.errors()[0]["loc"] == ("quantity",)
