"""Damaged objects and bulk damage counts, on the damage scale of post-disaster needs assessments."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base, IllustrativeMixin, SourcedMixin
from homecoming.db.types import LATITUDE, LONGITUDE, QUANTITY, str_enum


class ObjectKind(enum.StrEnum):
    HOUSE = "house"
    APARTMENT_BUILDING = "apartment_building"
    SCHOOL = "school"
    CLINIC = "clinic"
    ADMINISTRATIVE_BUILDING = "administrative_building"
    ROAD_SEGMENT = "road_segment"
    BRIDGE = "bridge"
    POWER_ASSET = "power_asset"
    WATER_ASSET = "water_asset"
    GAS_ASSET = "gas_asset"
    RELIGIOUS_BUILDING = "religious_building"
    MONUMENT = "monument"
    CEMETERY = "cemetery"
    OTHER = "other"


class DamageLevel(enum.StrEnum):
    """The four-step scale of post-disaster needs assessments (PDNA)."""

    NONE = "none"
    PARTIAL = "partial"
    SEVERE = "severe"
    DESTROYED = "destroyed"


class AssessmentMethod(enum.StrEnum):
    FIELD_SURVEY = "field_survey"
    REMOTE = "remote"  # satellite or aerial imagery
    REPORTED = "reported"  # by residents, officials or the press, not verified on site


class DamagedObject(SourcedMixin, Base):
    """One building, road segment or asset as assessed; `quantity` is in the cost table's unit for its kind."""

    __tablename__ = "damaged_objects"
    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    kind: Mapped[ObjectKind] = mapped_column(str_enum(ObjectKind, "damage_object_kind"), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    quantity: Mapped[float] = mapped_column(Float, default=1.0, info=QUANTITY)
    lat: Mapped[float | None] = mapped_column(Float, info=LATITUDE)
    lon: Mapped[float | None] = mapped_column(Float, info=LONGITUDE)
    footprint_geojson: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    level: Mapped[DamageLevel] = mapped_column(str_enum(DamageLevel, "damage_level"))
    assessed_on: Mapped[dt.date | None]
    method: Mapped[AssessmentMethod] = mapped_column(str_enum(AssessmentMethod, "assessment_method"))
    assessor: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class DamageCount(SourcedMixin, IllustrativeMixin, Base):
    """How many objects of one kind in one settlement are at one damage level, when there are no object records."""

    __tablename__ = "damage_counts"
    __table_args__ = (
        UniqueConstraint("settlement_id", "kind", "level", name="uq_damage_counts_settlement_kind_level"),
        CheckConstraint("quantity >= 0", name="quantity_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    kind: Mapped[ObjectKind] = mapped_column(str_enum(ObjectKind, "damage_object_kind"))
    level: Mapped[DamageLevel] = mapped_column(str_enum(DamageLevel, "damage_level"))
    quantity: Mapped[float] = mapped_column(Float, info=QUANTITY)
    assessed_on: Mapped[dt.date | None]
    method: Mapped[AssessmentMethod] = mapped_column(str_enum(AssessmentMethod, "assessment_method"))
    assessor: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
