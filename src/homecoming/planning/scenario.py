"""The named assumptions a plan is made under. Every default is an assumption, said so here and in the run."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from homecoming.config import get_settings
from homecoming.works.models import Sector


class ProposedWork(BaseModel):
    """What a work the registry lacks is assumed to take, when the plan has to propose it."""

    months: int = Field(ge=1)
    crews: int = Field(ge=0)
    cost_azn: float = Field(ge=0)


# Assumptions, not sourced figures: a programme office replaces them with its own norms.
DEFAULT_PROPOSED = {
    Sector.POWER: ProposedWork(months=6, crews=1, cost_azn=3e6),
    Sector.WATER: ProposedWork(months=8, crews=1, cost_azn=4e6),
    Sector.ROAD: ProposedWork(months=10, crews=2, cost_azn=10e6),
    Sector.SCHOOL: ProposedWork(months=12, crews=1, cost_azn=5e6),
    Sector.HEALTH: ProposedWork(months=10, crews=1, cost_azn=3e6),
    Sector.GAS: ProposedWork(months=6, crews=1, cost_azn=2e6),
}


class Scenario(BaseModel):
    name: str = Field(default="baseline", min_length=1, max_length=100)
    start: dt.date = Field(default=dt.date(2026, 1, 1), description="first day of period 0 (a month)")
    horizon_months: int = Field(default=120, ge=12, le=600)
    demining_teams: int = Field(default=40, ge=1)
    teams_per_clearance: int = Field(default=2, ge=1)
    clearance_m2_per_team_month: float = Field(default=100_000, gt=0)
    crews: int = Field(default=150, ge=1)
    houses_per_crew_month: float = Field(default=8, gt=0)
    house_cost_azn: float = Field(default=90_000, ge=0)
    budget_azn_per_year: dict[int, float] | None = Field(
        default=None, description="None: the registry's budget figures (allocated, else revised, else planned)"
    )
    budget_share_for_plan: float = Field(default=1.0, gt=0, le=1)
    convoy_households: int = Field(default=100, ge=1, description="households arriving per settlement per month")
    vehicle_seats: int = Field(default=45, ge=1)
    propose_missing_works: bool = True
    proposed: dict[Sector, ProposedWork] = Field(default_factory=lambda: dict(DEFAULT_PROPOSED))
    sequencing_seconds: float = Field(default=20, gt=0)
    allocation_seconds: float = Field(default=20, gt=0)

    def month(self, period: int) -> dt.date:
        index = self.start.month - 1 + period
        return dt.date(self.start.year + index // 12, index % 12 + 1, 1)

    def period_of(self, day: dt.date) -> int:
        return (day.year - self.start.year) * 12 + day.month - self.start.month


class PlanSettings(BaseModel):
    """The deployment's settings (homecoming.config, from the environment) a plan depends on: assumptions too, so a
    run stores them with its scenario, and two runs under different settings say so."""

    required_services: dict[str, list[str]]  # per kind of settlement, the sectors it needs before people return
    small_count_threshold: int  # counts below it are withheld in what the run shows everyone

    @classmethod
    def current(cls) -> PlanSettings:
        settings = get_settings()
        return cls(required_services=settings.required_services, small_count_threshold=settings.small_count_threshold)


def assumptions(scenario: Scenario, settings: PlanSettings) -> dict[str, object]:
    """Everything a run assumed, as it stores it: the scenario's fields, and the settings under `settings`."""
    return {**scenario.model_dump(mode="json"), "settings": settings.model_dump(mode="json")}
