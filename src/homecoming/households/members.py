"""The people of a household: the registry's lower-level reads and writes (who may: households.actions).

A household's size follows its members once it has any (households.rules.counts_from_members): adding, changing
or removing a member recounts its size, children and elderly on the day of the change. A member merged into another
(households.merges) stays in the table but no longer counts: active_members is the one filter."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from homecoming.errors import Conflict, NotFound, RuleViolation
from homecoming.households import rules
from homecoming.households.models import Household, HouseholdMember, MemberMerge
from homecoming.households.schemas import MemberCreate


def active_members() -> ColumnElement[bool]:
    """Members not merged into another: the only ones that count (size, needs, the allocation, the search)."""
    return HouseholdMember.id.not_in(select(MemberMerge.merged_member_id))


def is_merged(session: Session, member: HouseholdMember) -> bool:
    return session.scalar(select(MemberMerge.id).where(MemberMerge.merged_member_id == member.id)) is not None


def members_of(session: Session, household: Household) -> list[HouseholdMember]:
    """The household's people who count (a merged record is not listed: its trail keeps it)."""
    query = select(HouseholdMember).where(HouseholdMember.household_id == household.id, active_members())
    return list(session.scalars(query.order_by(HouseholdMember.number)))


def get_member(session: Session, household: Household, number: int) -> HouseholdMember:
    member = session.scalars(
        select(HouseholdMember).where(HouseholdMember.household_id == household.id, HouseholdMember.number == number)
    ).one_or_none()
    if member is None:
        raise NotFound("households.member_not_found", f"{household.code} has no member {number}",
                       {"household": household.code, "member": number})  # fmt: skip
    if is_merged(session, member):
        raise Conflict("households.member_merged", f"{member.code} was merged into another record: it is kept as it "
                       "was, for the trail", {"member": member.code})  # fmt: skip
    return member


def add_member(session: Session, household: Household, data: MemberCreate, on: dt.date) -> HouseholdMember:
    _born_by(data, on)
    last = session.scalar(select(func.max(HouseholdMember.number)).where(HouseholdMember.household_id == household.id))
    member = HouseholdMember(household=household, number=(last or 0) + 1, **_fields(data))
    session.add(member)
    session.flush()
    recount(session, household, on)
    return member


def change_member(session: Session, member: HouseholdMember, data: MemberCreate, on: dt.date) -> HouseholdMember:
    _born_by(data, on)
    for name, value in _fields(data).items():
        setattr(member, name, value)
    session.flush()
    recount(session, member.household, on)
    return member


def remove_member(session: Session, member: HouseholdMember, on: dt.date) -> Household:
    household = member.household
    session.delete(member)
    session.flush()
    recount(session, household, on)
    return household


def recount(session: Session, household: Household, on: dt.date) -> None:
    """Size, children and elderly from the members, when there are any; else the figures registered stay."""
    births = list(
        session.scalars(
            select(HouseholdMember.birth_date).where(HouseholdMember.household_id == household.id, active_members())
        )
    )
    if not births:
        return
    counts = rules.counts_from_members(births, on)
    household.size, household.children, household.elderly = counts.size, counts.children, counts.elderly
    session.flush()


def _fields(data: MemberCreate) -> dict[str, object]:
    fields = data.model_dump(include=set(MemberCreate.model_fields))
    fields["specific_needs"] = sorted({str(n) for n in data.specific_needs})
    return fields


def _born_by(data: MemberCreate, on: dt.date) -> None:
    if data.birth_date > on:
        raise RuleViolation("households.born_in_future", f"a birth date of {data.birth_date:%Y-%m-%d} is after today",
                            {"field": "birth_date"})  # fmt: skip
