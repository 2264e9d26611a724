"""The needs estimate takes its unit costs from the price lists in force on its date, else from the cost table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from homecoming.damage import service as damage
from homecoming.damage.costs import CostTable, load_cost_table
from homecoming.damage.models import AssessmentMethod, DamageLevel, ObjectKind
from homecoming.damage.needs import CostSource, NeedsEstimate
from homecoming.damage.prices import item_code
from homecoming.damage.schemas import DamageCountCreate, DamagedObjectCreate
from homecoming.errors import RuleViolation
from homecoming.procurement import pricing
from homecoming.procurement.schemas import PriceItemCreate, PriceListCreate
from homecoming.territory import service as territory
from homecoming.territory.schemas import RegionCreate

COSTS = """kind,level,sector,unit,unit_cost,currency,basis
house,partial,housing,dwelling,10000,AZN,test
house,destroyed,housing,dwelling,50000,AZN,test
school,partial,school,building,150000,AZN,test
road_segment,partial,road,km,100000,AZN,test
"""
TABLE = "cost table costs.csv"
UNITS = {"house": "dwelling", "road_segment": "km", "bridge": "bridge", "school": "building"}


@pytest.fixture
def table(tmp_path: Path) -> CostTable:
    path = tmp_path / "costs.csv"
    path.write_text(COSTS, encoding="utf-8")
    return load_cost_table(path)


def add_list(
    session: Session, code: str, on: dt.date, prices: dict[str, float], region: str | None = None, currency="AZN"
) -> None:
    items = [
        PriceItemCreate(item_code=k, description=k, unit=UNITS[k.split(".")[1]], unit_price=v)
        for k, v in prices.items()
    ]
    pricing.add_price_list(
        session, PriceListCreate(code=code, region_code=region, effective_date=on, currency=currency, items=items)
    )


@pytest.fixture
def register(territory_session: Session) -> Session:
    """Zabukh: 12 houses destroyed, 5 partly, 1 surveyed school partly; Sus: 2.5 km of road partly damaged.
    National list N-2024 (from 2024-01-01) prices a new house at 70,000 and a km of road repair at 120,000."""
    s = territory_session
    for kind, level, quantity, settlement in (
        (ObjectKind.HOUSE, DamageLevel.DESTROYED, 12, "zabukh"),
        (ObjectKind.HOUSE, DamageLevel.PARTIAL, 5, "zabukh"),
        (ObjectKind.ROAD_SEGMENT, DamageLevel.PARTIAL, 2.5, "sus"),
    ):
        damage.set_count(
            s,
            DamageCountCreate(
                settlement_code=settlement, kind=kind, level=level, quantity=quantity, method=AssessmentMethod.REMOTE
            ),
        )
    damage.add_object(
        s,
        DamagedObjectCreate(
            code="zabukh-school-1",
            settlement_code="zabukh",
            kind=ObjectKind.SCHOOL,
            level=DamageLevel.PARTIAL,
            method=AssessmentMethod.FIELD_SURVEY,
        ),
    )
    add_list(s, "N-2024", dt.date(2024, 1, 1), {"replace.house": 70_000, "repair.road_segment.partial": 120_000})
    return s


def rows(estimate: NeedsEstimate) -> list[tuple[str, str, str, float, float, str]]:
    return [(x.settlement_code, x.kind, x.level, x.unit_cost, x.cost, x.cost_reference) for x in estimate.lines]


def test_the_item_codes_follow_kind_and_damage_level() -> None:
    assert item_code(ObjectKind.HOUSE, DamageLevel.DESTROYED) == "replace.house"
    assert item_code(ObjectKind.ROAD_SEGMENT, DamageLevel.SEVERE) == "repair.road_segment.severe"
    assert item_code(ObjectKind.APARTMENT_BUILDING, DamageLevel.PARTIAL) == "repair.apartment_building.partial"
    assert item_code(ObjectKind.HOUSE, DamageLevel.NONE) is None


def test_listed_prices_are_used_and_the_table_fills_the_items_the_list_lacks(
    register: Session, table: CostTable
) -> None:
    estimate = damage.needs_estimate(register, uplift=0.10, cost_table=table, on=dt.date(2024, 6, 30))
    n2024 = "price list N-2024 (2024-01-01)"
    # 2.5 x 120,000 x 1.1 = 330,000; 5 x 10,000 x 1.1 = 55,000; 12 x 70,000 x 1.1 = 924,000; 1 x 150,000 x 1.1
    assert rows(estimate) == [
        ("sus", "road_segment", "partial", 120_000, 330_000.0, f"{n2024}, item repair.road_segment.partial"),
        ("zabukh", "house", "partial", 10_000, 55_000.0, TABLE),
        ("zabukh", "house", "destroyed", 70_000, 924_000.0, f"{n2024}, item replace.house"),
        ("zabukh", "school", "partial", 150_000, 165_000.0, TABLE),
    ]
    assert [line.cost_source for line in estimate.lines] == [
        CostSource.PRICE_LIST, CostSource.COST_TABLE, CostSource.PRICE_LIST, CostSource.COST_TABLE
    ]  # fmt: skip
    assert [line.unit for line in estimate.lines] == ["km", "dwelling", "dwelling", "building"]
    assert (estimate.total, estimate.on, estimate.currency) == (1_474_000.0, dt.date(2024, 6, 30), "AZN")
    assert estimate.sources() == {
        TABLE: 2,
        f"{n2024}, item repair.road_segment.partial": 1,
        f"{n2024}, item replace.house": 1,
    }


def test_before_any_list_is_in_force_the_cost_table_prices_everything(register: Session, table: CostTable) -> None:
    estimate = damage.needs_estimate(register, uplift=0.0, cost_table=table, on=dt.date(2023, 12, 31))
    assert estimate.sources() == {TABLE: 4}
    assert estimate.total == 12 * 50_000 + 5 * 10_000 + 150_000 + 2.5 * 100_000  # 1,050,000


def test_a_newer_list_does_not_change_an_estimate_made_at_an_older_date(register: Session, table: CostTable) -> None:
    before = damage.needs_estimate(register, uplift=0.10, cost_table=table, on=dt.date(2024, 6, 30))
    add_list(register, "N-2025", dt.date(2025, 1, 1), {"replace.house": 80_000})
    again = damage.needs_estimate(register, uplift=0.10, cost_table=table, on=dt.date(2024, 6, 30))
    assert again == before
    later = damage.needs_estimate(register, uplift=0.10, cost_table=table, on=dt.date(2025, 2, 1))
    # houses now 12 x 80,000 x 1.1 = 1,056,000 (was 924,000); the road keeps N-2024, the only list pricing it
    assert later.by_settlement() == {"sus": 330_000.0, "zabukh": 1_276_000.0}
    assert later.total == 1_606_000.0


def test_the_region_list_wins_and_another_region_list_is_ignored(register: Session, table: CostTable) -> None:
    territory.create_region(register, RegionCreate(code="east-zangezur", name="East Zangezur"))
    add_list(register, "EZ-2025", dt.date(2025, 1, 1), {"repair.house.partial": 1})
    add_list(register, "K-2025", dt.date(2025, 6, 1), {"repair.house.partial": 14_000}, region="karabakh")
    add_list(register, "EZ-R-2025", dt.date(2025, 6, 1), {"repair.house.partial": 2}, region="east-zangezur")
    estimate = damage.needs_estimate(register, uplift=0.10, cost_table=table, on=dt.date(2025, 7, 1))
    partial = next(x for x in estimate.lines if (x.kind, x.level) == ("house", "partial"))
    assert (partial.unit_cost, partial.cost) == (14_000, 77_000.0)  # 5 x 14,000 x 1.1
    assert partial.cost_reference == "price list K-2025 (2025-06-01), item repair.house.partial"


def test_a_kind_only_the_price_list_knows_gets_its_sector_from_the_kind(register: Session, table: CostTable) -> None:
    damage.set_count(
        register,
        DamageCountCreate(
            settlement_code="sus", kind="bridge", level="destroyed", quantity=1, method=AssessmentMethod.REPORTED
        ),
    )
    add_list(register, "N-2024-B", dt.date(2024, 2, 1), {"replace.bridge": 900_000})
    estimate = damage.needs_estimate(register, uplift=0.0, cost_table=table, on=dt.date(2024, 6, 30))
    assert estimate.by_sector() == {"housing": 890_000.0, "road": 1_200_000.0, "school": 150_000.0}


def test_a_price_list_in_another_currency_than_the_table_is_refused(register: Session, table: CostTable) -> None:
    add_list(register, "USD-2024", dt.date(2024, 3, 1), {"repair.school.partial": 90_000}, currency="USD")
    with pytest.raises(RuleViolation) as caught:
        damage.needs_estimate(register, uplift=0.0, cost_table=table, on=dt.date(2024, 6, 30))
    assert (caught.value.code, caught.value.details) == ("damage.mixed_currencies", {"currencies": ["AZN", "USD"]})


def test_without_price_lists_the_table_alone_prices(register: Session, table: CostTable) -> None:
    estimate = damage.needs_estimate(register, uplift=0.0, cost_table=table, price_lists=False)
    assert (estimate.sources(), estimate.on) == ({TABLE: 4}, None)
