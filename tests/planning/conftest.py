"""Hand-made territories whose right plan can be worked out on paper."""

from __future__ import annotations

import datetime as dt

import pytest
from planning_types import Village
from sqlalchemy.orm import Session

from homecoming.households.models import Household
from homecoming.mine_action.models import HazardArea, HazardClassification, HazardStatus
from homecoming.territory.models import District, Region, Settlement, SettlementKind
from homecoming.works.models import HousingStatus, HousingStock, Project, ProjectStatus, Sector

SERVICES = (Sector.POWER, Sector.WATER, Sector.ROAD, Sector.SCHOOL, Sector.HEALTH)
REGISTERED = dt.date(2022, 1, 1)


@pytest.fixture
def district(session: Session) -> Session:
    session.add(Region(id=1, code="r", name="R"))
    session.flush()
    session.add(District(id=1, code="d", name="D", region_id=1))
    session.flush()
    for sector in SERVICES:  # every service is in place district-wide
        session.add(Project(code=f"done-{sector}", name=str(sector), sector=sector, stage=1, district_id=1,
                            status=ProjectStatus.COMPLETED, progress_pct=100))  # fmt: skip
    session.flush()
    return session


@pytest.fixture
def village(district: Session) -> Village:
    """A village with `families` families of `size` waiting, houses ready for all, and hazards of `hazards` m²."""

    def make(
        code: str, families: int, size: int = 4, hazards: tuple[float, ...] = (), houses: bool = True
    ) -> Settlement:
        settlement = Settlement(code=code, name=code.title(), district_id=1, kind=SettlementKind.VILLAGE)
        district.add(settlement)
        district.flush()
        for i in range(families):
            household = {"head_name": "X", "rooms_needed": 2, "consent_to_return": True, "registered_on": REGISTERED}
            district.add(Household(code=f"{code}-{i}", origin_settlement_id=settlement.id, size=size, **household))
        if houses:
            district.add(HousingStock(code=f"{code}-houses", settlement_id=settlement.id, rooms=2,
                                      status=HousingStatus.READY, units=families))  # fmt: skip
        for i, area in enumerate(hazards):
            district.add(HazardArea(code=f"{code}-h{i}", classification=HazardClassification.CHA,
                                    status=HazardStatus.OPEN, estimated_area_m2=area, remaining_area_m2=area,
                                    blocks_settlement_id=settlement.id))  # fmt: skip
        district.flush()
        return settlement

    return make
