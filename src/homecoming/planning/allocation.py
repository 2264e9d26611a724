"""From a schedule and the registry to an allocation problem: who may move where, into which houses, from when."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from homecoming.disclosure.rule import words
from homecoming.households import members, rules
from homecoming.households.models import Household, HouseholdMember
from homecoming.households.synthetic import split_exactly
from homecoming.optimisation.allocation import model
from homecoming.phrases import Message
from homecoming.planning import messages
from homecoming.planning.build import Built
from homecoming.planning.scenario import Scenario
from homecoming.territory.models import Settlement
from homecoming.works.models import HousingStatus, HousingStock

AVAILABLE = (HousingStatus.READY, HousingStatus.ALLOCATED)


def build_allocation(
    session: Session, scenario: Scenario, built: Built, ready_period: dict[int, int], ends: dict[str, int]
) -> tuple[model.Problem, list[Message], list[str]]:
    """The allocation problem, the assumptions it had to make, and households it had to leave out."""
    issues: list[Message] = []
    query = select(Settlement.id, Settlement.code).where(Settlement.id.in_(built.waiting))
    codes: dict[int, str] = {sid: code for sid, code in session.execute(query) if sid not in built.outside_horizon}
    waiting = session.scalars(
        select(Household)
        .where(Household.returned_on.is_(None), Household.consent_to_return.is_(True))
        .order_by(Household.code)
    )
    issues.extend(_unconfirmed(session, built.settings.small_count_threshold))
    households: list[Household] = []
    outside: list[Household] = []  # outside: from a settlement whose works do not fit in the horizon
    for h in waiting:
        (households if h.origin_settlement_id in codes else outside).append(h)
    needs: dict[int, Counter[int]] = defaultdict(Counter)
    for h in households:
        needs[h.origin_settlement_id][h.rooms_needed] += 1
    housing: list[model.HousingBatch] = []
    unknown_rooms = 0
    for stock in session.scalars(
        select(HousingStock).where(HousingStock.status.in_(AVAILABLE), HousingStock.units > 0)
    ):
        if stock.settlement_id not in codes:
            continue
        rooms = stock.rooms or max(needs[stock.settlement_id], default=3)
        unknown_rooms += stock.units if stock.rooms is None else 0
        housing.append(model.HousingBatch(codes[stock.settlement_id], rooms, 0, stock.units))
    for task_id, info in built.tasks.items():
        if not info.house_units or info.settlement_id not in codes:
            continue
        for rooms, count in _fit_rooms(info.house_rooms, needs[info.settlement_id]).items():
            housing.append(model.HousingBatch(codes[info.settlement_id], rooms, ends[task_id], count))
    if unknown_rooms:
        issues.append(messages.HOUSES_SIZE_UNKNOWN(count=unknown_rooms))
    largest = max((h.rooms for h in housing if h.count > 0), default=0)
    too_big = [h for h in households if h.rooms_needed > largest]
    if too_big:
        said = words(len(too_big), built.settings.small_count_threshold)  # shown to everyone: the one rule applies
        issues.append(messages.HOUSEHOLDS_TOO_BIG(count=said, rooms=largest))
        households = [h for h in households if h.rooms_needed <= largest]
    specific = member_needs(session)
    problem = model.Problem(
        periods=scenario.horizon_months,
        settlements=tuple(
            model.Settlement(codes[sid], ready_period.get(sid, 0), scenario.convoy_households)
            for sid in sorted(codes, key=codes.__getitem__)
        ),
        housing=tuple(h for h in housing if h.count > 0),
        households=tuple(
            model.Household(
                h.code, codes[h.origin_settlement_id], h.size, h.rooms_needed, available=0,
                priority=_priority(h, specific.get(h.id, ())),
            )
            for h in households
        ),
        vehicle_seats=scenario.vehicle_seats,
    )  # fmt: skip
    return problem, issues, [h.code for h in [*too_big, *outside]]


def _unconfirmed(session: Session, threshold: int) -> list[Message]:
    """Waiting households whose latest answer is not yes stay off every convoy, and the plan says how many (to
    everyone: the one disclosure rule words the count)."""
    waiting_unconfirmed = (Household.returned_on.is_(None), Household.consent_to_return.is_(False))
    count = session.scalar(select(func.count()).where(*waiting_unconfirmed)) or 0
    return [messages.UNCONFIRMED(count=words(count, threshold))] if count else []


def member_needs(session: Session) -> dict[int, set[str]]:
    """Household id -> the specific needs its members have (members without any, and merged ones, are not read)."""
    needs: dict[int, set[str]] = defaultdict(set)
    with_needs = cast(HouseholdMember.specific_needs, String) != "[]"
    for household_id, listed in session.execute(select(HouseholdMember.household_id, HouseholdMember.specific_needs)
                                                .where(with_needs, members.active_members())):  # fmt: skip
        needs[household_id].update(listed)
    return needs


def _priority(household: Household, member_needs: Iterable[str]) -> int:
    """The one rule (households.rules.allocation_priority) over the household's and its members' needs."""
    needs = rules.household_needs(
        member_needs, disability=household.disability, chronic_illness=household.chronic_illness,
        single_parent=household.single_parent,
    )  # fmt: skip
    return rules.allocation_priority(needs, older_member=household.elderly > 0)


def _fit_rooms(planned: dict[int, int], needs: Counter[int]) -> dict[int, int]:
    """Houses of a known size stay as planned; proposed ones (size 0) are built to the sizes the families need."""
    fitted = {rooms: n for rooms, n in planned.items() if rooms > 0}
    proposed = planned.get(0, 0)
    if proposed and needs:
        sizes = sorted(needs)
        for rooms, n in zip(sizes, split_exactly(proposed, [needs[s] for s in sizes]), strict=True):
            fitted[rooms] = fitted.get(rooms, 0) + n
    elif proposed:
        fitted[3] = fitted.get(3, 0) + proposed
    return fitted
