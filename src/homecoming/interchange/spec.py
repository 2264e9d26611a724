"""What each registry table looks like as a file, derived from the models so the two never drift apart.

A file has one column per table column except the surrogate `id`; a foreign key `<name>_id` becomes
`<name>_code`, naming the referenced record by its stable code. A row is identified by its natural key:
`code` where the table has one, otherwise the columns of its primary key or unique constraint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table, UniqueConstraint

import homecoming.db.models  # noqa: F401  (registers every table)
from homecoming import geo
from homecoming.damage.rules import check_footprint_row
from homecoming.db.base import Base
from homecoming.db.types import GEOMETRY
from homecoming.errors import RuleViolation

RowCheck = Callable[[dict[str, Any]], "tuple[str, str] | None"]

# Tables in the order a full registry is loaded: referenced tables before the ones that refer to them.
IMPORT_ORDER = (
    "regions",
    "districts",
    "settlements",
    "projects",
    "project_dependencies",
    "hazard_areas",
    "hazard_area_blocked_projects",
    "housing_stock",
    "budget_allocations",
    "cumulative_budgets",
    "households",
    "return_events",
    "convoys",
    "programme_targets",
    "national_return_counts",
    "clearance_statistics",
    "mine_action_operators",
    "mine_casualty_figures",
    "damaged_objects",
    "damage_counts",
    "heritage_sites",
    "heritage_site_projects",
)


@dataclass(frozen=True)
class Reference:
    """A file column `<name>_code` that stands for the table column `<name>_id`."""

    file_column: str
    table_column: str
    target_table: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    table: Table
    columns: tuple[Column[Any], ...]  # table columns carried by the file, in file order
    references: dict[str, Reference]  # table column -> reference
    natural_key: tuple[str, ...]  # table columns that identify a row
    row_checks: tuple[RowCheck, ...] = field(default=())
    # (district column, settlement column) of a table whose rows name both: the settlement must be in the district
    place: tuple[str, str] | None = None
    geometry_column: str | None = None  # the outline a GeoJSON file's geometries fill (homecoming.db.types.GEOMETRY)

    def file_column(self, column: Column[Any]) -> str:
        return self.file_name(column.name)

    def file_name(self, table_column: str) -> str:
        ref = self.references.get(table_column)
        return ref.file_column if ref else table_column

    @property
    def file_columns(self) -> list[str]:
        return [self.file_column(c) for c in self.columns]

    def required_file_columns(self) -> list[str]:
        return [self.file_column(c) for c in self.columns if not c.nullable and c.default is None]


def _check_members_fit(row: dict[str, Any]) -> tuple[str, str] | None:
    size, children, elderly = row.get("size"), row.get("children") or 0, row.get("elderly") or 0
    if size is not None and children + elderly > size:
        return "children", f"children ({children}) + elderly ({elderly}) exceed the household size ({size})"
    return None


def _check_remaining_area(row: dict[str, Any]) -> tuple[str, str] | None:
    estimated, remaining = row.get("estimated_area_m2"), row.get("remaining_area_m2")
    if estimated is not None and remaining is not None and remaining > estimated:
        return "remaining_area_m2", f"remaining area {remaining} m² exceeds the estimated area {estimated} m²"
    return None


def _check_not_self(row: dict[str, Any]) -> tuple[str, str] | None:
    if row.get("predecessor_id") is not None and row.get("predecessor_id") == row.get("successor_id"):
        return "successor_code", "a project cannot depend on itself"
    return None


ROW_CHECKS: dict[str, tuple[RowCheck, ...]] = {
    "households": (_check_members_fit,),
    "hazard_areas": (_check_remaining_area,),
    "project_dependencies": (_check_not_self,),
    "damaged_objects": (check_footprint_row,),
}


def _outline_check(column: str) -> RowCheck:
    """An outline is a valid (Multi)Polygon: the same rule as every other write of one (homecoming.geo)."""

    def check(row: dict[str, Any]) -> tuple[str, str] | None:
        if row.get(column) is None:
            return None
        try:
            geo.polygon(row[column], column)
        except RuleViolation as exc:
            return column, exc.message.removeprefix(f"{column}: ")
        return None

    return check


def _natural_key(table: Table) -> tuple[str, ...]:
    if "code" in table.c:
        return ("code",)
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            return tuple(c.name for c in constraint.columns)
    return tuple(c.name for c in table.primary_key.columns)


def _build(name: str) -> TableSpec:
    table = Base.metadata.tables[name]
    # The surrogate id and the optimistic-concurrency version are the database's own, never a file's.
    columns = tuple(c for c in table.columns if not (c.primary_key and c.name == "id") and c.name != "version")
    references: dict[str, Reference] = {}
    for column in columns:
        for fk in column.foreign_keys:
            stem = column.name.removesuffix("_id")
            references[column.name] = Reference(f"{stem}_code", column.name, fk.column.table.name)
    outline = next((c.name for c in columns if c.info.get("geometry") == GEOMETRY["geometry"]), None)
    checks = ROW_CHECKS.get(name, ()) + ((_outline_check(outline),) if outline else ())
    return TableSpec(name, table, columns, references, _natural_key(table), checks, _place(references), outline)


def _place(references: dict[str, Reference]) -> tuple[str, str] | None:
    by_target = {ref.target_table: column for column, ref in references.items()}
    if "districts" in by_target and "settlements" in by_target:
        return by_target["districts"], by_target["settlements"]
    return None


SPECS: dict[str, TableSpec] = {name: _build(name) for name in IMPORT_ORDER}
OUTLINED_TABLES = tuple(name for name, spec in SPECS.items() if spec.geometry_column)
