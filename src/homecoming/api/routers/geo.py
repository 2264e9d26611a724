"""The map's layers as GeoJSON (RFC 7946): public, the same read model the map page draws (homecoming.territory.geo)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Response
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.db import freshness
from homecoming.http.deps import PublicUnit, public
from homecoming.territory import geo

router = APIRouter(prefix="/api/geo", tags=["map"])
GEOJSON = "application/geo+json"


@router.get(
    "/{layer}.geojson",
    dependencies=[Depends(public)],
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}, "description": "a GeoJSON FeatureCollection"}},
)
async def geo_layer(unit: PublicUnit, layer: geo.Layer) -> Response:
    """One layer of the map: `settlements` (status: ready / forecast / not_ready, and the forecast month),
    `hazard-areas` (outline, or the point of the settlement it blocks), `works`, `districts` (imported boundaries
    only: empty until some are imported) or `district-centres`. Built once per committed change."""

    def body(session: Session, _user: User | None) -> bytes:
        return freshness.cached_answer(session, ("geo", layer), lambda: json.dumps(geo.LAYERS[layer](session)).encode())

    return Response(await unit.run(body), media_type=GEOJSON)
