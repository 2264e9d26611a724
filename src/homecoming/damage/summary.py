"""The damage summary the public page shows: per district and kind, units at each level and what they cost.

Pure: the register's quantities and a needs estimate in, rows out (aggregates only; no object is named).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from homecoming.damage.models import DamageLevel, ObjectKind
from homecoming.damage.needs import DamageQuantity, NeedsEstimate


@dataclass
class SummaryRow:
    district_code: str
    kind: ObjectKind
    units: dict[DamageLevel, float] = field(default_factory=dict)  # damaged units by level, in the kind's unit
    unit_names: set[str] = field(default_factory=set)
    cost: float = 0.0  # with the build-back-better uplift
    bare_cost: float = 0.0  # without it: units x unit cost
    sources: set[str] = field(default_factory=set)

    @property
    def damaged(self) -> float:
        return sum(q for level, q in self.units.items() if level != DamageLevel.NONE)


@dataclass(frozen=True)
class DamageSummary:
    rows: tuple[SummaryRow, ...]
    district_totals: dict[str, float]  # cost with uplift per district
    total: float
    bare_total: float
    estimate: NeedsEstimate


def summarise(quantities: Iterable[DamageQuantity], estimate: NeedsEstimate) -> DamageSummary:
    rows: dict[tuple[str, ObjectKind], SummaryRow] = {}
    for item in quantities:
        row = rows.setdefault((item.district_code, item.kind), SummaryRow(item.district_code, item.kind))
        row.units[item.level] = row.units.get(item.level, 0.0) + item.quantity
    for line in estimate.lines:
        row = rows.setdefault((line.district_code, line.kind), SummaryRow(line.district_code, line.kind))
        row.unit_names.add(line.unit)
        row.cost += line.cost
        row.bare_cost += line.quantity * line.unit_cost
        row.sources.add(line.cost_reference)
    ordered = tuple(rows[key] for key in sorted(rows))
    for row in ordered:
        row.cost, row.bare_cost = round(row.cost, 2), round(row.bare_cost, 2)
    return DamageSummary(
        ordered,
        estimate.by_district(),
        estimate.total,
        round(sum(row.bare_cost for row in ordered), 2),
        estimate,
    )
