"""The public pages' read models (the overview, a settlement's page, the national forecast): aggregates only, every
count of households or people protected by the one disclosure rule (homecoming.disclosure). They gather several
domains' figures, so they live here, beside the rule they all pass; a page only renders them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming import disclosure
from homecoming.db.crud import get_by_code
from homecoming.disclosure.figures import Count
from homecoming.disclosure.rule import is_small
from homecoming.finance import service as finance_service
from homecoming.mine_action import service as mine_action_service
from homecoming.mine_action.models import HazardArea, HazardStatus
from homecoming.phrases import Phrase
from homecoming.planning import read_models as planning_read_models
from homecoming.planning.readiness import Readiness, readiness
from homecoming.returns import service as returns_service
from homecoming.returns.models import NationalReturnCount, ReturnEvent
from homecoming.territory import read_models as territory_read_models
from homecoming.territory.models import District, Settlement
from homecoming.works import actions as works_actions
from homecoming.works import service as works_service
from homecoming.works.models import HousingStatus, HousingStock, Project


@dataclass(frozen=True)
class Overview:
    progress: returns_service.ReturnProgress
    houses_by_status: dict[str, int]
    budget_bn_azn_by_year: dict[int, dict[str, float]]
    cleared_ha_by_period: dict[str, float]
    hazards_open: int
    returned: Count  # the programme's returns (the progress cards), protected like the rows
    waiting_by_district: list[tuple[str, str, Count]]  # code, name, households and people (protected)
    settlements: list[tuple[str, str]]  # code and name of every settlement, by name (the list at the foot)
    synthetic_registry: bool  # the demo's generated households: say so wherever they are counted
    returned_by_settlement: list[tuple[str, str, Count]]  # code, name, families and people (protected)
    national: NationalReturnCount | None = None  # the programme's own national total, with its source


def overview(session: Session, threshold: int) -> Overview:
    houses = works_service.housing_units_total_by_status(session)
    returned, waiting = disclosure.returns(session, threshold), disclosure.waiting(session, threshold)
    return Overview(
        progress=returns_service.progress_summary(session),
        returned=returned.total,
        houses_by_status={s.value: houses.get(s.value, 0) for s in HousingStatus},
        budget_bn_azn_by_year=finance_service.budget_bn_azn_by_year(session),
        cleared_ha_by_period=mine_action_service.cleared_ha_by_period(session),
        hazards_open=session.scalar(
            select(func.count())
            .select_from(HazardArea)
            .where(HazardArea.status != HazardStatus.CLOSED, HazardArea.illustrative.is_(False))
        )
        or 0,
        waiting_by_district=_waiting_by_district(session, waiting),
        settlements=territory_read_models.settlement_names(session),
        returned_by_settlement=_returned(session, returned),
        synthetic_registry=waiting.synthetic,
        national=returns_service.national_figure(session),
    )


def _waiting_by_district(session: Session, waiting: disclosure.Waiting) -> list[tuple[str, str, Count]]:
    """Households still waiting per district of origin, by district name (protected: homecoming.disclosure)."""
    rows = session.execute(select(District.id, District.code, District.name).order_by(District.name, District.code))
    return [(code, name, waiting.by_district[i]) for i, code, name in rows if i in waiting.by_district]


def _returned(session: Session, returned: disclosure.Returns) -> list[tuple[str, str, Count]]:
    """Reported returns per settlement, most people first (protected: homecoming.disclosure)."""
    names = {
        i: (code, name) for i, code, name in session.execute(select(Settlement.id, Settlement.code, Settlement.name))
    }
    rows = [(*names[settlement_id], cell) for settlement_id, cell in returned.by_settlement.items()]
    return sorted(rows, key=lambda row: (-(row[2].people or 0), row[1]))


@dataclass(frozen=True)
class SettlementPage:
    settlement: Settlement
    district: District
    readiness: Readiness
    waiting: Count  # households (and people) registered from here and not yet returned, protected
    houses_count_withheld: bool  # readiness's "houses: N ready for M households waiting" would give a withheld count
    houses_by_status: dict[str, int]
    hazards: list[HazardArea]
    works: list[Project]
    returns: list[tuple[ReturnEvent, Count]]  # each event with its families and people, protected
    forecast_changed_since: list[Phrase]  # the official plan's registry changes since (its forecast predates them)


def settlement_page(session: Session, code: str, threshold: int) -> SettlementPage:
    settlement = get_by_code(session, Settlement, code)
    state = readiness(session, settlement.code)[0]
    waiting = disclosure.waiting(session, threshold).by_settlement.get(settlement.id, Count(0, 0))
    returned = disclosure.returns(session, threshold).by_event
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
        waiting=waiting,
        houses_count_withheld=waiting.households is None or is_small(state.households_waiting, threshold),
        houses_by_status={str(k): int(v) for k, v in houses.items()},
        hazards=list(
            session.scalars(
                select(HazardArea).where(HazardArea.blocks_settlement_id == settlement.id).order_by(HazardArea.code)
            )
        ),
        works=works_actions.projects_serving(session, settlement, by_start=True),
        forecast_changed_since=_changed_since(session) if state.forecast_ready is not None else [],
        returns=[
            (event, returned[event.code])
            for event in session.scalars(
                select(ReturnEvent).where(ReturnEvent.settlement_id == settlement.id).order_by(ReturnEvent.event_date)
            )
        ],
    )


def _changed_since(session: Session) -> list[Phrase]:
    official = planning_read_models.official_plan(session)
    return official.changed_since if official is not None else []


@dataclass(frozen=True)
class PlanForecast:
    """People the official plan brings home per year (national figures, protected like the plan's own page)."""

    plan: str
    scenario: str
    approved_on: dt.date
    changed_since: list[Phrase]  # what changed in the registry after the plan read it (planning.read_models)
    years: list[tuple[int, int | None, int | None]]  # year, people home that year, cumulative (None: withheld)


def plan_forecast(session: Session, threshold: int) -> PlanForecast | None:
    """The approved plan's forecast; None while no plan is approved (a what-if is never the public forecast)."""
    official = planning_read_models.official_plan(session)
    if official is None:
        return None
    plan = official.run
    years = disclosure.plan_figures(session, plan, threshold).years
    return PlanForecast(plan.code, plan.scenario, official.approved_on, official.changed_since, years)
