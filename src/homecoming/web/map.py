"""An offline map: settlements, district centres, hazards and works drawn as inline SVG from the database's own
coordinates. No tile server (house rule 9); an equirectangular projection scaled by cos(latitude) is exact enough
for a region a few hundred kilometres across."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.mine_action.models import HazardArea, HazardStatus
from homecoming.planning.readiness import readiness
from homecoming.territory.models import District, Settlement
from homecoming.works.models import Project

WIDTH = 800
MARGIN = 30
LABEL_ROOM = 110  # on the right, so an eastern district's name is not cut off


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    code: str
    kind: str  # ready / not-ready / district / works
    hazards: int = 0


@dataclass(frozen=True)
class MapDrawing:
    width: int
    height: int
    districts: list[Point]
    settlements: list[Point]
    works: list[Point]


def drawing(session: Session) -> MapDrawing:
    settlements = [s for s in session.scalars(select(Settlement).order_by(Settlement.code)) if s.lat and s.lon]
    districts = [d for d in session.scalars(select(District).order_by(District.code)) if d.centre_lat and d.centre_lon]
    works = list(
        session.execute(
            select(Project.code, Project.name, Project.lat, Project.lon).where(
                Project.lat.is_not(None), Project.lon.is_not(None)
            )
        )
    )
    coords = [(s.lat, s.lon) for s in settlements] + [(d.centre_lat, d.centre_lon) for d in districts]
    if not coords:
        return MapDrawing(WIDTH, 200, [], [], [])
    lats = [c[0] for c in coords if c[0] is not None]
    lons = [c[1] for c in coords if c[1] is not None]
    squash = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * squash, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = (WIDTH - 2 * MARGIN - LABEL_ROOM) / span_x
    height = int(span_y * scale + 2 * MARGIN)

    def place(lat: float, lon: float) -> tuple[float, float]:
        return MARGIN + (lon - min(lons)) * squash * scale, MARGIN + (max(lats) - lat) * scale

    ready = {r.settlement: r.ready for r in readiness(session)}
    hazards = {
        settlement_id: n
        for settlement_id, n in session.execute(
            select(HazardArea.blocks_settlement_id, func.count())
            .where(HazardArea.status != HazardStatus.CLOSED, HazardArea.blocks_settlement_id.is_not(None))
            .group_by(HazardArea.blocks_settlement_id)
        )
    }
    return MapDrawing(
        WIDTH,
        height,
        [Point(*place(d.centre_lat, d.centre_lon), d.name, d.code, "district") for d in districts],  # type: ignore[arg-type]
        [
            Point(
                *place(s.lat, s.lon),  # type: ignore[arg-type]
                s.name,
                s.code,
                "ready" if ready.get(s.code) else "not-ready",
                int(hazards.get(s.id, 0)),
            )
            for s in settlements
        ],
        [Point(*place(lat or 0.0, lon or 0.0), name, code, "works") for code, name, lat, lon in works],
    )
