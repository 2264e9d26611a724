"""`homecoming risk PLAN_RUN`: how sure is a plan? Monte Carlo scenarios re-timed by the plan's own priorities."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.db import unit_of_work
from homecoming.errors import RuleViolation
from homecoming.planning import report
from homecoming.planning.models import PlanRun
from homecoming.risk import actions, service
from homecoming.risk.models import PlanRisk
from homecoming.risk.uncertainty import load_overrides


def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01")
    except ValueError:
        raise RuleViolation("risk.bad_date", f"--by {text!r}: give a date as YYYY-MM-DD or YYYY-MM") from None


cluster = service.dask_cluster  # the sweep command shares it


def progress_bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=console)  # fmt: skip


def risk(
    code: str = typer.Argument(None, help="A plan run code; the latest when left out."),
    scenarios: int = typer.Option(10_000, help="How many scenarios to sample."),
    seed: int = typer.Option(1, help="Same seed, same numbers, whatever the number of workers."),
    by: str = typer.Option(None, help="A date (YYYY-MM-DD or YYYY-MM): the chance each settlement is ready by it."),
    scheduler: str = typer.Option(None, help="A Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)."),
    workers: int = typer.Option(0, help="Local Dask workers (0: one per core; 1: in this process, no Dask)."),
    chunk: int = typer.Option(1000, help="Scenarios per piece of work sent to a worker."),
    uncertainty: Path = typer.Option(None, help="A JSON file overriding the default three-points (docs/risk.md)."),
    out: Path = typer.Option(None, help="Also write the result: .json, or .csv (three files named after it)."),
) -> None:
    """Sample task durations, re-time the plan under each scenario, store the bands with the plan run."""
    with user_errors():
        by_date, overrides = parse_date(by), load_overrides(uncertainty)
        engine = current_database()
        units = -(-scenarios // max(1, chunk))
        with unit_of_work(engine) as session, cluster(scheduler, workers, units) as client, progress_bar() as bar:
            plan = report.latest_run(session, code)
            task = bar.add_task(f"risk of {plan.code}", total=scenarios)
            result = actions.run_risk(session, cli_actor(session), plan, scenarios=scenarios, seed=seed, by=by_date,
                                      chunk=chunk, client=client, progress=lambda n: bar.advance(task, n),
                                      overrides=overrides)  # fmt: skip
        show(plan, result)
        if out is not None:
            written = service.export(plan, result, out)
            console.print(f"written: {', '.join(str(p) for p in written)}")


def risk_export(
    code: str = typer.Argument(None, help="A plan run code; the latest when left out."),
    out: Path = typer.Option(..., "--out", help=".json, or .csv (three files named after it)."),
) -> None:
    """Write the latest risk run of a plan run as JSON or CSV."""
    with user_errors():
        engine = current_database()
        with unit_of_work(engine) as session:
            plan = report.latest_run(session, code)
            written = service.export(plan, service.latest_risk(session, plan), out)
    console.print(f"written: {', '.join(str(p) for p in written)}")


def show(plan: PlanRun, result: PlanRisk, rows: int = 15) -> None:
    pm = result.people_months
    console.rule(f"[bold]Risk of plan {plan.code}[/bold] — {result.scenarios:,} scenarios, seed {result.seed}")
    console.print(f"People-months displaced: plan {pm['plan']:,}; P10 {pm['p10']:,}, P50 {pm['p50']:,}, "
                  f"P90 {pm['p90']:,} ({result.seconds:,.1f} s)")  # fmt: skip
    by = f"ready by {result.by_date:%Y-%m}" if result.by_date else None
    table = Table("settlement", "people", "plan", "P10", "P50", "P80", "P90", "on time", *([by] if by else []),
                  title="Ready from (latest P90 first)", title_justify="left")  # fmt: skip
    latest = sorted(result.settlements, key=lambda r: (r["p90"], r["code"]), reverse=True)[:rows]
    for r in latest:
        extra = [f"{r['by']:.0%}"] if by else []
        table.add_row(f"{r['name']} ({r['code']})", f"{r['people']:,}", *(r[k][:7] for k in ("plan", "p10", "p50",
                      "p80", "p90")), f"{r['on_time']:.0%}", *extra)  # fmt: skip
    console.print(table)
    years = Table("end of", "plan", "P10", "P50", "P90", title="People whose settlement is ready", title_justify="left")
    for y in result.years:
        years.add_row(str(y["year"]), f"{y['plan']:,}", f"{y['p10']:,}", f"{y['p50']:,}", f"{y['p90']:,}")
    console.print(years)
    works = Table("criticality", "work", title="Works to watch", title_justify="left")
    for t in result.tasks[:rows]:
        works.add_row(f"{t['criticality']:.0%}", t["label"] or t["task"])
    console.print(works)
    if result.overrun:
        console.print(f"[yellow]{result.overrun:,} task placements ran past twice the plan's horizon[/yellow]")
