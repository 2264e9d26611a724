from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base, SourcedMixin
from homecoming.db.types import AMOUNT, HOUSING_UNITS, LATITUDE, LONGITUDE, ROOMS, str_enum


class Sector(enum.StrEnum):
    HOUSING = "housing"
    ROAD = "road"
    POWER = "power"
    WATER = "water"
    GAS = "gas"
    TELECOM = "telecom"
    SCHOOL = "school"
    HEALTH = "health"
    HERITAGE = "heritage"
    AIRPORT = "airport"
    RAIL = "rail"
    AGRICULTURE = "agriculture"
    ADMINISTRATION = "administration"


class ProjectStatus(enum.StrEnum):
    PLANNED = "planned"
    TENDERING = "tendering"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class HousingStatus(enum.StrEnum):
    PLANNED = "planned"
    BUILDING = "building"
    READY = "ready"
    ALLOCATED = "allocated"
    OCCUPIED = "occupied"


class Project(SourcedMixin, Base):
    """A works project; stage is the programme's stage 1-4."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("stage BETWEEN 1 AND 4", name="stage_range"),
        CheckConstraint("progress_pct BETWEEN 0 AND 100", name="progress_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    sector: Mapped[Sector] = mapped_column(str_enum(Sector, "sector"), index=True)
    stage: Mapped[int] = mapped_column(Integer, info={"min": 1, "max": 4})
    status: Mapped[ProjectStatus] = mapped_column(str_enum(ProjectStatus, "project_status"), index=True)
    progress_pct: Mapped[float] = mapped_column(Float, default=0.0, info={"min": 0, "max": 100})
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float, info=LATITUDE)
    lon: Mapped[float | None] = mapped_column(Float, info=LONGITUDE)
    location_text: Mapped[str | None] = mapped_column(String(300))
    budget_amount: Mapped[float | None] = mapped_column(Numeric(18, 2, asdecimal=False), info=AMOUNT)
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    planned_start: Mapped[dt.date | None]
    planned_end: Mapped[dt.date | None]
    actual_start: Mapped[dt.date | None]
    actual_end: Mapped[dt.date | None]
    metric: Mapped[str | None] = mapped_column(String(200))
    metric_value: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # optimistic concurrency (API updates)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ProjectDependency(Base):
    """`successor` may not start before `predecessor` is complete."""

    __tablename__ = "project_dependencies"
    __table_args__ = (
        UniqueConstraint("predecessor_id", "successor_id", name="uq_project_dependencies_pair"),
        CheckConstraint("predecessor_id <> successor_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)


class HousingStock(SourcedMixin, Base):
    """A count of housing units in one settlement with the same rooms, status and expected-ready date."""

    __tablename__ = "housing_stock"
    __table_args__ = (CheckConstraint("units >= 0", name="units_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    rooms: Mapped[int | None] = mapped_column(Integer, info=ROOMS)
    status: Mapped[HousingStatus] = mapped_column(str_enum(HousingStatus, "housing_status"))
    units: Mapped[int] = mapped_column(Integer, info=HOUSING_UNITS)
    expected_ready: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(Text)
