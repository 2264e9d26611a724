from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from homecoming.db.base import Base, SourcedMixin
from homecoming.db.types import AREA_KM2, FAMILIES, GEOMETRY, LATITUDE, LONGITUDE, PEOPLE, str_enum


class SettlementKind(enum.StrEnum):
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"


class Region(SourcedMixin, Base):
    """An economic region (e.g. Karabakh, East Zangezur)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    districts: Mapped[list[District]] = relationship(back_populates="region")


class District(SourcedMixin, Base):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    alt_names: Mapped[str | None] = mapped_column(String(500))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    admin_centre: Mapped[str | None] = mapped_column(String(200))
    iso_code: Mapped[str | None] = mapped_column(String(16))
    centre_lat: Mapped[float | None] = mapped_column(Float, info=LATITUDE)
    centre_lon: Mapped[float | None] = mapped_column(Float, info=LONGITUDE)
    area_km2: Mapped[float | None] = mapped_column(Float, info=AREA_KM2)
    notes: Mapped[str | None] = mapped_column(Text)
    boundary_geojson: Mapped[dict[str, Any] | None] = mapped_column(JSON, info=GEOMETRY)  # imported, never drawn here

    region: Mapped[Region] = relationship(back_populates="districts")
    settlements: Mapped[list[Settlement]] = relationship(back_populates="district")


class Settlement(SourcedMixin, Base):
    """A city, town or village; `households_before`/`population_before` are pre-displacement figures."""

    __tablename__ = "settlements"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    alt_names: Mapped[str | None] = mapped_column(String(500))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    kind: Mapped[SettlementKind] = mapped_column(str_enum(SettlementKind, "settlement_kind"))
    lat: Mapped[float | None] = mapped_column(Float, info=LATITUDE)
    lon: Mapped[float | None] = mapped_column(Float, info=LONGITUDE)
    households_before: Mapped[int | None] = mapped_column(Integer, info=FAMILIES)
    population_before: Mapped[int | None] = mapped_column(Integer, info=PEOPLE)
    population_note: Mapped[str | None] = mapped_column(String(300))
    boundary_geojson: Mapped[dict[str, Any] | None] = mapped_column(JSON, info=GEOMETRY)
    geonames_id: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # optimistic concurrency (API updates)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    district: Mapped[District] = relationship(back_populates="settlements")
