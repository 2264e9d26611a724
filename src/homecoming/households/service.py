"""The displaced-household registry: registration, return, and who is still waiting where."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique, get_by_code
from homecoming.errors import RuleViolation
from homecoming.households.models import ConfirmationMethod, Household, ReturnConfirmation
from homecoming.households.schemas import HouseholdCreate
from homecoming.territory.models import Settlement


def register_household(session: Session, data: HouseholdCreate) -> Household:
    fields = data.model_dump(exclude={"origin_settlement_code"})
    origin = get_by_code(session, Settlement, data.origin_settlement_code)
    return add_unique(session, Household(origin_settlement_id=origin.id, synthetic=False, **fields))


def get_household(session: Session, code: str) -> Household:
    return get_by_code(session, Household, code)


def mark_returned(session: Session, code: str, on: dt.date) -> Household:
    """A household is home; only with its consent on record, and never before it registered."""
    household = get_household(session, code)
    if household.returned_on is not None:
        raise RuleViolation("households.already_returned", f"{code} returned on {household.returned_on:%Y-%m-%d}")
    if not household.consent_to_return:
        raise RuleViolation("households.no_consent", f"{code} has not consented to return; record the consent first")
    if on < household.registered_on:
        raise RuleViolation(
            "households.return_before_registration",
            f"{code} registered on {household.registered_on:%Y-%m-%d}; it cannot have returned on {on:%Y-%m-%d}",
        )
    household.returned_on = on
    session.flush()
    return household


def record_consent(session: Session, household: Household, consent: bool, on: dt.date) -> Household:
    """The household says again (before a convoy) whether it wants to go home; a withdrawal clears the date."""
    if household.returned_on is not None:
        raise RuleViolation(
            "households.already_returned", f"{household.code} returned on {household.returned_on:%Y-%m-%d}"
        )
    household.consent_to_return = consent
    household.consent_date = on if consent else None
    session.flush()
    return household


def record_confirmation(
    session: Session, household: Household, confirmed: bool, on: dt.date, method: ConfirmationMethod, taken_by: str
) -> ReturnConfirmation:
    """One more line of the household's confirmation history (its consent_to_return holds the latest answer)."""
    confirmation = ReturnConfirmation(
        household_id=household.id, confirmed=confirmed, confirmed_on=on, method=method, taken_by=taken_by[:64]
    )
    session.add(confirmation)
    session.flush()
    return confirmation


def confirmations_of(session: Session, household: Household) -> list[ReturnConfirmation]:
    query = select(ReturnConfirmation).where(ReturnConfirmation.household_id == household.id)
    return list(session.scalars(query.order_by(ReturnConfirmation.confirmed_on.desc(), ReturnConfirmation.id.desc())))


def waiting_by_origin(session: Session) -> dict[str, tuple[int, int]]:
    """Settlement code -> (households, people) registered from it and not yet returned."""
    rows = session.execute(
        select(Settlement.code, func.count(Household.id), func.sum(Household.size))
        .join(Household, Household.origin_settlement_id == Settlement.id)
        .where(Household.returned_on.is_(None))
        .group_by(Settlement.code)
        .order_by(Settlement.code)
    )
    return {code: (int(families), int(people)) for code, families, people in rows}


def wanting_to_return(session: Session) -> dict[int, tuple[int, int]]:
    """Settlement id -> (households, people) who consented to return there and have not returned yet."""
    rows = session.execute(
        select(Household.origin_settlement_id, func.count(Household.id), func.sum(Household.size))
        .where(Household.returned_on.is_(None), Household.consent_to_return.is_(True))
        .group_by(Household.origin_settlement_id)
    )
    return {sid: (int(families), int(people)) for sid, families, people in rows}


@dataclass(frozen=True)
class RegistryCounts:
    waiting_by_settlement: dict[int, tuple[int, int]]  # origin settlement id -> (households, people) not returned
    synthetic: bool  # the registry holds generated households (the demo's): pages say so


def registry_counts(session: Session) -> RegistryCounts:
    """What the public overview needs from the registry in one pass over it, without joins: the registry is the
    one big table (369,643 rows at national scale), so it is read once and grouped by its own column."""
    waiting = Household.returned_on.is_(None)
    rows = session.execute(
        select(
            Household.origin_settlement_id,
            func.count().filter(waiting),
            func.coalesce(func.sum(Household.size).filter(waiting), 0),
            func.max(case((Household.synthetic.is_(True), 1), else_=0)),
        ).group_by(Household.origin_settlement_id)
    )
    waiting_by_settlement, synthetic = {}, False
    for settlement_id, households, people, generated in rows:
        synthetic = synthetic or bool(generated)
        if households:
            waiting_by_settlement[int(settlement_id)] = (int(households), int(people))
    return RegistryCounts(waiting_by_settlement, synthetic)
