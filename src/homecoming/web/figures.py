"""The figures the public pages show: aggregates only, with counts of fewer than N households suppressed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.finance import service as finance_service
from homecoming.households import service as households_service
from homecoming.households.models import Household
from homecoming.mine_action import service as mine_action_service
from homecoming.mine_action.models import HazardArea, HazardStatus
from homecoming.planning.models import PlanRun
from homecoming.planning.readiness import Readiness, readiness
from homecoming.returns import service as returns_service
from homecoming.returns.models import ReturnEvent
from homecoming.returns.service import returned_by_settlement
from homecoming.territory.models import District, Settlement
from homecoming.works import service as works_service
from homecoming.works.models import HousingStatus, HousingStock, Project


def suppressed(count: int, threshold: int) -> int | None:
    """A count small enough to single out a family is withheld (None); zero says nothing about anyone."""
    return None if 0 < count < threshold else count


@dataclass(frozen=True)
class Overview:
    progress: returns_service.ReturnProgress
    houses_by_status: dict[str, int]
    budget_bn_azn_by_year: dict[int, dict[str, float]]
    cleared_ha_by_period: dict[str, float]
    hazards_open: int
    waiting_by_district: list[tuple[str, str, int | None, int | None]]  # code, name, households, people
    synthetic_registry: bool  # the demo's generated households: say so wherever they are counted
    returned_by_settlement: list[tuple[str, str, int | None, int | None]]  # code, name, families, people


def overview(session: Session, threshold: int) -> Overview:
    houses = works_service.housing_units_total_by_status(session)
    registry = households_service.registry_counts(session)
    return Overview(
        progress=returns_service.progress_summary(session),
        houses_by_status={s.value: houses.get(s.value, 0) for s in HousingStatus},
        budget_bn_azn_by_year=finance_service.budget_bn_azn_by_year(session),
        cleared_ha_by_period=mine_action_service.cleared_ha_by_period(session),
        hazards_open=session.scalar(
            select(func.count()).select_from(HazardArea).where(HazardArea.status != HazardStatus.CLOSED)
        )
        or 0,
        waiting_by_district=_waiting_by_district(session, registry.waiting_by_settlement, threshold),
        returned_by_settlement=_returned(session, threshold),
        synthetic_registry=registry.synthetic,
    )


def _waiting_by_district(
    session: Session, by_settlement: dict[int, tuple[int, int]], threshold: int
) -> list[tuple[str, str, int | None, int | None]]:
    """Households still waiting per district of origin, by district name; a district's count below `threshold`
    is withheld (the rule applies to the district's total, the figure shown)."""
    totals: dict[tuple[str, str], list[int]] = {}
    places = select(Settlement.id, District.code, District.name).join(District, Settlement.district_id == District.id)
    for settlement_id, code, name in session.execute(places):
        if settlement_id in by_settlement:
            households, people = by_settlement[settlement_id]
            total = totals.setdefault((code, name), [0, 0])
            total[0] += households
            total[1] += people
    return [
        (code, name, suppressed(n, threshold), _people(n, p, threshold))
        for (code, name), (n, p) in sorted(totals.items(), key=lambda item: (item[0][1], item[0][0]))
    ]


def _returned(session: Session, threshold: int) -> list[tuple[str, str, int | None, int | None]]:
    """Reported returns per settlement, most people first; a group of fewer than `threshold` families is withheld."""
    names = {
        i: (code, name) for i, code, name in session.execute(select(Settlement.id, Settlement.code, Settlement.name))
    }
    rows = []
    for settlement_id, (families, people) in returned_by_settlement(session).items():
        small = 0 < families < threshold or (families == 0 and 0 < people < threshold)
        code, name = names[settlement_id]
        rows.append((code, name, None if small else families, None if small else people))
    return sorted(rows, key=lambda row: (-(row[3] or 0), row[1]))


def _people(households: int, people: int, threshold: int) -> int | None:
    return None if suppressed(households, threshold) is None else people


@dataclass(frozen=True)
class SettlementPage:
    settlement: Settlement
    district: District
    readiness: Readiness
    households_waiting: int | None
    people_waiting: int | None
    houses_by_status: dict[str, int]
    hazards: list[HazardArea]
    works: list[Project]
    returns: list[ReturnEvent]


def settlement_page(session: Session, settlement: Settlement, threshold: int) -> SettlementPage:
    state = readiness(session, settlement.code)[0]
    families, people = session.execute(
        select(func.count(Household.id), func.coalesce(func.sum(Household.size), 0)).where(
            Household.origin_settlement_id == settlement.id, Household.returned_on.is_(None)
        )
    ).one()
    houses = {
        status: units
        for status, units in session.execute(
            select(HousingStock.status, func.sum(HousingStock.units))
            .where(HousingStock.settlement_id == settlement.id)
            .group_by(HousingStock.status)
        )
    }
    return SettlementPage(
        settlement=settlement,
        district=session.get_one(District, settlement.district_id),
        readiness=state,
        households_waiting=suppressed(int(families), threshold),
        people_waiting=_people(int(families), int(people), threshold),
        houses_by_status={str(k): int(v) for k, v in houses.items()},
        hazards=list(
            session.scalars(
                select(HazardArea).where(HazardArea.blocks_settlement_id == settlement.id).order_by(HazardArea.code)
            )
        ),
        works=list(
            session.scalars(
                select(Project)
                .where(
                    (Project.settlement_id == settlement.id)
                    | ((Project.settlement_id.is_(None)) & (Project.district_id == settlement.district_id))
                )
                .order_by(Project.planned_start, Project.code)
            )
        ),
        returns=list(
            session.scalars(
                select(ReturnEvent).where(ReturnEvent.settlement_id == settlement.id).order_by(ReturnEvent.event_date)
            )
        ),
    )


@dataclass(frozen=True)
class PlanForecast:
    """People the latest plan run brings home per year (national totals only: nothing to single anyone out)."""

    plan: str
    scenario: str
    years: list[tuple[int, int, int]]  # year, people home that year, cumulative


def plan_forecast(session: Session) -> PlanForecast | None:
    from homecoming.planning import report

    plan = session.scalars(select(PlanRun).order_by(PlanRun.created_at.desc(), PlanRun.id.desc())).first()
    if plan is None:
        return None
    years, total = [], 0
    for year, people in report.people_home_by_year(session, plan).items():
        total += people
        years.append((year, people, total))
    return PlanForecast(plan.code, plan.scenario, years)
