"""The map's layers (`/api/geo/{layer}.geojson`) and the map page: valid GeoJSON, public fields only, outlines as
polygons and a hazard area without one as a point, settlements without coordinates listed rather than lost."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from api_support import Api
from shapely.geometry import shape
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.interchange import actions as interchange
from homecoming.territory import geo

SQUARE = {"type": "Polygon", "coordinates": [[[46.8, 39.9], [47.0, 39.9], [47.0, 40.1], [46.8, 40.1], [46.8, 39.9]]]}
PUBLIC_FIELDS = {
    "settlements": {"code", "name", "kind", "district", "status", "forecast_ready", "open_hazard_areas", "href"},
    "hazard-areas": {"code", "classification", "status", "contamination", "remaining_area_m2", "settlement",
                     "drawn_as"},
    "works": {"code", "name", "sector", "status", "progress_pct", "settlement"},
    "districts": {"code", "name", "admin_centre"},
    "district-centres": {"code", "name", "admin_centre", "settlement", "href"},
}  # fmt: skip


def layer(api: Api, name: str) -> dict[str, Any]:
    response = api.client.get(f"/api/geo/{name}.geojson")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/geo+json"
    return dict(response.json())


def by_code(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["code"]: f for f in collection["features"]}


def test_every_layer_is_a_valid_feature_collection_of_public_fields(api: Api) -> None:
    assert {str(name) for name in geo.Layer} == set(PUBLIC_FIELDS)
    for name, fields in PUBLIC_FIELDS.items():
        collection = layer(api, name)
        assert collection["type"] == "FeatureCollection"
        for feature in collection["features"]:
            assert feature["type"] == "Feature"
            assert set(feature["properties"]) == fields  # no household or people count, nothing personal
            assert shape(feature["geometry"]).is_valid
    assert "Person" not in json.dumps([layer(api, name) for name in PUBLIC_FIELDS])
    assert api.client.get("/api/geo/households.geojson").status_code == 422


def test_settlements_are_points_coloured_by_status_with_a_link(api: Api) -> None:
    found = by_code(layer(api, "settlements"))
    aghdam = found["aghdam-v"]
    assert aghdam["geometry"] == {"type": "Point", "coordinates": [46.9, 40.0]}  # GeoJSON: longitude first
    assert aghdam["properties"] | {} == {
        "code": "aghdam-v", "name": "Aghdam-V", "kind": "village", "district": "aghdam", "status": "not_ready",
        "forecast_ready": None, "open_hazard_areas": 1, "href": "/settlements/aghdam-v",
    }  # fmt: skip


def test_a_hazard_area_is_its_outline_or_else_a_point_never_a_ring(api: Api) -> None:
    point = by_code(layer(api, "hazard-areas"))["cha-1"]  # recorded without an outline: at its settlement
    assert point["geometry"] == {"type": "Point", "coordinates": [46.9, 40.0]}
    assert point["properties"]["drawn_as"] == "settlement_point"
    body = {"code": "cha-2", "classification": "SHA", "polygon_geojson": SQUARE, "blocks_settlement_code": "fuzuli-v"}
    made = api.client.post("/api/hazard-areas", json=body, headers=api.as_(Role.MINE_ACTION_OFFICER))
    assert made.status_code == 201, made.text
    outline = by_code(layer(api, "hazard-areas"))["cha-2"]
    assert outline["geometry"] == SQUARE
    assert (outline["properties"]["drawn_as"], outline["properties"]["status"]) == ("outline", "open")


def test_settlements_without_coordinates_are_listed_on_the_page_not_lost(api: Api) -> None:
    body = {"code": "khorovlu", "name": "Khorovlu", "district_code": "aghdam", "kind": "village"}
    made = api.client.post("/api/settlements", json=body, headers=api.as_(Role.PLANNER))
    assert made.status_code == 201, made.text
    assert "khorovlu" not in by_code(layer(api, "settlements"))
    html = api.client.get("/map").text
    unplaced = html.split('id="unplaced"', 1)[1].split("</section>", 1)[0]
    assert "1 settlement has no coordinates" in unplaced
    assert '<a href="/settlements/khorovlu">Khorovlu</a>' in unplaced
    places = html.split('id="places"', 1)[1].split("</table>", 1)[0]
    assert places.count("<tr data-code=") == 3 and "no coordinates" in places


def test_district_centres_link_to_their_town_and_boundaries_stay_empty_until_imported(api: Api, tmp_path: Path) -> None:
    body = {"code": "aghdam-city", "name": "Aghdam", "district_code": "aghdam", "kind": "city", "lat": 39.99,
            "lon": 46.93}  # fmt: skip
    assert api.client.post("/api/settlements", json=body, headers=api.as_(Role.PLANNER)).status_code == 201
    centres = by_code(layer(api, "district-centres"))
    assert (centres["aghdam"]["properties"]["href"], centres["fuzuli"]["properties"]["href"]) == (
        "/settlements/aghdam-city", None)  # fmt: skip
    assert layer(api, "districts")["features"] == []
    assert 'id="no-boundaries"' in api.client.get("/map").text  # the legend says the layer is empty
    path = tmp_path / "boundaries.geojson"
    feature = {"type": "Feature", "geometry": SQUARE,
               "properties": {"code": "aghdam", "name": "Aghdam", "region_code": "karabakh"}}  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    with Session(api.engine) as session:
        admin = session.query(User).filter_by(username="admin").one()
        interchange.import_table(session, admin, "districts", path, now=dt.datetime(2026, 12, 2, tzinfo=dt.UTC))
        session.commit()
    assert [(f["properties"]["code"], f["geometry"]) for f in layer(api, "districts")["features"]] == [
        ("aghdam", SQUARE)]  # fmt: skip
    assert "1 district outline imported" in api.client.get("/map").text


@pytest.mark.parametrize("language", ["en", "az"])
def test_the_map_page_loads_leaflet_from_this_site_and_keeps_its_list_without_script(api: Api, language: str) -> None:
    html = api.client.get("/map", headers={"accept-language": language}).text
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/leaflet/leaflet.js" defer>', '<script src="/static/map.js" defer>']
    assert "</script>" in html and not re.search(r"<script[^>]*>[^<]", html)  # no inline script (the CSP)
    assert '<link rel="stylesheet" href="/static/leaflet/leaflet.css">' in html
    assert api.client.get("/static/leaflet/leaflet.js").status_code == 200
    assert api.client.get("/static/map.js").status_code == 200
    assert html.count('<tr data-code="') == 2  # every settlement listed, with its status, for a reader without script
    found = re.search(r"data-words='([^']*)'", html)
    assert found is not None
    words = json.loads(found.group(1))
    assert set(words["status"]) == {"ready", "forecast", "not_ready"}
    assert words["terms"]["worked_on"] and words["terms"]["in_progress"]
