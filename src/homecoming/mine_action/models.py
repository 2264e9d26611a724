from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Column, Float, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base, IllustrativeMixin, SourcedMixin
from homecoming.db.types import AREA_M2, GEOMETRY, ITEMS, NON_NEGATIVE, str_enum


class HazardClassification(enum.StrEnum):
    SHA = "SHA"  # suspected hazardous area
    CHA = "CHA"  # confirmed hazardous area


class ContaminationType(enum.StrEnum):
    ANTI_PERSONNEL = "ap_mines"
    ANTI_TANK = "at_mines"
    MIXED_MINES = "mixed_mines"
    UXO = "uxo"
    CLUSTER = "cluster_munitions"
    UNKNOWN = "unknown"


class LandUse(enum.StrEnum):
    """What the land under a hazard is needed for; decides which works and which priority it touches."""

    HOUSING = "housing"
    AGRICULTURE = "agriculture"
    ROAD = "road"
    UTILITIES = "utilities"


class ActivityKind(enum.StrEnum):
    NON_TECHNICAL_SURVEY = "non_technical_survey"
    TECHNICAL_SURVEY = "technical_survey"
    CLEARANCE = "clearance"


class ActivityStatus(enum.StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    SUSPENDED = "suspended"
    COMPLETED = "completed"


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


class HazardArea(SourcedMixin, IllustrativeMixin, Base):
    __tablename__ = "hazard_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    classification: Mapped[HazardClassification] = mapped_column(
        str_enum(HazardClassification, "hazard_classification")
    )
    status: Mapped[HazardStatus] = mapped_column(str_enum(HazardStatus, "hazard_status"))
    polygon_geojson: Mapped[dict[str, Any] | None] = mapped_column(JSON, info=GEOMETRY)
    estimated_area_m2: Mapped[float] = mapped_column(Float, info=AREA_M2)
    remaining_area_m2: Mapped[float] = mapped_column(Float, info=AREA_M2)
    blocks_settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    contamination_type: Mapped[ContaminationType] = mapped_column(
        str_enum(ContaminationType, "contamination_type"), default=ContaminationType.UNKNOWN
    )
    blocked_land_use: Mapped[LandUse] = mapped_column(str_enum(LandUse, "land_use"), default=LandUse.HOUSING)
    casualty_risk: Mapped[bool] = mapped_column(Boolean, default=False)  # recent accidents: the first priority
    notes: Mapped[str | None] = mapped_column(Text)


class LandReleaseActivity(Base):
    """A survey or clearance task on one hazard area and the land it released (IMAS 07.11).

    Only ongoing and completed activities count as released; the hazard's remaining area is what is left.
    """

    __tablename__ = "land_release_activities"
    __table_args__ = (
        CheckConstraint("cancelled_m2 >= 0 AND reduced_m2 >= 0 AND cleared_m2 >= 0", name="areas_non_negative"),
        CheckConstraint("items_destroyed <= items_found", name="destroyed_were_found"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    hazard_area_id: Mapped[int] = mapped_column(ForeignKey("hazard_areas.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind, "activity_kind"))
    status: Mapped[ActivityStatus] = mapped_column(str_enum(ActivityStatus, "activity_status"))
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]
    cancelled_m2: Mapped[float] = mapped_column(Float, default=0.0, info=AREA_M2)
    reduced_m2: Mapped[float] = mapped_column(Float, default=0.0, info=AREA_M2)
    cleared_m2: Mapped[float] = mapped_column(Float, default=0.0, info=AREA_M2)
    items_found: Mapped[int] = mapped_column(Integer, default=0, info=ITEMS)
    items_destroyed: Mapped[int] = mapped_column(Integer, default=0, info=ITEMS)
    team: Mapped[str | None] = mapped_column(String(100))
    method: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class HazardBlockOverride(Base):
    """A person's correction of what a hazard blocks, against what geometry says; the reason is required."""

    __tablename__ = "hazard_block_overrides"
    __table_args__ = (
        CheckConstraint("(settlement_id IS NULL) <> (project_id IS NULL)", name="one_target"),
        CheckConstraint("length(reason) > 0", name="reason_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_area_id: Mapped[int] = mapped_column(ForeignKey("hazard_areas.id", ondelete="CASCADE"), index=True)
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    blocks: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text)


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
