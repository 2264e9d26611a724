"""What a database holds, asked the same way on both engines: its tables, their row counts, its schema revision."""

from __future__ import annotations

from sqlalchemy import Connection, func, inspect, select, table, text
from sqlalchemy.exc import DBAPIError

ALEMBIC_TABLE = "alembic_version"


def table_names(connection: Connection) -> list[str]:
    """The application's tables (Alembic's bookkeeping table is left out: it is the revision, not data)."""
    return sorted(name for name in inspect(connection).get_table_names() if name != ALEMBIC_TABLE)


def row_counts(connection: Connection) -> dict[str, int]:
    return {
        name: int(connection.execute(select(func.count()).select_from(table(name))).scalar_one())
        for name in table_names(connection)
    }


def revision(connection: Connection) -> str | None:
    """The Alembic revision the schema is at; None for a database no migration has touched."""
    if ALEMBIC_TABLE not in inspect(connection).get_table_names():
        return None
    try:
        return connection.execute(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")).scalar()
    except DBAPIError:  # pragma: no cover - the table exists but cannot be read
        return None


def rows_held(counts: dict[str, int]) -> int:
    return sum(counts.values())
