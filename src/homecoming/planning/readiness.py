"""Is a settlement ready for its people to come home, and if not, what exactly is missing?

Ready means: no open hazard area blocks its housing land; its ready houses are at least the households that
want to return there and have not yet; and the works of every required service (settings.required_services,
per kind of settlement) are complete in the settlement itself or, for works that serve a whole district, in its
district.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.config import get_settings
from homecoming.db.crud import get_by_code
from homecoming.households import service as households_service
from homecoming.mine_action.models import HazardArea, HazardStatus, LandUse
from homecoming.phrases import Phrase
from homecoming.planning import read_models
from homecoming.planning.models import PlanSettlement
from homecoming.territory.models import Settlement
from homecoming.works import actions as works_actions
from homecoming.works.models import HousingStatus, HousingStock, ProjectStatus

AVAILABLE_HOUSING = (HousingStatus.READY, HousingStatus.ALLOCATED)


@dataclass(frozen=True)
class Readiness:
    settlement: str
    name: str
    households_waiting: int
    people_waiting: int
    houses_ready: int
    missing: tuple[str, ...]  # each one a thing a person can act on
    forecast_ready: dt.date | None = None  # from the official (approved) plan, if there is one
    forecast_plan: str | None = None
    forecast_approved_on: dt.date | None = None

    @property
    def ready(self) -> bool:
        return not self.missing


def readiness(session: Session, settlement_code: str | None = None) -> list[Readiness]:
    """Readiness of one settlement, or of all, in code order."""
    query = select(Settlement).order_by(Settlement.code)
    if settlement_code is not None:
        query = query.where(Settlement.id == get_by_code(session, Settlement, settlement_code).id)
    waiting = households_service.wanting_to_return(session)
    houses = {
        sid: int(units)
        for sid, units in session.execute(
            select(HousingStock.settlement_id, func.sum(HousingStock.units))
            .where(HousingStock.status.in_(AVAILABLE_HOUSING))
            .group_by(HousingStock.settlement_id)
        )
    }
    official = read_models.official_plan(session)
    plan = official.run if official is not None else None
    forecast: dict[int, dt.date] = {}
    if plan is not None:
        rows = select(PlanSettlement.settlement_id, PlanSettlement.ready_date).where(
            PlanSettlement.plan_run_id == plan.id
        )
        forecast = {sid: ready for sid, ready in session.execute(rows)}
    approved_on = official.approved_on if official is not None else None
    results = []
    for settlement in session.scalars(query):
        families, people = waiting.get(settlement.id, (0, 0))
        ready_units = houses.get(settlement.id, 0)
        missing = [*_hazards(session, settlement), *_housing(families, ready_units), *_services(session, settlement)]
        when = forecast.get(settlement.id)
        results.append(Readiness(settlement.code, settlement.name, families, people, ready_units, tuple(missing),
                                 when, plan.code if plan is not None and when else None,
                                 approved_on if when else None))  # fmt: skip
    return results


def _hazards(session: Session, settlement: Settlement) -> list[str]:
    hazards = session.scalars(
        select(HazardArea)
        .where(
            HazardArea.blocks_settlement_id == settlement.id,
            HazardArea.status != HazardStatus.CLOSED,
            HazardArea.blocked_land_use == LandUse.HOUSING,
        )
        .order_by(HazardArea.code)
    )
    return [
        Phrase(
            "hazard area {code} ({classification}, {remaining_m2} m² left) blocks its housing land",
            code=h.code,
            classification=Phrase(str(h.classification)),
            remaining_m2=float(h.remaining_area_m2),
        )
        for h in hazards
    ]


def _housing(families: int, ready_units: int) -> list[str]:
    if ready_units >= families:
        return []
    return [
        Phrase(
            "houses: {ready} ready for {households} households waiting ({more} more needed)",
            ready=int(ready_units),
            households=int(families),
            more=int(families - ready_units),
        )
    ]


def _services(session: Session, settlement: Settlement) -> list[str]:
    required = get_settings().required_services.get(str(settlement.kind), [])
    missing: list[str] = []
    for sector in required:
        works = works_actions.projects_serving(session, settlement, sector=sector)
        if any(w.status == ProjectStatus.COMPLETED for w in works):
            continue
        under_way = [f"{w.code} {w.progress_pct:.0f}%" for w in works if w.status != ProjectStatus.CANCELLED]
        if under_way:
            missing.append(
                Phrase(
                    "{sector}: no completed works serving it (under way: {works})",
                    sector=Phrase(str(sector)),
                    works=", ".join(under_way),
                )
            )
        else:
            missing.append(
                Phrase("{sector}: no completed works serving it (no works planned)", sector=Phrase(str(sector)))
            )
    return missing
