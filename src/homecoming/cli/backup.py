"""`homecoming backup` and `homecoming restore`: the database and the files store in one checked file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from homecoming.backup.service import Step, create_backup, restore_backup
from homecoming.cli.output import console, user_errors
from homecoming.config import get_settings
from homecoming.db import get_engine
from homecoming.db.roles import grant_to_application, owner_engine
from homecoming.files.service import default_store


def backup(
    out: Path = typer.Option(..., "--out", help="The backup file to write (never overwritten; created mode 0600)."),
) -> None:
    """Back up the database and the stored files into one file, with a manifest of checksums."""
    with user_errors():
        settings = get_settings()
        engine = get_engine()
        with _progress() as step:
            report = create_backup(
                engine, out, default_store(settings), files_store=settings.files_store, now=dt.datetime.now(dt.UTC),
                step=step,
            )  # fmt: skip
        manifest = report.manifest
        console.print(
            f"Backup written to [bold]{out}[/bold] ({report.size_bytes:,} bytes): {manifest.engine} database at "
            f"revision {manifest.alembic_revision}, {sum(manifest.row_counts.values()):,} rows in "
            f"{len(manifest.row_counts)} tables, {len(manifest.file_keys):,} stored files."
        )


def restore(
    file: Path = typer.Argument(..., help="A file written by `homecoming backup`."),
    force: bool = typer.Option(False, "--force", help="Replace the content of a database that holds rows."),
) -> None:
    """Check a backup whole, then restore its database and files; refuses a database holding rows without --force."""
    with user_errors():
        engine = owner_engine()  # a restore replaces the tables: their owner does it, then grants the application
        with _progress() as step:
            report = restore_backup(engine, file, default_store(), force=force, step=step)
        grant_to_application(engine)
        manifest = report.manifest
        table = Table("table", "rows in the backup", "rows restored", title="Restored", title_justify="left")
        for name, expected in sorted(manifest.row_counts.items()):
            if expected or report.row_counts.get(name):
                table.add_row(name, f"{expected:,}", f"{report.row_counts.get(name, 0):,}")
        empty = sum(1 for name, n in manifest.row_counts.items() if not n and not report.row_counts.get(name))
        table.caption = f"and {empty} empty tables, empty in the backup too" if empty else None
        console.print(table)
        console.print(
            f"Restored [bold]{file}[/bold] (made {manifest.created_at} by Homecoming {manifest.homecoming_version}) "
            f"into {engine.url.render_as_string()}: every table holds the rows the manifest lists; "
            f"{len(manifest.file_keys):,} stored files ({report.files_written:,} were missing)."
        )
        if report.needs_upgrade:
            console.print(
                f"[yellow]The backup's schema is revision {manifest.alembic_revision}; run "
                f"[bold]homecoming init[/bold] to upgrade it to {report.head_revision}.[/yellow]"
            )


@contextmanager
def _progress() -> Iterator[Step]:
    columns = (SpinnerColumn(), TextColumn("{task.description:<28}"), BarColumn(), TextColumn("{task.completed:,}"))
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def step(what: str, done: int, total: int | None) -> None:
            bar.update(task, description=what, completed=done, total=total)

        yield step
