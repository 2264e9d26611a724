"""Plans on hand-made territories whose right answer is known."""

from __future__ import annotations

import datetime as dt

import pytest
from planning_types import Village
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.errors import RuleViolation
from homecoming.planning.models import PlanAllocation, PlanConvoy, PlanRun, PlanSettlement, PlanTask
from homecoming.planning.report import binding_limits, people_home_by_year
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario
from homecoming.works.models import Project, ProjectDependency, ProjectStatus
from plan_support import make_official

FAST = {"sequencing_seconds": 5, "allocation_seconds": 5, "horizon_months": 36}


def ready_months(session: Session, run: PlanRun) -> dict[str, int]:
    from homecoming.territory.models import Settlement

    rows = session.execute(
        select(Settlement.code, PlanSettlement.ready_period)
        .join(Settlement, Settlement.id == PlanSettlement.settlement_id)
        .where(PlanSettlement.plan_run_id == run.id)
    )
    return {code: period for code, period in rows}


def test_a_village_whose_only_blocker_is_a_hazard_is_ready_when_its_clearance_ends(
    district: Session, village: Village
) -> None:
    village("zabukh", families=10, size=4, hazards=(1_000_000,))
    scenario = Scenario(demining_teams=4, teams_per_clearance=2, clearance_m2_per_team_month=100_000, **FAST)
    run = run_plan(district, scenario, code="only-hazard")
    assert ready_months(district, run) == {"zabukh": 5}  # 1 km² at 2 x 100,000 m² a month
    assert (run.sequencing_status, run.people_months, run.people_months_bound) == ("optimal", 200, 200)
    periods = district.scalars(select(PlanAllocation.period).where(PlanAllocation.plan_run_id == run.id)).all()
    assert periods == [5] * 10  # every family moves the month the land is released, into the ready houses
    [convoy] = district.scalars(select(PlanConvoy).where(PlanConvoy.plan_run_id == run.id)).all()
    assert (convoy.period, convoy.households, convoy.people, convoy.vehicles) == (5, 10, 40, 1)
    assert people_home_by_year(district, run) == {2026: 40}


def test_an_extra_demining_team_brings_the_second_village_home_five_months_sooner(
    district: Session, village: Village
) -> None:
    village("big", families=20, hazards=(1_000_000,))
    village("small", families=5, hazards=(1_000_000,))
    base = {"teams_per_clearance": 2, "clearance_m2_per_team_month": 100_000, **FAST}
    two = run_plan(district, Scenario(name="two-teams", demining_teams=2, **base), code="two")
    four = run_plan(district, Scenario(name="four-teams", demining_teams=4, **base), code="four")
    assert ready_months(district, two) == {"big": 5, "small": 10}  # one clearance at a time, the bigger first
    assert ready_months(district, four) == {"big": 5, "small": 5}
    assert [(x.resource, x.year) for x in binding_limits(district, two)] == [("deminers", 2026)]


def test_a_budget_cut_delays_the_settlement_with_fewest_people_first(district: Session, village: Village) -> None:
    village("many", families=10, size=6, houses=False)
    village("few", families=10, size=2, houses=False)
    # 10 houses at 90,000 AZN in 2 months: 450 thousand AZN a month each; 1,000 a month builds both at once
    base = {"house_cost_azn": 90_000, "houses_per_crew_month": 8, **FAST}
    full = run_plan(district, Scenario(name="full", budget_azn_per_year={2026: 12e6}, **base), code="full")
    cut = run_plan(district, Scenario(name="cut", budget_azn_per_year={2026: 6e6}, **base), code="cut")
    assert ready_months(district, full) == {"many": 2, "few": 2}
    assert ready_months(district, cut) == {"many": 2, "few": 4}
    assert cut.people_months - full.people_months == 2 * 20
    assert any(
        issue["code"] == "plan.budget_carried" and issue["values"]["year"] == "2027" for issue in cut.data_issues
    )


def test_readiness_shows_the_forecast_of_the_approved_plan_only(district: Session, village: Village) -> None:
    from homecoming.planning.readiness import readiness

    village("zabukh", families=10, hazards=(1_000_000,))
    run = run_plan(district, Scenario(demining_teams=2, teams_per_clearance=2, **FAST), code="p1")
    assert readiness(district, "zabukh")[0].forecast_ready is None  # a run nobody approved is a what-if
    make_official(district, run, run.created_at)
    run_plan(district, Scenario(demining_teams=1, teams_per_clearance=1, **FAST), code="what-if")
    [r] = readiness(district, "zabukh")
    assert (r.forecast_ready, r.forecast_plan) == (dt.date(2026, 6, 1), "p1")  # cleared in 5 months from January


def test_works_under_way_keep_their_real_start(district: Session, village: Village) -> None:
    power = district.scalars(select(Project).where(Project.code == "done-power")).one()
    power.status, power.progress_pct, power.actual_start = ProjectStatus.IN_PROGRESS, 50, dt.date(2025, 6, 1)
    power.planned_start, power.planned_end = dt.date(2025, 6, 1), dt.date(2026, 6, 1)
    village("zabukh", families=10)
    run = run_plan(district, Scenario(**FAST), code="under-way")
    task = district.scalars(select(PlanTask).where(PlanTask.plan_run_id == run.id)).one()
    assert (task.task, task.start_date, task.end_period) == ("works:done-power", dt.date(2025, 6, 1), 6)
    assert ready_months(district, run) == {"zabukh": 6}


def test_a_cycle_in_work_dependencies_is_named(district: Session, village: Village) -> None:
    by_code = {p.code: p for p in district.scalars(select(Project))}
    school, health = by_code["done-school"], by_code["done-health"]
    for project in (school, health):
        project.status, project.progress_pct = ProjectStatus.PLANNED, 0
    district.add_all([ProjectDependency(predecessor_id=school.id, successor_id=health.id),
                      ProjectDependency(predecessor_id=health.id, successor_id=school.id)])  # fmt: skip
    village("zabukh", families=10)
    with pytest.raises(RuleViolation) as caught:
        run_plan(district, Scenario(**FAST))
    assert caught.value.code == "sequencing.cycle"
    assert "works:done-school" in caught.value.message and "works:done-health" in caught.value.message
