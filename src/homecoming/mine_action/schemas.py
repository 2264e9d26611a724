"""What a caller sends to the mine action services (IMAS land-release vocabulary)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from homecoming.db.types import AREA_M2, ITEMS, LATITUDE, LONGITUDE
from homecoming.input_rules import InputModel, within
from homecoming.mine_action.models import (
    AccidentActivity,
    ActivityKind,
    ActivityStatus,
    AgeGroup,
    ContaminationType,
    DeviceType,
    HazardClassification,
    InspectionKind,
    InspectionResult,
    LandUse,
    OperatorKind,
    Outcome,
    Sex,
    VictimKind,
)


class HazardAreaCreate(InputModel):
    """A polygon, when drawn, gives the area; an estimate alone stands for areas not yet mapped."""

    code: str = Field(min_length=1, max_length=64)
    classification: HazardClassification
    estimated_area_m2: float | None = within(AREA_M2, None)
    polygon_geojson: dict[str, Any] | None = None
    contamination_type: ContaminationType = ContaminationType.UNKNOWN
    blocked_land_use: LandUse = LandUse.HOUSING
    casualty_risk: bool = False
    blocks_settlement_code: str | None = None
    district_code: str | None = None
    blocked_project_codes: list[str] = Field(default_factory=list)
    source_url: str | None = None

    @model_validator(mode="after")
    def _area_known(self) -> HazardAreaCreate:
        if self.estimated_area_m2 is None and self.polygon_geojson is None:
            raise ValueError("give the polygon or, if it is not mapped yet, the estimated_area_m2")
        return self


class ActivityCreate(InputModel):
    """Land released by one activity: cancelled by non-technical survey, reduced by technical survey, cleared."""

    code: str = Field(min_length=1, max_length=64)
    kind: ActivityKind
    status: ActivityStatus = ActivityStatus.PLANNED
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    cancelled_m2: float = within(AREA_M2, 0)
    reduced_m2: float = within(AREA_M2, 0)
    cleared_m2: float = within(AREA_M2, 0)
    items_found: int = within(ITEMS, 0)
    items_destroyed: int = within(ITEMS, 0)
    team: str | None = None
    operator_code: str | None = None  # the operator that did the work (/api/mine-action-operators)
    method: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ActivityCreate:
        if self.items_destroyed > self.items_found:
            raise ValueError(f"{self.items_destroyed} items destroyed but only {self.items_found} found")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self

    @property
    def released_m2(self) -> float:
        return self.cancelled_m2 + self.reduced_m2 + self.cleared_m2


class ActivityUpdate(InputModel):
    status: ActivityStatus | None = None
    end_date: dt.date | None = None
    cancelled_m2: float | None = within(AREA_M2, None)
    reduced_m2: float | None = within(AREA_M2, None)
    cleared_m2: float | None = within(AREA_M2, None)
    items_found: int | None = within(ITEMS, None)
    items_destroyed: int | None = within(ITEMS, None)


Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=4000)]


class OperatorCreate(InputModel):
    """An organisation accredited to survey, clear or inspect land."""

    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    kind: OperatorKind
    country: str = Field(pattern="^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code of where it is based, e.g. AZ")
    source_url: str | None = None


class InspectionCreate(InputModel):
    """A QA (during the work) or QC (after it) inspection of the land an activity released."""

    code: str = Field(min_length=1, max_length=64)
    kind: InspectionKind
    inspected_on: dt.date
    inspector_code: str = Field(min_length=1, max_length=64, description="the inspecting operator's code")
    result: InspectionResult
    findings: LongText | None = None


class VictimIn(InputModel):
    """One person killed or injured. `name`, `birth_date` and `note` are personal data: only mine-action officers
    read them back."""

    age_group: AgeGroup = AgeGroup.UNKNOWN
    sex: Sex = Sex.UNKNOWN
    kind: VictimKind
    outcome: Outcome
    name: Name | None = None
    birth_date: dt.date | None = None
    note: LongText | None = None


class AccidentCreate(InputModel):
    """An accident where it happened: a settlement, a point (lat and lon), or both; the district follows from the
    settlement, and must be given with a point alone."""

    code: str = Field(min_length=1, max_length=64)
    occurred_on: dt.date
    settlement_code: str | None = None
    district_code: str | None = None
    lat: float | None = within(LATITUDE, None)
    lon: float | None = within(LONGITUDE, None)
    device_type: DeviceType = DeviceType.UNKNOWN
    activity: AccidentActivity = AccidentActivity.UNKNOWN
    hazard_area_code: str | None = None
    description: LongText | None = None
    victims: list[VictimIn] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _placed(self) -> AccidentCreate:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon of the point, or neither")
        if self.settlement_code is None and self.lat is None:
            raise ValueError("say where it happened: settlement_code, or lat and lon (with district_code)")
        if self.settlement_code is None and self.district_code is None:
            raise ValueError("a point alone needs its district_code")
        return self
