"""What a plan run says, in the terms leaders ask about: when each place is ready, people home per year, and
which limits hold the programme back."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.db.crud import get_by_code
from homecoming.errors import NotFound
from homecoming.households.models import Household
from homecoming.optimisation.sequencing import io
from homecoming.phrases import Message
from homecoming.planning import messages
from homecoming.planning.models import PlanAllocation, PlanRun, PlanSettlement, PlanTask
from homecoming.planning.scenario import Scenario
from homecoming.territory.models import Settlement

BINDING = 0.9  # a resource used at 90% or more of what exists in a year holds the plan back


@dataclass(frozen=True)
class Limit:
    resource: str
    year: int
    used_share: float


def latest_run(session: Session, code: str | None = None) -> PlanRun:
    if code is not None:
        return get_by_code(session, PlanRun, code)
    run = session.scalars(select(PlanRun).order_by(PlanRun.created_at.desc(), PlanRun.id.desc())).first()
    if run is None:
        raise NotFound("plan_runs.none", "no plan has been made yet: run `homecoming plan run`")
    return run


def ready_dates(session: Session, run: PlanRun) -> list[tuple[str, str, dt.date, int]]:
    """(code, name, ready date, people waiting) per settlement, earliest first."""
    rows = session.execute(
        select(Settlement.code, Settlement.name, PlanSettlement.ready_date, PlanSettlement.people)
        .join(Settlement, Settlement.id == PlanSettlement.settlement_id)
        .where(PlanSettlement.plan_run_id == run.id)
        .order_by(PlanSettlement.ready_date, Settlement.code)
    )
    return [(code, name, ready, int(people)) for code, name, ready, people in rows]


def people_home_by_year(session: Session, run: PlanRun) -> dict[int, int]:
    """People whose move the plan sets in each year (not cumulative)."""
    moves = session.execute(
        select(PlanAllocation.move_date, func.sum(Household.size))
        .join(Household, Household.id == PlanAllocation.household_id)
        .where(PlanAllocation.plan_run_id == run.id, PlanAllocation.move_date.is_not(None))
        .group_by(PlanAllocation.move_date)
    )
    years: dict[int, int] = defaultdict(int)
    for day, people in moves:
        if day is not None:
            years[day.year] += int(people)
    return dict(sorted(years.items()))


def unplaced_people(session: Session, run: PlanRun) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Household.size), 0))
            .join(PlanAllocation, PlanAllocation.household_id == Household.id)
            .where(PlanAllocation.plan_run_id == run.id, PlanAllocation.period.is_(None))
        )
        or 0
    )


def binding_limits(session: Session, run: PlanRun, top: int = 3) -> list[Limit]:
    """Resources the schedule uses to (nearly) the full in some year, most used first."""
    scenario = Scenario.model_validate(run.assumptions)
    problem = io.problem_from_dict(run.schedule_problem)
    capacity = {r.id: r.profile(problem.periods) for r in problem.resources}
    used = {r: [0] * problem.periods for r in capacity}
    demand = {t.id: t.demand for t in problem.tasks}
    for task, start, end in session.execute(
        select(PlanTask.task, PlanTask.start_period, PlanTask.end_period).where(PlanTask.plan_run_id == run.id)
    ):
        for resource, amount in demand[task].items():
            for period in range(start, end):
                used[resource][period] += amount
    last = max((end for (end,) in session.execute(select(PlanTask.end_period).where(PlanTask.plan_run_id == run.id))),
               default=0)  # fmt: skip
    limits = []
    for resource, row in capacity.items():
        per_year: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for period in range(min(last, problem.periods)):
            year = scenario.month(period).year
            per_year[year][0] += used[resource][period]
            per_year[year][1] += row[period]
        for year, (spent, available) in per_year.items():
            if available and spent / available >= BINDING:
                limits.append(Limit(resource, year, spent / available))
    return sorted(limits, key=lambda x: (-x.used_share, x.year, x.resource))[:top]


def grouped_issues(stored: Iterable[Mapping[str, Any]]) -> list[tuple[str, list[str]]]:
    """Each data issue once, said in a Phrase, with the places it holds for: 'sus: no school works ...' and
    'zabukh: no school works ...' become 'no school works ...' naming both places; the most places first."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for message in messages.read(stored):
        place = message.place if messages.groups_by_place(message) else None
        said = message if place is None else Message(message.code, {k: v for k, v in message.values.items()
                                                                     if k != "place"})  # fmt: skip
        key = json.dumps(said.stored(), sort_keys=True, default=str)
        places = groups.setdefault(key, (said.phrase(short=place is not None), []))[1]
        if place is not None:
            places.append(place)
    return sorted(groups.values(), key=lambda item: -len(item[1]))
