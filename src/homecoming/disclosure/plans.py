"""A plan run's public counts, protected: households and people per settlement, people home per year and running,
the people it cannot place, and (the risk page) people whose settlement is ready by the end of each year.

All of them pass one `rule.withhold`, because a reader can take sums across them: everyone in the plan is the sum
of its settlements, and the last running total plus the unplaced; a running total is the one before plus the year;
a year is the sum of the settlements whose ready date falls in it (the plan publishes ready dates), and of those
whose families all move in it. The risk page's bands are sums of an unknown subset of the settlements the schedule
works for: rounded while one of those is withheld. A settlement the registry's figures withhold (usually the same
households) is withheld here too, so the plan never shows a cell the overview hides.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.db import freshness
from homecoming.disclosure.figures import Count, waiting
from homecoming.disclosure.rule import Group, withhold
from homecoming.households.models import Household
from homecoming.planning.models import PlanAllocation, PlanRun, PlanSettlement
from homecoming.territory.models import Settlement

Key = tuple[str, int]
PLAN: Key = ("plan", 0)
UNPLACED: Key = ("unplaced", 0)


@dataclass(frozen=True)
class PlanFigures:
    by_settlement: dict[int, Count]
    years: list[tuple[int, int | None, int | None]]  # year, people home that year, running total (None: withheld)
    unplaced: Count
    ready_by: dict[int, bool]  # a year in which settlements become ready -> may its "ready by the end" be shown
    goal_withheld: bool  # a settlement the schedule works for is withheld: the risk bands (sums of an unknown
    # subset of those settlements) are rounded (rule.rounded)

    def ready_by_end_of_shown(self, year: int) -> bool:
        """People whose settlement is ready by the end of `year`: the figure of the last year before it that adds
        any (none before: zero, shown)."""
        earlier = [y for y in self.ready_by if y <= year]
        return not earlier or self.ready_by[max(earlier)]


@dataclass
class _Table:
    sizes: dict[Key, int]
    people: dict[Key, int]
    groups: list[Group[Key]]

    def add(self, key: Key, households: int, people: int) -> None:
        self.sizes[key], self.people[key] = households, people

    def chain(self, name: str, steps: dict[int, tuple[int, int]], parts: dict[int, list[Key]]) -> Key | None:
        """Running totals `name` over `steps` (year -> households, people); `parts`: the settlements a year is the
        sum of, when the reader can tell. Returns the last running total."""
        before: Key | None = None
        households = people = 0
        for year in sorted(steps):
            step, running = (f"{name}-step", year), (name, year)
            self.add(step, *steps[year])
            households, people = households + steps[year][0], people + steps[year][1]
            self.add(running, households, people)
            self.groups.append(Group(running, (before, step) if before else (step,), total_first=True))
            if parts.get(year):
                self.groups.append(Group(step, tuple(parts[year])))
            before = running
        return before


def plan_figures(session: Session, run: PlanRun, threshold: int) -> PlanFigures:
    """Once per committed change and run (db.freshness): the plan page, its API answers and the risk page share it."""
    return freshness.cached(session, ("disclosure.plan", run.id, threshold), lambda: _plan(session, run, threshold))


def _plan(session: Session, run: PlanRun, threshold: int) -> PlanFigures:
    rows = session.execute(
        select(PlanSettlement.settlement_id, PlanSettlement.households, PlanSettlement.people,
               PlanSettlement.ready_date)
        .where(PlanSettlement.plan_run_id == run.id)
    ).all()  # fmt: skip
    table = _Table({}, {}, [])
    goals = _goal_settlements(session, run)
    ready: dict[int, list[int]] = defaultdict(list)  # the schedule's settlements by ready year (the risk page's)
    for sid, households, people, day in rows:
        table.add(("s", sid), int(households), int(people))
        if sid in goals:
            ready[day.year].append(sid)
    moves, unplaced, whole = _moves(session, run)
    table.add(PLAN, sum(int(h) for _, h, _, _ in rows), sum(int(p) for _, _, p, _ in rows))
    table.add(UNPLACED, *unplaced)
    settlements = tuple(("s", sid) for sid, _, _, _ in rows)
    table.groups.append(Group(PLAN, settlements))
    home = table.chain("home", {y: _total(per) for y, per in moves.items()}, {
        y: [("s", sid) for sid in per] for y, per in moves.items() if all(sid in whole for sid in per)
    })  # fmt: skip
    table.groups.append(Group(PLAN, (home, UNPLACED) if home else (UNPLACED,)))
    steps = {
        y: (sum(table.sizes["s", s] for s in ids), sum(table.people["s", s] for s in ids)) for y, ids in ready.items()
    }
    table.chain("ready", steps, {y: [("s", s) for s in ids] for y, ids in ready.items()})
    also = [("s", sid) for sid in waiting(session, threshold).withheld_settlements if ("s", sid) in table.sizes]
    hidden = withhold(table.sizes, table.groups, threshold, also)

    def cell(key: Key) -> Count:
        return Count.of(table.sizes[key], table.people[key], key in hidden, threshold)

    years = []
    for year in sorted(moves):
        step, running = cell(("home-step", year)), cell(("home", year))
        years.append((year, step.people, running.people))
    return PlanFigures(
        by_settlement={sid: cell(("s", sid)) for sid, _, _, _ in rows},
        years=years,
        unplaced=cell(UNPLACED),
        ready_by={year: ("ready", year) not in hidden for year in ready},
        goal_withheld=any(("s", sid) in hidden for sid in goals),
    )


def _goal_settlements(session: Session, run: PlanRun) -> set[int]:
    """The settlements the schedule works for (goals `settlement:CODE`): those the risk page's figures sum."""
    codes = {str(goal["id"]).removeprefix("settlement:") for goal in run.schedule_problem.get("goals", [])}
    return set(session.scalars(select(Settlement.id).where(Settlement.code.in_(codes))))


def _total(per_settlement: dict[int, tuple[int, int]]) -> tuple[int, int]:
    return sum(h for h, _ in per_settlement.values()), sum(p for _, p in per_settlement.values())


def _moves(session: Session, run: PlanRun) -> tuple[dict[int, dict[int, tuple[int, int]]], tuple[int, int], set[int]]:
    """Year -> settlement -> (households, people) the plan moves; those it cannot place; the settlements whose
    families all move in one year (a year's figure is then a sum of whole settlements)."""
    rows = session.execute(
        select(PlanAllocation.move_date, Household.origin_settlement_id, func.count(Household.id),
               func.coalesce(func.sum(Household.size), 0))
        .join(Household, Household.id == PlanAllocation.household_id)
        .where(PlanAllocation.plan_run_id == run.id)
        .group_by(PlanAllocation.move_date, Household.origin_settlement_id)
    )  # fmt: skip
    years: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    unplaced = [0, 0]
    spread: dict[int, set[int | None]] = defaultdict(set)
    for day, sid, households, people in rows:
        year = None if day is None else day.year
        spread[sid].add(year)
        target = unplaced if year is None else years[year][sid]
        target[0] += int(households)
        target[1] += int(people)
    whole = {sid for sid, seen in spread.items() if len(seen) == 1 and None not in seen}
    out = {y: {sid: (h, p) for sid, (h, p) in per.items()} for y, per in sorted(years.items())}
    return out, (unplaced[0], unplaced[1]), whole
