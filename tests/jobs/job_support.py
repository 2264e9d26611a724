"""A one-village registry whose plan is known on paper, and helpers to queue plan runs and watch jobs."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homecoming.db.session import unit_of_work
from homecoming.households.models import Household
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import FINISHED, Job, JobKind
from homecoming.mine_action.models import HazardArea, HazardClassification, HazardStatus
from homecoming.planning.models import PlanAllocation, PlanConvoy, PlanRun, PlanSettlement, PlanTask
from homecoming.planning.scenario import Scenario
from homecoming.territory.models import District, Region, Settlement, SettlementKind
from homecoming.works.models import HousingStatus, HousingStock, Project, ProjectStatus, Sector

# 10 families of 4 wait behind 1 km² of hazard cleared at 2 x 100,000 m² a month: ready in month 5, 200 people-months.
SCENARIO = Scenario(
    name="faults", demining_teams=4, teams_per_clearance=2, clearance_m2_per_team_month=100_000,
    sequencing_seconds=1, allocation_seconds=1, horizon_months=36,
)  # fmt: skip
PEOPLE_MONTHS = 200
WAIT_LIMIT_S = 180  # a safety net for a stuck worker on a busy machine, not a timing assertion
PLAN_TABLES = (PlanRun, PlanTask, PlanSettlement, PlanAllocation, PlanConvoy)


def seed(engine: Engine) -> Engine:
    with unit_of_work(engine) as session:
        session.add(Region(id=1, code="r", name="R"))
        session.flush()
        session.add(District(id=1, code="d", name="D", region_id=1))
        for sector in (Sector.POWER, Sector.WATER, Sector.ROAD, Sector.SCHOOL, Sector.HEALTH):
            session.add(Project(code=f"done-{sector}", name=str(sector), sector=sector, stage=1, district_id=1,
                                status=ProjectStatus.COMPLETED, progress_pct=100))  # fmt: skip
        village = Settlement(code="zabukh", name="Zabukh", district_id=1, kind=SettlementKind.VILLAGE)
        session.add(village)
        session.flush()
        for i in range(10):
            session.add(
                Household(
                    code=f"zabukh-{i}",
                    origin_settlement_id=village.id,
                    size=4,
                    head_name="X",
                    rooms_needed=2,
                    consent_to_return=True,
                    registered_on=dt.date(2022, 1, 1),
                )
            )
        session.add(HousingStock(code="zabukh-houses", settlement_id=village.id, rooms=2, status=HousingStatus.READY,
                                 units=10))  # fmt: skip
        session.add(HazardArea(code="zabukh-h", classification=HazardClassification.CHA, status=HazardStatus.OPEN,
                               estimated_area_m2=1_000_000, remaining_area_m2=1_000_000,
                               blocks_settlement_id=village.id))  # fmt: skip
    return engine


def queue_plan(engine: Engine, code: str, scenario: Scenario = SCENARIO) -> None:
    with unit_of_work(engine) as session:
        payload = {"scenario": scenario.model_dump(mode="json")}
        jobs_service.enqueue(session, JobKind.PLAN_RUN, code, payload, "planner", jobs_service.utcnow())


def job(engine: Engine, code: str) -> Job:
    with Session(engine, expire_on_commit=False) as session:
        return session.scalars(select(Job).where(Job.code == code)).one()


def wait_finished(engine: Engine, code: str) -> Job:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while (found := job(engine, code)).status not in FINISHED and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def plan_rows(engine: Engine) -> dict[str, int]:
    """How many rows each plan table holds: all zero means no plan run was (half-)written."""
    with Session(engine) as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
                for model in PLAN_TABLES}  # fmt: skip
