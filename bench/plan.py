"""The whole planning pipeline on a synthetic territory: time per stage and peak memory.

    .venv/bin/python bench/plan.py [--scales demo national] [--seconds 60]

Scales: `demo` = 100 settlements, 34,500 households / 140,000 people (the first phase); `national` = 300
settlements, 369,643 households / 1.5 million people. Each run builds a fresh SQLite database in a child process
(so peak memory is the run's own): a seeded synthetic territory (districts with substations, water mains and
roads; every settlement with its houses to build, a school and a clinic to rebuild, hazard areas on its housing
land), the synthetic registry, and a yearly budget; then times building the sequencing problem, solving it,
building and solving the allocation, and storing the plan run. Both plans then go through their independent
checkers (sequencing.check, allocation.check): a plan with a violation, or a bound above its recomputed objective,
shows INVALID and no gap, and its first violations are listed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import random
import resource
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from homecoming.db import make_engine, unit_of_work
from homecoming.db.migrate import upgrade
from homecoming.finance.models import BudgetAllocation, BudgetFigureKind, FundingSource
from homecoming.households import synthetic
from homecoming.households.models import Household
from homecoming.mine_action.models import HazardArea, HazardClassification, HazardStatus
from homecoming.optimisation.allocation import model as allocation_model
from homecoming.optimisation.sequencing import model as sequencing_model
from homecoming.planning import engines
from homecoming.planning.allocation import build_allocation
from homecoming.planning.build import build_problem
from homecoming.planning.run import _store_allocation, _store_run, _store_schedule
from homecoming.planning.scenario import Scenario
from homecoming.territory.models import District, Region, Settlement, SettlementKind
from homecoming.works.models import HousingStatus, HousingStock, Project, ProjectStatus, Sector

SCALES = {"demo": (100, 34_500, 140_000), "national": (300, 369_643, 1_500_000)}
CREWS = {"demo": 400, "national": 1_500}  # enough to build every household a house within the 10-year horizon
DISTRICT_SECTORS = (Sector.POWER, Sector.WATER, Sector.ROAD)


def territory(session, settlements: int, families: int, people: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    session.add(Region(id=1, code="r", name="Region"))
    session.flush()
    districts = max(1, settlements // 20)
    for d in range(districts):
        session.add(District(id=d + 1, code=f"d{d}", name=f"District {d}", region_id=1))
    session.flush()
    for d in range(districts):
        for sector in DISTRICT_SECTORS:
            session.add(
                Project(
                    code=f"d{d}-{sector}",
                    name=f"{sector} d{d}",
                    sector=sector,
                    stage=1,
                    district_id=d + 1,
                    status=ProjectStatus.PLANNED,
                    progress_pct=0,
                    budget_amount=rng.uniform(20e6, 80e6),
                    planned_start=dt.date(2026, 1, 1),
                    planned_end=dt.date(2026, 1 + rng.randint(6, 11), 1),
                )
            )
    weights = [rng.paretovariate(1.2) for _ in range(settlements)]
    origins = []
    for s in range(settlements):
        session.add(
            Settlement(
                id=s + 1,
                code=f"s{s:03d}",
                name=f"Settlement {s}",
                district_id=s % districts + 1,
                kind=SettlementKind.VILLAGE,
            )
        )
        origins.append((f"s{s:03d}", weights[s]))
    session.flush()
    shares = synthetic.split_exactly(families, weights)
    for s in range(settlements):
        for sector in (Sector.SCHOOL, Sector.HEALTH):
            session.add(
                Project(
                    code=f"s{s}-{sector}",
                    name=f"{sector} s{s}",
                    sector=sector,
                    stage=2,
                    settlement_id=s + 1,
                    status=ProjectStatus.PLANNED,
                    progress_pct=0,
                    budget_amount=rng.uniform(2e6, 6e6),
                )
            )
        session.add(
            HousingStock(
                code=f"s{s}-planned", settlement_id=s + 1, rooms=None, status=HousingStatus.PLANNED, units=shares[s]
            )
        )
        for h in range(rng.randint(0, 2)):
            area = rng.uniform(50_000, 1_500_000)
            session.add(
                HazardArea(
                    code=f"s{s}-h{h}",
                    classification=HazardClassification.SHA,
                    status=HazardStatus.OPEN,
                    estimated_area_m2=area,
                    remaining_area_m2=area,
                    blocks_settlement_id=s + 1,
                )
            )
    for year in range(2026, 2037):
        session.add(
            BudgetAllocation(
                code=f"b{year}",
                year=year,
                source_kind=FundingSource.STATE_BUDGET,
                figure_kind=BudgetFigureKind.ALLOCATED,
                amount=4e9,
                currency="AZN",
                rate_to_azn=1,
            )
        )
    session.flush()
    codes = {f"s{s:03d}": s + 1 for s in range(settlements)}
    rows = []
    for row in synthetic.generate_registry(origins, families, people, seed):
        row["origin_settlement_id"] = codes[row.pop("origin_settlement_code")]
        rows.append(row)
        if len(rows) == 50_000:
            session.execute(insert(Household), rows)
            rows = []
    if rows:
        session.execute(insert(Household), rows)


def checks(
    sequencing_problem: sequencing_model.Problem,
    schedule: sequencing_model.Result,
    allocation_problem: allocation_model.Problem,
    allocation_result: allocation_model.Result,
) -> dict[str, list[str]]:
    """Both plans through their independent checkers (every rule, objective recomputed, bound not above it): a gap
    is printed only for a plan with no violation."""
    from homecoming.optimisation.allocation.check import check as check_allocation
    from homecoming.optimisation.sequencing.check import check_solution

    found = check_solution(
        sequencing_problem, schedule.starts, schedule.goals, schedule.objective, schedule.lower_bound
    )
    report = check_allocation(allocation_problem, allocation_result)
    return {"schedule": [v.message for v in found], "allocation": list(report.violations)}


def run(scale: str, seconds: float, folder: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    settlements, families, people = SCALES[scale]
    engine = make_engine(f"sqlite:///{Path(folder) / 'plan.db'}")
    upgrade(engine)
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = round(now - clock, 2)
        clock = now

    with unit_of_work(engine) as session:
        territory(session, settlements, families, people, seed=7)
    lap("load_s")
    scenario = Scenario(
        name=scale,
        crews=CREWS[scale],
        demining_teams=60,
        convoy_households=250,
        sequencing_seconds=seconds,
        allocation_seconds=seconds,
    )
    with unit_of_work(engine) as session:
        built = build_problem(session, scenario)
        lap("build_schedule_s")
        schedule = engines.solve_sequencing(built.sequencing, seconds=seconds)
        lap("solve_schedule_s")
        ends = {t.id: schedule.starts[t.id] + t.duration for t in built.sequencing.tasks}
        ready = {sid: schedule.goals[g] for g, sid in built.goal_settlements.items()}
        problem, issues, left_out = build_allocation(session, scenario, built, ready, ends)
        lap("build_allocation_s")
        allocation = engines.solve_allocation(problem, seconds=seconds)
        lap("solve_allocation_s")
        plan = _store_run(session, scenario, None, built, schedule, (problem, allocation), issues, time.perf_counter())
        _store_schedule(session, plan, scenario, built, schedule, ready)
        _store_allocation(session, plan, scenario, allocation, left_out)
    lap("store_s")
    checked = checks(built.sequencing, schedule, problem, allocation)
    lap("check_s")
    gap = ((schedule.objective or 0) - schedule.lower_bound) / max(1, schedule.objective or 0)
    alloc_gap = (allocation.objective - allocation.lower_bound) / max(1, allocation.objective)
    queue.put(
        {
            "scale": scale,
            "settlements": settlements,
            "households": families,
            "tasks": len(built.sequencing.tasks),
            **times,
            "schedule": schedule.status if not checked["schedule"] else "INVALID",
            "schedule_gap": round(gap, 4) if not checked["schedule"] else None,
            "allocation": allocation.status if not checked["allocation"] else "INVALID",
            "allocation_gap": round(alloc_gap, 5) if not checked["allocation"] else None,
            "violations": {k: v[:5] for k, v in checked.items() if v},
            "unplaced": len(allocation.unplaced),
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", default=["demo", "national"], choices=sorted(SCALES))
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit of each engine")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as folder:
            queue = context.Queue()
            process = context.Process(target=run, args=(scale, args.seconds, folder, queue))
            process.start()
            process.join()
            print(
                json.dumps(queue.get() if not queue.empty() else {"scale": scale, "failed": process.exitcode}),
                flush=True,
            )


if __name__ == "__main__":
    main()
