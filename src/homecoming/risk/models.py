"""A risk run of a plan: how many scenarios, which seed and uncertainty, and the bands it found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base, IllustrativeMixin


class PlanRisk(IllustrativeMixin, Base):
    __tablename__ = "plan_risks"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime]
    scenarios: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    chunk_size: Mapped[int] = mapped_column(Integer)
    by_date: Mapped[dt.date | None]  # the date "probability ready by" refers to
    seconds: Mapped[float] = mapped_column(Float)
    uncertainty: Mapped[dict[str, Any]] = mapped_column(JSON)  # the three-points used, per kind and per task
    people_months: Mapped[dict[str, Any]] = mapped_column(JSON)  # plan, p10, p50, p90
    settlements: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # per settlement: plan and percentile dates
    years: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # people whose settlement is ready by each year end
    tasks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # the works to watch: criticality index, most first
    overrun: Mapped[int] = mapped_column(Integer)  # task placements that ran past the extended horizon
