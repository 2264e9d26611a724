"""A district, a project, a budget line and three bidders, and a server clock the tests move by hand."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tender_helpers import FakeClock

from homecoming.finance import service as finance
from homecoming.finance.models import BudgetFigureKind, FundingSource
from homecoming.finance.schemas import BudgetAllocationCreate
from homecoming.procurement import service
from homecoming.procurement.schemas import BidderCreate
from homecoming.territory import service as territory
from homecoming.territory.schemas import DistrictCreate, RegionCreate
from homecoming.works import service as works
from homecoming.works.models import Sector
from homecoming.works.schemas import ProjectCreate


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def money(session: Session) -> Session:
    territory.create_region(session, RegionCreate(code="karabakh", name="Karabakh"))
    territory.create_district(session, DistrictCreate(code="lachin", name="Lachin", region_code="karabakh"))
    works.create_project(
        session,
        ProjectCreate(code="zabukh-road", name="Zabukh road", sector=Sector.ROAD, stage=1, district_code="lachin"),
    )
    finance.record_allocation(
        session,
        BudgetAllocationCreate(
            code="roads-2025",
            year=2025,
            source_kind=FundingSource.STATE_BUDGET,
            figure_kind=BudgetFigureKind.ALLOCATED,
            amount=1_000_000,
            currency="AZN",
            rate_to_azn=1,
        ),
    )
    for code, category in (("azer-build", "local"), ("kur-insaat", "local"), ("euro-works", "foreign")):
        service.register_bidder(session, BidderCreate(code=code, name=code.title(), category=category))
    return session
