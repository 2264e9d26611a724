"""`homecoming mine ...`: clearance priority order and what each hazard area blocks."""

from __future__ import annotations

import typer
from rich.table import Table

from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.config import get_settings
from homecoming.db import unit_of_work
from homecoming.mine_action import actions, priority

app = typer.Typer(help="Mine action: clearance priorities and what hazards block.", no_args_is_help=True)


@app.command("priority")
def priority_order(
    rules: str = typer.Option(None, help="Comma-separated rule names; default HOMECOMING_CLEARANCE_PRIORITY."),
    limit: int = typer.Option(30, help="How many hazard areas to show."),
) -> None:
    """Open hazard areas in the order they should be cleared, with the rule that placed each one."""
    with user_errors():
        order = tuple(n.strip() for n in (rules or get_settings().clearance_priority).split(",") if n.strip())
        engine = current_database()
        with unit_of_work(engine) as session:
            ranked = priority.clearance_order(session, order)
    table = Table("#", "hazard area", "rule", "people waiting", "remaining m²")
    for position, r in enumerate(ranked[:limit], start=1):
        table.add_row(
            str(position), r.hazard, f"{r.rank}. {r.reason}", f"{r.people_waiting:,}", f"{r.remaining_area_m2:,.0f}"
        )
    console.print(table)
    console.print(f"{len(ranked):,} open hazard areas; rule order: {', '.join(priority.check_order(order))}")


@app.command("blocks")
def compute_blocks() -> None:
    """Recompute which settlement and works each drawn hazard area blocks (hand overrides win)."""
    with user_errors():
        engine = current_database()
        with unit_of_work(engine) as session:
            results = actions.compute_blocks(session, cli_actor())
    for b in results:
        note = " (with a hand override)" if b.overridden else ""
        console.print(f"{b.hazard}: settlement {b.settlement or '-'}; works {', '.join(b.projects) or '-'}{note}")
    console.print(f"{len(results):,} drawn hazard areas checked")
