"""`homecoming import` / `homecoming export`: registry tables as CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.config import get_settings
from homecoming.db import unit_of_work
from homecoming.errors import RuleViolation
from homecoming.interchange import actions
from homecoming.interchange.spec import IMPORT_ORDER
from homecoming.jobs.service import utcnow

TABLES_HELP = "Registry table: " + ", ".join(IMPORT_ORDER)


def import_table(
    table: str = typer.Argument(..., help=TABLES_HELP),
    file: Path = typer.Argument(
        ...,
        help="A .csv (UTF-8, header row) or .xlsx file (first sheet); a .geojson FeatureCollection for a table "
        "with an outline (districts, settlements, hazard_areas).",
    ),
    queue: bool = typer.Option(False, "--queue", help="Queue it as an import job for `homecoming worker` instead."),
    comment: str | None = typer.Option(None, "--comment", help="Why (kept in the audit trail)."),
) -> None:
    """Import a registry table from CSV or XLSX (or GeoJSON, for outlines): all rows or none, every bad row listed.

    One audit entry for the file names the account given by --as (else the operating-system user)."""
    with user_errors():
        engine = current_database()
        if queue:
            code = _queue(table, file, comment)
            console.print(f"queued as job {code}: a `homecoming worker` (or `homecoming serve`) runs it; follow it at "
                          f"GET /api/jobs/{code}")  # fmt: skip
            return
        with (
            Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as bar,
            unit_of_work(engine) as session,
        ):
            task = bar.add_task(f"checking {file.name}", total=None)
            report = actions.import_table(
                session, cli_actor(session), table, file, now=utcnow(), comment=comment,
                progress=lambda n: bar.update(task, description=f"checked {n:,} rows"),
            )  # fmt: skip
            bar.update(task, description="writing")
    console.print(
        f"{report.table}: {report.rows:,} rows read — {report.inserted:,} added, {report.updated:,} updated, "
        f"{report.unchanged:,} unchanged"
    )


def _queue(table: str, file: Path, comment: str | None) -> str:
    """An import job, as `POST /api/imports/{table}` makes; the command line may write every table (as without it)."""
    if not file.is_file():
        raise RuleViolation("import.file_not_found", f"no such file: {file}", {"file": str(file)})
    limit = get_settings().max_import_bytes
    with file.open("rb") as handle:
        content = handle.read(limit + 1)
    with unit_of_work(current_database()) as session:
        job = actions.queue_import(session, cli_actor(session), table, file.name, content, now=utcnow(),
                                   max_bytes=limit, comment=comment)  # fmt: skip
        return job.code


def export_table(
    table: str = typer.Argument(..., help=TABLES_HELP),
    file: Path = typer.Argument(..., help="Where to write: .csv or .xlsx"),
) -> None:
    """Export a registry table to CSV or XLSX, in the shape `homecoming import` reads back."""
    with user_errors(), unit_of_work(current_database()) as session:
        count = actions.export_table(session, cli_actor(session), table, file)
    console.print(f"{table}: {count:,} rows written to {file}")
