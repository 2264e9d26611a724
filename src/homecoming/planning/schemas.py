"""What a caller sends to start a plan run, and what the API answers about plan runs and their progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from homecoming.input_rules import InputModel
from homecoming.jobs.models import JobStatus

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"  # a code goes into page addresses: no spaces or slashes


class PlanRequest(InputModel):
    """A plan run to start: the scenario's name, the capacities to change from its defaults, and a time limit."""

    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=CODE_PATTERN,
        description="code of the plan run (default: the scenario name and the time)",
    )  # fmt: skip
    scenario: str = Field(default="baseline", min_length=1, max_length=100, description="scenario name")
    demining_teams: int | None = Field(default=None, ge=1, le=10_000)
    crews: int | None = Field(default=None, ge=1, le=100_000, description="construction crews")
    budget_share_for_plan: float | None = Field(default=None, gt=0, le=1, description="share of each year's budget")
    horizon_months: int | None = Field(default=None, ge=12, le=600)
    seconds: float = Field(default=20, ge=1, le=600, description="time limit of each engine, in seconds")
    start: dt.date | None = Field(
        default=None, description="first month of the plan, its month 0 (default: the month the run is asked for)"
    )


class PlanJobOut(BaseModel):
    code: str
    status: JobStatus
    stage: str
    percent: int
    message: str | None
    error_code: str | None
    created_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result_url: str | None  # the plan run, once it is done


class PlanRunSummaryOut(BaseModel):
    code: str
    scenario: str
    created_at: dt.datetime
    start_month: dt.date
    sequencing_status: str
    people_months: int
    people_months_bound: int
    allocation_status: str
    seconds: float


class PlanRunOut(PlanRunSummaryOut):
    assumptions: dict[str, Any]
    settlements: int
    tasks: int
    unplaced_people: int | None  # None: withheld (homecoming.disclosure)
    data_issues: list[str]


class PlanSettlementOut(BaseModel):
    settlement_code: str
    settlement_name: str
    district_code: str
    households: int | None  # None: withheld (homecoming.disclosure: too few, or so that none can be worked out)
    people: int | None
    ready_period: int
    ready_date: dt.date


class PlanTaskOut(BaseModel):
    task: str
    kind: str
    label: str
    sector: str | None
    project_code: str | None
    hazard_area_code: str | None
    settlement_code: str | None
    district_code: str | None
    start_period: int
    end_period: int
    start_date: dt.date
    end_date: dt.date


class PeopleHomeOut(BaseModel):
    year: int
    people: int | None  # None: withheld (a year of too few households is merged with the next)
    cumulative: int | None


class PlanProposal(InputModel):
    """Sent to propose a plan run as the official plan: why (kept in the audit trail)."""

    comment: str | None = Field(default=None, max_length=1000)


class PlanApprovalOut(BaseModel):
    """Where a plan run stands on its way to being the official plan."""

    plan_run: str
    state: str  # proposed / approved / withdrawn
    proposed_by: str
    proposed_at: dt.datetime
    approved_by: str | None
    approved_at: dt.datetime | None
    withdrawn_by: str | None
    withdrawn_at: dt.datetime | None
    version: int


class OfficialPlanOut(BaseModel):
    """The approved plan the public pages forecast from, and what changed in the registry since it was made."""

    plan_run: str
    scenario: str
    approved_on: dt.date
    changed_since: list[str]  # each a sentence: "A hazard area was added on 2026-12-02; this forecast predates it."
