"""What a caller sends to and gets back from the territory services."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from homecoming.db.types import FAMILIES, PEOPLE
from homecoming.input_rules import InputModel, within
from homecoming.territory.models import SettlementKind
from homecoming.versions import Versioned

Code = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")


class RegionCreate(InputModel):
    code: str = Code
    name: str = Field(min_length=1, max_length=200)
    source_url: str | None = None


class DistrictCreate(InputModel):
    code: str = Code
    name: str = Field(min_length=1, max_length=200)
    region_code: str
    admin_centre: str | None = None
    centre_lat: float | None = Field(default=None, ge=-90, le=90)
    centre_lon: float | None = Field(default=None, ge=-180, le=180)
    notes: str | None = None
    source_url: str | None = None


class SettlementCreate(InputModel):
    code: str = Code
    name: str = Field(min_length=1, max_length=200)
    district_code: str
    kind: SettlementKind
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    households_before: int | None = within(FAMILIES, None)
    population_before: int | None = within(PEOPLE, None)
    boundary_geojson: dict[str, Any] | None = None
    source_url: str | None = None


class SettlementUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    households_before: int | None = within(FAMILIES, None)
    population_before: int | None = within(PEOPLE, None)
    boundary_geojson: dict[str, Any] | None = None


class SettlementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: SettlementKind
    lat: float | None
    lon: float | None
    households_before: int | None
    population_before: int | None


class SettlementChange(SettlementUpdate, Versioned):  # a correction as a door receives it: with the version and why
    pass
