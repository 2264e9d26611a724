"""Risk runs of stored plans: the plan as solved -> uncertainty per task -> scenarios -> bands stored with the run."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.config import get_settings
from homecoming.errors import NotFound, RuleViolation
from homecoming.interchange.files import write_rows
from homecoming.mine_action.models import HazardArea
from homecoming.optimisation.risk import RiskInput, compile_input, simulate, summarise
from homecoming.optimisation.risk.summary import PERCENTILES, Summary
from homecoming.optimisation.sequencing.io import problem_from_dict
from homecoming.planning import messages as plan_messages
from homecoming.planning.models import PlanRun, PlanSettlement, PlanTask
from homecoming.planning.scenario import Scenario
from homecoming.risk.models import PlanRisk
from homecoming.risk.uncertainty import Overrides, Point, describe, point_for
from homecoming.territory.models import Settlement
from homecoming.works.models import Project

Progress = Callable[[int], None]


@contextmanager
def dask_cluster(scheduler: str | None, workers: int, units: int) -> Iterator[Any]:
    """Dask when it pays: an existing scheduler if named (option or HOMECOMING_DASK_SCHEDULER), else a local
    cluster of `workers` processes (0: one per core) when there is more than one piece of work; else no client."""
    from homecoming.optimisation.risk import dask_client

    address = scheduler or get_settings().dask_scheduler
    if address or (units > 1 and workers != 1):
        with dask_client(address, workers or None) as client:
            yield client
    else:
        yield None


def risk_input(session: Session, run: PlanRun, overrides: Overrides) -> tuple[RiskInput, dict[str, Point]]:
    """The plan as solved, its starts, and the uncertainty of each task (the most specific rule that applies)."""
    scenario = Scenario.model_validate(run.assumptions)
    rows = session.execute(
        select(PlanTask.task, PlanTask.kind, PlanTask.start_period, Project.sector, HazardArea.remaining_area_m2)
        .outerjoin(Project, Project.id == PlanTask.project_id)
        .outerjoin(HazardArea, HazardArea.id == PlanTask.hazard_area_id)
        .where(PlanTask.plan_run_id == run.id)
    ).all()
    if not rows:
        raise RuleViolation("risk.empty_plan", f"plan run {run.code} has no scheduled tasks: nothing can slip")
    teams = min(scenario.teams_per_clearance, scenario.demining_teams)
    starts, points, work, used = {}, {}, {}, {}
    for task, kind, start, sector, area_m2 in rows:
        starts[task] = int(start)
        key, point = point_for(kind, str(sector) if sector else _sector_of(task), task, overrides)
        points[task], used[key] = point.three_point(), point
        if kind == "clearance" and area_m2:
            work[task] = float(area_m2) / (teams * scenario.clearance_m2_per_team_month)
    return RiskInput(problem_from_dict(run.schedule_problem), starts, points, work), used


def _sector_of(task: str) -> str | None:
    """A proposed work's task id ends with its sector (proposed:CODE:school)."""
    parts = task.split(":")
    return parts[2] if len(parts) == 3 and parts[0] == "proposed" else None


def run_risk(
    session: Session, run: PlanRun, *, scenarios: int, seed: int, by: dt.date | None = None, chunk: int = 1000,
    client: Any = None, progress: Progress | None = None, overrides: Overrides | None = None,
) -> PlanRisk:  # fmt: skip
    began = time.perf_counter()
    scenario = Scenario.model_validate(run.assumptions)
    inp, used = risk_input(session, run, overrides or Overrides())
    compiled = compile_input(inp)
    outcome = simulate(compiled, scenarios, seed, chunk=chunk, client=client, progress=progress)
    last_year = scenario.month(compiled.horizon).year
    years = list(range(scenario.start.year, last_year + 1))
    checkpoints = [scenario.period_of(dt.date(y, 12, 1)) for y in years]
    by_period = None if by is None else scenario.period_of(by)
    summary = summarise(compiled, outcome, by=by_period, checkpoints=checkpoints)
    risk = PlanRisk(
        plan_run_id=run.id, created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        scenarios=scenarios, seed=seed, chunk_size=chunk, by_date=by, seconds=round(time.perf_counter() - began, 2),
        uncertainty=describe(used), overrun=summary.overrun,
        people_months={"plan": summary.plan_people_months, "p10": summary.people_months[0],
                       "p50": summary.people_months[1], "p90": summary.people_months[2]},
        settlements=_settlements(session, run, scenario, summary),
        years=_years(summary, years, compiled.plan_ready.tolist(), compiled.weights.tolist()),
        tasks=_tasks(session, run, summary),
    )  # fmt: skip
    session.add(risk)
    session.flush()
    return risk


def _settlements(session: Session, run: PlanRun, scenario: Scenario, summary: Summary) -> list[dict[str, Any]]:
    names = {
        f"settlement:{code}": (code, name)
        for code, name in session.execute(
            select(Settlement.code, Settlement.name)
            .join(PlanSettlement, PlanSettlement.settlement_id == Settlement.id)
            .where(PlanSettlement.plan_run_id == run.id)
        )
    }
    out = []
    for band in summary.goals:
        code, name = names.get(band.goal, (band.goal, band.goal))
        row: dict[str, Any] = {"code": code, "name": name, "people": band.weight,
                               "plan": scenario.month(band.plan).isoformat()}  # fmt: skip
        for q, period in zip(PERCENTILES, band.percentiles, strict=True):
            row[f"p{q}"] = scenario.month(period).isoformat()
        row |= {"on_time": band.on_time, "by": band.by, "mean_slip_months": round(band.mean - band.plan, 2)}
        out.append(row)
    return sorted(out, key=lambda r: (r["p50"], r["code"]))


def _years(summary: Summary, years: list[int], plan_ready: list[int], weights: list[int]) -> list[dict[str, Any]]:
    out = []
    for year, band in zip(years, summary.people_home, strict=True):
        plan = sum(w for r, w in zip(plan_ready, weights, strict=True) if r <= band.checkpoint)
        out.append({"year": year, "plan": plan, "p10": band.p10, "p50": band.p50, "p90": band.p90})
    total = sum(weights)
    while len(out) > 1 and out[-2]["p10"] == total:  # years after everyone is home in every band say nothing
        out.pop()
    return out


def _tasks(session: Session, run: PlanRun, summary: Summary, top: int = 50) -> list[dict[str, Any]]:
    labels = {
        task: (kind, str(plan_messages.label(label)))
        for task, kind, label in session.execute(
            select(PlanTask.task, PlanTask.kind, PlanTask.label).where(PlanTask.plan_run_id == run.id)
        )
    }
    return [
        {"task": t.task, "kind": labels.get(t.task, ("", ""))[0], "label": labels.get(t.task, ("", t.task))[1],
         "criticality": t.index}
        for t in summary.tasks[:top]
    ]  # fmt: skip


def latest_risk(session: Session, run: PlanRun) -> PlanRisk:
    risk = session.scalars(
        select(PlanRisk).where(PlanRisk.plan_run_id == run.id).order_by(PlanRisk.created_at.desc(), PlanRisk.id.desc())
    ).first()
    if risk is None:
        raise NotFound("risk.none", f"plan run {run.code} has no risk run yet: run `homecoming risk {run.code}`")
    return risk


def as_document(run: PlanRun, risk: PlanRisk) -> dict[str, Any]:
    return {
        "format": "homecoming-risk/1", "plan_run": run.code, "created_at": risk.created_at.isoformat(),
        "scenarios": risk.scenarios, "seed": risk.seed, "chunk_size": risk.chunk_size,
        "by_date": risk.by_date.isoformat() if risk.by_date else None, "uncertainty": risk.uncertainty,
        "people_months": risk.people_months, "settlements": risk.settlements, "years": risk.years,
        "tasks": risk.tasks, "overrun": risk.overrun,
    }  # fmt: skip


def export(run: PlanRun, risk: PlanRisk, path: Path) -> list[Path]:
    """`.json`: the whole result in one file; otherwise three CSV files next to `path` (settlements, years, tasks)."""
    if path.suffix == ".json":
        path.write_text(json.dumps(as_document(run, risk), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return [path]
    written = []
    for name, rows in (("settlements", risk.settlements), ("years", risk.years), ("tasks", risk.tasks)):
        target = path.with_name(f"{path.stem}-{name}.csv")
        header = list(rows[0]) if rows else ["none"]
        write_rows(target, header, ([row.get(column) for column in header] for row in rows))
        written.append(target)
    return written
