"""`homecoming demo`: a fresh database with the Karabakh demo data, then a readable summary."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine

from homecoming.cli.output import console, user_errors
from homecoming.cli.plan import show_run
from homecoming.config import get_settings
from homecoming.db import get_engine, unit_of_work
from homecoming.demo import illustrative, loader
from homecoming.demo.summary import DemoSummary, summarise
from homecoming.planning import read_models as plan_read_models
from homecoming.planning.scenario import Scenario


def demo(
    scale: str = typer.Option(
        "phase-1", help="Synthetic registry size: phase-1 (34,500 families) or national (1.5 million people)."
    ),
    seed: int = typer.Option(loader.SEED, help="Seed of the synthetic household registry."),
    force: bool = typer.Option(False, help="Erase a database that holds data other than the demo's."),
    plan_seconds: float = typer.Option(10.0, help="Time limit of each engine when the demo makes its plan."),
    risk_scenarios: int = typer.Option(200, help="Scenarios of the demo's illustrative risk run (0: none)."),
) -> None:
    """Build a fresh demo database: Karabakh reference facts, a synthetic registry and an illustrative layer.

    Prints its summary, the demo accounts (in development) and how to open the dashboard."""
    with user_errors():
        if scale not in loader.SCALES:
            raise typer.BadParameter(f"choose one of: {', '.join(loader.SCALES)}", param_hint="--scale")
        chosen = loader.SCALES[scale]
        engine = get_engine()
        console.print(f"Demo database: [bold]{engine.url.render_as_string()}[/bold]")
        loader.reset_database(engine, force=force)
        accounts = _load(engine, chosen, seed)
        with unit_of_work(engine) as session:
            summary = summarise(session)
        print_summary(summary, chosen)
        scenario = Scenario(name="demo", sequencing_seconds=plan_seconds, allocation_seconds=plan_seconds)
        with (
            Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as bar,
            unit_of_work(engine) as session,
        ):
            step = bar.add_task("planning", total=None)
            plan = loader.make_plan(session, scenario, step=lambda text: bar.update(step, description=text))
            loader.make_plan_official(session, plan, plan.created_at)  # the public pages forecast from it
            if risk_scenarios:
                bar.update(step, description=f"illustrative risk run ({risk_scenarios:,} scenarios)")
                illustrative.risk_run(session, plan, risk_scenarios, seed)
        with unit_of_work(engine) as session:
            show_run(session, plan_read_models.run_of_code(session, plan.code), settlements=15)
        if get_settings().environment != "dev":  # the trail names the demo's accounts; nobody may log in as them
            with unit_of_work(engine) as session:
                illustrative.retire_accounts(session, plan.created_at)
            accounts = []
    console.print(
        "Next: [bold]homecoming readiness[/bold] (what each settlement lacks), [bold]homecoming plan export --out plan/"
        "[/bold] (schedule, allocation lists, Gantt chart), [bold]homecoming export households households.csv[/bold]."
    )
    _print_how_to_open(accounts)


def _load(engine: Engine, chosen: loader.Scale, seed: int) -> list[illustrative.DemoAccount]:
    columns = (TextColumn("{task.description:<34}"), BarColumn(), TextColumn("{task.completed:,.0f}"))
    with Progress(*columns, TimeElapsedColumn(), console=console) as bar:
        tables = loader.reference_tables()
        task = bar.add_task("reference facts", total=len(tables))
        with unit_of_work(engine) as session:
            loader.load_reference(session, lambda name: bar.update(task, advance=1, description=name))
        bar.update(task, description="reference facts")
        households = bar.add_task("synthetic households", total=chosen.families)
        with unit_of_work(engine) as session:
            loader.load_households(session, chosen, seed, lambda n: bar.update(households, completed=n))
        bar.update(households, completed=chosen.families)
        layer = bar.add_task("illustrative layer", total=1)
        with unit_of_work(engine) as session:
            accounts = illustrative.load(session)
        bar.update(layer, completed=1)
    return accounts


def _print_how_to_open(accounts: list[illustrative.DemoAccount]) -> None:
    console.rule("[bold]Open the dashboard")
    console.print(
        "Start it with [bold]homecoming serve[/bold] (same HOMECOMING_DATABASE_URL) and open "
        "[bold]http://127.0.0.1:8000/[/bold]; public pages need no login. Staff pages: log in at "
        "[bold]http://127.0.0.1:8000/login[/bold]."
    )
    console.print(
        "[bold yellow]ILLUSTRATIVE[/bold yellow]: the hazard polygons, damage counts, tender ILL-1 and its contract, "
        "and the risk run are made up to show the pages; every page that lists them says so."
    )
    if not accounts:
        console.print("No demo accounts outside development: create one with [bold]homecoming admin create[/bold].")
        return
    table = Table("username", "role", "password", title="Demo accounts (development only; new passwords each build)")
    for account in accounts:
        table.add_row(account.username, account.role, account.password)
    console.print(table)


def print_summary(summary: DemoSummary, scale: loader.Scale) -> None:
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.settlements_by_kind.items()))
    console.rule("[bold]Homecoming — Karabakh and East Zangezur demo")
    console.print(
        f"Territory: {summary.regions} economic regions, {summary.districts} districts, "
        f"{sum(summary.settlements_by_kind.values())} settlements ({kinds})"
    )
    works = Table("sector", "status", "works", title="Works by sector and status", title_justify="left")
    for (sector, status), n in sorted(summary.works_by_sector_status.items()):
        works.add_row(sector, status, str(n))
    console.print(works)
    housing = ", ".join(f"{units:,} {status}" for status, units in sorted(summary.housing_by_status.items()))
    console.print(f"Housing units reported: {housing}")
    budget = Table(
        "year",
        "planned",
        "revised",
        "allocated",
        "spent",
        title="Reconstruction budget, bn AZN (official figures disagree; each is kept with its source)",
        title_justify="left",
    )
    for year, figures in summary.budget_bn_azn_by_year.items():
        budget.add_row(str(year), *(_bn(figures.get(k)) for k in ("planned", "revised", "allocated", "spent")))
    console.print(budget)
    for years, kind, billions, source in summary.cumulative_bn_azn:
        console.print(f"Reconstruction budget {years} in all ({kind}): {billions:.1f} bn AZN — {source}")
    cleared = ", ".join(f"{period}: {ha:,.0f} ha" for period, ha in summary.cleared_ha_by_year.items())
    console.print(f"Land cleared of mines: {cleared}")
    _print_returns(summary, scale)


def _print_returns(summary: DemoSummary, scale: loader.Scale) -> None:
    progress = summary.progress
    console.print(
        f"Household registry: {summary.registered_households:,} households / {summary.registered_people:,} people "
        f"([bold yellow]SYNTHETIC[/bold yellow]: generated to match the {scale.basis})"
        if summary.synthetic_households
        else f"Household registry: {summary.registered_households:,} households"
    )
    if (national := summary.national) is not None:
        console.print(
            f"Returned nationally (the programme's figure of {national.as_of:%Y-%m-%d}): {national.families or 0:,} "
            f"families / {national.people or 0:,} people in {national.settlements or 0} settlements — "
            f"{national.source_url or ''}"
        )
    console.print(
        f"Returned (reported settlement by settlement): {progress.families_returned:,} families / "
        f"{progress.people_returned:,} people in {progress.settlements_with_returns} settlements — "
        f"{progress.people_returned / progress.people_target:.1%} of the {progress.people_target:,}-people target"
        if progress.people_target
        else f"Returned (reported): {progress.people_returned:,} people"
    )


def _bn(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"
