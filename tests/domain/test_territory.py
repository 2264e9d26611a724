from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homecoming.errors import Conflict, NotFound, RuleViolation
from homecoming.territory import service
from homecoming.territory.models import SettlementKind
from homecoming.territory.schemas import SettlementCreate, SettlementRead, SettlementUpdate


def test_settlements_are_listed_by_district_and_kind(territory_session: Session) -> None:
    codes = [s.code for s in service.list_settlements(territory_session, district_code="lachin")]
    assert codes == ["sus", "zabukh"]
    assert service.list_settlements(territory_session, kind=SettlementKind.CITY) == []
    read = SettlementRead.model_validate(service.get_settlement(territory_session, "zabukh"))
    assert (read.name, read.population_before) == ("Zabukh", 1900)


def test_a_taken_code_is_a_conflict(territory_session: Session) -> None:
    with pytest.raises(Conflict) as caught:
        service.create_settlement(
            territory_session,
            SettlementCreate(code="sus", name="Sus again", district_code="lachin", kind=SettlementKind.VILLAGE),
        )
    assert caught.value.code == "settlements.duplicate_code"


def test_an_unknown_district_is_named(territory_session: Session) -> None:
    with pytest.raises(NotFound) as caught:
        service.create_settlement(
            territory_session,
            SettlementCreate(code="x", name="X", district_code="nowhere", kind=SettlementKind.VILLAGE),
        )
    assert caught.value.code == "districts.not_found" and "nowhere" in caught.value.message


def test_update_changes_only_what_is_sent(territory_session: Session) -> None:
    boundary = {"type": "Polygon", "coordinates": [[[46.5, 39.6], [46.6, 39.6], [46.6, 39.7], [46.5, 39.6]]]}
    service.update_settlement(territory_session, "zabukh", SettlementUpdate(lat=39.64, boundary_geojson=boundary))
    territory_session.expire_all()
    zabukh = service.get_settlement(territory_session, "zabukh")
    assert (zabukh.lat, zabukh.population_before, zabukh.boundary_geojson) == (39.64, 1900, boundary)


def test_a_boundary_must_be_a_polygon(territory_session: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        service.update_settlement(
            territory_session, "zabukh", SettlementUpdate(boundary_geojson={"type": "Point", "coordinates": [1, 2]})
        )
    assert caught.value.code == "territory.bad_boundary"


def test_coordinates_out_of_range_are_refused_before_the_service() -> None:
    with pytest.raises(ValidationError, match="lat"):
        SettlementCreate(code="x", name="X", district_code="lachin", kind=SettlementKind.VILLAGE, lat=91)
