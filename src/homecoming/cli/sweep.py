"""`homecoming sweep`: many plan variants re-solved side by side (budget x demining teams x crews, or a list)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from homecoming.cli.database import current_database
from homecoming.cli.output import console, user_errors
from homecoming.cli.plan import load_scenario
from homecoming.cli.risk import cluster, progress_bar
from homecoming.db import unit_of_work
from homecoming.errors import RuleViolation
from homecoming.interchange.files import write_rows
from homecoming.risk import sweep as sweeps


def _numbers(text: str | None, kind: type[float] | type[int], option: str) -> list[float] | list[int]:
    if not text:
        return []
    try:
        return [kind(float(x)) for x in text.split(",") if x.strip()]
    except ValueError:
        raise RuleViolation("sweep.bad_list", f"{option} {text!r}: give numbers separated by commas") from None


def sweep(
    budget_factor: str = typer.Option(None, help="Budget factors, e.g. 0.8,1,1.2 (each year's budget times each)."),
    teams: str = typer.Option(None, help="Demining teams, e.g. 40,50,60."),
    crews: str = typer.Option(None, help="Construction crews, e.g. 150,200."),
    variants: Path = typer.Option(None, help='A JSON list of variants instead: [{"name": ..., scenario fields}].'),
    scenario_file: Path = typer.Option(None, "--scenario", help="The base scenario JSON (default: the defaults)."),
    seconds: float = typer.Option(10.0, help="Time limit of each variant's solve, in seconds."),
    target: int = typer.Option(None, help="People home that meet the first phase (default: the programme target)."),
    scheduler: str = typer.Option(None, help="A Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)."),
    workers: int = typer.Option(0, help="Local Dask workers (0: one per core; 1: in this process, no Dask)."),
    out: Path = typer.Option(Path("sweep"), help="Folder for sweep.csv, sweep.json and sweep.png."),
) -> None:
    """Re-solve the plan for every variant; compare people-months displaced, people home by year, target year."""
    with user_errors():
        base = load_scenario(scenario_file)
        engine = current_database()
        with unit_of_work(engine) as session:
            if variants is not None:
                try:
                    items = json.loads(variants.read_text(encoding="utf-8"))
                except (OSError, json.JSONDecodeError) as exc:
                    raise RuleViolation("sweep.bad_variants_file", f"{variants}: {exc}") from None
                chosen = sweeps.listed(items)
            else:
                yearly = base.budget_azn_per_year or sweeps.registry_budget(session)
                factors = [float(x) for x in _numbers(budget_factor, float, "--budget-factor")]
                team_counts = [int(x) for x in _numbers(teams, int, "--teams")]
                crew_counts = [int(x) for x in _numbers(crews, int, "--crews")]
                chosen = sweeps.grid(base, factors, team_counts, crew_counts, yearly)
            with cluster(scheduler, workers, len(chosen)) as client, progress_bar() as bar:
                task = bar.add_task(f"{len(chosen)} variants at {seconds:g} s each", total=len(chosen))
                outcomes, goal = sweeps.run_sweep(
                    session, base, chosen, seconds=seconds, client=client, target=target,
                    done=lambda: bar.advance(task), say=lambda text: bar.update(task, description=text),
                )  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    rows = sweeps.rows(outcomes)
    write_rows(out / "sweep.csv", list(rows[0]), ([row.get(column) for column in rows[0]] for row in rows))
    (out / "sweep.json").write_text(json.dumps({"target_people": goal, "variants": rows}, indent=1) + "\n")
    sweeps.chart(outcomes, out / "sweep.png", f"{len(outcomes)} variants, {seconds:g} s each")
    show(outcomes, goal)
    console.print(f"written: {out / 'sweep.csv'}, {out / 'sweep.json'}, {out / 'sweep.png'}")


def show(outcomes: list[sweeps.Outcome], goal: int) -> None:
    years = sorted({y for o in outcomes for y in o.home_by_year})[:8]
    table = Table("variant", "people-months", f"{goal:,} home in", *(f"by {y}" for y in years),
                  title="Plan variants (people home: settlement ready)", title_justify="left")  # fmt: skip
    for o in sorted(outcomes, key=lambda o: (o.people_months is None, o.people_months or 0)):
        months = f"{o.people_months:,}" if o.people_months is not None else o.status
        table.add_row(o.variant.name, months, str(o.target_year or "not met"),
                      *(f"{o.home_by_year.get(y, 0):,}" for y in years))  # fmt: skip
    console.print(table)
