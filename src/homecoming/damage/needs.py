"""The needs estimate: damaged units x unit cost by damage level x (1 + build-back-better uplift).

Pure: quantities, the prices a price list sets and a cost table in, an estimate out; the service reads the
quantities from the register and the prices in force on the estimate's date from the procurement price lists.
Each unit cost comes from the price list when it prices the item, else from the cost table, and each line says
which.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from homecoming.damage.costs import CostTable, UnitCost
from homecoming.damage.models import DamageLevel, ObjectKind
from homecoming.errors import RuleViolation
from homecoming.works.models import Sector


class Basis(StrEnum):
    OBJECTS = "objects"  # object-level records
    COUNTS = "counts"  # bulk counts, used where a settlement has no object records of that kind


class CostSource(StrEnum):
    PRICE_LIST = "price_list"  # a procurement price list in force on the estimate's date
    COST_TABLE = "cost_table"  # the configurable table, for items the price lists do not price


@dataclass(frozen=True)
class DamageQuantity:
    settlement_code: str
    district_code: str
    kind: ObjectKind
    level: DamageLevel
    quantity: float
    basis: Basis
    region_code: str | None = None  # chooses the regional price list over the national one


@dataclass(frozen=True)
class ListedPrice:
    """A unit price of a price list, for one kind at one damage level."""

    item_code: str
    unit: str
    unit_price: float
    currency: str
    price_list_code: str
    effective_date: dt.date


# (region code or None, kind, level) -> the price in force there; the service fills in the national price for
# a region whose own list lacks the item, so a lookup by the quantity's region finds the right one.
ListedPrices = Mapping[tuple[str | None, ObjectKind, DamageLevel], ListedPrice]

# Sector of the proposed works when the cost table does not name one for a kind the price list prices.
SECTOR_OF_KIND = {
    ObjectKind.HOUSE: Sector.HOUSING,
    ObjectKind.APARTMENT_BUILDING: Sector.HOUSING,
    ObjectKind.SCHOOL: Sector.SCHOOL,
    ObjectKind.CLINIC: Sector.HEALTH,
    ObjectKind.ADMINISTRATIVE_BUILDING: Sector.ADMINISTRATION,
    ObjectKind.ROAD_SEGMENT: Sector.ROAD,
    ObjectKind.BRIDGE: Sector.ROAD,
    ObjectKind.POWER_ASSET: Sector.POWER,
    ObjectKind.WATER_ASSET: Sector.WATER,
    ObjectKind.GAS_ASSET: Sector.GAS,
    ObjectKind.RELIGIOUS_BUILDING: Sector.HERITAGE,
    ObjectKind.MONUMENT: Sector.HERITAGE,
    ObjectKind.CEMETERY: Sector.HERITAGE,
    ObjectKind.OTHER: Sector.ADMINISTRATION,
}


@dataclass(frozen=True)
class NeedsLine:
    settlement_code: str
    district_code: str
    sector: Sector
    kind: ObjectKind
    level: DamageLevel
    quantity: float
    unit: str
    unit_cost: float
    cost: float  # quantity x unit_cost x (1 + uplift), rounded to cents
    basis: Basis
    cost_source: CostSource = CostSource.COST_TABLE
    cost_reference: str = ""  # "price list <code>, item <item code>" or "cost table <file>"


@dataclass(frozen=True)
class NeedsEstimate:
    lines: tuple[NeedsLine, ...]
    uplift: float
    currency: str
    cost_table: str
    on: dt.date | None = None  # the date whose price lists were used; None: the cost table alone

    def sources(self) -> dict[str, int]:
        """Each source of unit costs and how many lines took their cost from it."""
        counted: dict[str, int] = defaultdict(int)
        for line in self.lines:
            counted[line.cost_reference] += 1
        return dict(sorted(counted.items()))

    @property
    def from_cost_table(self) -> bool:
        return any(line.cost_source == CostSource.COST_TABLE for line in self.lines)

    @property
    def total(self) -> float:
        return round(sum(line.cost for line in self.lines), 2)

    def by_settlement(self) -> dict[str, float]:
        return self._sum(lambda line: line.settlement_code)

    def by_district(self) -> dict[str, float]:
        return self._sum(lambda line: line.district_code)

    def by_sector(self) -> dict[str, float]:
        return self._sum(lambda line: str(line.sector))

    def _sum(self, key: Callable[[NeedsLine], str]) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for line in self.lines:
            totals[key(line)] += line.cost
        return {name: round(value, 2) for name, value in sorted(totals.items())}


def estimate_needs(
    quantities: Iterable[DamageQuantity],
    table: CostTable,
    uplift: float,
    listed: ListedPrices | None = None,
    on: dt.date | None = None,
) -> NeedsEstimate:
    """One line per settlement, kind and damage level; `uplift` 0.10 adds 10% to build back better.

    A line's unit cost is the listed price for its region, kind and level when there is one, else the cost table's.
    """
    if not 0 <= uplift <= 1:
        raise RuleViolation(
            "damage.bad_uplift", f"the build-back-better uplift is a share between 0 and 1; got {uplift}"
        )
    listed = listed or {}
    lines = []
    for item in sorted(quantities, key=lambda q: (q.district_code, q.settlement_code, q.kind, _LEVELS[q.level])):
        price = listed.get((item.region_code, item.kind, item.level))
        if item.level == DamageLevel.NONE and price is None and (item.kind, item.level) not in table.costs:
            continue  # undamaged: nothing to pay, whatever the table says about it
        lines.append(_line(item, table, uplift, price))
    currencies = sorted({c for line, c in lines})
    if len(currencies) > 1:
        raise RuleViolation(
            "damage.mixed_currencies",
            f"the unit costs mix {', '.join(currencies)} (price lists and cost table {table.source}); "
            "give the cost table the price lists' currency",
            {"currencies": currencies},
        )
    currency = currencies[0] if currencies else table.currency
    return NeedsEstimate(tuple(line for line, _ in lines), uplift, currency, table.source, on)


def _line(item: DamageQuantity, table: CostTable, uplift: float, price: ListedPrice | None) -> tuple[NeedsLine, str]:
    if price is None:
        unit: UnitCost = table.cost_of(item.kind, item.level)
        sector, unit_name, unit_cost, currency = unit.sector, unit.unit, unit.unit_cost, unit.currency
        source, reference = CostSource.COST_TABLE, f"cost table {table.source}"
    else:
        sector = table.sector_of(item.kind) or SECTOR_OF_KIND[item.kind]
        unit_name, unit_cost, currency = price.unit, price.unit_price, price.currency
        source = CostSource.PRICE_LIST
        reference = f"price list {price.price_list_code} ({price.effective_date}), item {price.item_code}"
    line = NeedsLine(
        item.settlement_code,
        item.district_code,
        sector,
        item.kind,
        item.level,
        item.quantity,
        unit_name,
        unit_cost,
        round(item.quantity * unit_cost * (1 + uplift), 2),
        item.basis,
        source,
        reference,
    )
    return line, currency


_LEVELS = {level: rank for rank, level in enumerate(DamageLevel)}
