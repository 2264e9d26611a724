"""What a caller sends to the mine action services (IMAS land-release vocabulary)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, model_validator

from homecoming.db.types import AREA_M2, ITEMS
from homecoming.input_rules import InputModel, within
from homecoming.mine_action.models import ActivityKind, ActivityStatus, ContaminationType, HazardClassification, LandUse


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
