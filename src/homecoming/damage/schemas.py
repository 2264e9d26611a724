"""What a caller sends to the damage services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, model_validator

from homecoming.damage.models import AssessmentMethod, DamageLevel, ObjectKind
from homecoming.db.types import QUANTITY
from homecoming.input_rules import InputModel, within

Code = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")


class DamagedObjectCreate(InputModel):
    code: str = Code
    settlement_code: str
    kind: ObjectKind
    level: DamageLevel
    method: AssessmentMethod
    name: str | None = Field(default=None, max_length=300)
    quantity: float = within(QUANTITY, 1.0, "in the cost table's unit for the kind (km for roads)")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    footprint_geojson: dict[str, Any] | None = None
    assessed_on: dt.date | None = None
    assessor: str | None = Field(default=None, max_length=200)
    notes: str | None = None
    source_url: str | None = None
    source_date: dt.date | None = None

    @model_validator(mode="after")
    def _point_has_both_coordinates(self) -> DamagedObjectCreate:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class DamageCountCreate(InputModel):
    """A bulk count: `quantity` objects of `kind` in a settlement at `level` (used until objects are surveyed)."""

    settlement_code: str
    kind: ObjectKind
    level: DamageLevel
    quantity: float = within(QUANTITY)
    method: AssessmentMethod
    assessed_on: dt.date | None = None
    assessor: str | None = Field(default=None, max_length=200)
    notes: str | None = None
    source_url: str | None = None
    source_date: dt.date | None = None
