"""A plan run: build both problems from the registry, solve them, store the plan with what it assumed."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import asdict

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique
from homecoming.disclosure.plans import plan_figures
from homecoming.errors import RuleViolation
from homecoming.households.models import Household
from homecoming.optimisation.allocation import model as allocation_model
from homecoming.optimisation.sequencing import model as sequencing_model
from homecoming.phrases import Message
from homecoming.planning import engines, messages
from homecoming.planning.allocation import build_allocation
from homecoming.planning.build import Built, build_problem
from homecoming.planning.models import PlanAllocation, PlanConvoy, PlanRun, PlanSettlement, PlanTask
from homecoming.planning.scenario import PlanSettings, Scenario, assumptions
from homecoming.territory.models import Settlement

Step = Callable[[str], None]
Progress = Callable[[str, int], None]  # the stage in words, and the percent of the run done before it
# Where each stage starts, in percent of a run: the two solves take most of it (up to their time limits).
BUILDING, SEQUENCING, BUILDING_ALLOCATION, ALLOCATING, STORING = 0, 5, 45, 55, 90


def run_plan(
    session: Session, scenario: Scenario, *, code: str | None = None, step: Step | None = None,
    progress: Progress | None = None, settings: PlanSettings | None = None,
) -> PlanRun:  # fmt: skip
    """Sequencing, then allocation from its ready dates; everything stored under one plan run, with every
    assumption it was made under (the scenario, and `settings`: default the deployment's current ones)."""

    def say(text: str, percent: int) -> None:
        if step is not None:
            step(text)
        if progress is not None:
            progress(text, percent)

    started = time.perf_counter()
    say("building the works schedule problem", BUILDING)
    built = build_problem(session, scenario, settings)
    problem = built.sequencing
    if not problem.goals:
        raise RuleViolation("plan.nothing_to_plan", "no household waits to return: register households first")
    say(f"ordering {len(problem.tasks):,} tasks for {len(problem.goals):,} settlements", SEQUENCING)
    schedule = engines.solve_sequencing(problem, seconds=scenario.sequencing_seconds)
    if schedule.status not in ("optimal", "feasible"):
        raise RuleViolation(
            "plan.no_schedule",
            f"no schedule fits in {scenario.horizon_months} months with these resources ({schedule.status}); "
            "lengthen the horizon or add capacity",
        )
    ends = {t.id: schedule.starts[t.id] + t.duration for t in problem.tasks}
    ready = {sid: schedule.goals[goal] for goal, sid in built.goal_settlements.items()}
    say("building the allocation problem", BUILDING_ALLOCATION)
    to_allocate, issues, left_out = build_allocation(session, scenario, built, ready, ends)
    # No count here: the stage is on the public progress of the job, and the plan's total may be withheld.
    say("allocating the waiting households to houses and convoys", ALLOCATING)
    allocation = engines.solve_allocation(to_allocate, seconds=scenario.allocation_seconds)
    say("storing the plan", STORING)
    said = [*built.issues, *issues, *_restarted(built, schedule)]
    run = _store_run(session, scenario, code, built, schedule, (to_allocate, allocation), said, started)
    _store_schedule(session, run, scenario, built, schedule, ready)
    _store_allocation(session, run, scenario, allocation, left_out)
    _withhold_counts_in_sentences(session, run, built.settings.small_count_threshold)
    return run


def _withhold_counts_in_sentences(session: Session, run: PlanRun, threshold: int) -> None:
    """The plan's sentences (data issues, task labels) are shown to everyone: a settlement whose households the
    plan's public figures withhold (homecoming.disclosure) is named in them without the count, nor the houses still
    missing (households = houses built or planned + those missing)."""
    session.flush()
    shown = plan_figures(session, run, threshold).by_settlement
    hidden = [sid for sid, cell in shown.items() if cell.households is None]
    rows = session.execute(select(Settlement.id, Settlement.code, Settlement.name).where(Settlement.id.in_(hidden)))
    places = {code: name for _, code, name in rows}
    issues = messages.read(run.data_issues)
    run.data_issues = messages.stored(
        messages.HOUSES_SHORT_WITHHELD(place=m.place)
        if m.code == messages.HOUSES_SHORT.code and m.place in places
        else m
        for m in issues
    )
    for code, name in places.items():
        session.execute(
            update(PlanTask)
            .where(PlanTask.plan_run_id == run.id, PlanTask.task == f"proposed:{code}:houses")
            .values(label=messages.PROPOSED_HOUSES_WITHHELD(place=name).stored())
        )


def _store_run(
    session: Session, scenario: Scenario, code: str | None, built: Built,
    schedule: sequencing_model.Result, allocated: tuple[allocation_model.Problem, allocation_model.Result],
    issues: list[Message], started: float,
) -> PlanRun:  # fmt: skip
    """The run's record; its assumptions are all it was made under: the scenario, the settings and the weights of
    the allocation's objective (the sequencing problem is stored whole, in `schedule_problem`)."""
    problem, allocation = allocated
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    run = PlanRun(
        code=code or f"{scenario.name}-{now:%Y%m%d-%H%M%S}",
        scenario=scenario.name,
        assumptions=assumptions(scenario, built.settings) | {"allocation_weights": asdict(problem.weights)},
        created_at=now,
        start_month=scenario.start,
        sequencing_status=schedule.status,
        people_months=int(schedule.objective or 0),
        people_months_bound=int(schedule.lower_bound),
        allocation_status=allocation.status,
        allocation_objective=float(allocation.objective),
        allocation_bound=float(allocation.lower_bound),
        seconds=round(time.perf_counter() - started, 2),
        data_issues=messages.stored(issues),
        schedule_problem=built.problem,
    )
    return add_unique(session, run)


def _store_schedule(
    session: Session, run: PlanRun, scenario: Scenario, built: Built, schedule: sequencing_model.Result,
    ready: dict[int, int],
) -> None:  # fmt: skip
    rows = []
    for task in built.sequencing.tasks:
        info, start = built.tasks[task.id], schedule.starts[task.id]
        rows.append({
            "plan_run_id": run.id, "task": task.id, "kind": info.kind, "label": info.label.stored(),
            "project_id": info.project_id, "hazard_area_id": info.hazard_area_id, "settlement_id": info.settlement_id,
            "start_period": start, "end_period": start + task.duration,
            "start_date": info.started_on if (info.started_on and start == 0) else scenario.month(start),
            "end_date": scenario.month(start + task.duration),
        })  # fmt: skip
    if rows:
        session.execute(insert(PlanTask), rows)
    session.execute(
        insert(PlanSettlement),
        [
            {"plan_run_id": run.id, "settlement_id": sid, "households": n, "people": people,
             "ready_period": ready.get(sid, 0), "ready_date": scenario.month(ready.get(sid, 0))}
            for sid, (n, people) in built.waiting.items()
            if sid not in built.outside_horizon  # no date in this plan: its works do not fit in the horizon
        ],
    )  # fmt: skip


def _store_allocation(
    session: Session, run: PlanRun, scenario: Scenario, allocation: allocation_model.Result, left_out: list[str]
) -> None:
    households: dict[str, int] = {code: i for code, i in session.execute(select(Household.code, Household.id))}
    settlements: dict[str, int] = {code: i for code, i in session.execute(select(Settlement.code, Settlement.id))}
    rows = [
        {"plan_run_id": run.id, "household_id": households[p.household], "settlement_id": settlements[p.settlement],
         "rooms": p.rooms, "period": p.period, "move_date": scenario.month(p.period)}
        for p in allocation.placements
    ] + [
        {"plan_run_id": run.id, "household_id": households[h], "settlement_id": None, "rooms": None, "period": None,
         "move_date": None}
        for h in [*allocation.unplaced, *left_out]
    ]  # fmt: skip
    for chunk in range(0, len(rows), 20_000):
        session.execute(insert(PlanAllocation), rows[chunk : chunk + 20_000])
    convoys = [
        {"plan_run_id": run.id, "settlement_id": settlements[c.settlement], "period": c.period,
         "move_date": scenario.month(c.period), "vehicles": c.vehicles, "households": len(c.households),
         "people": c.people}
        for c in allocation.convoys
    ]  # fmt: skip
    if convoys:
        session.execute(insert(PlanConvoy), convoys)
    session.flush()


def _restarted(built: Built, schedule: sequencing_model.Result) -> list[Message]:
    """Works under way that the schedule could not keep going from month 0 (their resources went elsewhere)."""
    return [
        messages.WORKS_RESUMED_LATE(project=task_id.removeprefix("works:"), since=f"{info.started_on:%Y-%m}",
                                    month=schedule.starts[task_id])
        for task_id, info in built.tasks.items()
        if info.started_on is not None and schedule.starts[task_id] > 0
    ]  # fmt: skip
