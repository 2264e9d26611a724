"""Regions, districts and settlements: created and looked up by their stable codes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique, apply_changes, get_by_code
from homecoming.errors import RuleViolation
from homecoming.territory.models import District, Region, Settlement, SettlementKind
from homecoming.territory.schemas import DistrictCreate, RegionCreate, SettlementCreate, SettlementUpdate


def create_region(session: Session, data: RegionCreate) -> Region:
    return add_unique(session, Region(**data.model_dump()))


def create_district(session: Session, data: DistrictCreate) -> District:
    fields = data.model_dump(exclude={"region_code"})
    return add_unique(session, District(region_id=get_by_code(session, Region, data.region_code).id, **fields))


def create_settlement(session: Session, data: SettlementCreate) -> Settlement:
    """A settlement of a district (who may add one there: `territory.actions`)."""
    _check_boundary(data.boundary_geojson)
    fields = data.model_dump(exclude={"district_code"})
    district = get_by_code(session, District, data.district_code)
    return add_unique(session, Settlement(district_id=district.id, **fields))


def get_settlement(session: Session, code: str) -> Settlement:
    return get_by_code(session, Settlement, code)


def get_district(session: Session, code: str) -> District:
    return get_by_code(session, District, code)


def update_settlement(session: Session, code: str, data: SettlementUpdate) -> Settlement:
    changes = data.model_dump(exclude_unset=True)
    _check_boundary(changes.get("boundary_geojson"))
    settlement = get_by_code(session, Settlement, code)
    apply_changes(settlement, changes)
    session.flush()
    return settlement


def district_names(session: Session) -> dict[str, str]:
    """Every district's name by its code."""
    return {code: name for code, name in session.execute(select(District.code, District.name))}


def list_settlements(
    session: Session, *, district_code: str | None = None, kind: SettlementKind | None = None
) -> list[Settlement]:
    query = select(Settlement).order_by(Settlement.code)
    if district_code is not None:
        query = query.where(Settlement.district_id == get_by_code(session, District, district_code).id)
    if kind is not None:
        query = query.where(Settlement.kind == kind)
    return list(session.scalars(query))


def _check_boundary(boundary: dict[str, Any] | None) -> None:
    """A boundary is a GeoJSON Polygon or MultiPolygon; anything else would break every map that draws it."""
    if boundary is None:
        return
    if boundary.get("type") not in {"Polygon", "MultiPolygon"} or not isinstance(boundary.get("coordinates"), list):
        raise RuleViolation(
            "territory.bad_boundary",
            "a settlement boundary must be a GeoJSON Polygon or MultiPolygon with coordinates",
            {"type": boundary.get("type")},
        )
