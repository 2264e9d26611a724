"""From the registry to a sequencing problem: which tasks, how long, using what, and which settlements wait on them.

The problem is built as the optimisation core's own dataclasses (homecoming.optimisation.sequencing.model); the run
stores it in the documented file format (docs/formats.md, homecoming-sequencing/1), so that a plan can be exported,
re-solved or checked outside the database exactly as it was solved here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.finance import service as finance_service
from homecoming.finance.models import BudgetFigureKind
from homecoming.households import service as households_service
from homecoming.mine_action.models import HazardArea, HazardStatus, LandUse, hazard_area_blocked_projects
from homecoming.optimisation.sequencing import io
from homecoming.optimisation.sequencing.model import CalendarWindow, Goal, Problem, Resource, Task
from homecoming.phrases import Message
from homecoming.planning import messages
from homecoming.planning.horizon import fit_in_horizon
from homecoming.planning.scenario import PlanSettings, Scenario
from homecoming.territory.models import Settlement
from homecoming.works import actions as works_actions
from homecoming.works.models import HousingStatus, HousingStock, Project, ProjectDependency, ProjectStatus, Sector

KAZN = 1000.0  # the budget resource counts thousands of AZN per month
CLOSED_WORKS = (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)
BUDGET_PREFERENCE = (BudgetFigureKind.ALLOCATED, BudgetFigureKind.REVISED, BudgetFigureKind.PLANNED)


@dataclass
class TaskInfo:
    kind: str  # works / clearance / houses / proposed
    label: Message
    project_id: int | None = None
    hazard_area_id: int | None = None
    settlement_id: int | None = None
    house_units: int = 0
    house_rooms: dict[int, int] = field(default_factory=dict)  # rooms -> units delivered when the task ends
    started_on: dt.date | None = None  # works already under way keep their real start


@dataclass
class Built:
    sequencing: Problem
    tasks: dict[str, TaskInfo]
    goal_settlements: dict[str, int]  # goal id -> settlement id
    waiting: dict[int, tuple[int, int]]  # settlement id -> (households, people)
    issues: list[Message]
    settings: PlanSettings  # the deployment's settings the problem was built under (stored with the run)
    outside_horizon: frozenset[int] = frozenset()  # settlements whose works do not fit in the horizon (horizon.py)

    @property
    def problem(self) -> dict[str, Any]:
        """The problem in its file format (homecoming-sequencing/1): as a run stores it and an export writes it."""
        return io.problem_to_dict(self.sequencing)


@dataclass
class _Draft:
    """A task while the problem is being built: its demand may still be cut, its successors may still grow."""

    id: str
    duration: int
    demand: dict[str, int]
    successors: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, session: Session, scenario: Scenario, settings: PlanSettings) -> None:
        self.session, self.s, self.settings = session, scenario, settings
        self.tasks: dict[str, _Draft] = {}
        self.info: dict[str, TaskInfo] = {}
        self.issues: list[Message] = []

    def add(self, task_id: str, months: int, demand: dict[str, int], info: TaskInfo) -> str:
        if task_id not in self.tasks:
            self.tasks[task_id] = _Draft(task_id, max(1, months), demand)
            self.info[task_id] = info
        return task_id

    def precede(self, before: str, after: str) -> None:
        successors = self.tasks[before].successors
        if after not in successors:
            successors.append(after)

    def budget(self, cost_azn: float, months: int) -> dict[str, int]:
        return (
            {"budget": math.ceil(cost_azn * self.s.budget_share_for_plan / max(1, months) / KAZN)} if cost_azn else {}
        )


def build_problem(session: Session, scenario: Scenario, settings: PlanSettings | None = None) -> Built:
    """`settings`: the deployment's settings to plan under (default: the current ones)."""
    settings = settings or PlanSettings.current()
    b = _Builder(session, scenario, settings)
    waiting = households_service.wanting_to_return(session)
    settlements = {s.id: s for s in session.scalars(select(Settlement).where(Settlement.id.in_(waiting)))}
    project_tasks = _works(b, session)
    clearance_of = _clearance(b, session, set(settlements), project_tasks)
    goals, goal_settlements = [], {}
    for sid in sorted(settlements, key=lambda i: settlements[i].code):
        settlement = settlements[sid]
        requires = _settlement_tasks(b, session, settlement, waiting[sid][0], project_tasks, clearance_of)
        if not requires:
            continue
        goal_id = f"settlement:{settlement.code}"
        goals.append(Goal(goal_id, waiting[sid][1], tuple(sorted(requires))))
        goal_settlements[goal_id] = sid
    needed = _needed(b, goals)
    resources = _resources(b, session)
    if not any(r.id == "budget" for r in resources):  # no money figures: money cannot be what limits the plan
        for task in b.tasks.values():
            task.demand.pop("budget", None)
    _cap_demands(b, resources, [b.tasks[t] for t in needed])
    tasks = tuple(
        Task(t, b.tasks[t].duration, dict(b.tasks[t].demand), tuple(x for x in b.tasks[t].successors if x in needed))
        for t in needed
    )
    problem = Problem(f"plan-{scenario.name}", scenario.horizon_months, tuple(resources), tasks, tuple(goals))
    fitted = fit_in_horizon(problem, settings.small_count_threshold)
    b.issues[:0] = fitted.said  # first: what the plan leaves out matters more than any gap it works around
    outside = {goal_settlements.pop(g.id) for g in fitted.outside}
    kept = {t.id for t in fitted.problem.tasks}
    info = {t: b.info[t] for t in needed if t in kept}
    return Built(fitted.problem, info, goal_settlements, waiting, b.issues, settings, frozenset(outside))


def _works(b: _Builder, session: Session) -> dict[int, str]:
    """A task for every open project; its dependencies on other open projects as precedences."""
    ids: dict[int, str] = {}
    for p in session.scalars(select(Project).where(Project.status.not_in(CLOSED_WORKS)).order_by(Project.code)):
        left = 1 - (p.progress_pct or 0) / 100
        if p.planned_start and p.planned_end:
            months = (p.planned_end.year - p.planned_start.year) * 12 + p.planned_end.month - p.planned_start.month
        else:
            months = b.s.proposed[p.sector].months if p.sector in b.s.proposed else 12
        months = max(1, math.ceil(months * left))
        crews = b.s.proposed[p.sector].crews if p.sector in b.s.proposed else 1
        demand = {"crews": crews} if crews else {}
        under_way = p.actual_start or (p.planned_start if p.status == ProjectStatus.IN_PROGRESS else None)
        info = TaskInfo(
            "works", Message.text(p.name), project_id=p.id, settlement_id=p.settlement_id, started_on=under_way
        )
        ids[p.id] = b.add(f"works:{p.code}", months, demand | b.budget((p.budget_amount or 0) * left, months), info)
    for before, after in session.execute(select(ProjectDependency.predecessor_id, ProjectDependency.successor_id)):
        if before in ids and after in ids:
            b.precede(ids[before], ids[after])
    return ids


def _clearance(
    b: _Builder, session: Session, goal_ids: set[int], project_tasks: dict[int, str]
) -> dict[int, list[str]]:
    """Clearance tasks for open hazard areas on housing land of settlements people wait for, or under open works."""
    blocked: dict[int, list[int]] = defaultdict(list)
    for hazard_id, project_id in session.execute(select(hazard_area_blocked_projects)):
        blocked[hazard_id].append(project_id)
    by_settlement: dict[int, list[str]] = defaultdict(list)
    teams = min(b.s.teams_per_clearance, b.s.demining_teams)
    for h in session.scalars(
        select(HazardArea).where(HazardArea.status != HazardStatus.CLOSED).order_by(HazardArea.code)
    ):
        on_housing = h.blocks_settlement_id in goal_ids and h.blocked_land_use == LandUse.HOUSING
        under_works = [project_tasks[p] for p in blocked[h.id] if p in project_tasks]
        if not (on_housing or under_works) or h.remaining_area_m2 <= 0:
            continue
        months = math.ceil(h.remaining_area_m2 / (teams * b.s.clearance_m2_per_team_month))
        label = messages.CLEAR_HAZARD(code=h.code, area=round(h.remaining_area_m2))
        task = b.add(f"clear:{h.code}", months, {"deminers": teams}, TaskInfo("clearance", label, hazard_area_id=h.id))
        for works_task in under_works:
            b.precede(task, works_task)
        if on_housing:
            by_settlement[h.blocks_settlement_id or 0].append(task)
    return by_settlement


def _settlement_tasks(
    b: _Builder, session: Session, settlement: Settlement, households: int,
    project_tasks: dict[int, str], clearance_of: dict[int, list[str]],
) -> set[str]:  # fmt: skip
    """Every task the settlement waits for: its housing, its missing services, the clearance of its housing land."""
    requires: set[str] = set(clearance_of.get(settlement.id, []))
    houses = _housing(b, session, settlement, households, project_tasks)
    for task in houses:
        for clearance in clearance_of.get(settlement.id, []):
            b.precede(clearance, task)
    requires |= set(houses)
    required = b.settings.required_services.get(str(settlement.kind), [])
    for sector in required:
        serving = works_actions.projects_serving(session, settlement, sector=sector)
        if any(p.status == ProjectStatus.COMPLETED for p in serving):
            continue
        open_tasks = [project_tasks[p.id] for p in serving if p.id in project_tasks]
        if open_tasks:
            requires |= set(open_tasks)
        elif b.s.propose_missing_works and Sector(sector) in b.s.proposed:
            norm = b.s.proposed[Sector(sector)]
            label = messages.PROPOSED_WORKS(sector=str(sector), place=settlement.name)
            info = TaskInfo("proposed", label, settlement_id=settlement.id)
            demand = ({"crews": norm.crews} if norm.crews else {}) | b.budget(norm.cost_azn, norm.months)
            requires.add(b.add(f"proposed:{settlement.code}:{sector}", norm.months, demand, info))
            b.issues.append(messages.SERVICE_PROPOSED(place=settlement.code, sector=str(sector)))
        else:
            b.issues.append(messages.SERVICE_MISSING(place=settlement.code, sector=str(sector)))
    return requires


def _housing(
    b: _Builder, session: Session, settlement: Settlement, households: int, project_tasks: dict[int, str]
) -> list[str]:
    own = session.scalars(
        select(Project.id).where(Project.settlement_id == settlement.id, Project.sector == Sector.HOUSING)
    ).all()
    if own:
        return [project_tasks[p] for p in own if p in project_tasks]
    stock = session.execute(
        select(HousingStock.status, HousingStock.rooms, func.sum(HousingStock.units))
        .where(HousingStock.settlement_id == settlement.id)
        .group_by(HousingStock.status, HousingStock.rooms)
    ).all()
    ready = sum(int(u) for status, _, u in stock if status in (HousingStatus.READY, HousingStatus.ALLOCATED))
    coming: dict[int, int] = defaultdict(int)
    for status, rooms, units in stock:
        if status in (HousingStatus.PLANNED, HousingStatus.BUILDING):
            coming[rooms or 0] += int(units)  # 0: size not decided yet, built to fit the families
    tasks = []
    if coming:
        tasks.append(_houses_task(b, f"houses:{settlement.code}", "houses", settlement, dict(coming)))
    short = households - ready - sum(coming.values())
    if short > 0:
        b.issues.append(messages.HOUSES_SHORT(place=settlement.code, households=households,
                                              houses=ready + sum(coming.values()), more=short))  # fmt: skip
        tasks.append(_houses_task(b, f"proposed:{settlement.code}:houses", "proposed", settlement, {0: short}))
    return tasks


def _houses_task(b: _Builder, task_id: str, kind: str, settlement: Settlement, rooms: dict[int, int]) -> str:
    """Houses are built by crews: as many crews as finish them in about a year, at most a quarter of all crews."""
    units = sum(rooms.values())
    per_month = b.s.houses_per_crew_month
    crews = max(1, min(max(1, b.s.crews // 4), math.ceil(units / (per_month * 12))))
    months = math.ceil(units / (crews * per_month))
    label = (messages.PROPOSED_HOUSES if kind == "proposed" else messages.HOUSES)(count=units, place=settlement.name)
    info = TaskInfo(kind, label, settlement_id=settlement.id, house_units=units, house_rooms=rooms)
    return b.add(task_id, months, {"crews": crews} | b.budget(units * b.s.house_cost_azn, months), info)


def _needed(b: _Builder, goals: list[Goal]) -> list[str]:
    """The tasks some goal waits for, directly or through a predecessor; the rest cannot change the objective."""
    predecessors: dict[str, list[str]] = defaultdict(list)
    for task in b.tasks.values():
        for successor in task.successors:
            predecessors[successor].append(task.id)
    seen: set[str] = set()
    stack = [t for g in goals for t in g.requires]
    while stack:
        task_id = stack.pop()
        if task_id not in seen:
            seen.add(task_id)
            stack.extend(predecessors[task_id])
    return [t for t in b.tasks if t in seen]


def _resources(b: _Builder, session: Session) -> list[Resource]:
    s = b.s
    resources = [Resource("deminers", s.demining_teams), Resource("crews", s.crews)]
    yearly = s.budget_azn_per_year or _registry_budget(session)
    if not yearly:
        b.issues.append(messages.NO_BUDGET())
        return resources
    first_year, last_year = s.start.year, s.month(s.horizon_months - 1).year
    calendar: list[CalendarWindow] = []
    known = None
    for year in range(min(first_year, min(yearly)), last_year + 1):
        if year in yearly:
            known = yearly[year]
        elif known is not None and year >= first_year:
            b.issues.append(messages.BUDGET_CARRIED(year=str(year), amount=round(known / 1e9, 2)))
        if known is None or year < first_year:
            continue
        window = (max(0, s.period_of(_jan(year))), min(s.horizon_months, s.period_of(_jan(year + 1))))
        calendar.append(CalendarWindow(*window, math.floor(known * s.budget_share_for_plan / 12 / KAZN)))
    if not calendar:
        return resources
    resources.append(Resource("budget", calendar[-1].capacity, tuple(calendar)))
    return resources


def _jan(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def _registry_budget(session: Session) -> dict[int, float]:
    years = finance_service.budget_by_year(session)
    return {year: next(kinds[k] for k in BUDGET_PREFERENCE if k in kinds)
            for year, kinds in years.items() if any(k in kinds for k in BUDGET_PREFERENCE)}  # fmt: skip


def _cap_demands(b: _Builder, resources: list[Resource], tasks: list[_Draft]) -> None:
    """A task asking for more than ever exists is cut to what exists, and the cut is reported."""
    floor = {r.id: min([r.capacity, *(w.capacity for w in r.calendar)]) for r in resources}
    for task in tasks:
        for resource, amount in list(task.demand.items()):
            if resource in floor and amount > floor[resource]:
                b.issues.append(messages.DEMAND_CAPPED(task=task.id, amount=amount, resource=resource,
                                                       available=floor[resource]))  # fmt: skip
                task.demand[resource] = floor[resource]
