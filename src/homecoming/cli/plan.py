"""`homecoming plan ...`: make a plan from the registry, show it, compare two scenarios, make one the official plan."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.config import get_settings
from homecoming.db import unit_of_work
from homecoming.errors import RuleViolation
from homecoming.jobs.service import utcnow
from homecoming.planning import actions, report
from homecoming.planning.models import PlanApproval, PlanRun
from homecoming.planning.scenario import Scenario
from homecoming.returns import service as returns_service
from homecoming.territory import read_models as territory_read_models

app = typer.Typer(help="Plan the works and the return: when each settlement is ready, who goes home when.",
                  no_args_is_help=True)  # fmt: skip


def load_scenario(path: Path | None, **overrides: object) -> Scenario:
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else {}
        data.update({k: v for k, v in overrides.items() if v is not None})
        return Scenario.model_validate(data)
    except (OSError, json.JSONDecodeError) as exc:
        raise RuleViolation("plan.bad_scenario_file", f"{path}: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise RuleViolation("plan.bad_scenario", f"scenario {path or ''}: {problems}") from None


@app.command("run")
def run(
    scenario_file: Path = typer.Option(None, "--scenario", help="A scenario JSON file (see docs/planning.md)."),
    name: str = typer.Option(None, help="Scenario name (overrides the file's)."),
    teams: int = typer.Option(None, help="Demining teams."),
    crews: int = typer.Option(None, help="Construction crews."),
    budget_share: float = typer.Option(None, help="Share of each year's budget this plan may use (0-1]."),
    seconds: float = typer.Option(None, help="Time limit of each engine, in seconds."),
    code: str = typer.Option(None, help="Code of the plan run (default: scenario name and time)."),
) -> None:
    """Build the schedule and the allocation from the registry, solve both, store the plan run."""
    with user_errors():
        limits = {"sequencing_seconds": seconds, "allocation_seconds": seconds}
        scenario = load_scenario(scenario_file, name=name, demining_teams=teams, crews=crews,
                                 budget_share_for_plan=budget_share, **limits)  # fmt: skip
        engine = current_database()
        with (
            Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as bar,
            unit_of_work(engine) as session,
        ):
            task = bar.add_task("starting", total=None)
            plan = actions.make_plan(session, cli_actor(session), scenario, code=code,
                                     step=lambda text: bar.update(task, description=text))  # fmt: skip
            show_run(session, plan)


@app.command("show")
def show(code: str = typer.Argument(None, help="A plan run code; the latest when left out.")) -> None:
    """The forecast of a plan run: ready dates, people home per year, what holds the programme back."""
    with user_errors():
        engine = current_database()
        with unit_of_work(engine) as session:
            show_run(session, report.latest_run(session, code))


def show_run(session: Session, plan: PlanRun, *, settlements: int = 100) -> None:
    """The plan as the API and the pages show it: its counts of people pass the disclosure rule (— : withheld)."""
    gap = (plan.people_months - plan.people_months_bound) / plan.people_months if plan.people_months else 0.0
    console.rule(f"[bold]Plan {plan.code}[/bold] — scenario {plan.scenario}")
    console.print(
        f"People-months displaced: {plan.people_months:,} ({plan.sequencing_status}; proven lower bound "
        f"{plan.people_months_bound:,}, within {gap:.1%}); solved in {plan.seconds:,.1f} s"
    )
    figures = actions.visible_figures(session, None, plan, get_settings().small_count_threshold)
    ids = territory_read_models.settlement_ids(session)
    table = Table("ready from", "settlement", "people waiting", title="Forecast readiness", title_justify="left")
    for code, name, ready, _people in report.ready_dates(session, plan)[:settlements]:
        cell = figures.by_settlement.get(ids[code])
        table.add_row(f"{ready:%Y-%m}", f"{name} ({code})", _shown(None if cell is None else cell.people))
    console.print(table)
    target = returns_service.progress_summary(session).people_target
    years = Table("year", "people home", "cumulative", "of target", title="People home per year", title_justify="left")
    for year, people, cumulative in figures.years:
        share = f"{cumulative / target:.0%}" if target and cumulative is not None else ""
        years.add_row(str(year), _shown(people), _shown(cumulative), share)
    console.print(years)
    unplaced = figures.unplaced.people
    if unplaced is None or unplaced:
        console.print(f"[yellow]{_shown(unplaced)} people cannot be placed within the horizon[/yellow]")
    limits = report.binding_limits(session, plan)
    held = "; ".join(f"{x.resource} in {x.year} ({x.used_share:.0%} used)" for x in limits)
    console.print(f"What holds the programme back most: {held or 'no resource is used to the full in any year'}")
    if plan.data_issues:
        console.print(f"[yellow]{len(plan.data_issues):,} data issues[/yellow] worked around (plan export lists them):")
        for text, places in report.grouped_issues(plan.data_issues)[:6]:
            where = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
            console.print(f"  • {text} — {where}" if places else f"  • {text}")


def _shown(count: int | None) -> str:
    return "—" if count is None else f"{count:,}"


@app.command("compare")
def compare(first: str = typer.Argument(...), second: str = typer.Argument(...)) -> None:
    """Two plan runs side by side: people-months displaced and people home per year."""
    with user_errors():
        engine = current_database()
        with unit_of_work(engine) as session:
            a, b = report.latest_run(session, first), report.latest_run(session, second)
            years_a, years_b = report.people_home_by_year(session, a), report.people_home_by_year(session, b)
    table = Table("", a.code, b.code, "difference", title="Plan runs compared", title_justify="left")
    table.add_row("people-months displaced", f"{a.people_months:,}", f"{b.people_months:,}",
                  f"{b.people_months - a.people_months:+,}")  # fmt: skip
    total_a = total_b = 0
    for year in sorted(set(years_a) | set(years_b)):
        total_a, total_b = total_a + years_a.get(year, 0), total_b + years_b.get(year, 0)
        table.add_row(f"people home by end of {year}", f"{total_a:,}", f"{total_b:,}", f"{total_b - total_a:+,}")
    console.print(table)


@app.command("export")
def export(
    out: Path = typer.Option(..., "--out", help="Folder to write into."),
    code: str = typer.Argument(None, help="A plan run code; the latest when left out."),
    xlsx: bool = typer.Option(False, help="Write .xlsx instead of .csv."),
) -> None:
    """Write a plan run as files: schedule, readiness, allocation lists per settlement, gantt.png."""
    with user_errors():
        engine = current_database()
        with unit_of_work(engine) as session:
            run = report.latest_run(session, code)
            written = actions.export_plan(session, cli_actor(session), run, out, file_type="xlsx" if xlsx else "csv")
    console.print(f"{len(written):,} files written to {out} (allocation lists name households: registrar only)")


COMMENT = typer.Option(None, help="Why (kept in the audit trail).")
VERSION = typer.Option(..., help="The version of the proposal you read (`plan propose` prints it).")


@app.command("propose")
def propose(code: str = typer.Argument(...), comment: str = COMMENT) -> None:
    """Propose a plan run as the official plan; an admin who neither made nor proposed it approves it."""
    _approval_step(lambda session, actor, now: actions.propose_plan_run(session, actor, code, now=now,
                                                                        comment=comment))  # fmt: skip


@app.command("approve")
def approve(code: str = typer.Argument(...), version: int = VERSION, comment: str = COMMENT) -> None:
    """Approve a proposed plan run (an admin, named with --as): the public pages forecast from it."""

    def step(session: Session, actor: User, now: dt.datetime) -> PlanApproval:
        return actions.approve_plan_run(session, actor, code, version=version, now=now, comment=comment)

    _approval_step(step, admin_only=True)


@app.command("withdraw")
def withdraw(code: str = typer.Argument(...), version: int = VERSION, comment: str = COMMENT) -> None:
    """Withdraw a proposal (a planner or an admin) or an approval (an admin)."""
    _approval_step(lambda session, actor, now: actions.withdraw_plan_run(session, actor, code, version=version,
                                                                         now=now, comment=comment))  # fmt: skip


def _approval_step(step: Callable[[Session, User, dt.datetime], PlanApproval], *, admin_only: bool = False) -> None:
    with user_errors(), unit_of_work(current_database()) as session:
        approval = step(session, cli_actor(session, admin_only=admin_only), utcnow())
        console.print(f"{approval.code}: {approval.state.value} (version {approval.version})")
