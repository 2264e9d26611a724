"""What a caller sends to the works services."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from homecoming.db.types import AMOUNT, HOUSING_UNITS, ROOMS
from homecoming.input_rules import InputModel, within
from homecoming.versions import Versioned
from homecoming.works.models import HousingStatus, ProjectStatus, Sector


class ProjectCreate(InputModel):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    sector: Sector
    stage: int = Field(ge=1, le=4)
    status: ProjectStatus = ProjectStatus.PLANNED
    district_code: str | None = None
    settlement_code: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    budget_amount: float | None = within(AMOUNT, None)
    budget_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    source_url: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> ProjectCreate:
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValueError("planned_end is before planned_start")
        return self


class ProgressReport(InputModel):
    """A verified progress figure for a project, as a site engineer reports it."""

    progress_pct: float = Field(ge=0, le=100)
    on: dt.date


class HousingStockCreate(InputModel):
    code: str = Field(min_length=1, max_length=64)
    settlement_code: str
    rooms: int | None = within(ROOMS, None)
    status: HousingStatus
    units: int = within(HOUSING_UNITS)
    expected_ready: dt.date | None = None
    source_url: str | None = None


class ProjectUpdate(InputModel):
    """The fields of a project an editor may correct; progress goes through ProgressReport."""

    name: str | None = Field(default=None, min_length=1, max_length=300)
    stage: int | None = Field(default=None, ge=1, le=4)
    status: ProjectStatus | None = None
    budget_amount: float | None = within(AMOUNT, None)
    budget_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    source_url: str | None = None
    district_code: str | None = None  # a move is checked where the project was and where it goes
    settlement_code: str | None = None


class ProjectChange(ProjectUpdate, Versioned):  # a correction as a door receives it: with the version read and why
    pass


class ProgressChange(ProgressReport, Versioned):  # a report as a door receives it: with the version read and why
    pass
