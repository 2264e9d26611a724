"""A plan run: the assumptions it was made under, what the engines said, and the plan itself."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base
from homecoming.db.types import str_enum


class PlanRun(Base):
    __tablename__ = "plan_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    scenario: Mapped[str] = mapped_column(String(100), index=True)
    assumptions: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]
    start_month: Mapped[dt.date]  # period 0 of the plan
    sequencing_status: Mapped[str] = mapped_column(String(16))
    people_months: Mapped[int] = mapped_column(Integer)  # the sequencing objective: people-months still displaced
    people_months_bound: Mapped[int] = mapped_column(Integer)  # its proven lower bound
    allocation_status: Mapped[str] = mapped_column(String(16))
    allocation_objective: Mapped[float] = mapped_column(Float)
    allocation_bound: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float)
    # Bad or missing data the run worked around: stored sentences (homecoming.planning.messages), code and values.
    data_issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    schedule_problem: Mapped[dict[str, Any]] = mapped_column(JSON)  # as solved (homecoming-sequencing/1)
    note: Mapped[str | None] = mapped_column(Text)


class PlanTask(Base):
    """One task of the schedule: a works project, a clearance of a hazard area, or a proposed work."""

    __tablename__ = "plan_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # works / clearance / proposed
    label: Mapped[dict[str, Any]] = mapped_column(JSON)  # a stored sentence (homecoming.planning.messages)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    hazard_area_id: Mapped[int | None] = mapped_column(ForeignKey("hazard_areas.id", ondelete="SET NULL"))
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"))
    start_period: Mapped[int] = mapped_column(Integer)
    end_period: Mapped[int] = mapped_column(Integer)  # exclusive: the first period after the task
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]


class PlanSettlement(Base):
    __tablename__ = "plan_settlements"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id", ondelete="CASCADE"), index=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"))
    households: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer)
    ready_period: Mapped[int] = mapped_column(Integer)
    ready_date: Mapped[dt.date]


class PlanAllocation(Base):
    __tablename__ = "plan_allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"))  # None: not placed in the horizon
    rooms: Mapped[int | None] = mapped_column(Integer)
    period: Mapped[int | None] = mapped_column(Integer)
    move_date: Mapped[dt.date | None]


class PlanConvoy(Base):
    __tablename__ = "plan_convoys"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id", ondelete="CASCADE"), index=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"))
    period: Mapped[int] = mapped_column(Integer)
    move_date: Mapped[dt.date]
    vehicles: Mapped[int] = mapped_column(Integer)
    households: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer)


class ApprovalState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


class PlanApproval(Base):
    """A plan run put forward as the official plan: a planner proposes it, an admin who did not make it approves it.

    The public pages, the open data and the map show the approved run approved last; any other run is a what-if for
    the staff's /plans. Filed in the audit trail under the run's code."""

    __tablename__ = "plan_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # the run's code
    plan_run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id", ondelete="CASCADE"), unique=True)
    state: Mapped[ApprovalState] = mapped_column(str_enum(ApprovalState, "approval_state"), index=True)
    proposed_by: Mapped[str] = mapped_column(String(64))
    proposed_at: Mapped[dt.datetime]
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[dt.datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
    withdrawn_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # optimistic concurrency
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
