from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base, IllustrativeMixin, SourcedMixin
from homecoming.db.types import AREA_M2, GEOMETRY, ITEMS, LATITUDE, LONGITUDE, NON_NEGATIVE, str_enum


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
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("mine_action_operators.id"), index=True)
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


# --- operators and quality management (IMAS 07.30 accreditation, IMAS 09.20 QA/QC) ------------------------------


class OperatorKind(enum.StrEnum):
    NATIONAL_AGENCY = "national_agency"  # the national mine action authority's own teams (ANAMA)
    NATIONAL_TEAM = "national_team"  # a ministry's or state service's teams (defence, emergencies, border)
    FOREIGN_TEAM = "foreign_team"  # a foreign state's or army's teams
    COMMERCIAL_COMPANY = "commercial_company"
    NGO = "ngo"  # a humanitarian demining organisation


class Operator(SourcedMixin, Base):
    """An organisation that surveys, clears or inspects land (an IMSMA "organisation")."""

    __tablename__ = "mine_action_operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OperatorKind] = mapped_column(str_enum(OperatorKind, "operator_kind"))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2 of where it is based


class InspectionKind(enum.StrEnum):
    QUALITY_ASSURANCE = "quality_assurance"  # monitoring of the work while it is done
    QUALITY_CONTROL = "quality_control"  # post-clearance inspection of the released land (sampling)


class InspectionResult(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"


class QualityInspection(Base):
    """An inspection of the land an activity released. While an activity's latest inspection failed, its land does
    not count as released: the hazard area's remaining area and status go back until a new inspection passes."""

    __tablename__ = "quality_inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("land_release_activities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[InspectionKind] = mapped_column(str_enum(InspectionKind, "inspection_kind"))
    inspected_on: Mapped[dt.date]
    inspector_id: Mapped[int] = mapped_column(ForeignKey("mine_action_operators.id"), index=True)
    result: Mapped[InspectionResult] = mapped_column(str_enum(InspectionResult, "inspection_result"))
    findings: Mapped[str | None] = mapped_column(Text)


# --- accidents and victims (IMAS 05.10 / IMSMA minimum data) -----------------------------------------------------


class DeviceType(enum.StrEnum):
    AP_MINE = "ap_mine"
    AT_MINE = "at_mine"
    ERW_UXO = "erw_uxo"  # explosive remnants of war: unexploded or abandoned ordnance
    CLUSTER_MUNITION = "cluster_munition"
    IED = "ied"
    UNKNOWN = "unknown"


class AccidentActivity(enum.StrEnum):
    """What the victims were doing when the device went off (IMSMA's activity at the time of the accident)."""

    DEMINING = "demining"
    FARMING = "farming"
    HERDING = "herding"
    TRAVELLING = "travelling"
    COLLECTING = "collecting"  # wood, food, water or scrap metal
    PLAYING = "playing"
    TAMPERING = "tampering"  # handling the device on purpose
    CONSTRUCTION = "construction"
    HOUSEHOLD = "household"  # chores at or near home
    MILITARY = "military"
    OTHER = "other"
    UNKNOWN = "unknown"


class AgeGroup(enum.StrEnum):
    CHILD = "child"  # under 18 at the accident (the Mine Ban Treaty's reporting and Landmine Monitor)
    ADULT = "adult"
    UNKNOWN = "unknown"


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class VictimKind(enum.StrEnum):
    CIVILIAN = "civilian"
    DEMINER = "deminer"
    MILITARY = "military"


class Outcome(enum.StrEnum):
    KILLED = "killed"
    INJURED = "injured"


class MineAccident(Base):
    """An explosion of a mine or explosive remnant that hurt or killed people. Where: a settlement, a point or both."""

    __tablename__ = "mine_accidents"
    __table_args__ = (
        CheckConstraint("settlement_id IS NOT NULL OR (lat IS NOT NULL AND lon IS NOT NULL)", name="place_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    occurred_on: Mapped[dt.date] = mapped_column(index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float, info=LATITUDE)
    lon: Mapped[float | None] = mapped_column(Float, info=LONGITUDE)
    device_type: Mapped[DeviceType] = mapped_column(str_enum(DeviceType, "device_type"))
    activity: Mapped[AccidentActivity] = mapped_column(str_enum(AccidentActivity, "accident_activity"))
    hazard_area_id: Mapped[int | None] = mapped_column(ForeignKey("hazard_areas.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)  # free text: may name people, personal data


class MineVictim(Base):
    """A person killed or injured in an accident. Name, birth date and note are personal data."""

    __tablename__ = "mine_victims"
    __table_args__ = (UniqueConstraint("accident_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    accident_id: Mapped[int] = mapped_column(ForeignKey("mine_accidents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # 1, 2, ... within the accident
    age_group: Mapped[AgeGroup] = mapped_column(str_enum(AgeGroup, "age_group"))
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, "sex"))
    kind: Mapped[VictimKind] = mapped_column(str_enum(VictimKind, "victim_kind"))
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "victim_outcome"))
    name: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(Text)


class CasualtyFigure(SourcedMixin, Base):
    """A reported casualty count of the whole programme (killed, injured) from `since` to `as_of`: published
    aggregates, never individual accidents."""

    __tablename__ = "mine_casualty_figures"
    __table_args__ = (
        CheckConstraint("killed IS NULL OR injured IS NULL OR killed + injured = total", name="parts_add_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    since: Mapped[dt.date]
    as_of: Mapped[str] = mapped_column(String(10))  # a day (2023-09-19) or a month (2024-09), as reported
    killed: Mapped[int | None] = mapped_column(Integer, info=NON_NEGATIVE)
    injured: Mapped[int | None] = mapped_column(Integer, info=NON_NEGATIVE)
    total: Mapped[int] = mapped_column(Integer, info=NON_NEGATIVE)
    note: Mapped[str | None] = mapped_column(Text)
