"""The needs estimate: damaged units x unit cost by damage level x (1 + build-back-better uplift).

Pure: quantities and a cost table in, an estimate out; the service reads the quantities from the register.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from homecoming.damage.costs import CostTable
from homecoming.damage.models import DamageLevel, ObjectKind
from homecoming.errors import RuleViolation
from homecoming.works.models import Sector


class Basis(StrEnum):
    OBJECTS = "objects"  # object-level records
    COUNTS = "counts"  # bulk counts, used where a settlement has no object records of that kind


@dataclass(frozen=True)
class DamageQuantity:
    settlement_code: str
    district_code: str
    kind: ObjectKind
    level: DamageLevel
    quantity: float
    basis: Basis


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


@dataclass(frozen=True)
class NeedsEstimate:
    lines: tuple[NeedsLine, ...]
    uplift: float
    currency: str
    cost_table: str

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


def estimate_needs(quantities: Iterable[DamageQuantity], table: CostTable, uplift: float) -> NeedsEstimate:
    """One line per settlement, kind and damage level; `uplift` 0.10 adds 10% to build back better."""
    if not 0 <= uplift <= 1:
        raise RuleViolation(
            "damage.bad_uplift", f"the build-back-better uplift is a share between 0 and 1; got {uplift}"
        )
    lines = []
    for item in sorted(quantities, key=lambda q: (q.district_code, q.settlement_code, q.kind, _LEVELS[q.level])):
        if item.level == DamageLevel.NONE and (item.kind, item.level) not in table.costs:
            continue  # undamaged: nothing to pay, whatever the table says about it
        unit = table.cost_of(item.kind, item.level)
        cost = round(item.quantity * unit.unit_cost * (1 + uplift), 2)
        lines.append(
            NeedsLine(
                item.settlement_code,
                item.district_code,
                unit.sector,
                item.kind,
                item.level,
                item.quantity,
                unit.unit,
                unit.unit_cost,
                cost,
                item.basis,
            )
        )
    return NeedsEstimate(tuple(lines), uplift, table.currency, table.source)


_LEVELS = {level: rank for rank, level in enumerate(DamageLevel)}
