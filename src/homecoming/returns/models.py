from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base, SourcedMixin
from homecoming.db.types import FAMILIES, PEOPLE, VEHICLES, str_enum


class DatePrecision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class ConvoyStatus(enum.StrEnum):
    PLANNED = "planned"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"


class ReturnEvent(SourcedMixin, Base):
    """A reported return: a group arriving, or a cumulative count at a date (`cumulative`)."""

    __tablename__ = "return_events"
    __table_args__ = (CheckConstraint("families >= 0 AND people >= 0", name="counts_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    event_date: Mapped[dt.date]
    date_precision: Mapped[DatePrecision] = mapped_column(str_enum(DatePrecision, "date_precision"))
    kind: Mapped[str] = mapped_column(String(100))
    cumulative: Mapped[bool]
    families: Mapped[int | None] = mapped_column(Integer, info=FAMILIES)
    people: Mapped[int | None] = mapped_column(Integer, info=PEOPLE)
    note: Mapped[str | None] = mapped_column(Text)


class Convoy(SourcedMixin, Base):
    __tablename__ = "convoys"
    __table_args__ = (CheckConstraint("vehicles >= 0 AND households >= 0 AND people >= 0", name="counts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    departure_date: Mapped[dt.date]
    status: Mapped[ConvoyStatus] = mapped_column(str_enum(ConvoyStatus, "convoy_status"))
    vehicles: Mapped[int | None] = mapped_column(Integer, info=VEHICLES)  # None: not reported (never 0)
    households: Mapped[int] = mapped_column(Integer, default=0, info=FAMILIES)
    people: Mapped[int | None] = mapped_column(Integer, info=PEOPLE)  # None: not reported (never 0)
    note: Mapped[str | None] = mapped_column(Text)


class NationalReturnCount(SourcedMixin, Base):
    """A reported national total of returns so far (all settlements), as the programme announced it on a date.

    The sum of the per-settlement events is what the registry can trace to a place; this is the figure the
    programme itself states, and it is larger (not every group is reported by settlement)."""

    __tablename__ = "national_return_counts"
    __table_args__ = (
        CheckConstraint("families >= 0 AND people >= 0 AND settlements >= 0", name="counts_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    as_of: Mapped[dt.date]
    date_precision: Mapped[DatePrecision] = mapped_column(str_enum(DatePrecision, "date_precision"))
    families: Mapped[int | None] = mapped_column(Integer, info=FAMILIES)
    people: Mapped[int | None] = mapped_column(Integer, info=PEOPLE)
    settlements: Mapped[int | None] = mapped_column(Integer, info={"min": 0, "max": 10_000})
    note: Mapped[str | None] = mapped_column(Text)


class ProgrammeTarget(SourcedMixin, Base):
    """A target of the return programme (e.g. 140,000 people by 2026), with its source."""

    __tablename__ = "programme_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    indicator: Mapped[str] = mapped_column(String(100))
    value: Mapped[int] = mapped_column(Integer, info=PEOPLE)
    unit: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
