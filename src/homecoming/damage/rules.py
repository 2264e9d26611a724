"""Pure checks on damage records, shared by the services and the file importer."""

from __future__ import annotations

from typing import Any

FOOTPRINT_TYPES = {"Polygon", "MultiPolygon", "LineString", "MultiLineString"}
_DEPTH = {"LineString": 2, "MultiLineString": 3, "Polygon": 3, "MultiPolygon": 4}


def footprint_problem(footprint: Any) -> str | None:
    """Why a footprint is not a usable GeoJSON geometry (None when it is).

    Buildings have polygons, road segments and power lines have lines. Checked by hand because only the shape of
    the JSON matters here (no geometry operations), which does not justify a geometry dependency.
    """
    if footprint is None:
        return None
    if not isinstance(footprint, dict) or footprint.get("type") not in FOOTPRINT_TYPES:
        kind = footprint.get("type") if isinstance(footprint, dict) else type(footprint).__name__
        return f"a footprint must be a GeoJSON {', '.join(sorted(FOOTPRINT_TYPES))}; got {kind!r}"
    coordinates = footprint.get("coordinates")
    if not _positions_at_depth(coordinates, _DEPTH[footprint["type"]]):
        return f"the {footprint['type']} footprint needs coordinates as nested lists of [lon, lat] positions"
    return None


def _positions_at_depth(value: Any, depth: int) -> bool:
    if not isinstance(value, list) or not value:
        return False
    if depth == 1:
        return len(value) >= 2 and all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in value)
    return all(_positions_at_depth(item, depth - 1) for item in value)


def check_footprint_row(row: dict[str, Any]) -> tuple[str, str] | None:
    """Importer row check for damaged_objects files."""
    problem = footprint_problem(row.get("footprint_geojson"))
    return None if problem is None else ("footprint_geojson", problem)
