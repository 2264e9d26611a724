"""The figures `homecoming demo` prints, each read from the database (nothing here is a constant)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.finance import service as finance_service
from homecoming.finance.models import CumulativeBudget
from homecoming.households.models import Household
from homecoming.mine_action import service as mine_action_service
from homecoming.returns import service as returns_service
from homecoming.returns.models import NationalReturnCount
from homecoming.territory.models import District, Region, Settlement
from homecoming.works import service as works_service
from homecoming.works.models import Project


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
    national: NationalReturnCount | None
    cumulative_bn_azn: list[tuple[str, str, float, str]]  # years, what the figure counts, bn AZN, source


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
        housing_by_status=works_service.housing_units_total_by_status(session),
        budget_bn_azn_by_year=finance_service.budget_bn_azn_by_year(session),
        cleared_ha_by_year=mine_action_service.cleared_ha_by_period(session),
        registered_households=households,
        registered_people=int(people),
        synthetic_households=synthetic,
        progress=returns_service.progress_summary(session),
        national=returns_service.national_figure(session),
        cumulative_bn_azn=[
            (
                f"{t.first_year}–{t.last_year}",
                str(t.figure_kind or "total"),
                t.amount_azn / 1e9,
                t.source_url or t.note or "",
            )
            for t in session.scalars(
                select(CumulativeBudget).order_by(CumulativeBudget.last_year, CumulativeBudget.code)
            )
        ],
    )


def _grouped(session: Session, column: object) -> dict[str, int]:
    return {str(key): n for key, n in session.execute(select(column, func.count()).group_by(column))}  # type: ignore[call-overload]
