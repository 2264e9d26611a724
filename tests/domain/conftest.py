"""A small territory every service test builds on: one region, one district, two villages."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from homecoming.territory import service as territory
from homecoming.territory.models import SettlementKind
from homecoming.territory.schemas import DistrictCreate, RegionCreate, SettlementCreate


@pytest.fixture
def territory_session(session: Session) -> Session:
    territory.create_region(session, RegionCreate(code="karabakh", name="Karabakh"))
    territory.create_district(session, DistrictCreate(code="lachin", name="Lachin", region_code="karabakh"))
    for code, name, population in (("zabukh", "Zabukh", 1900), ("sus", "Sus", 800)):
        territory.create_settlement(
            session,
            SettlementCreate(
                code=code, name=name, district_code="lachin", kind=SettlementKind.VILLAGE, population_before=population
            ),
        )
    return session
