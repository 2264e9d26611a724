"""What a caller sends to start a risk run of a plan or a sweep of plan variants (both run as jobs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict, Field

from homecoming.input_rules import InputModel
from homecoming.planning.schemas import CODE_PATTERN

MAX_VARIANTS = 200  # a sweep's grid or list; each variant is a full solve


class RiskRequest(InputModel):
    model_config = ConfigDict(extra="forbid")

    scenarios: int = Field(default=10_000, ge=10, le=1_000_000, description="how many scenarios to sample")
    seed: int = Field(default=1, ge=0, le=2**31 - 1, description="same seed, same numbers")
    by: dt.date | None = Field(default=None, description="the chance each settlement is ready by this date")
    chunk: int = Field(default=1000, ge=10, le=100_000, description="scenarios per piece of work for Dask")
    workers: int = Field(default=0, ge=0, le=256, description="local Dask workers (0: one per core; 1: no Dask)")


class SweepRequest(InputModel):
    """The base is the plan run's assumptions if `plan_run` is given, else the scenario fields in `scenario`."""

    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(default=None, min_length=1, max_length=64, pattern=CODE_PATTERN,
                             description="code of the sweep's job (default: sweep and the time)")  # fmt: skip
    plan_run: str | None = Field(default=None, description="take this plan run's assumptions as the base")
    scenario: dict[str, Any] = Field(default_factory=dict, description="base scenario fields (without plan_run)")
    budget_factors: list[float] = Field(default_factory=list, max_length=20, description="e.g. [0.8, 1, 1.2]")
    teams: list[int] = Field(default_factory=list, max_length=20, description="demining teams, e.g. [40, 50]")
    crews: list[int] = Field(default_factory=list, max_length=20, description="construction crews")
    variants: list[dict[str, Any]] | None = Field(default=None, max_length=MAX_VARIANTS,
                                                  description='instead of a grid: [{"name": ..., fields}]')  # fmt: skip
    seconds: float = Field(default=10, ge=1, le=600, description="time limit of each variant's solve")
    target: int | None = Field(default=None, ge=1, description="people home that meet the first phase")
    workers: int = Field(default=0, ge=0, le=256, description="local Dask workers (0: one per core; 1: no Dask)")
