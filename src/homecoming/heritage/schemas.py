"""What a caller sends to and gets back from the heritage services."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, model_validator

from homecoming.heritage.models import Condition, HeritageCategory
from homecoming.input_rules import InputModel
from homecoming.works.models import ProjectStatus

Code = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")


class HeritageSiteCreate(InputModel):
    code: str = Code
    name_latin: str = Field(min_length=1, max_length=300)
    name_local: str | None = Field(default=None, max_length=300)
    category: HeritageCategory
    period: str | None = Field(default=None, max_length=100)
    settlement_code: str | None = None
    district_code: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    protection_status: str | None = Field(default=None, max_length=200)
    condition_before: Condition | None = None
    condition_after: Condition | None = None
    documented_damage: str | None = None
    notes: str | None = None
    source_url: str | None = None
    source_date: dt.date | None = None

    @model_validator(mode="after")
    def _point_has_both_coordinates(self) -> HeritageSiteCreate:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class RestorationWork(BaseModel):
    code: str
    name: str
    status: ProjectStatus
    progress_pct: float
    budget_amount: float | None
    budget_currency: str | None


class PublicFile(BaseModel):
    """A photograph as the public may see it: the metadata-free copy, never the original or its geotag."""

    public_path: str
    media_type: str
    caption: str | None


class HeritageSitePage(BaseModel):
    """Everything a site page shows: the object, its condition, its restoration works and its sources."""

    code: str
    name_latin: str
    name_local: str | None
    category: HeritageCategory
    period: str | None
    settlement: str | None
    district: str | None
    lat: float | None
    lon: float | None
    protection_status: str | None
    condition_before: Condition | None
    condition_after: Condition | None
    documented_damage: str | None
    notes: str | None
    source_url: str | None
    source_date: dt.date | None
    restoration: list[RestorationWork]
    attachments: int  # every photograph and document, public or not
    public_files: list[PublicFile]


class HeritageRow(BaseModel):
    """One line of the public heritage list."""

    code: str
    name_latin: str
    name_local: str | None
    category: HeritageCategory
    district: str | None
    settlement: str | None
    condition_before: Condition | None
    condition_after: Condition | None
    restoration: list[RestorationWork]
