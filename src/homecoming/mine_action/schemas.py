"""What a caller sends to the mine action services (IMAS land-release vocabulary)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from homecoming.mine_action.models import HazardClassification


class HazardAreaCreate(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    classification: HazardClassification
    estimated_area_m2: float = Field(ge=0)
    polygon_geojson: dict[str, Any] | None = None
    blocks_settlement_code: str | None = None
    district_code: str | None = None
    blocked_project_codes: list[str] = []
    source_url: str | None = None


class LandRelease(BaseModel):
    """Land released from one hazard area: cancelled by non-technical survey, reduced by technical survey, cleared."""

    cancelled_m2: float = Field(default=0, ge=0)
    reduced_m2: float = Field(default=0, ge=0)
    cleared_m2: float = Field(default=0, ge=0)

    @property
    def total_m2(self) -> float:
        return self.cancelled_m2 + self.reduced_m2 + self.cleared_m2
