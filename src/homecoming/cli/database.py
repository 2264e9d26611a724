"""`homecoming init`: create or upgrade the database."""

from __future__ import annotations

from rich.console import Console

from homecoming.cli.output import user_errors
from homecoming.db.roles import owner_engine, upgrade_as_owner


def init() -> None:
    """Create the database, or upgrade it to the newest schema (as HOMECOMING_MIGRATION_DATABASE_URL's role if set)."""
    with user_errors():
        role = upgrade_as_owner()
    console = Console()
    console.print(f"Database ready at [bold]{owner_engine().url.render_as_string()}[/bold]")
    if role is not None:
        console.print(
            f"The application role [bold]{role}[/bold] may read and write every table, but only read and append to "
            "the audit trail."
        )
