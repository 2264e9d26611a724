"""`homecoming readiness [SETTLEMENT]`: which settlements are ready, and what each one still lacks."""

from __future__ import annotations

import typer
from rich.table import Table

from homecoming.cli.database import current_database
from homecoming.cli.output import console, user_errors
from homecoming.db import unit_of_work
from homecoming.planning.readiness import readiness as compute_readiness


def readiness(
    settlement: str | None = typer.Argument(None, help="A settlement code; all settlements when left out."),
) -> None:
    """Is each settlement ready for its people to come home? If not, what is missing."""
    with user_errors():
        engine = current_database()
        with unit_of_work(engine) as session:
            results = compute_readiness(session, settlement)
    if settlement is not None:
        [one] = results
        state = "[green]ready[/green]" if one.ready else "[yellow]not ready[/yellow]"
        console.print(f"[bold]{one.name}[/bold] ({one.settlement}): {state}")
        waiting = f"{one.households_waiting:,} households / {one.people_waiting:,} people waiting"
        console.print(f"{waiting}; {one.houses_ready:,} houses ready")
        if one.forecast_ready is not None:
            console.print(f"Forecast ready from {one.forecast_ready:%Y-%m} (plan {one.forecast_plan})")
        for item in one.missing:
            console.print(f"  • {item}")
        return
    table = Table(
        "settlement", "state", "forecast", "waiting (households)", "houses ready", "first thing missing", "missing"
    )
    for r in results:
        state = "[green]ready[/green]" if r.ready else "not ready"
        forecast = f"{r.forecast_ready:%Y-%m}" if r.forecast_ready else ""
        table.add_row(r.settlement, state, forecast, f"{r.households_waiting:,}", f"{r.houses_ready:,}",
                      r.missing[0] if r.missing else "", str(len(r.missing)))  # fmt: skip
    console.print(table)
    ready = sum(r.ready for r in results)
    console.print(f"{ready} of {len(results)} settlements ready. Details: homecoming readiness SETTLEMENT")
