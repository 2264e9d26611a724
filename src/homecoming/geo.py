"""Geometry on the ellipsoid: areas in m² and footprints in metres, never in degrees.

GeoJSON in, WGS84 longitude/latitude. shapely checks and intersects shapes; pyproj's Geod measures them.
"""

from __future__ import annotations

from typing import Any

import shapely
from pyproj import Geod
from shapely.errors import GEOSException
from shapely.geometry import Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from homecoming.errors import RuleViolation

WGS84 = Geod(ellps="WGS84")
CIRCLE_POINTS = 32


def polygon(geojson: dict[str, Any], what: str) -> BaseGeometry:
    """A valid (Multi)Polygon from GeoJSON, or a RuleViolation naming `what`, the defect and shapely's fix."""
    try:
        geometry = shape(geojson)
    except (AttributeError, KeyError, TypeError, ValueError, GEOSException) as exc:
        raise RuleViolation("geometry.unreadable", f"{what}: not a GeoJSON geometry ({exc})") from None
    if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
        raise RuleViolation(
            "geometry.not_a_polygon", f"{what}: expected a Polygon or MultiPolygon, got {geometry.geom_type}"
        )
    if geometry.is_empty:
        raise RuleViolation("geometry.empty", f"{what}: the polygon has no area")
    if not geometry.is_valid:
        reason = explain_validity(geometry)
        fixed = shapely.make_valid(geometry)
        raise RuleViolation(
            "geometry.invalid",
            f"{what}: invalid polygon ({reason}); shapely's make_valid would turn it into a {fixed.geom_type} "
            f"of {area_m2(fixed):,.0f} m² — check the vertex order and redraw the outline",
            {"reason": reason, "suggested_fix": mapping(fixed)},
        )
    return geometry


def area_m2(geometry: BaseGeometry) -> float:
    """Geodesic area on the WGS84 ellipsoid."""
    area, _perimeter = WGS84.geometry_area_perimeter(geometry)
    return abs(area)


def circle(lon: float, lat: float, radius_m: float) -> Polygon:
    """A geodesic circle around a point: the footprint of a place known only by its coordinates."""
    azimuths = [360.0 * i / CIRCLE_POINTS for i in range(CIRCLE_POINTS)]
    lons, lats, _ = WGS84.fwd([lon] * CIRCLE_POINTS, [lat] * CIRCLE_POINTS, azimuths, [radius_m] * CIRCLE_POINTS)
    return Polygon(zip(lons, lats, strict=True))
