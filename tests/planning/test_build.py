"""The sequencing problem built from the registry: tasks, durations, precedences, goals, and reported gaps."""

from __future__ import annotations

from planning_types import Village
from sqlalchemy.orm import Session

from homecoming.finance.models import BudgetAllocation, BudgetFigureKind, FundingSource
from homecoming.planning import messages
from homecoming.planning.build import build_problem
from homecoming.planning.scenario import Scenario
from homecoming.works.models import Project, ProjectDependency, ProjectStatus, Sector


def test_a_hazard_on_housing_land_becomes_a_clearance_task_the_village_waits_for(
    district: Session, village: Village
) -> None:
    village("zabukh", families=10, size=4, hazards=(1_000_000,))
    scenario = Scenario(demining_teams=4, teams_per_clearance=2, clearance_m2_per_team_month=100_000)
    built = build_problem(district, scenario)
    assert built.problem["tasks"] == [
        {
            "id": "clear:zabukh-h0",
            "duration": 5,
            "demand": {"deminers": 2},
            "successors": [],
        }  # 1 km² / 200,000 m²/month
    ]
    assert built.problem["goals"] == [{"id": "settlement:zabukh", "weight": 40, "requires": ["clear:zabukh-h0"]}]
    assert [r["id"] for r in built.problem["resources"]] == ["deminers", "crews"]
    assert built.issues == [messages.NO_BUDGET()]


def test_a_ready_village_needs_no_goal(district: Session, village: Village) -> None:
    village("ready", families=3)
    built = build_problem(district, Scenario())
    assert built.problem["goals"] == [] and built.waiting  # it waits for nothing, so nothing is planned


def test_missing_houses_and_services_are_proposed_and_reported(district: Session, village: Village) -> None:
    district.query(Project).filter(Project.sector == Sector.SCHOOL).delete()
    village("sus", families=20, houses=False)
    built = build_problem(district, Scenario(crews=8, houses_per_crew_month=5))
    tasks = {t["id"]: t for t in built.problem["tasks"]}
    assert tasks["proposed:sus:houses"]["duration"] == 4 and tasks["proposed:sus:houses"]["demand"]["crews"] == 1
    assert "proposed:sus:school" in tasks
    assert built.tasks["proposed:sus:houses"].house_rooms == {0: 20}
    assert messages.HOUSES_SHORT(place="sus", households=20, houses=0, more=20) in built.issues
    assert messages.SERVICE_PROPOSED(place="sus", sector="school") in built.issues


def test_open_works_keep_their_dependencies_and_remaining_duration(district: Session, village: Village) -> None:
    district.query(Project).filter(Project.sector.in_([Sector.POWER, Sector.WATER])).delete()
    line = Project(code="line", name="Power line", sector=Sector.POWER, stage=1, district_id=1,
                   status=ProjectStatus.IN_PROGRESS, progress_pct=50, budget_amount=12e6)  # fmt: skip
    main = Project(code="main", name="Water main", sector=Sector.WATER, stage=1, district_id=1,
                   status=ProjectStatus.PLANNED, progress_pct=0)  # fmt: skip
    district.add_all([line, main])
    district.flush()
    district.add(ProjectDependency(predecessor_id=line.id, successor_id=main.id))
    village("kh", families=2)
    built = build_problem(district, Scenario(budget_azn_per_year={2026: 1.2e9}))
    tasks = {t["id"]: t for t in built.problem["tasks"]}
    assert tasks["works:line"] == {"id": "works:line", "duration": 3, "demand": {"crews": 1, "budget": 2000},
                                   "successors": ["works:main"]}  # fmt: skip  # half of 6 months; 6m AZN over 3
    assert built.problem["goals"][0]["requires"] == ["works:line", "works:main"]


def test_budget_comes_from_the_registry_and_a_missing_year_is_reported(district: Session, village: Village) -> None:
    for code, year, amount in (("b26", 2026, 1.2e9), ("b27", 2027, 2.4e9)):
        district.add(BudgetAllocation(code=code, year=year, source_kind=FundingSource.STATE_BUDGET,
                                      figure_kind=BudgetFigureKind.ALLOCATED, amount=amount, currency="AZN",
                                      rate_to_azn=1.0))  # fmt: skip
    village("z", families=1, hazards=(10_000,))
    built = build_problem(district, Scenario(horizon_months=36))
    [budget] = [r for r in built.problem["resources"] if r["id"] == "budget"]
    assert budget["calendar"] == [
        {"from": 0, "to": 12, "capacity": 100_000},  # 1.2 bn AZN a year = 100,000 thousand AZN a month
        {"from": 12, "to": 24, "capacity": 200_000},
        {"from": 24, "to": 36, "capacity": 200_000},
    ]
    assert messages.BUDGET_CARRIED(year="2028", amount=2.4) in built.issues


def test_more_work_than_the_horizon_holds_is_refused_before_solving(district: Session, village: Village) -> None:
    import pytest

    from homecoming.errors import RuleViolation

    village("huge", families=2_000, houses=False)
    with pytest.raises(RuleViolation) as caught:
        build_problem(district, Scenario(crews=1, houses_per_crew_month=1, horizon_months=12))
    assert caught.value.code == "plan.capacity_short"
    assert caught.value.details == {"resource": "crews", "needed": 2_000, "available": 12}


def test_without_budget_figures_no_task_asks_for_money(district: Session, village: Village) -> None:
    village("sus", families=20, houses=False)
    built = build_problem(district, Scenario())
    assert all("budget" not in task["demand"] for task in built.problem["tasks"])
    assert messages.NO_BUDGET() in built.issues
