"""Alembic, driven from code: the migrations ship inside the package so an installed `homecoming` can upgrade."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from homecoming.errors import RuleViolation

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema on `engine` (reusing its connection, so in-memory SQLite works too)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade_to_empty(engine: Engine) -> None:
    """Drop every table the migrations made (used by the demo to start from an empty database)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")


@cache
def newest_revision() -> str:
    """The head of the migrations this installation ships."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def schema_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def schema_behind(at: str | None) -> str | None:
    """What to do when a database at revision `at` is not at the newest one; None when it is."""
    head = newest_revision()
    if at == head:
        return None
    return f"the database is at revision {at or 'none'}, this installation needs {head}: run `homecoming init`"


def require_current_schema(engine: Engine) -> None:
    """Refuse a database whose schema is not the newest: migrations run in `homecoming init`, the server's start and
    the demo, never as a side effect of another command."""
    with engine.connect() as connection:
        at = schema_revision(connection)
    problem = schema_behind(at)
    if problem is not None:
        raise RuleViolation("database.schema_behind", problem, {"revision": at, "newest": newest_revision()})
