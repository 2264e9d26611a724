"""Heritage sites: the object, its condition before and after, and its restoration, whoever built it."""

from __future__ import annotations

import enum

from sqlalchemy import Column, Float, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base, SourcedMixin
from homecoming.db.types import LATITUDE, LONGITUDE, str_enum


class HeritageCategory(enum.StrEnum):
    MOSQUE = "mosque"
    CHURCH = "church"
    MAUSOLEUM = "mausoleum"
    PALACE_COMPLEX = "palace_complex"  # palace or residence complex
    BRIDGE = "bridge"
    ARCHAEOLOGICAL_SITE = "archaeological_site"
    CEMETERY = "cemetery"
    MUSEUM_COLLECTION = "museum_collection"
    OTHER = "other"


class Condition(enum.StrEnum):
    """State of a site as restorers grade it; empty when no one has recorded it."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    RUINED = "ruined"
    DESTROYED = "destroyed"


heritage_site_projects = Table(
    "heritage_site_projects",
    Base.metadata,
    Column("heritage_site_id", ForeignKey("heritage_sites.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
)


class HeritageSite(SourcedMixin, Base):
    """A monument or collection; `name_local` in the script of its makers or of the place, `name_latin` in Latin."""

    __tablename__ = "heritage_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_latin: Mapped[str] = mapped_column(String(300))
    name_local: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[HeritageCategory] = mapped_column(str_enum(HeritageCategory, "heritage_category"), index=True)
    period: Mapped[str | None] = mapped_column(String(100))
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float, info=LATITUDE)
    lon: Mapped[float | None] = mapped_column(Float, info=LONGITUDE)
    protection_status: Mapped[str | None] = mapped_column(String(200))
    condition_before: Mapped[Condition | None] = mapped_column(str_enum(Condition, "condition_before"))
    condition_after: Mapped[Condition | None] = mapped_column(str_enum(Condition, "condition_after"))
    documented_damage: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
