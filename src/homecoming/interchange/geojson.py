"""A GeoJSON FeatureCollection read as a table: each feature one row, its properties the columns, its geometry the
table's outline column (a column marked GEOMETRY: a district's or settlement's boundary, a hazard area's polygon).

So an outline drawn in QGIS or exported from a boundary data set imports like any other registry file: the same
header check, the same per-row errors, all rows or none (homecoming.interchange.importer). Feature numbers are
counted as rows are in a spreadsheet: the first feature is row 2.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from homecoming.errors import RuleViolation

SUFFIX = ".geojson"
GEOMETRY_PROPERTY = "geometry"  # a property of this name would be ambiguous with the feature's own geometry


def read_features(
    text: str, name: str, geometry_column: str | None, geometry_tables: list[str]
) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header (every property name, in first-seen order, then the outline column) and the rows."""
    if geometry_column is None:
        raise _bad(name, f"this table has no outline; a GeoJSON file imports into: {', '.join(geometry_tables)}")
    features = _features(text, name)
    header: list[str] = []
    for number, feature in features:
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise _bad(name, f"feature on row {number} has properties that are not an object")
        if GEOMETRY_PROPERTY in properties or geometry_column in properties:
            raise _bad(name, f"feature on row {number} has a property named like its geometry")
        header.extend(key for key in properties if key not in header)
    header.append(geometry_column)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, feature in features:
            properties = feature.get("properties") or {}
            values = [_cell(properties.get(key)) for key in header[:-1]]
            yield number, [*values, feature.get("geometry") or ""]

    return header, rows()


def _features(text: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(name, f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise _bad(name, 'not a GeoJSON FeatureCollection (its top level needs "type": "FeatureCollection")')
    features = document.get("features")
    if not isinstance(features, list):
        raise _bad(name, "the FeatureCollection has no list of features")
    found = []
    for number, feature in enumerate(features, start=2):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise _bad(name, f"item on row {number} is not a GeoJSON Feature")
        found.append((number, feature))
    return found


def _cell(value: Any) -> Any:
    """A property as a file cell: missing or null is an empty cell, as in a CSV file."""
    return "" if value is None else value


def _bad(name: str, problem: str) -> RuleViolation:
    return RuleViolation("import.bad_file", f"{name}: {problem}; nothing was imported", {"file": name})
