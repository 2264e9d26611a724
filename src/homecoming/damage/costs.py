"""The cost table of the needs estimate: unit cost by kind of object and damage level.

The shipped table (data/unit_costs.csv) holds placeholder figures marked as assumptions; a real table is passed
as a file until the price list of the procurement domain can feed it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from homecoming.damage.models import DamageLevel, ObjectKind
from homecoming.errors import RuleViolation
from homecoming.works.models import Sector

DEFAULT_TABLE = Path(__file__).parent / "data" / "unit_costs.csv"
COLUMNS = ("kind", "level", "sector", "unit", "unit_cost", "currency")


@dataclass(frozen=True)
class UnitCost:
    kind: ObjectKind
    level: DamageLevel
    sector: Sector
    unit: str
    unit_cost: float
    currency: str
    basis: str


@dataclass(frozen=True)
class CostTable:
    source: str  # file name, shown with every estimate
    currency: str
    costs: dict[tuple[ObjectKind, DamageLevel], UnitCost]

    def cost_of(self, kind: ObjectKind, level: DamageLevel) -> UnitCost:
        found = self.costs.get((kind, level))
        if found is None:
            raise RuleViolation(
                "damage.no_unit_cost",
                f"the cost table {self.source} has no unit cost for {kind} at damage level {level}; add a row "
                f"kind={kind},level={level} or pass a fuller table with --costs",
                {"kind": str(kind), "level": str(level), "table": self.source},
            )
        return found

    def sector_of(self, kind: ObjectKind) -> Sector | None:
        return next((c.sector for (k, _), c in self.costs.items() if k == kind), None)


def load_cost_table(path: Path | None = None) -> CostTable:
    """Read and check a cost table; every bad row is listed (`damage.bad_cost_table`)."""
    path = path or DEFAULT_TABLE
    if not path.is_file():
        raise RuleViolation("damage.cost_table_not_found", f"no cost table at {path}", {"file": str(path)})
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise _bad(path, [{"row": 1, "column": c, "reason": "required column is missing"} for c in missing])
        costs: dict[tuple[ObjectKind, DamageLevel], UnitCost] = {}
        problems: list[dict[str, object]] = []
        for number, row in enumerate(reader, start=2):
            cost, reason = _parse(row)
            if cost is None:
                problems.append({"row": number, "column": reason[0], "reason": reason[1]})
            elif (cost.kind, cost.level) in costs:
                problems.append({"row": number, "column": "kind", "reason": f"{cost.kind}/{cost.level} twice"})
            else:
                costs[(cost.kind, cost.level)] = cost
    currencies = sorted({c.currency for c in costs.values()})
    if len(currencies) > 1:
        problems.append({"row": 0, "column": "currency", "reason": f"one currency expected, got {currencies}"})
    if problems:
        raise _bad(path, problems)
    return CostTable(path.name, currencies[0] if currencies else "", costs)


def _parse(row: dict[str, str]) -> tuple[UnitCost | None, tuple[str, str]]:
    values = {k: (row.get(k) or "").strip() for k in (*COLUMNS, "basis")}
    for column, enum_type in (("kind", ObjectKind), ("level", DamageLevel), ("sector", Sector)):
        allowed = [m.value for m in enum_type]
        if values[column] not in allowed:
            return None, (column, f"expected one of: {', '.join(allowed)}; got {values[column]!r}")
    try:
        unit_cost = float(values["unit_cost"])
    except ValueError:
        return None, ("unit_cost", f"expected a number, got {values['unit_cost']!r}")
    if unit_cost < 0:
        return None, ("unit_cost", f"must be at least 0, got {unit_cost}")
    if len(values["currency"]) != 3 or not values["currency"].isupper():
        return None, ("currency", f"expected a three-letter currency code, got {values['currency']!r}")
    if not values["unit"]:
        return None, ("unit", "a value is required")
    cost = UnitCost(
        ObjectKind(values["kind"]),
        DamageLevel(values["level"]),
        Sector(values["sector"]),
        values["unit"],
        unit_cost,
        values["currency"],
        values["basis"],
    )
    return cost, ("", "")


def _bad(path: Path, problems: list[dict[str, object]]) -> RuleViolation:
    first = problems[0]
    return RuleViolation(
        "damage.bad_cost_table",
        f"{path.name}: {len(problems)} problem(s) in the cost table; first: row {first['row']}, "
        f"column {first['column']}: {first['reason']}",
        {"file": str(path), "error_count": len(problems), "errors": problems},
    )
