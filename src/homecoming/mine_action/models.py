from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import JSON, Column, Float, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base, SourcedMixin
from homecoming.db.types import NON_NEGATIVE, str_enum


class HazardClassification(enum.StrEnum):
    SHA = "SHA"  # suspected hazardous area
    CHA = "CHA"  # confirmed hazardous area


class HazardStatus(enum.StrEnum):
    OPEN = "open"
    WORKED_ON = "worked_on"
    CLOSED = "closed"


hazard_area_blocked_projects = Table(
    "hazard_area_blocked_projects",
    Base.metadata,
    Column("hazard_area_id", ForeignKey("hazard_areas.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
)


class HazardArea(SourcedMixin, Base):
    __tablename__ = "hazard_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    classification: Mapped[HazardClassification] = mapped_column(
        str_enum(HazardClassification, "hazard_classification")
    )
    status: Mapped[HazardStatus] = mapped_column(str_enum(HazardStatus, "hazard_status"))
    polygon_geojson: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    estimated_area_m2: Mapped[float] = mapped_column(Float, info=NON_NEGATIVE)
    remaining_area_m2: Mapped[float] = mapped_column(Float, info=NON_NEGATIVE)
    blocks_settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)


class ClearanceStatistic(SourcedMixin, Base):
    """A reported land-release or contamination figure (per year, optionally per district or land use)."""

    __tablename__ = "clearance_statistics"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    indicator: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(32))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    breakdown: Mapped[str | None] = mapped_column(String(100))
    value: Mapped[float] = mapped_column(Float, info=NON_NEGATIVE)
    unit: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    count: Mapped[int | None] = mapped_column(Integer, info=NON_NEGATIVE)
