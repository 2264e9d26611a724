"""More work than the horizon holds: the plan takes what fits, says what is left outside and what would bring it in
(issue 19: `homecoming demo --scale national` used to stop with plan.capacity_short)."""

from __future__ import annotations

from planning_types import Village
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.optimisation.sequencing.model import Goal, Problem, Resource, Task
from homecoming.planning import messages
from homecoming.planning.horizon import fit_in_horizon
from homecoming.planning.models import PlanAllocation, PlanSettlement
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario
from homecoming.territory.models import Settlement

# 1 crew building 1 house a month for 12 months: 12 houses fit in the horizon
SHORT = {"crews": 1, "houses_per_crew_month": 1, "horizon_months": 12, "sequencing_seconds": 5,
         "allocation_seconds": 5}  # fmt: skip


def test_the_plan_takes_the_settlements_that_fit_and_says_what_would_bring_the_rest_in(
    district: Session, village: Village
) -> None:
    village("big", families=30, size=4, houses=False)  # 30 houses: more than the horizon holds
    village("small", families=10, size=4, houses=False)  # 10 houses: fits
    run = run_plan(district, Scenario(name="short", **SHORT), code="short")
    planned = district.execute(
        select(Settlement.code, PlanSettlement.ready_period)
        .join(Settlement, Settlement.id == PlanSettlement.settlement_id)
        .where(PlanSettlement.plan_run_id == run.id)
    ).all()
    assert [(code, period) for code, period in planned] == [("small", 10)]  # big has no date: none is invented
    unplaced = district.scalars(
        select(PlanAllocation.household_id).where(
            PlanAllocation.plan_run_id == run.id, PlanAllocation.settlement_id.is_(None)
        )
    ).all()
    assert len(unplaced) == 30  # big's families: in the plan, with no house and no date
    issues = messages.read(run.data_issues)
    assert messages.OUTSIDE_HORIZON(settlements=1, people=120, months=12) in issues
    assert messages.CAPACITY_TO_FIT(resource="crews", needed=40, months=12, per_month=4, capacity=1) in issues


def test_the_most_people_per_scarce_crew_month_are_taken_first() -> None:
    problem = Problem(
        "p", 10, (Resource("crews", 1),),
        (Task("a", 6, {"crews": 1}), Task("b", 6, {"crews": 1}, ("c",)), Task("c", 4, {"crews": 1})),
        (Goal("many", 100, ("a",)), Goal("few", 20, ("c",)), Goal("shared", 90, ("b",))),
    )  # fmt: skip
    fitted = fit_in_horizon(problem, threshold=5)
    assert [g.id for g in fitted.problem.goals] == ["many"]  # 100 people for 6 crew-months; "few" needs b and c
    assert [t.id for t in fitted.problem.tasks] == ["a"]
    assert [g.id for g in fitted.outside] == ["few", "shared"]
    assert fitted.said[0] == messages.OUTSIDE_HORIZON(settlements=2, people=110, months=10)


def test_a_small_number_left_outside_is_withheld_in_the_sentence() -> None:
    problem = Problem(
        "p", 10, (Resource("crews", 1),), (Task("a", 8, {"crews": 1}), Task("b", 8, {"crews": 1})),
        (Goal("g1", 40, ("a",)), Goal("g2", 3, ("b",))),
    )  # fmt: skip
    assert fit_in_horizon(problem, threshold=5).said[0] == messages.OUTSIDE_HORIZON(
        settlements=1, people="<5", months=10
    )


def test_nothing_changes_when_everything_fits() -> None:
    problem = Problem("p", 10, (Resource("crews", 2),), (Task("a", 8, {"crews": 1}),), (Goal("g", 4, ("a",)),))
    fitted = fit_in_horizon(problem, threshold=5)
    assert (fitted.problem, fitted.outside, fitted.said) == (problem, (), ())


def test_a_chain_of_works_longer_than_the_horizon_leaves_its_settlement_outside() -> None:
    problem = Problem(
        "p", 10, (Resource("crews", 10),),
        (Task("long", 11, {"crews": 1}), Task("a", 6, {"crews": 1}, ("b",)), Task("b", 5, {"crews": 1})),
        (Goal("never", 500, ("long",)), Goal("chained", 8, ("b",)), Goal("fits", 4, ("a",))),
    )  # fmt: skip
    fitted = fit_in_horizon(problem, threshold=5)
    assert [g.id for g in fitted.outside] == ["never", "chained"]  # 11 months; 6 + 5 months in a row
    assert [t.id for t in fitted.problem.tasks] == ["a"] and fitted.problem.tasks[0].successors == ()
    assert fitted.said == (messages.OUTSIDE_HORIZON(settlements=2, people=508, months=10),)
