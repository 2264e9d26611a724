"""The figures `homecoming demo` prints, each read from the database (nothing here is a constant)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.finance import service as finance_service
from homecoming.households.models import Household
from homecoming.mine_action.models import ClearanceStatistic
from homecoming.returns import service as returns_service
from homecoming.territory.models import District, Region, Settlement
from homecoming.works.models import HousingStock, Project


@dataclass(frozen=True)
class DemoSummary:
    regions: int
    districts: int
    settlements_by_kind: dict[str, int]
    works_by_sector_status: dict[tuple[str, str], int]
    housing_by_status: dict[str, int]
    budget_bn_azn_by_year: dict[int, dict[str, float]]
    cleared_ha_by_year: dict[str, float]
    registered_households: int
    registered_people: int
    synthetic_households: int
    progress: returns_service.ReturnProgress


def summarise(session: Session) -> DemoSummary:
    def count(model: type) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    households, people, synthetic = session.execute(
        select(
            func.count(Household.id),
            func.coalesce(func.sum(Household.size), 0),
            func.count(Household.id).filter(Household.synthetic.is_(True)),
        )
    ).one()
    return DemoSummary(
        regions=count(Region),
        districts=count(District),
        settlements_by_kind=_grouped(session, Settlement.kind),
        works_by_sector_status={
            (str(sector), str(status)): n
            for sector, status, n in session.execute(
                select(Project.sector, Project.status, func.count()).group_by(Project.sector, Project.status)
            )
        },
        housing_by_status={
            str(status): int(units)
            for status, units in session.execute(
                select(HousingStock.status, func.sum(HousingStock.units)).group_by(HousingStock.status)
            )
        },
        budget_bn_azn_by_year={
            year: {str(kind): azn / 1e9 for kind, azn in kinds.items()}
            for year, kinds in finance_service.budget_by_year(session).items()
        },
        cleared_ha_by_year={
            period: value
            for period, value in session.execute(
                select(ClearanceStatistic.period, ClearanceStatistic.value)
                .where(
                    ClearanceStatistic.indicator == "area cleared",
                    ClearanceStatistic.district_id.is_(None),
                    ClearanceStatistic.breakdown.is_(None),
                )
                .order_by(ClearanceStatistic.period)
            )
        },
        registered_households=households,
        registered_people=int(people),
        synthetic_households=synthetic,
        progress=returns_service.progress_summary(session),
    )


def _grouped(session: Session, column: object) -> dict[str, int]:
    return {str(key): n for key, n in session.execute(select(column, func.count()).group_by(column))}  # type: ignore[call-overload]
