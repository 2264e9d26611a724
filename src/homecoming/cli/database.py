"""`homecoming init`: create or upgrade the database."""

from __future__ import annotations

from rich.console import Console

from homecoming.db import get_engine
from homecoming.db.migrate import upgrade


def init() -> None:
    """Create the database, or upgrade it to the newest schema."""
    engine = get_engine()
    upgrade(engine)
    Console().print(f"Database ready at [bold]{engine.url.render_as_string()}[/bold]")
