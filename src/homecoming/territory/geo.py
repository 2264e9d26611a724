"""The map's layers as GeoJSON FeatureCollections: one read model for the API (`/api/geo/{layer}.geojson`) and the
map page, so both show the same thing.

Public data only: codes, names, kinds, statuses, dates and areas of public records; no household or people count
(those pass the disclosure rule elsewhere) and nothing personal. Every geometry is one the registry holds: a hazard
area without an outline is drawn at the point of the settlement it blocks (as a point, never a ring around it); a
district without an imported boundary has none. What has no place at all is listed by `unplaced`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.mine_action.models import HazardArea, HazardStatus
from homecoming.planning.readiness import Readiness, readiness
from homecoming.territory.models import District, Settlement
from homecoming.works.models import Project

Collection = dict[str, Any]
READY, FORECAST, NOT_READY = "ready", "forecast", "not_ready"  # a settlement's status on the map


def settlement_states(session: Session) -> dict[str, Readiness]:
    """Every settlement's readiness and forecast, by code: the ONE place the map takes them from. The forecast is the
    approved (official) plan's, through planning.readiness, as on the overview; a what-if never reaches the map."""
    return {state.settlement: state for state in readiness(session)}


def status_of(state: Readiness | None) -> str:
    if state is not None and state.ready:
        return READY
    return FORECAST if state is not None and state.forecast_ready else NOT_READY


def _collection(features: list[dict[str, Any]]) -> Collection:
    return {"type": "FeatureCollection", "features": features}


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _feature(geometry: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _month(day: dt.date | None) -> str | None:
    return day.strftime("%Y-%m") if day else None


def settlements(session: Session) -> Collection:
    states = settlement_states(session)
    districts: dict[int, str] = {i: code for i, code in session.execute(select(District.id, District.code))}
    hazards = _open_hazards(session)
    features = [
        _feature(
            _point(s.lon, s.lat),  # type: ignore[arg-type]
            {
                "code": s.code,
                "name": s.name,
                "kind": str(s.kind),
                "district": districts[s.district_id],
                "status": status_of(states.get(s.code)),
                "forecast_ready": _month(states[s.code].forecast_ready) if s.code in states else None,
                "open_hazard_areas": hazards.get(s.id, 0),
                "href": f"/settlements/{s.code}",
            },
        )
        for s in _placed(session)
    ]
    return _collection(features)


def _placed(session: Session) -> list[Settlement]:
    query = select(Settlement).where(Settlement.lat.is_not(None), Settlement.lon.is_not(None))
    return list(session.scalars(query.order_by(Settlement.code)))


def _open_hazards(session: Session) -> dict[int, int]:
    query = (
        select(HazardArea.blocks_settlement_id, func.count())
        .where(HazardArea.status != HazardStatus.CLOSED, HazardArea.blocks_settlement_id.is_not(None))
        .group_by(HazardArea.blocks_settlement_id)
    )
    return {int(sid): int(n) for sid, n in session.execute(query) if sid is not None}


def hazards(session: Session) -> Collection:
    """Hazard areas by status: the outline where one is recorded, else the point of the settlement it blocks."""
    places = _settlement_points(session)
    features = []
    for h in session.scalars(select(HazardArea).order_by(HazardArea.code)):
        at = places.get(h.blocks_settlement_id) if h.blocks_settlement_id is not None else None
        geometry = h.polygon_geojson or (_point(*at[1]) if at else None)
        if geometry is None:
            continue
        properties = {
            "code": h.code,
            "classification": str(h.classification),
            "status": str(h.status),
            "contamination": str(h.contamination_type),
            "remaining_area_m2": float(h.remaining_area_m2),
            "settlement": at[0] if at else None,
            "drawn_as": "outline" if h.polygon_geojson else "settlement_point",
        }
        features.append(_feature(geometry, properties))
    return _collection(features)


def _settlement_points(session: Session) -> dict[int, tuple[str, tuple[float, float]]]:
    rows = session.execute(select(Settlement.id, Settlement.code, Settlement.lon, Settlement.lat))
    return {i: (code, (lon, lat)) for i, code, lon, lat in rows if lon is not None and lat is not None}


def works(session: Session) -> Collection:
    codes: dict[int, str] = {i: code for i, code in session.execute(select(Settlement.id, Settlement.code))}
    query = select(Project).where(Project.lat.is_not(None), Project.lon.is_not(None)).order_by(Project.code)
    features = [
        _feature(
            _point(p.lon, p.lat),  # type: ignore[arg-type]
            {
                "code": p.code,
                "name": p.name,
                "sector": str(p.sector),
                "status": str(p.status),
                "progress_pct": float(p.progress_pct),
                "settlement": codes.get(p.settlement_id) if p.settlement_id is not None else None,
            },
        )
        for p in session.scalars(query)
    ]
    return _collection(features)


def districts(session: Session) -> Collection:
    """District boundaries as imported (homecoming.interchange: a GeoJSON file into `districts`); none invented."""
    features = [
        _feature(d.boundary_geojson, {"code": d.code, "name": d.name, "admin_centre": d.admin_centre})
        for d in session.scalars(select(District).order_by(District.code))
        if d.boundary_geojson  # a JSON null is no boundary either
    ]
    return _collection(features)


def district_centres(session: Session) -> Collection:
    """Each district's administrative centre, linked to the centre's own settlement page where the registry holds
    the town (same district, same name)."""
    towns = {
        (district_id, name): code
        for district_id, name, code in session.execute(select(Settlement.district_id, Settlement.name, Settlement.code))
    }
    query = select(District).where(District.centre_lat.is_not(None), District.centre_lon.is_not(None))
    features = []
    for d in session.scalars(query.order_by(District.code)):
        town = towns.get((d.id, d.admin_centre or d.name))
        properties = {"code": d.code, "name": d.name, "admin_centre": d.admin_centre, "settlement": town,
                      "href": f"/settlements/{town}" if town else None}  # fmt: skip
        features.append(_feature(_point(d.centre_lon, d.centre_lat), properties))  # type: ignore[arg-type]
    return _collection(features)


class Layer(enum.StrEnum):
    SETTLEMENTS = "settlements"
    HAZARD_AREAS = "hazard-areas"
    WORKS = "works"
    DISTRICTS = "districts"
    DISTRICT_CENTRES = "district-centres"


LAYERS: dict[Layer, Callable[[Session], Collection]] = {
    Layer.SETTLEMENTS: settlements,
    Layer.HAZARD_AREAS: hazards,
    Layer.WORKS: works,
    Layer.DISTRICTS: districts,
    Layer.DISTRICT_CENTRES: district_centres,
}


@dataclass(frozen=True)
class Unplaced:
    """A record the map cannot draw: it has no coordinates (nor, for a hazard area, an outline or a placed
    settlement)."""

    kind: str  # settlement / hazard_area / works
    code: str
    name: str
    status: str


def unplaced(session: Session, states: dict[str, Readiness]) -> list[Unplaced]:
    no_place = (Settlement.lat.is_(None)) | (Settlement.lon.is_(None))
    found = [
        Unplaced("settlement", s.code, s.name, status_of(states.get(s.code)))
        for s in session.scalars(select(Settlement).where(no_place).order_by(Settlement.name))
    ]
    placed = set(_settlement_points(session))
    found += [
        Unplaced("hazard_area", h.code, h.code, str(h.status))
        for h in session.scalars(select(HazardArea).order_by(HazardArea.code))
        if not h.polygon_geojson and h.blocks_settlement_id not in placed
    ]
    works_query = select(Project).where((Project.lat.is_(None)) | (Project.lon.is_(None))).order_by(Project.name)
    found += [Unplaced("works", p.code, p.name, str(p.status)) for p in session.scalars(works_query)]
    return found


@dataclass(frozen=True)
class Place:
    """A settlement as the map page lists it (the list that stays when the map cannot be drawn)."""

    code: str
    name: str
    district: str  # its code
    district_name: str
    status: str
    forecast_ready: dt.date | None
    placed: bool


@dataclass(frozen=True)
class MapSummary:
    places: list[Place]  # every settlement, by district and name
    unplaced: list[Unplaced]
    district_boundaries: int  # districts with an imported boundary (0: the layer is empty, and the legend says so)


def summary(session: Session) -> MapSummary:
    states = settlement_states(session)
    rows = session.execute(select(District.id, District.code, District.name))
    named = {i: (code, name) for i, code, name in rows}
    places = [
        Place(s.code, s.name, *named[s.district_id], status_of(states.get(s.code)),
              states[s.code].forecast_ready if s.code in states else None, s.lat is not None and s.lon is not None)
        for s in session.scalars(select(Settlement).order_by(Settlement.district_id, Settlement.name))
    ]  # fmt: skip
    return MapSummary(places, unplaced(session, states), len(districts(session)["features"]))
