"""`homecoming init`: create or upgrade the database; and the database every other command opens, as it is.

Migrations run once, in `init`, at the server's start (`serve`) and in `demo` (which builds its database); every other
command refuses a schema that is behind (`database.schema_behind`, saying to run `homecoming init`) instead of
changing it as a side effect.
"""

from __future__ import annotations

from rich.console import Console
from sqlalchemy import Engine

from homecoming.cli.output import user_errors
from homecoming.db import get_engine
from homecoming.db.migrate import require_current_schema
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


def current_database() -> Engine:
    """The configured database, once its schema is known to be the newest this installation ships."""
    engine = get_engine()
    require_current_schema(engine)
    return engine
