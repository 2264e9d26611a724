"""Loading the demo: the curated reference tables through the ordinary importer, then a synthetic registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select, union
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.db.migrate import downgrade_to_empty, upgrade
from homecoming.demo import guard, illustrative
from homecoming.errors import Conflict
from homecoming.households import synthetic
from homecoming.interchange.importer import ImportReport, import_file, import_rows, spec_for
from homecoming.interchange.spec import IMPORT_ORDER
from homecoming.planning import actions as planning
from homecoming.planning.models import PlanRun
from homecoming.planning.run import Step
from homecoming.planning.scenario import Scenario
from homecoming.returns.models import Convoy, ReturnEvent
from homecoming.territory.models import Settlement
from homecoming.works.models import HousingStock

DATA = Path(__file__).parent / "data"
SEED = 20221116  # the day the Great Return programme was approved


@dataclass(frozen=True)
class Scale:
    """How big a synthetic registry to generate, and where its aggregates come from."""

    name: str
    families: int
    people: int
    basis: str


PHASE_1 = Scale("phase-1", 34_500, 140_000, "first-phase targets of the Great Return programme (programme_targets)")
# 1.5 million people expected to return in the long run (programme_facts.csv), in households of the first
# phase's mean size (140,000 / 34,500 people per family).
NATIONAL = Scale("national", round(1_500_000 * 34_500 / 140_000), 1_500_000, "long-run return estimate of 1.5 million")
SCALES = {scale.name: scale for scale in (PHASE_1, NATIONAL)}


def reference_tables() -> list[str]:
    return [name for name in IMPORT_ORDER if (DATA / f"{name}.csv").exists()]


def reset_database(engine: Engine, *, force: bool) -> None:
    """Empty the database and bring it to the newest schema; refuses to erase any record the demo did not make."""
    upgrade(engine)
    if not force:
        with Session(engine) as session:
            foreign = guard.foreign_records(session, DATA)
        if foreign:
            listed = ", ".join(f"{name} ({count:,})" for name, count in foreign.items())
            raise Conflict(
                "demo.database_not_empty",
                f"{engine.url.render_as_string()} holds records the demo did not make: {listed}; the demo would "
                "erase them. Point HOMECOMING_DATABASE_URL at another database, or pass --force to erase it.",
                {"tables": foreign},
            )
    downgrade_to_empty(engine)
    upgrade(engine)


def load_reference(session: Session, on_table: Callable[[str], None] | None = None) -> list[ImportReport]:
    reports = []
    for name in reference_tables():
        if on_table is not None:
            on_table(name)
        reports.append(import_file(session, name, DATA / f"{name}.csv"))
    return reports


def return_origins(session: Session) -> list[tuple[str, float]]:
    """Settlements displaced households come from, weighted by their pre-displacement population.

    Only places the registry shows people coming back to (a return event, a convoy, or homes built for returnees)
    are origins: the reference facts say nothing else of who was displaced from where, and a town that was never
    emptied (Tartar, Horadiz) has none of these. A place without a population figure weighs as much as the median
    one that has a figure.
    """
    returning = union(
        select(ReturnEvent.settlement_id), select(Convoy.settlement_id), select(HousingStock.settlement_id)
    ).subquery()
    rows = session.execute(
        select(Settlement.code, Settlement.population_before)
        .where(Settlement.id.in_(select(returning.c[0])))
        .order_by(Settlement.code)
    ).all()
    known = sorted(p for _, p in rows if p)
    median = float(known[len(known) // 2]) if known else 1.0
    return [(code, float(population) if population else median) for code, population in rows]


def load_households(
    session: Session, scale: Scale, seed: int = SEED, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Generate the synthetic registry and load it through the same importer a registry office's file uses."""
    spec = spec_for("households")
    header = spec.file_columns
    rows = (
        (number, [row[column] for column in header])
        for number, row in enumerate(
            synthetic.generate_registry(return_origins(session), scale.families, scale.people, seed), start=2
        )
    )
    return import_rows(session, spec, header, rows, source=f"synthetic registry ({scale.name})", progress=progress)


def make_plan(session: Session, scenario: Scenario, step: Step | None = None) -> PlanRun:
    """The demo's plan, made by its planner's account through the use-case the command line calls (in the trail)."""
    return planning.make_plan(session, illustrative.actor(session, Role.PLANNER), scenario, code=scenario.name,
                              step=step)  # fmt: skip


def make_plan_official(session: Session, run: PlanRun, now: dt.datetime) -> None:
    """The demo's baseline plan proposed by its planner and approved by its administrator (who neither made nor
    proposed it), through the use-cases the plan's page calls, so its public pages show a forecast as a programme's
    would and the trail says who approved it."""
    planner, admin = illustrative.actor(session, Role.PLANNER), illustrative.actor(session, Role.ADMIN)
    approval = planning.propose_plan_run(session, planner, run.code, now=now, comment=illustrative.LABEL_PLAN)
    planning.approve_plan_run(session, admin, run.code, version=approval.version, now=now,
                              comment=illustrative.LABEL_PLAN)  # fmt: skip
