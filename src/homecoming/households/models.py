from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base
from homecoming.db.types import HOUSEHOLD_MEMBERS, HOUSEHOLD_SIZE, ROOMS


class Household(Base):
    """One displaced household. Records people, places and needs only; never ethnicity or politics."""

    __tablename__ = "households"
    __table_args__ = (
        CheckConstraint("size >= 1", name="size_positive"),
        CheckConstraint("children >= 0 AND elderly >= 0 AND children + elderly <= size", name="members_fit"),
        CheckConstraint("rooms_needed >= 1", name="rooms_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    origin_settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    head_name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer, info=HOUSEHOLD_SIZE)
    children: Mapped[int] = mapped_column(Integer, default=0, info=HOUSEHOLD_MEMBERS)
    elderly: Mapped[int] = mapped_column(Integer, default=0, info=HOUSEHOLD_MEMBERS)
    rooms_needed: Mapped[int] = mapped_column(Integer, info=ROOMS)
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    single_parent: Mapped[bool] = mapped_column(Boolean, default=False)
    chronic_illness: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_to_return: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_date: Mapped[dt.date | None]
    phone: Mapped[str | None] = mapped_column(String(40))
    current_address: Mapped[str | None] = mapped_column(String(300))
    registered_on: Mapped[dt.date]
    returned_on: Mapped[dt.date | None]
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # optimistic concurrency (API updates)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
