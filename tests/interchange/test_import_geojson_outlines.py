"""District boundaries (and any table's outline) import from a GeoJSON FeatureCollection like any other registry
file: the same per-row checks, every bad feature listed, nothing written unless every feature is good."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.errors import RuleViolation
from homecoming.interchange.importer import ImportRejected, import_file
from homecoming.territory.models import District

SQUARE = {"type": "Polygon", "coordinates": [[[46.8, 39.9], [47.0, 39.9], [47.0, 40.1], [46.8, 40.1], [46.8, 39.9]]]}
BOW_TIE = {"type": "Polygon", "coordinates": [[[47.0, 39.5], [47.2, 39.7], [47.2, 39.5], [47.0, 39.7], [47.0, 39.5]]]}


def feature(code: str, geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": {"code": code, **properties}}


def write(tmp_path: Path, name: str, document: Any) -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def districts(session: Session, tmp_path: Path) -> Session:
    (tmp_path / "regions.csv").write_text("code,name\nkarabakh,Karabakh\n", encoding="utf-8")
    (tmp_path / "districts.csv").write_text(
        "code,name,region_code\naghdam,Aghdam,karabakh\nfuzuli,Fuzuli,karabakh\n", encoding="utf-8"
    )
    import_file(session, "regions", tmp_path / "regions.csv")
    import_file(session, "districts", tmp_path / "districts.csv")
    session.commit()
    return session


def boundaries(session: Session) -> dict[str, Any]:
    rows = session.execute(select(District.code, District.boundary_geojson).order_by(District.code))
    return {code: boundary for code, boundary in rows}


def test_a_geojson_file_fills_the_district_boundaries(districts: Session, tmp_path: Path) -> None:
    aghdam = feature("aghdam", SQUARE, name="Aghdam", region_code="karabakh")  # a file's required columns, as a CSV's
    path = write(tmp_path, "boundaries.geojson", collection(aghdam))
    report = import_file(districts, "districts", path)
    districts.commit()
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (1, 0, 1, 0)
    assert boundaries(districts) == {"aghdam": SQUARE, "fuzuli": None}  # a column the file lacks is left as it was
    assert districts.scalars(select(District.region_id).where(District.code == "aghdam")).one() is not None
    again = import_file(districts, "districts", path)
    assert (again.updated, again.unchanged) == (0, 1)


def test_a_bad_outline_is_a_row_error_and_nothing_is_written(districts: Session, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.geojson", collection(
        feature("aghdam", SQUARE, name="Aghdam", region_code="karabakh"),
        feature("fuzuli", BOW_TIE, name="Fuzuli", region_code="karabakh"),
        feature("aghdam-2", {"type": "Point", "coordinates": [47.0, 39.9]}, name="Aghdam 2", region_code="karabakh"),
        feature("nowhere", SQUARE, region_code="karabakh"),
    ))  # fmt: skip
    with pytest.raises(ImportRejected) as caught:
        import_file(districts, "districts", path)
    districts.rollback()
    assert [(e.row, e.column) for e in caught.value.errors] == [
        (3, "boundary_geojson"), (4, "boundary_geojson"), (5, "name")
    ]  # fmt: skip
    assert caught.value.errors[0].reason.startswith("invalid polygon (Self-intersection")
    assert caught.value.errors[1].reason == "expected a Polygon or MultiPolygon, got Point"
    assert boundaries(districts) == {"aghdam": None, "fuzuli": None}  # the good first feature was not written either


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ("{not json", "not JSON"),
        ({"type": "Feature", "geometry": SQUARE, "properties": {}}, "not a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection", "features": [{"type": "Polygon"}]}, "item on row 2 is not a GeoJSON Feature"),
        (collection({"type": "Feature", "geometry": SQUARE, "properties": {"geometry": 1}}), "named like its geometry"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused_whole(
    districts: Session, tmp_path: Path, document: Any, problem: str
) -> None:
    with pytest.raises(RuleViolation) as caught:
        import_file(districts, "districts", write(tmp_path, "odd.geojson", document))
    assert caught.value.code == "import.bad_file"
    assert problem in caught.value.message and "nothing was imported" in caught.value.message
    assert boundaries(districts) == {"aghdam": None, "fuzuli": None}


def test_a_table_without_an_outline_refuses_a_geojson_file(districts: Session, tmp_path: Path) -> None:
    with pytest.raises(RuleViolation) as caught:
        import_file(districts, "regions", write(tmp_path, "regions.geojson", collection(feature("x", SQUARE))))
    assert caught.value.code == "import.bad_file"
    assert "imports into: districts, settlements, hazard_areas" in caught.value.message
