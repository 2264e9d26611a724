"""An app on a small seeded registry (both engines), with one account per role reached by bearer token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homecoming.accounts import service as accounts
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.households import service as households
from homecoming.households.schemas import HouseholdCreate
from homecoming.mine_action import service as mine_action
from homecoming.mine_action.schemas import HazardAreaCreate
from homecoming.procurement import service as procurement
from homecoming.procurement.schemas import BidderCreate
from homecoming.returns import service as returns
from homecoming.returns.schemas import ReturnEventCreate
from homecoming.territory import service as territory
from homecoming.territory.schemas import DistrictCreate, RegionCreate, SettlementCreate
from homecoming.works import service as works
from homecoming.works.models import HousingStatus, Sector
from homecoming.works.schemas import HousingStockCreate, ProjectCreate

PASSWORD = "correct-horse-battery"
PASSWORD_HASH = PasswordHasher().hash(PASSWORD)  # hashed once: argon2 is slow on purpose
ROLES = [role for role in Role if role != Role.PUBLIC]


@dataclass
class Api:
    client: TestClient
    engine: Engine
    tokens: dict[Role, str]

    def as_(self, role: Role) -> dict[str, str]:
        """Headers of a request made by the account with this role ({} for the public)."""
        return {} if role == Role.PUBLIC else {"Authorization": f"Bearer {self.tokens[role]}"}


def seed(session: Session) -> None:
    """Two districts; Aghdam village has 6 households waiting, Fuzuli village 3 (below the threshold of 5)."""
    territory.create_region(session, RegionCreate(code="karabakh", name="Karabakh"))
    for code, name, lat, lon in (("aghdam", "Aghdam", 39.99, 46.93), ("fuzuli", "Fuzuli", 39.60, 47.14)):
        territory.create_district(
            session,
            DistrictCreate(code=code, name=name, region_code="karabakh", centre_lat=lat, centre_lon=lon),
        )
    for code, district, lat, lon in (("aghdam-v", "aghdam", 40.0, 46.9), ("fuzuli-v", "fuzuli", 39.6, 47.1)):
        territory.create_settlement(
            session,
            SettlementCreate(code=code, name=code.title(), district_code=district, kind="village", lat=lat, lon=lon),
        )
    for n, (origin, size) in enumerate([("aghdam-v", 4)] * 6 + [("fuzuli-v", 3)] * 3):
        households.register_household(
            session,
            HouseholdCreate(
                code=f"hh-{n:02d}",
                origin_settlement_code=origin,
                head_name=f"Person {n}",
                size=size,
                rooms_needed=2,
                consent_to_return=True,
                consent_date=dt.date(2024, 1, 1),
                registered_on=dt.date(2023, 1, 1),
            ),
        )
    for code, sector, budget, settlement in (
        ("aghdam-school", Sector.SCHOOL, 2_000_000.0, "aghdam-v"),
        ("aghdam-water", Sector.WATER, 500_000.0, "aghdam-v"),
        ("fuzuli-road", Sector.ROAD, 9_000_000.0, "fuzuli-v"),
    ):
        works.create_project(
            session,
            ProjectCreate(
                code=code, name=code, sector=sector, stage=1, settlement_code=settlement, budget_amount=budget
            ),
        )
    works.add_housing(
        session,
        HousingStockCreate(code="aghdam-houses", settlement_code="aghdam-v", status=HousingStatus.READY, units=4),
    )
    mine_action.create_hazard_area(
        session,
        HazardAreaCreate(
            code="cha-1", classification="CHA", estimated_area_m2=12_000, blocks_settlement_code="aghdam-v"
        ),
    )
    returns.record_event(
        session,
        ReturnEventCreate(
            code="aghdam-first",
            settlement_code="aghdam-v",
            event_date=dt.date(2025, 5, 1),
            kind="convoy",
            families=2,
            people=8,
        ),
    )
    company = procurement.register_bidder(session, BidderCreate(code="azer-build", name="Azer Build", category="local"))
    for role in ROLES:
        in_district = role in (Role.DATA_ENTRY, Role.ENUMERATOR)  # a district clerk and an enumerator of Aghdam
        district = accounts.id_of(session, accounts.District, "aghdam") if in_district else None
        bidder = company.id if role == Role.CONTRACTOR else None  # the contractor account speaks for Azer Build
        session.add(
            User(
                username=role.value,
                password_hash=PASSWORD_HASH,
                role=role,
                district_id=district,
                bidder_id=bidder,
                active=True,
            )
        )
    session.flush()
