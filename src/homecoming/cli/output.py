"""What every command shares: one console, and DomainErrors shown as a message and an exit code."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.table import Table

from homecoming.accounts.models import Role, User
from homecoming.errors import DomainError

console = Console()
errors = Console(stderr=True)

MAX_SHOWN_ROW_ERRORS = 50


def cli_actor() -> User:
    """Who the audit trail names for a command: the operating-system user running it (never stored as an account;
    whoever runs the command line holds the database's keys anyway)."""
    return User(username=f"cli:{getpass.getuser()}"[:64], role=Role.ADMIN)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a DomainError into a readable message on stderr and exit code 1 (no traceback)."""
    try:
        yield
    except DomainError as exc:
        errors.print(f"[bold red]error[/bold red] [dim]({exc.code})[/dim]: {exc.message}")
        rows = exc.details.get("errors")
        if isinstance(rows, list) and rows:
            table = Table("row", "column", "problem", title=None, show_edge=False)
            for item in rows[:MAX_SHOWN_ROW_ERRORS]:
                table.add_row(str(item["row"]), str(item["column"]), str(item["reason"]))
            errors.print(table)
            if len(rows) > MAX_SHOWN_ROW_ERRORS or exc.details.get("error_count", 0) > len(rows):
                total = exc.details.get("error_count", len(rows))
                errors.print(f"... and {total - MAX_SHOWN_ROW_ERRORS} more")
        raise typer.Exit(1) from None
